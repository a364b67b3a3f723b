"""The `local` provider: the contract with a file and a vdir target, and its reading."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar, vText

from followup_daemon.errors import UserError
from followup_daemon.provider import Provider, StoredFollowup
from followup_daemon.registry import ProviderContext
from providers.local.provider import LocalProvider

from .provider_contract import ProviderContract, followup

NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
INTERVIEW = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:test
BEGIN:VEVENT
UID:{uid}
DTSTART:20261116T150000Z
SUMMARY:{summary}
END:VEVENT
END:VCALENDAR
"""


def write_calendar(path: Path, uid: str = "i1", summary: str = "Interview with Acme") -> Path:
    path.write_text(INTERVIEW.format(uid=uid, summary=summary))
    return path


def make(tmp_path: Path, **settings: Any) -> LocalProvider:
    account = {"name": "t", "provider": "local", "calendars": ["cal.ics"],
               "maildir": "Mail", **settings}
    write_calendar(tmp_path / "cal.ics")
    return LocalProvider(account, ProviderContext(tmp_path, tmp_path / "state"))


def user_edit(component: Any, change: str) -> None:
    """What a calendar program does to a VEVENT when the user edits it."""
    if change == "notes":
        component["DESCRIPTION"] = vText(str(component["DESCRIPTION"]) + "\nAsked for Jane.")
    elif change == "title":
        component["SUMMARY"] = vText("Call Acme (Jane is away till Monday)")
    else:
        for name in ("DTSTART", "DTEND"):
            moment = component[name].dt + dt.timedelta(hours=1)
            del component[name]
            component.add(name, moment)


class TestFileTarget(ProviderContract):
    @pytest.fixture
    def provider(self, tmp_path: Path) -> LocalProvider:
        return make(tmp_path, followups="out/followups.ics")

    def edit_as_user(self, provider: Provider, stored: StoredFollowup, change: str) -> None:
        assert isinstance(provider, LocalProvider)
        calendar = Calendar.from_ical(provider.target.read_bytes())
        [event] = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == stored.remote_id]
        user_edit(event, change)
        provider.target.write_bytes(calendar.to_ical())


class TestVdirTarget(ProviderContract):
    @pytest.fixture
    def provider(self, tmp_path: Path) -> LocalProvider:
        return make(tmp_path, followups="out/followups")

    def edit_as_user(self, provider: Provider, stored: StoredFollowup, change: str) -> None:
        assert isinstance(provider, LocalProvider)
        file = provider.target / stored.remote_id
        calendar = Calendar.from_ical(file.read_bytes())
        user_edit(next(iter(calendar.walk("VEVENT"))), change)
        file.write_bytes(calendar.to_ical())


def test_file_target_is_valid_icalendar_and_keeps_other_events(tmp_path: Path) -> None:
    target = tmp_path / "followups.ics"
    write_calendar(target, "users-own", "My own note")
    provider = make(tmp_path, followups="followups.ics")
    provider.create_followup(followup())
    calendar = Calendar.from_ical(target.read_bytes())
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"users-own", "followup-k1@followup-daemon"}
    assert str(events["users-own"]["SUMMARY"]) == "My own note"
    ours = events["followup-k1@followup-daemon"]
    assert str(ours["X-FOLLOWUP-DAEMON-KEY"]) == "k1"
    assert len(ours.walk("VALARM")) == 1
    assert target.stat().st_mode & 0o777 == 0o600


def test_vdir_target_has_one_file_per_event(tmp_path: Path) -> None:
    provider = make(tmp_path, followups="vdir")
    provider.create_followup(followup("a"))
    provider.create_followup(followup("b"))
    assert sorted(p.name for p in (tmp_path / "vdir").iterdir()) == [
        "followup-a.ics", "followup-b.ics"]


def test_reads_a_vdir_source_and_skips_its_own_follow_ups(tmp_path: Path) -> None:
    (tmp_path / "vdir").mkdir()
    write_calendar(tmp_path / "vdir" / "one.ics", "one")
    write_calendar(tmp_path / "vdir" / "two.ics", "two")
    provider = LocalProvider({"name": "t", "provider": "local", "calendars": ["vdir"],
                              "followups": "vdir-out"}, ProviderContext(tmp_path, tmp_path))
    provider.create_followup(followup())
    write_calendar(tmp_path / "vdir" / "three.ics", "followup-k9@followup-daemon")
    changes = provider.read_changes(None, NOW)
    assert changes.full and sorted(e.uid for e in changes.events) == ["one", "two"]


def test_cursor_changes_when_a_file_changes(tmp_path: Path) -> None:
    provider = make(tmp_path)
    first = provider.read_changes(None, NOW)
    assert provider.read_changes(first.cursor, NOW).unchanged
    write_calendar(tmp_path / "cal.ics", "i2", "Phone screen with Globex plus more text")
    changed = provider.read_changes(first.cursor, NOW)
    assert not changed.unchanged and [e.uid for e in changed.events] == ["i2"]


def test_a_missing_source_is_a_user_error(tmp_path: Path) -> None:
    provider = make(tmp_path)
    (tmp_path / "cal.ics").unlink()
    with pytest.raises(UserError, match="does not exist"):
        provider.read_changes(None, NOW)


def test_the_target_must_not_be_a_source(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="never writes into your own calendar"):
        make(tmp_path, followups="cal.ics")


def test_settings_are_checked() -> None:
    problems = LocalProvider.check_settings({"name": "x", "provider": "local", "calender": 1})
    assert any(p.startswith("calender: unknown key") for p in problems)
    assert any(p.startswith("calendars:") for p in problems)
