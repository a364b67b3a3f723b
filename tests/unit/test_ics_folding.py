"""The writer folds content lines itself: the bytes must be icalendar's own."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar.parser import Contentline

from followup_daemon.boundary import FollowupEvent
from followup_daemon.ics.folding import fold, folded_lines
from followup_daemon.ics.writer import followup_vevent, new_calendar, to_ical

# backslashes and carets (escapes icalendar keeps on one line), multi-byte letters,
# an emoji, and plain ASCII, so that folds land on and next to each of them
letters = st.sampled_from(["a", "Z", " ", "\\", "^", ",", "ä", "€", "😀", "ж", ":"])


def library_fold(line: str) -> bytes:
    return bytes(Contentline(line).to_ical())  # type: ignore[no-untyped-call]


@settings(max_examples=200, deadline=None)
@given(st.lists(letters, min_size=60, max_size=400).map("".join))
def test_a_line_is_folded_as_icalendar_folds_it(line: str) -> None:
    assert fold(line) == library_fold(line)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=60, max_size=300).filter(lambda line: not {"\n", "\r"} & set(line)))
def test_any_text_is_folded_as_icalendar_folds_it(line: str) -> None:
    assert fold(line) == library_fold(line)


def test_no_folded_line_is_longer_than_75_octets() -> None:
    folded = fold("DESCRIPTION:" + "Grüße, " * 60 + "\\n" * 40 + "😀" * 30)
    assert max(len(part) for part in folded.split(b"\r\n")) <= 75
    assert folded.count(b"\r\n ") > 5


def test_a_followup_file_is_the_library_s_own_bytes() -> None:
    start = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    event = FollowupEvent(key="k1", title="Follow up: Acme — Grüße", start=start,
                          end=start + dt.timedelta(minutes=15),
                          description="Call Jane.\nSay: \"Thank you, again\"; ask; " * 12,
                          reminder_minutes=30, interview_uid="uid-1@acme")
    calendar = new_calendar()
    calendar.add_component(followup_vevent(event, start))
    assert folded_lines(calendar.content_lines()) == calendar.to_ical()
    assert to_ical(calendar).startswith(b"BEGIN:VCALENDAR\r\n")
