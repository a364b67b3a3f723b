"""The look at a vdir file's raw text before parsing it (`may_hold_interview`) never
drops a file holding an event the interview filter keeps: checked on every real-world
file of the corpus and on generated events with folds, escapes and other languages;
and the zones written once per process go where they belong in the raw text."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event

from followup_daemon.errors import CalendarError
from followup_daemon.ics.reader import decode, read_calendar_bytes
from followup_daemon.rules.detection import (
    may_be_interview,
    may_hold_interview,
    may_name_interview,
)
from followup_daemon.rules.vocabulary import (
    FOLLOWUP_TAG,
    INTERVIEW_CLUES,
    INTERVIEW_TERMS,
    clues,
)

from ..sync_helpers import Sandbox, vevent

CORPUS = Path(os.environ.get(
    "FOLLOWUP_CORPUS", Path(__file__).resolve().parents[3] / "shared" / "corpus")) / "ics"
FILES = sorted(CORPUS.glob("*.ics")) if CORPUS.is_dir() else []
NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
# one concrete form of each language's words (rules/languages), and the tag
WORDS = ["Interview", "Vorstellungsgespräch", "Bewerbungsgespraech", "phone screen",
         "tech-screen", "entrevista", "colloquio", "sollicitatiegesprek", "entretien",
         "entrevue", "on-site", "panel", "hiring manager", "final round", "recruiter call",
         "take-home review", "#followup", "#follow-up"]


def kept_any(data: bytes) -> bool:
    try:
        return any(may_be_interview(e) for e in read_calendar_bytes(data, "t", NOW).events)
    except CalendarError:
        return False


def test_the_corpus_is_there() -> None:
    if not FILES:
        pytest.skip(f"corpus not found at {CORPUS}")
    assert len(FILES) >= 140


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_no_corpus_file_with_a_kept_event_is_dropped(path: Path) -> None:
    """Each real file as it is (none names an interview), then with its first title
    made an interview's (in memory: the corpus is never edited)."""
    data = path.read_bytes()
    assert may_hold_interview(decode(data)) >= kept_any(data)
    made, found = SUMMARY.subn(rb"\1Interview with Acme - ", data, count=1)
    if found and kept_any(made):
        assert may_hold_interview(decode(made))


SUMMARY = re.compile(rb"(\nSUMMARY[^:\r\n]*:)")


@settings(max_examples=300, deadline=None)
@given(before=st.text(max_size=80), word=st.sampled_from(WORDS),
       after=st.text(max_size=80), in_title=st.booleans(), upper=st.booleans())
def test_a_generated_interview_is_never_dropped(before: str, word: str, after: str,
                                                in_title: bool, upper: bool) -> None:
    calendar, event = Calendar(), Event()
    calendar.add("prodid", "-//t//EN")
    calendar.add("version", "2.0")
    event.add("uid", "u@t")
    event.add("dtstart", NOW)
    text = before + (word.upper() if upper else word) + after
    event.add("summary" if in_title else "description", text)  # escaped and folded
    calendar.add_component(event)
    data = calendar.to_ical()
    if kept_any(data):
        assert may_hold_interview(decode(data)), text


def test_a_file_naming_no_interview_is_not_kept_and_a_folded_one_is() -> None:
    plain = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\n" \
            b"END:VCALENDAR\r\n"
    folded = plain.replace(b"SUMMARY:Dentist", b"SUMMARY:Inter\r\n view with Acme")
    escaped = plain.replace(b"SUMMARY:Dentist", b"DESCRIPTION:Notes\\nInterview\\, round 2")
    assert not may_hold_interview(decode(plain))
    assert may_hold_interview(decode(folded)) and may_hold_interview(decode(escaped))


def test_a_damaged_file_is_always_parsed() -> None:
    """Its error is then said, and what was read from it before kept (test_hostile)."""
    whole = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Dentist\r\n" \
            b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    assert not may_hold_interview(decode(whole))
    assert may_hold_interview(decode(whole[:40]))  # cut off
    assert may_hold_interview(decode(whole.replace(b"END:VEVENT\r\n", b"")))  # unbalanced


