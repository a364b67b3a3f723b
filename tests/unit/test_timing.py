"""R4 and R5.1-R5.2: the follow-up date and time, catch-up and stale."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

from followup_daemon.model import EventTime, Rule, Skip

from ..helpers import event, plan_one


def followup_day(entry: object) -> str:
    followup = getattr(entry, "followup", None)
    assert followup is not None, getattr(entry, "skipped", None)
    return str(followup.date.isoformat())


def test_default_is_delay_days_after_the_interview() -> None:
    entry = plan_one(event(start="2026-11-16 14:00"))  # Monday
    assert followup_day(entry) == "2026-11-26"
    assert entry.followup is not None and entry.followup.rule is Rule.DEFAULT


def test_delay_days_setting() -> None:
    assert followup_day(plan_one(event(start="2026-11-16 14:00"), delay_days=3)) == "2026-11-19"


def test_decision_date_plus_one_day() -> None:
    entry = plan_one(event(description="Decision: 2026-11-19"))
    assert followup_day(entry) == "2026-11-20"
    assert entry.followup is not None and entry.followup.rule is Rule.DECISION
    assert entry.decision_date == dt.date(2026, 11, 19)


def test_never_before_the_day_after_the_interview() -> None:
    entry = plan_one(event(start="2026-11-17 14:00", description="Decision: 2026-11-10"))
    assert followup_day(entry) == "2026-11-18"
    assert followup_day(plan_one(event(start="2026-11-17 14:00"), delay_days=0)) == "2026-11-18"


def test_a_weekend_moves_to_monday() -> None:
    assert followup_day(plan_one(event(description="Decision: 2026-11-20"))) == "2026-11-23"


def test_custom_workdays() -> None:
    entry = plan_one(event(description="Decision: 2026-11-19"), workdays=frozenset({0, 2}))
    assert followup_day(entry) == "2026-11-23"  # Fri 20 is no workday; Mon 23 is


def test_public_holidays_are_skipped() -> None:
    # F = Thanksgiving, Thu 26 Nov 2026: moved to Friday.
    assert followup_day(plan_one(event(start="2026-11-16 14:00"), holidays="US")) == "2026-11-27"
    # Christmas in Germany: 25 and 26 Dec are both holidays; 26 Dec 2026 is a Saturday.
    entry = plan_one(event(description="Decision: 2026-12-24"), holidays="DE")
    assert followup_day(entry) == "2026-12-28"


def test_subdivision_holidays() -> None:
    # Cesar Chavez Day (31 Mar) is a California state holiday, not a federal one.
    ev = event(start="2027-03-20 10:00", description="Decision: 2027-03-30")
    assert followup_day(plan_one(ev, "2027-03-01 09:00", holidays="US")) == "2027-03-31"
    assert followup_day(plan_one(ev, "2027-03-01 09:00", holidays="US-CA")) == "2027-04-01"


def test_start_time_length_and_zone() -> None:
    entry = plan_one(event(), followup_time=dt.time(9, 30), followup_minutes=20)
    assert entry.followup is not None
    assert entry.followup.start.isoformat() == "2026-11-26T09:30:00-05:00"
    assert entry.followup.end - entry.followup.start == dt.timedelta(minutes=20)


def test_the_interviews_local_date_is_in_the_users_zone() -> None:
    # 23:30 in New York is already the next day in Berlin.
    berlin = ZoneInfo("Europe/Berlin")
    entry = plan_one(event(start="2026-11-16 23:30"), timezone=berlin)
    assert followup_day(entry) == "2026-11-27"


def test_all_day_and_floating_interviews() -> None:
    all_day = replace(event(), start=EventTime.all_day(dt.date(2026, 11, 16)))
    assert followup_day(plan_one(all_day)) == "2026-11-26"
    floating = replace(event(), start=EventTime.floating(dt.datetime(2026, 11, 16, 23, 30)))
    assert followup_day(plan_one(floating, timezone=ZoneInfo("Asia/Tokyo"))) == "2026-11-26"


def test_catch_up_when_the_follow_up_is_past_but_within_grace() -> None:
    entry = plan_one(event(description="Decision: 2026-11-19"), now="2026-11-25 11:00")
    assert entry.followup is not None and entry.followup.rule is Rule.CATCH_UP
    assert entry.followup.start.isoformat() == "2026-11-26T10:00:00-05:00"


def test_catch_up_today_when_the_time_is_still_ahead() -> None:
    entry = plan_one(event(description="Decision: 2026-11-19"), now="2026-11-25 08:00")
    assert entry.followup is not None
    assert entry.followup.start.isoformat() == "2026-11-25T10:00:00-05:00"


def test_catch_up_skips_weekends_and_holidays() -> None:
    entry = plan_one(event(description="Decision: 2026-11-19"), now="2026-11-25 11:00",
                     holidays="US")
    assert entry.followup is not None
    assert entry.followup.date == dt.date(2026, 11, 27)  # Thanksgiving skipped


def test_stale_beyond_grace_days() -> None:
    entry = plan_one(event(description="Decision: 2026-11-19"), now="2026-12-05 10:01")
    assert entry.followup is None and entry.skipped is Skip.STALE


def test_grace_days_boundary() -> None:
    # Due Fri 20 Nov 10:00; exactly 14 days later is still in grace.
    ev = event(description="Decision: 2026-11-19")
    assert plan_one(ev, now="2026-12-04 10:00").skipped is None
    assert plan_one(ev, now="2026-12-04 10:01").skipped is Skip.STALE
    assert plan_one(ev, now="2026-11-21 10:00", grace_days=0).skipped is Skip.STALE


def test_a_future_interview_is_planned_from_its_date() -> None:
    entry = plan_one(event(start="2027-02-01 10:00"), now="2026-11-01 09:00")
    assert followup_day(entry) == "2027-02-11"


def test_dst_change_keeps_the_wall_time() -> None:
    # Europe/Berlin leaves summer time on 25 Oct 2026; the follow-up stays at 10:00.
    berlin = ZoneInfo("Europe/Berlin")
    entry = plan_one(event(start="2026-10-20 10:00"), now="2026-10-01 09:00", timezone=berlin)
    assert entry.followup is not None
    assert entry.followup.start.isoformat() == "2026-10-30T10:00:00+01:00"
