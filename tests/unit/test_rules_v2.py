"""R7-R9 through the planner: more than one follow-up, answered, the thank-you draft."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest

from followup_daemon.model import (
    CalendarEvent,
    EventTime,
    Outcome,
    PlanEntry,
    Received,
    Rule,
    Skip,
)
from followup_daemon.planner import plan
from followup_daemon.settings import Settings

from ..helpers import ME, at, event, v2_rules


def plan_v2(events: Sequence[CalendarEvent], now: str = "2026-11-01 09:00",
            received: Sequence[Received] = (), **overrides: Any) -> list[PlanEntry]:
    return plan(events, Settings(v2_rules(**overrides), ME), at(now), received)


def one(ev: CalendarEvent, now: str = "2026-11-01 09:00", received: Sequence[Received] = (),
        **overrides: Any) -> PlanEntry:
    return plan_v2([ev], now, received, **overrides)[0]


def days(entry: PlanEntry) -> list[tuple[int, str, str]]:
    return [(f.n, f.date.isoformat(), f.rule.value) for f in entry.followups]


def mail(sender: str, when: str, automatic: bool = False) -> Received:
    return Received(sender, at(when), automatic)


# R8: more than one follow-up

def test_a_second_follow_up_comes_a_gap_after_the_first() -> None:
    assert days(one(event())) == [(1, "2026-11-26", "default"), (2, "2026-12-03", "default")]


def test_the_second_moves_to_a_working_day() -> None:
    # the first on Fri 20 Nov (a day after the decision); Fri + 8 days is a Saturday
    entry = one(event(description="Decision by Nov 19"), followup_gap_days=8)
    assert days(entry) == [(1, "2026-11-20", "decision"), (2, "2026-11-30", "default")]


def test_max_followups_counts_them() -> None:
    assert [n for n, _, _ in days(one(event(), max_followups=3))] == [1, 2, 3]
    assert [n for n, _, _ in days(one(event(), max_followups=1))] == [1]


def test_a_stale_first_still_counts_and_the_second_is_caught_up() -> None:
    # the first was due Thu 26 Nov, 15 days before now: stale; the second (3 Dec) is not
    entry = one(event(), now="2026-12-11 11:00")
    assert days(entry) == [(2, "2026-12-14", "catch-up")]
    assert entry.skipped is None


def test_the_second_follows_the_first_after_its_catch_up() -> None:
    entry = one(event(), now="2026-11-30 11:00")  # the first (26 Nov) is caught up to 1 Dec
    assert days(entry) == [(1, "2026-12-01", "catch-up"), (2, "2026-12-08", "default")]


def test_all_stale_is_stale() -> None:
    entry = one(event(), now="2026-12-30 11:00")
    assert entry.followups == () and entry.skipped is Skip.STALE


def test_a_later_round_drops_the_earlier_rounds_follow_ups_after_it() -> None:
    first = event(uid="r1")
    second = event(uid="r2", start="2026-12-01 14:00")
    earlier, later = plan_v2([first, second])
    assert days(earlier) == [(1, "2026-11-26", "default")]
    assert [n for n, _, _ in days(later)] == [1, 2]


def test_never_two_follow_ups_of_an_application_on_one_day() -> None:
    first = event(uid="r1", start="2026-11-09 14:00")  # follow-ups 19 Nov and 26 Nov
    second = event(uid="r2", start="2026-11-16 14:00", description="Decision by Nov 25")
    entries = plan_v2([first, second])
    starts = [f.date for e in entries for f in e.followups]
    assert len(starts) == len(set(starts))


# R7: answered

@pytest.mark.parametrize(("notes", "outcome"), [
    ("Outcome: offer!", Outcome.OFFER), ("#rejected", Outcome.REJECTED),
    ("Outcome: heard back, second round soon", Outcome.ANSWERED),
    ("Ergebnis: Absage", Outcome.REJECTED), ("Résultat : refusé", Outcome.REJECTED),
    ("Resultado: oferta recibida", Outcome.OFFER), ("Outcome: I withdrew", Outcome.WITHDRAWN),
    ("Esito: non selezionato", Outcome.REJECTED), ("#answered", Outcome.ANSWERED),
    ("Uitkomst: afgewezen", Outcome.REJECTED), ("#offer", Outcome.OFFER),
])
def test_a_noted_outcome_stops_the_follow_ups(notes: str, outcome: Outcome) -> None:
    entry = one(event(description=f"Notes.\n{notes}"), now="2026-11-18 09:00")
    assert entry.followups == () and entry.skipped is Skip.ANSWERED
    assert entry.answered is not None
    assert (entry.answered.by, entry.answered.outcome, entry.answered.sender) == \
        ("note", outcome, None)
    assert entry.answered.date == dt.date(2026, 11, 16)  # the interview's end


def test_a_noted_outcome_on_a_future_interview_counts_from_now() -> None:
    entry = one(event(description="#withdrawn"), now="2026-11-10 09:00")
    assert entry.skipped is Skip.ANSWERED and entry.answered is not None
    assert entry.answered.date == dt.date(2026, 11, 10)


def test_a_note_on_a_later_round_answers_the_earlier_one_not_the_reverse() -> None:
    first = event(uid="r1", description="Outcome: offer")
    second = event(uid="r2", start="2026-11-23 14:00")
    earlier, later = plan_v2([first, second], now="2026-11-24 09:00")
    assert earlier.skipped is Skip.ANSWERED and later.answered is None
    first, second = event(uid="r1"), event(uid="r2", start="2026-11-23 14:00",
                                           description="#rejected")
    assert all(e.skipped is Skip.ANSWERED for e in plan_v2([first, second],
                                                            now="2026-11-24 09:00"))


def test_a_message_from_the_employer_after_the_end_answers() -> None:
    entry = one(event(), "2026-11-20 09:00", [mail("Jane@Acme.com", "2026-11-18 16:30")])
    assert entry.skipped is Skip.ANSWERED and entry.answered is not None
    assert (entry.answered.by, entry.answered.outcome, entry.answered.sender,
            entry.answered.date) == ("reply", Outcome.ANSWERED, "jane@acme.com",
                                     dt.date(2026, 11, 18))


def test_someone_else_at_the_employer_answers_too() -> None:
    entry = one(event(), "2026-11-20 09:00", [mail("talent@hr.acme.com", "2026-11-18 16:30")])
    assert entry.skipped is Skip.ANSWERED


@pytest.mark.parametrize("message", [
    mail("stranger@gmail.com", "2026-11-18 16:30"),  # free mail, not the employer's
    mail("jane@acme.com", "2026-11-16 14:30"),  # before the interview ended
    mail("jane@acme.com", "2026-11-18 16:30", automatic=True),
    mail("noreply@greenhouse.io", "2026-11-18 16:30"),
    mail("alex@gmail.com", "2026-11-18 16:30"),  # the user
])
def test_what_does_not_answer(message: Received) -> None:
    entry = one(event(), "2026-11-20 09:00", [message])
    assert entry.answered is None and entry.followups


def test_a_message_answers_only_the_rounds_that_ended_before_it() -> None:
    first, second = event(uid="r1"), event(uid="r2", start="2026-11-23 14:00")
    earlier, later = plan_v2([first, second], "2026-11-24 09:00",
                             [mail("jane@acme.com", "2026-11-18 16:30")])
    assert earlier.skipped is Skip.ANSWERED and later.answered is None and later.followups


def test_a_message_dated_in_the_future_counts_as_now() -> None:
    entry = one(event(), "2026-11-20 09:00", [mail("jane@acme.com", "2027-01-01 00:00")])
    assert entry.answered is not None and entry.answered.date == dt.date(2026, 11, 20)


def test_of_several_answers_the_first() -> None:
    replies = [mail("bob@acme.com", "2026-11-18 17:30"), mail("jane@acme.com", "2026-11-17 09:00")]
    entry = one(event(), "2026-11-20 09:00", replies)
    assert entry.answered is not None and entry.answered.sender == "jane@acme.com"
    # a note counts from the interview's end, before any reply
    entry = one(event(description="Outcome: offer"), "2026-11-20 09:00", replies)
    assert entry.answered is not None and entry.answered.by == "note"


def test_answered_wins_over_stale_and_superseded() -> None:
    entry = one(event(description="#answered"), now="2026-12-30 09:00")
    assert entry.skipped is Skip.ANSWERED


# R9: the thank-you draft

def test_the_thank_you_is_due_hours_after_the_end() -> None:
    ev = event(end=EventTime.zoned(at("2026-11-16 15:30")))
    thanks = one(ev).thank_you
    assert thanks is not None and thanks.due == at("2026-11-16 17:30")
    assert thanks.draft_to == ("jane@acme.com",)
    later = one(ev, thank_you_delay_hours=24).thank_you
    assert later is not None and later.due == at("2026-11-17 15:30")


def test_without_an_end_an_hour_and_all_day_until_midnight() -> None:
    thanks = one(event()).thank_you
    assert thanks is not None and thanks.due == at("2026-11-16 17:00")
    all_day = replace(event(), start=EventTime.all_day(dt.date(2026, 11, 16)))
    thanks = one(all_day).thank_you
    assert thanks is not None and thanks.due == at("2026-11-17 02:00")


def test_elapsed_hours_across_a_clock_change() -> None:
    # 1 Nov 2026: New York falls back at 02:00; 23:30 + 4 h elapsed is 02:30 wall time
    ev = event(start="2026-10-31 22:30")
    thanks = one(ev, "2026-10-30 09:00", thank_you_delay_hours=3).thank_you
    assert thanks is not None
    assert thanks.due.astimezone(dt.UTC) == at("2026-10-31 23:30").astimezone(dt.UTC) + \
        dt.timedelta(hours=3)


@pytest.mark.parametrize(("ev", "now", "received", "overrides"), [
    (event(), "2026-11-18 15:01", (), {}),  # more than 48 hours after the end
    (event(), "2026-11-17 09:00", (mail("jane@acme.com", "2026-11-16 16:00"),), {}),
    (event(organizer=None), "2026-11-01 09:00", (), {}),  # nobody to thank
    (event(cancelled=True), "2026-11-01 09:00", (), {}),
    (event(), "2026-11-01 09:00", (), {"thank_you": False}),
])
def test_no_thank_you(ev: CalendarEvent, now: str, received: tuple[Received, ...],
                      overrides: dict[str, Any]) -> None:
    assert one(ev, now, received, **overrides).thank_you is None


def test_a_thank_you_stays_when_the_answer_came_after_it_was_due() -> None:
    entry = one(event(), "2026-11-17 09:00", [mail("jane@acme.com", "2026-11-16 20:00")])
    assert entry.thank_you is not None and entry.skipped is Skip.ANSWERED


def test_rules_v1_when_one_follow_up_and_no_thank_you() -> None:
    entry = one(event(), max_followups=1, thank_you=False)
    assert days(entry) == [(1, "2026-11-26", Rule.DEFAULT.value)] and entry.thank_you is None