def test_a_vdir_file_naming_no_interview_is_not_parsed(tmp_path: Path,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    """Through a pass: a dentist's file with a start no parser reads gives no warning
    (it was not parsed), the interview beside it is planned."""
    box = Sandbox(tmp_path)
    folder = tmp_path / "vdir"
    folder.mkdir()
    (folder / "a.ics").write_text(f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:t\n"
                                  f"{vevent('a', 'Interview with Acme', '20261102T140000')}"
                                  "\nEND:VCALENDAR\n")
    (folder / "b.ics").write_text("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:t\nBEGIN:VEVENT\n"
                                  "UID:b\nDTSTART:tomorrow-ish\nSUMMARY:Dentist\nEND:VEVENT\n"
                                  "END:VCALENDAR\n")
    [result] = box.sync(config=box.config(calendars=["vdir"]))
    assert result.ok and len(box.followups()) == 1
    assert not any("b.ics" in r.getMessage() for r in caplog.records)
    (folder / "b.ics").write_text((folder / "b.ics").read_text().replace("Dentist",
                                                                         "Interview"))
    box.sync(config=box.config(calendars=["vdir"]))  # now it names one: parsed, said
    assert any("b.ics" in r.getMessage() for r in caplog.records)


def test_zones_go_before_the_first_event_and_not_into_a_strangers_text() -> None:
    from followup_daemon.ics.writer import to_ical

    calendar, event = Calendar(), Event()
    calendar.add("prodid", "-//t//EN")
    calendar.add("version", "2.0")
    event.add("uid", "u@t")
    calendar.add("x-wr-calname", TRAP)  # a line folded right after the words
    event.add("summary", "Follow up")
    event.add("dtstart", dt.datetime(2026, 11, 2, 10, tzinfo=ZoneInfo("Europe/Berlin")))
    calendar.add_component(event)
    again = Calendar.from_ical(to_ical(calendar))
    assert [c.name for c in again.subcomponents] == ["VTIMEZONE", "VEVENT"]
    assert str(again["X-WR-CALNAME"]) == TRAP


TRAP = "x" * 49 + "BEGIN:VEVENT" + "y"  # X-WR-CALNAME: and these fill a 75-octet line


# The clues `may_name_interview` looks for before its patterns: ASCII pieces of every
# word, mixed with ASCII noise, in any case, so that a clue is cut or split
PIECES = st.sampled_from([*WORDS, "inter", "view", "screen", "site", "on", "-", " ", "#",
                          "follow", "up", "Meeting", "REVIEW", "x", "\n", "_", "é", "İ",
                          "nterview"])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join), st.booleans())
def test_the_clues_never_rule_out_a_text_the_patterns_match(text: str, upper: bool) -> None:
    text = text.upper() if upper else text
    assert may_name_interview(text) == bool(INTERVIEW_TERMS.search(text)
                                            or FOLLOWUP_TAG.search(text)), text


def test_the_clues_are_looked_for_and_rule_out_plain_events() -> None:
    assert INTERVIEW_CLUES is not None and "interview" in INTERVIEW_CLUES
    assert not may_name_interview("Meeting 12\nhr@company12.com DTSTAMP:20261101T000000Z")


def test_a_clue_is_what_every_match_holds() -> None:
    assert clues(r"\w*interview\w*", r"on-?site", r"entrevistas?", "colloqui[oa]?") == \
        ("interview", "site", "entrevista", "colloqui")
    assert clues("Panel", r"(?:call|meet)") is None  # a group alone holds no sure letters


@pytest.mark.parametrize("text", ["İnterview", "ınterview", "phone ſcreen", "PANEL",
                                  "Vorstellungsgespräch", "#FOLLOW-UP"])
def test_case_is_ignored_as_the_patterns_ignore_it(text: str) -> None:
    assert may_name_interview(text)  # "İ" lowercased is two characters: not looked for
