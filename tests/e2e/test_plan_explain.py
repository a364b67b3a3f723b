"""`plan --explain UID`: every verdict for one event, in full."""

from __future__ import annotations

from pathlib import Path

import pytest

from followup_daemon.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample-calendar.ics"
CONFIG = ROOT / "examples" / "config.toml"


def explain(capsys: pytest.CaptureFixture[str], uid: str, calendar: Path = SAMPLE) -> str:
    status = main(["plan", "--calendar", str(calendar), "-c", str(CONFIG), "--now",
                   "2026-11-27T09:00", "--explain", uid])
    assert status == 0
    return capsys.readouterr().out


def test_every_verdict_in_full(capsys: pytest.CaptureFixture[str]) -> None:
    shown = explain(capsys, "globex-screen@sample.followup-daemon")
    assert "Interview?     yes: title names an interview" in shown
    assert "phone +1 415-555-0142" in shown and "Decision date  2026-11-30" in shown
    why = "rule default: follow-up 2: 7 days after follow-up 1 (2026-12-01)"
    assert f"Follow-up 2    Tue 2026-12-08 10:00 EST, {why}" in shown  # beyond 40 characters
    assert shown.count("by phone; a draft to sam.lee@globex.com") == 2


def test_a_skipped_event_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    shown = explain(capsys, "umbrella-tech@sample.followup-daemon")
    assert "No follow-up   superseded: a later round of this application" in shown
    assert "Follow-up 1" not in shown


def test_each_occurrence_of_a_recurring_event(capsys: pytest.CaptureFixture[str]) -> None:
    shown = explain(capsys, "practice@sample.followup-daemon")  # the weekly one
    assert shown.count("Occurrence") == 6  # as `plan --json` lists them


def test_an_unknown_uid_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--calendar", str(SAMPLE), "-c", str(CONFIG), "--explain",
                 "nope"]) == 2
    assert "no event with UID 'nope'" in capsys.readouterr().err


def test_a_strangers_title_reaches_the_terminal_clean(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    calendar = tmp_path / "c.ics"
    calendar.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\n"
                        "UID:x@y\r\nDTSTART:20261120T150000Z\r\nDTEND:20261120T160000Z\r\n"
                        "SUMMARY:Interview \x1b[31mwith Acme\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    shown = explain(capsys, "x@y", calendar)
    assert "\x1b" not in shown and "Interview" in shown
