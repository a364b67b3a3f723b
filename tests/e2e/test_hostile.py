"""An invitation is written by a stranger: each odd or hostile input below is
skipped or made safe, and never stops the other events, the account or the pass."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from followup_daemon.content import interview_key
from followup_daemon.ics.reader import read_calendar_bytes, read_calendar_file
from followup_daemon.model import MAX_ATTENDEES, Person

from ..helpers import ME, event, settings
from ..sync_helpers import Sandbox, vevent

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)


def calendar(*events: str) -> bytes:
    body = "\r\n".join(events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\n{body}\r\nEND:VCALENDAR\r\n".encode()


@pytest.fixture
def box(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path)


def test_a_uid_holding_ical_lines_never_writes_a_vevent(box: Sandbox) -> None:
    hostile = "x\\nEND:VEVENT\\nBEGIN:VEVENT\\nUID:evil\\nSUMMARY:Pwned"
    box.write(vevent(hostile, "Interview with Acme", "20261102T140000"),
              vevent("b", "Interview with Globex", "20261103T140000", organizer="j@globex.com"))
    [result] = box.sync()
    assert result.ok, result.error
    events = box.followups()
    assert len(events) == 2 and all(e.get("X-FOLLOWUP-DAEMON-KEY") for e in events)
    assert not _lines_starting(box.target.read_bytes(), b"UID:evil")
    assert "\n" not in str(events[0].get("X-FOLLOWUP-DAEMON-FOR"))


def _lines_starting(data: bytes, prefix: bytes) -> list[bytes]:
    return [line for line in data.splitlines() if line.startswith(prefix)]


def test_the_same_hostile_uid_under_python_minus_o(box: Sandbox) -> None:
    """No check relies on `assert`: run the pass with assertions stripped."""
    hostile = "x\\nEND:VEVENT\\nBEGIN:VEVENT\\nUID:evil\\nSUMMARY:Pwned"
    box.write(vevent(hostile, "Interview with Acme", "20261102T140000"))
    (box.root / "config.toml").write_text(
        '[rules]\ntimezone = "America/New_York"\nmax_followups = 1\nthank_you = false\n'
        '[[accounts]]\nname = "main"\n'
        'provider = "local"\ncalendars = ["calendar.ics"]\nfollowups = "out/followups.ics"\n')
    done = subprocess.run([sys.executable, "-O", "-m", "followup_daemon", "sync", "--once",
                           "--config", str(box.root / "config.toml"), "--state-dir",
                           str(box.root / "s"), "--now", "2026-11-10T09:00"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "TZ": "UTC"})
    assert done.returncode == 0, done.stderr
    assert not _lines_starting(box.target.read_bytes(), b"UID:evil")
    assert len(box.followups()) == 1


@pytest.mark.parametrize("rule", ["FREQ=SECONDLY", "FREQ=MINUTELY", "FREQ=HOURLY",
                                  "FREQ=DAILY;BYHOUR=1,2,3;BYMINUTE=1,2,3,4,5,6"])
def test_a_series_repeating_within_a_day_is_not_expanded(rule: str) -> None:
    data = calendar("BEGIN:VEVENT", "UID:storm", "DTSTART:20200101T000000Z",
                    "SUMMARY:x", f"RRULE:{rule}", "END:VEVENT")
    result = read_calendar_bytes(data, "storm.ics", NOW)
    assert len(result.events) == 1
    assert result.warnings == ["storm.ics: event storm repeats more often than daily; only "
                               "its first occurrence is read"]


def test_a_daily_series_is_still_expanded() -> None:
    data = calendar("BEGIN:VEVENT", "UID:d", "DTSTART:20261101T090000Z", "SUMMARY:x",
                    "RRULE:FREQ=DAILY;COUNT=20", "END:VEVENT")
    assert len(read_calendar_bytes(data, "d.ics", NOW).events) == 20


def test_one_malformed_recurrence_id_skips_that_instance_only() -> None:
    data = calendar("BEGIN:VEVENT", "UID:w", "DTSTART:20261102T150000Z",
                    "SUMMARY:Interview with Acme", "RRULE:FREQ=WEEKLY;COUNT=4", "END:VEVENT",
                    "BEGIN:VEVENT", "UID:w", "RECURRENCE-ID:not-a-date",
                    "DTSTART:20261109T160000Z", "SUMMARY:moved", "END:VEVENT")
    result = read_calendar_bytes(data, "w.ics", NOW)
    assert len(result.events) == 4
    assert result.warnings == ["w.ics: skipped an instance of event w: its RECURRENCE-ID "
                               "is not a date or a date-time"]


def test_a_crowd_is_no_personal_interview() -> None:
    crowd = tuple(Person(f"p{n}@acme.com") for n in range(100_000))
    big = event("Interview with Acme", attendees=crowd)
    assert len(big.attendees) == MAX_ATTENDEES + 1
    from followup_daemon.planner import plan

    [entry] = plan([big], settings(me=ME), NOW)
    assert not entry.is_interview and "more than 50 people" in entry.reason
    [small] = plan([event("Interview with Acme", attendees=crowd[:3])], settings(), NOW)
    assert small.is_interview


def test_control_characters_never_reach_the_model() -> None:
    data = calendar("BEGIN:VEVENT", "UID:e\x1b]0;x\x07", "DTSTART:20261102T150000Z",
                    "SUMMARY:\x1b[31mInterview with Acme\x1b[0m",
                    "DESCRIPTION:line one\\nline\x1b[2J two", "END:VEVENT")
    [found] = read_calendar_bytes(data, "c.ics", NOW).events
    for text in (found.uid, found.summary, found.description):
        assert "\x1b" not in text and "\x07" not in text
    assert found.description == "line one\nline[2J two"


def test_plan_and_errors_print_no_control_character(tmp_path: Path) -> None:
    (tmp_path / "c.ics").write_bytes(calendar(
        "BEGIN:VEVENT", "UID:e", "DTSTART:20261102T150000Z",
        "SUMMARY:\x1b[31mInterview with Acme", "END:VEVENT"))
    (tmp_path / "bad.ics").write_bytes(b"BEGIN:VCALENDAR\r\n\x1b[31mgarbage\x1b]0;t\x07\r\n")
    for name in ("c.ics", "bad.ics"):
        done = subprocess.run([sys.executable, "-m", "followup_daemon", "plan", "--calendar",
                               str(tmp_path / name), "--now", "2026-11-10T09:00"], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stderr
        assert "Traceback" not in done.stderr


def _vdir(box: Sandbox) -> Path:
    folder = box.root / "vdir"
    folder.mkdir(exist_ok=True)
    return folder


def test_one_truncated_file_in_a_vdir_is_skipped_and_its_interviews_kept(
        box: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    folder = _vdir(box)
    (folder / "a.ics").write_bytes(calendar(vevent("a", "Interview with Acme",
                                                   "20261102T140000")))
    (folder / "b.ics").write_bytes(calendar(vevent("b", "Interview with Globex",
                                                   "20261103T140000", organizer="j@globex.com")))
    config = box.config(calendars=["vdir"])
    assert box.sync(config=config)[0].ok
    (folder / "b.ics").write_bytes(calendar(vevent("b", "x", "20261103T140000"))[:60])
    (folder / "c.ics").write_bytes(calendar(vevent("c", "Interview with Initrode",
                                                   "20261104T140000", organizer="j@ini.com")))
    [result] = box.sync(config=config)
    assert result.ok, result.error
    assert any("b.ics" in r.getMessage() and "cut off" in r.getMessage()
               for r in caplog.records)
    assert len(box.followups()) == 3  # Globex's follow-up stays; Initrode's is new


def test_a_folder_without_ics_files_is_warned_about(box: Sandbox,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    _vdir(box)
    box.sync(config=box.config(calendars=["vdir"]))
    assert any("holds no .ics file" in r.getMessage() for r in caplog.records)


def test_a_users_file_named_like_a_followup_stops_nothing_else(box: Sandbox) -> None:
    box.write(vevent("a", "Interview with Acme", "20261102T140000"),
              vevent("b", "Interview with Globex", "20261103T140000", organizer="j@globex.com"))
    target = box.root / "followups-vdir"
    target.mkdir()
    [first] = read_calendar_file(box.calendar, NOW).events[:1]
    mine = target / f"followup-{interview_key(first)}.ics"
    mine.write_text("my own notes, not a calendar")
    [result] = box.sync(config=box.config(followups="followups-vdir"))
    assert result.counts["failed"] == 1 and result.counts["created"] == 1, result.counts
    assert mine.read_text() == "my own notes, not a calendar"


def _sync_cli(box: Sandbox, followups: str, calendars: str = '["cal"]'
              ) -> subprocess.CompletedProcess[str]:
    (box.root / "config.toml").write_text(
        f'[[accounts]]\nname = "main"\nprovider = "local"\ncalendars = {calendars}\n'
        f'followups = "{followups}"\n')
    return subprocess.run([sys.executable, "-m", "followup_daemon", "sync", "--once", "--config",
                           str(box.root / "config.toml"), "--state-dir", str(box.root / "s")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("followups", ["cal/../cal/cal.ics", "link.ics", "vdir/f.ics"])
def test_followups_reaching_a_calendar_by_another_path_is_refused(box: Sandbox,
                                                                  followups: str) -> None:
    (box.root / "cal").mkdir()
    calendar_file = box.root / "cal" / "cal.ics"
    calendar_file.write_bytes(calendar(vevent("a", "Interview with Acme", "20261102T140000")))
    (box.root / "link.ics").symlink_to(calendar_file)
    _vdir(box)
    before = calendar_file.read_bytes()
    done = _sync_cli(box, followups, '["cal/cal.ics", "vdir"]')
    assert done.returncode == 2, done.stdout + done.stderr
    assert "followups" in done.stderr and "Traceback" not in done.stderr
    said = done.stdout + done.stderr
    assert said.count("is, or is inside, your calendar") == 1, said  # printed once
    assert calendar_file.read_bytes() == before


def test_a_symlinked_followups_file_is_written_through(box: Sandbox) -> None:
    box.write(vevent("a", "Interview with Acme", "20261102T140000"))
    real = box.root / "synced" / "followups.ics"
    real.parent.mkdir()
    real.write_bytes(Calendar().to_ical())
    (box.root / "out").mkdir()
    box.target.symlink_to(real)
    [result] = box.sync()
    assert result.ok, result.error
    assert box.target.is_symlink() and "Follow up" in real.read_text()


def test_an_international_domain_is_encoded_in_drafts(box: Sandbox) -> None:
    box.write(vevent("a", "Interview with Müller", "20261102T140000",
                     organizer="juergen@müller.de"))
    assert box.sync()[0].ok
    [message] = box.messages()
    assert str(message["To"]).endswith("@xn--mller-kva.de>")


def test_a_long_subject_never_folds_after_the_colon(box: Sandbox) -> None:
    long_name = "Supercalifragilisticexpialidocious" * 3
    box.write(vevent("a", f"Interview with {long_name} International Holdings - Principal "
                     "Staff Backend Engineer for Payments", "20261102T140000"))
    assert box.sync()[0].ok
    raw = next((box.drafts / "cur").iterdir()).read_bytes()
    subject = next(line for line in raw.split(b"\n") if line.startswith(b"Subject:"))
    assert subject.startswith(b"Subject: ") and len(subject) > len(b"Subject: ") + 20
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert not str(parsed["Subject"]).startswith(" ")


def test_a_write_error_names_the_configured_path_not_the_temporary_file(tmp_path: Path
                                                                       ) -> None:
    from followup_daemon.files import write_private

    target = tmp_path / "out" / "followups.ics"
    target.mkdir(parents=True)  # a folder where the file should be: the rename fails
    with pytest.raises(OSError) as raised:
        write_private(target, "x")
    assert raised.value.filename == str(target)
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


def test_the_disk_space_hint_only_for_a_full_disk() -> None:
    import errno

    from followup_daemon.sync import os_error_line

    full = os_error_line(OSError(errno.ENOSPC, "No space left on device", "/s/state"))
    denied = os_error_line(OSError(errno.EACCES, "Permission denied", "/s/state"))
    odd = os_error_line(OSError(errno.EISDIR, "Is a directory", "/s/f.ics"))
    assert "disk space" in full and "disk space" not in denied + odd
    assert "permissions" in denied and odd == "cannot write /s/f.ics: Is a directory"


def test_a_vdir_whose_last_interview_went_is_not_taken_for_an_empty_calendar(
        box: Sandbox) -> None:
    """Its other files are not parsed (they name no interview), yet they are there:
    the interview's follow-up goes, with no "suddenly lists no events" alarm."""
    folder = _vdir(box)
    (folder / "a.ics").write_bytes(calendar(vevent("a", "Interview with Acme",
                                                   "20261102T140000")))
    (folder / "b.ics").write_bytes(calendar(vevent("b", "Dentist", "20261103T140000")))
    config = box.config(calendars=["vdir"])
    assert box.sync(config=config)[0].ok and len(box.followups()) == 1
    (folder / "a.ics").unlink()
    [result] = box.sync(config=config)
    assert result.ok, result.error
    assert result.counts["removed"] == 1 and box.followups() == []
