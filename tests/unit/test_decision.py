"""R3: every form of the decision-date table, the last statement winning, date_order."""

from __future__ import annotations

import datetime as dt

import pytest

from followup_daemon.rules.dates import Context
from followup_daemon.rules.decision import decision_date
from followup_daemon.rules.workdays import WorkCalendar

MON_NOV_16 = dt.date(2026, 11, 16)
WEEKDAYS = WorkCalendar(frozenset(range(5)))


def read(text: str, interview: dt.date = MON_NOV_16, order: str = "MDY",
         work: WorkCalendar = WEEKDAYS) -> dt.date | None:
    return decision_date(text, Context(interview, work, order))


@pytest.mark.parametrize(("text", "expected"), [
    ("Decision: 2026-12-03", "2026-12-03"),
    ("They will make a decision by December 3", "2026-12-03"),
    ("They decide on Dec 3rd.", "2026-12-03"),
    ("I should hear back by 12/3", "2026-12-03"),
    ("Jane will get back to me by 3 December", "2026-12-03"),
    ("They will let you know by Dec 3, 2026", "2026-12-03"),
    ("They will respond by Dec. 3", "2026-12-03"),
    ("Feedback by Thursday, December 3rd", "2026-12-03"),
    ("Answer by the 3rd of December", "2026-12-03"),
    ("Decision expected within 5 days", "2026-11-21"),
    ("We will hear back in 10 days", "2026-11-26"),
    ("They will decide in three days", "2026-11-19"),
    ("They'll get back to me in twenty days", "2026-12-06"),
    ("They'll decide in a day", "2026-11-17"),
    ("They'll let me know in a couple of days", "2026-11-18"),
    ("Feedback within 5 business days", "2026-11-23"),
    ("Decision in 3 working days", "2026-11-19"),
    ("Decision within 2 weeks", "2026-11-30"),
    ("They will decide in two weeks", "2026-11-30"),
    ("They'll let me know in a week", "2026-11-23"),
    ("They will decide by Friday", "2026-11-20"),
    ("Hear back by Monday", "2026-11-23"),
    ("Decision by the end of the week", "2026-11-20"),
    ("Decision by end of week", "2026-11-20"),
    ("They will decide by the end of next week", "2026-11-27"),
    ("They will decide next week", "2026-11-27"),
    ("Decision by the end of the month", "2026-11-30"),
    ("Decision by end of month", "2026-11-30"),
])
def test_every_form_of_the_table(text: str, expected: str) -> None:
    assert read(text) == dt.date.fromisoformat(expected)


def test_business_days_skip_holidays() -> None:
    us = WorkCalendar(frozenset(range(5)), "US")
    # Thanksgiving (Thu 26 Nov 2026) is no working day.
    assert read("Feedback within 5 business days", dt.date(2026, 11, 20), work=us) == \
        dt.date(2026, 11, 30)


def test_a_date_without_a_year_is_the_first_on_or_after_the_interview() -> None:
    assert read("Decision by Jan 5", dt.date(2026, 12, 20)) == dt.date(2027, 1, 5)
    assert read("Decision by Dec 20", dt.date(2026, 12, 20)) == dt.date(2026, 12, 20)


def test_by_weekday_is_strictly_after_the_interview() -> None:
    assert read("They will decide by Monday") == dt.date(2026, 11, 23)


def test_end_of_week_from_a_sunday_interview_is_that_weeks_friday() -> None:
    assert read("Decision by end of the week", dt.date(2026, 11, 22)) == dt.date(2026, 11, 20)


def test_the_last_statement_wins() -> None:
    notes = "Decision by Dec 3.\nUpdate: they now say they will decide by Dec 10."
    assert read(notes) == dt.date(2026, 12, 10)
    assert read("Decision within 2 weeks. Recruiter: we'll get back to you by Friday") == \
        dt.date(2026, 11, 20)


@pytest.mark.parametrize(("order", "expected"), [("MDY", "2026-12-03"), ("DMY", "2027-03-12")])
def test_date_order(order: str, expected: str) -> None:
    assert read("Hear back by 12/3", order=order) == dt.date.fromisoformat(expected)


def test_iso_is_iso_whatever_the_order() -> None:
    assert read("Decision: 2026-12-03", order="DMY") == dt.date(2026, 12, 3)


@pytest.mark.parametrize("text", [
    "Bring your ID. Interview lasts 2 hours.",
    "Office is at 100 Main St",
    "Decision pending",
    "Decision by February 30",
    "",
])
def test_no_statement_no_date(text: str) -> None:
    assert read(text) is None


def test_a_date_without_a_decision_word_is_no_statement() -> None:
    assert read("Send references by Friday. Parking on 12/3 is free.") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("They will get back to me within 5-7 business days", "2026-11-25"),
    ("Decision in two to three weeks", "2026-12-07"),
    ("They will decide next Tuesday", "2026-11-24"),
    ("They will let me know tomorrow", "2026-11-17"),
    ("Decision by end of next month", "2026-12-31"),
    ("Should know by Friday", "2026-11-20"),
])
def test_forms_beyond_the_table(text: str, expected: str) -> None:
    assert read(text) == dt.date.fromisoformat(expected)
