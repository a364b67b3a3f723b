"""Properties of the rules that must hold for any interview, settings and now."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from followup_daemon.model import CalendarEvent, EventTime, Followup, PlanEntry, Skip
from followup_daemon.planner import plan
from followup_daemon.rules.workdays import WorkCalendar
from followup_daemon.settings import Identity, RuleSettings, Settings

ZONES = ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata",
         "America/Sao_Paulo", "Pacific/Auckland", "UTC"]

zones = st.sampled_from(ZONES).map(ZoneInfo)
days = st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31))
times = st.times().map(lambda t: t.replace(microsecond=0, second=0))
workdays = st.frozensets(st.integers(0, 6), min_size=1)
region = st.sampled_from([None, "US", "DE", "GB", "FR", "US-CA"])


@st.composite
def rule_settings(draw: st.DrawFn) -> RuleSettings:
    return RuleSettings(
        timezone=draw(zones), delay_days=draw(st.integers(0, 40)),
        followup_time=draw(times), followup_minutes=draw(st.integers(1, 120)),
        workdays=draw(workdays), holidays=draw(region), grace_days=draw(st.integers(0, 30)))


def interview(day: dt.date, when: dt.time, zone: ZoneInfo, notes: str = "",
              summary: str = "Interview with Acme", uid: str = "p") -> CalendarEvent:
    start = dt.datetime.combine(day, when, tzinfo=zone)
    return CalendarEvent(uid=uid, summary=summary, start=EventTime.zoned(start),
                         description=notes)


def _starts_before(entries: list[PlanEntry], moment: dt.datetime) -> set[dt.datetime]:
    return {e.followup.start for e in entries if e.followup and e.followup.start < moment}


def one(event: CalendarEvent, rules: RuleSettings, now: dt.datetime) -> Followup | None:
    return plan([event], Settings(rules, Identity()), now)[0].followup


@settings(max_examples=150, deadline=None)
@given(rule_settings(), days, times, st.integers(-60, 60), st.one_of(st.none(), days))
def test_follow_up_on_a_working_day_after_the_interview_at_the_set_time(
        rules: RuleSettings, day: dt.date, when: dt.time, now_offset: int,
        decision: dt.date | None) -> None:
    zone = rules.timezone
    notes = f"Decision: {decision.isoformat()}" if decision else ""
    now = dt.datetime.combine(day + dt.timedelta(days=now_offset), dt.time(12), tzinfo=zone)
    followup = one(interview(day, when, zone, notes), rules, now)
    if followup is None:
        return
    work = WorkCalendar.from_settings(rules)
    local = followup.start.astimezone(zone)
    assert work.is_working_day(local.date())
    assert local.date() >= day + dt.timedelta(days=1)
    assert followup.start > now or followup.rule.value != "catch-up"
    wall = dt.datetime.combine(local.date(), rules.followup_time, tzinfo=zone)
    wall = wall.astimezone(dt.UTC).astimezone(zone)  # a skipped wall time moves past the gap
    assert local == wall
    # in UTC: across a fall-back hour the wall clocks of start and end can be equal
    assert followup.end.astimezone(dt.UTC) - followup.start.astimezone(dt.UTC) == \
        dt.timedelta(minutes=rules.followup_minutes)


@settings(max_examples=150, deadline=None)
@given(rule_settings(), days, days, st.integers(1, 60))
def test_a_later_decision_never_gives_an_earlier_follow_up(
        rules: RuleSettings, day: dt.date, decision: dt.date, later_by: int) -> None:
    zone = rules.timezone
    now = dt.datetime.combine(day - dt.timedelta(days=400), dt.time(0), tzinfo=zone)
    later = decision + dt.timedelta(days=later_by)
    first = one(interview(day, dt.time(10), zone, f"Decision: {decision}"), rules, now)
    second = one(interview(day, dt.time(10), zone, f"Decision: {later}"), rules, now)
    assert first is not None and second is not None
    assert second.start >= first.start


@settings(max_examples=100, deadline=None)
@given(rule_settings(), days, st.integers(0, 40), st.integers(-30, 60))
def test_adding_a_later_round_never_adds_a_follow_up_before_it(
        rules: RuleSettings, day: dt.date, gap: int, now_offset: int) -> None:
    zone = rules.timezone
    now = dt.datetime.combine(day + dt.timedelta(days=now_offset), dt.time(8), tzinfo=zone)
    first = interview(day, dt.time(10), zone, uid="r1", summary="Phone screen - Acme")
    second = interview(day + dt.timedelta(days=gap), dt.time(11), zone, uid="r2",
                       summary="Onsite - Acme")
    alone = plan([first], Settings(rules, Identity()), now)
    both = plan([first, second], Settings(rules, Identity()), now)
    second_start = second.start.instant(zone)
    assert _starts_before(both, second_start) <= _starts_before(alone, second_start)
    planned = [e.followup.date for e in both if e.followup]
    assert len(planned) == len(set(planned))
    assert all(e.skipped in (None, Skip.STALE, Skip.SUPERSEDED) for e in both)
