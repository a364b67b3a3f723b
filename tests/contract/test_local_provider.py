"""The `local` calendar (a file and a vdir target) and the `maildir` mailbox: their
contracts, and what else they do."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import time
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar as ICalendar

from followup_daemon.boundary import Calendar, Mailbox, ProviderContext, StoredFollowup
from followup_daemon.errors import AlreadyExists, UserError
from followup_daemon.registry import check_account
from providers.local.calendar import LocalCalendar
from providers.maildir.mailbox import MaildirMailbox

from ..ics_files import (
    add_event,
    edit_followup,
    followups_in,
    ics_text,
    new_york,
    put_event,
    remove_event,
    rename_event,
    user_edit,
    with_notes,
)
from .calendar_contract import CalendarContract, draft, followup
from .mailbox_contract import MailboxContract
from .sync_contract import MONDAY, RepliesContract

NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


def write_calendar(path: Path, uid: str = "i1", summary: str = "Interview with Acme") -> Path:
    path.write_text(ics_text("event-utc", uid=uid, summary=summary))
    return path


def make(tmp_path: Path, **settings: Any) -> LocalCalendar:
    account = {"name": "t", "provider": "local", "calendars": ["cal.ics"],
               "maildir": "Mail", **settings}
    write_calendar(tmp_path / "cal.ics")
    return LocalCalendar(account, ProviderContext(tmp_path, tmp_path / "state"))


class LocalHands:
    """The user's edits: to the calendar file, as a calendar program saves it."""

    def add_user_event(self, calendar: Calendar, uid: str, summary: str,
                       in_target: bool = False) -> None:
        assert isinstance(calendar, LocalCalendar)
        if not in_target:
            add_event(calendar.sources[0], uid, summary)
        elif calendar.target.suffix == ".ics":
            add_event(calendar.target, uid, summary)
        else:  # a vdir: one file per event
            calendar.target.mkdir(parents=True, exist_ok=True)
            add_event(calendar.target / f"{uid}.ics", uid, summary)

    def change_user_event(self, calendar: Calendar, uid: str, summary: str) -> None:
        assert isinstance(calendar, LocalCalendar)
        rename_event(calendar.sources[0], uid, summary)

    def remove_user_event(self, calendar: Calendar, uid: str) -> None:
        assert isinstance(calendar, LocalCalendar)
        remove_event(calendar.sources[0], uid)


class TestFileTarget(LocalHands, CalendarContract):
    @pytest.fixture
    def calendar(self, tmp_path: Path) -> LocalCalendar:
        return make(tmp_path, followups="out/followups.ics")

    def edit_as_user(self, calendar: Calendar, stored: StoredFollowup, change: str) -> None:
        assert isinstance(calendar, LocalCalendar)
        parsed = ICalendar.from_ical(calendar.target.read_bytes())
        [event] = [e for e in parsed.walk("VEVENT") if str(e["UID"]) == stored.remote_id]
        user_edit(event, change)
        calendar.target.write_bytes(parsed.to_ical())


class TestVdirTarget(LocalHands, CalendarContract):
    @pytest.fixture
    def calendar(self, tmp_path: Path) -> LocalCalendar:
        return make(tmp_path, followups="out/followups")

    def edit_as_user(self, calendar: Calendar, stored: StoredFollowup, change: str) -> None:
        assert isinstance(calendar, LocalCalendar)
        file = calendar.target / stored.remote_id
        parsed = ICalendar.from_ical(file.read_bytes())
        user_edit(next(iter(parsed.walk("VEVENT"))), change)
        file.write_bytes(parsed.to_ical())


class TestMaildir(MailboxContract):
    @pytest.fixture
    def mailbox(self, tmp_path: Path) -> MaildirMailbox:
        return MaildirMailbox({"name": "t", "maildir": "Mail"}, ProviderContext(tmp_path,
                                                                                tmp_path))

    def saved(self, mailbox: Mailbox) -> list[str]:
        """The key of each file in Drafts/cur flagged as a draft (",D" in its name)."""
        assert isinstance(mailbox, MaildirMailbox)
        keys = []
        for file in sorted((mailbox.path / "cur").iterdir()):
            headers = email.message_from_bytes(file.read_bytes(), policy=email.policy.default)
            assert "D" in file.name.rpartition(",")[2], file.name
            keys.append(str(headers["X-Followup-Daemon-Key"]))
        return keys


def test_maildir_drafts_saved_together_are_their_own_bytes_private_in_cur(
        tmp_path: Path) -> None:
    import mailbox as library

    from followup_daemon.boundary import DraftFate, draft_bytes

    box = MaildirMailbox({"name": "t", "maildir": "Mail"}, ProviderContext(tmp_path, tmp_path))
    drafts = [draft(f"k{n}") for n in range(3)]
    stored = box.create_drafts(drafts)
    files = sorted((box.path / "cur").iterdir())
    assert [f.name.endswith(":2,DS") for f in files] == [True] * 3
    assert {f.stat().st_mode & 0o777 for f in files} == {0o600}
    assert sorted(f.read_bytes() for f in files) == sorted(
        draft_bytes(d.message, "\n") for d in drafts)
    assert list((box.path / "tmp").iterdir()) == []
    assert sorted(box.list_drafts()) == ["k0", "k1", "k2"]
    assert [box.draft_fate(s.remote_id) for s in stored if not isinstance(s, Exception)] \
        == [DraftFate.SAVED] * 3
    read = library.Maildir(box.path, create=False)  # the library reads them as drafts
    assert sorted(read.get_message(key).get_flags() for key in read.iterkeys()) == ["DS"] * 3


def test_a_maildir_batch_cut_short_leaves_tmp_empty_and_what_landed_findable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    box = MaildirMailbox({"name": "t", "maildir": "Mail"}, ProviderContext(tmp_path, tmp_path))
    real = os.link
    linked: list[Any] = []

    def link_once(source: Any, target: Any) -> None:
        if linked:
            raise OSError(28, "No space left on device", str(target))
        linked.append(target)
        real(source, target)

    monkeypatch.setattr(os, "link", link_once)
    with pytest.raises(OSError, match="No space"):
        box.create_drafts([draft("k1"), draft("k2")])
    assert list((box.path / "tmp").iterdir()) == []
    assert sorted(box.list_drafts()) == ["k1"]


def test_a_maildir_write_that_fails_leaves_no_file_in_tmp(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import os

    import providers.maildir.mailbox as adapter

    box = MaildirMailbox({"name": "t", "maildir": "Mail"}, ProviderContext(tmp_path, tmp_path))

    class Full(io.BytesIO):
        def write(self, data: Any) -> int:
            raise OSError(28, "No space left on device")

    def full(descriptor: int, mode: str) -> Full:
        os.close(descriptor)
        return Full()

    monkeypatch.setattr(adapter, "open", full, raising=False)
    with pytest.raises(OSError, match="No space"):
        box.create_drafts([draft("k1")])
    assert list((box.path / "tmp").iterdir()) == []
    assert list((box.path / "cur").iterdir()) == []


def test_a_maildir_without_links_gets_its_drafts_renamed_into_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    box = MaildirMailbox({"name": "t", "maildir": "Mail"}, ProviderContext(tmp_path, tmp_path))

    def no_links(source: Any, target: Any) -> None:
        raise PermissionError(1, "Operation not permitted", str(target))

    monkeypatch.setattr(os, "link", no_links)
    box.create_drafts([draft("k1"), draft("k2")])
    assert sorted(box.list_drafts()) == ["k1", "k2"]
    assert list((box.path / "tmp").iterdir()) == []


def test_drafts_a_crash_left_open_are_found_in_one_listing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from followup_daemon.executor import resolve_pending
    from followup_daemon.registry import Endpoints
    from followup_daemon.state import CREATED, CREATING, DraftRow, State

    box = MaildirMailbox({"name": "t", "maildir": "Mail"}, ProviderContext(tmp_path, tmp_path))
    landed = box.create_drafts([draft("k1"), draft("k2")])
    state = State(tmp_path / "state")
    for key in ("k1", "k2", "k3"):  # k3 never reached the folder
        state.put_draft("t", DraftRow(key, CREATING, None, "hr@acme.example"), NOW)
    listings: list[int] = []
    monkeypatch.setattr(box, "find_draft", lambda key: pytest.fail(f"looked up {key}"))
    real = box.list_drafts

    def listed() -> dict[str, Any]:
        listings.append(1)
        return real()

    monkeypatch.setattr(box, "list_drafts", listed)
    calendar = LocalCalendar({"name": "t", "calendars": [], "followups": "out.ics"},
                             ProviderContext(tmp_path, tmp_path))
    assert resolve_pending(Endpoints(calendar, box), state, "t", NOW) == 3
    assert listings == [1]
    rows = state.drafts("t")
    assert {key: (row.status, row.remote_id) for key, row in rows.items()} == {
        "k1": (CREATED, landed[0].remote_id), "k2": (CREATED, landed[1].remote_id)}  # type: ignore[union-attr]
    state.close()


class TestLocalSync(RepliesContract):
    @pytest.fixture
    def ready(self, tmp_path: Path) -> None:
        self.root = tmp_path
        remove_event(tmp_path / "cal.ics", "none")  # an empty calendar of the user's

    def account(self) -> dict[str, Any]:
        return {"name": "main", "provider": "local", "calendars": ["cal.ics"],
                "followups": "out/followups.ics", "maildir": "Mail"}

    def add_interview(self, uid: str, title: str, start: str = MONDAY, notes: str = "") -> None:
        put_event(self.root / "cal.ics", with_notes(ics_text(
            "interview-new-york", uid=uid, start=new_york(start), summary=title,
            organizer="jane@acme.com"), notes))

    def deliver(self, sender: str, date: str, subject: str = "Re: your interview",
                headers: str = "", body: str = "Thanks for your time.") -> None:
        """Mail delivered to the Maildir's INBOX (its own new/), as a delivery agent does."""
        new = self.root / "Mail" / "new"
        new.mkdir(parents=True, exist_ok=True)
        name = f"{int(time.time())}.M{time.perf_counter_ns()}P1.host"
        (new / name).write_bytes(
            f"From: {sender}\r\nTo: alex@gmail.com\r\nSubject: {subject}\r\n"
            f"Date: {date}\r\n{headers}\r\n{body}\r\n".encode())

    def _drafts(self) -> dict[str, Path]:
        found = {}
        for file in (self.root / "Mail" / "Drafts" / "cur").iterdir():
            headers = email.message_from_bytes(file.read_bytes())
            found[str(headers["X-Followup-Daemon-Key"])] = file
        return found

    def edit_draft_as_user(self, key: str) -> None:
        """As an editor saves the file in place (mutt's `edit` of a postponed draft)."""
        file = self._drafts()[key]
        file.write_bytes(file.read_bytes() + b"\nP.S. I also wanted to mention my portfolio.\n")

    def draft_keys(self) -> list[str]:
        return list(self._drafts())

    def remove_all_user_events(self) -> None:
        for uid in ("acme-1@example.com",):
            remove_event(self.root / "cal.ics", uid)

    def followups(self) -> dict[str, dt.datetime]:
        return followups_in(self.root / "out" / "followups.ics")

    def delete_followup_as_user(self, key: str) -> None:
        edit_followup(self.root / "out" / "followups.ics", key, None)

    def move_followup_as_user(self, key: str) -> None:
        edit_followup(self.root / "out" / "followups.ics", key, "time")


def test_file_target_is_valid_icalendar_and_keeps_other_events(tmp_path: Path) -> None:
    target = tmp_path / "followups.ics"
    write_calendar(target, "users-own", "My own note")
    provider = make(tmp_path, followups="followups.ics")
    provider.create_followup(followup())
    calendar = ICalendar.from_ical(target.read_bytes())
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


def test_held_vdir_files_are_written_together_at_the_flush(tmp_path: Path) -> None:
    provider = make(tmp_path, followups="vdir")
    provider.create_followup(followup("a"))  # the folder exists, as after a first pass
    (tmp_path / "vdir" / ".followup-z.ics.k1lled.tmp").write_bytes(b"half")  # a killed flush
    provider.hold_writes()
    assert not list((tmp_path / "vdir").glob("*.tmp"))
    made = provider.create_followup(followup("b"))
    assert not (tmp_path / "vdir" / "followup-b.ics").exists()
    with pytest.raises(AlreadyExists):
        provider.create_followup(followup("b"))
    provider.flush()
    assert provider.find_followup("b") == made
    assert sorted(p.name for p in (tmp_path / "vdir").iterdir()) == [
        "followup-a.ics", "followup-b.ics"]
    assert (tmp_path / "vdir" / "followup-b.ics").stat().st_mode & 0o777 == 0o600


def test_a_held_vdir_file_is_written_before_another_is_changed(tmp_path: Path) -> None:
    provider = make(tmp_path, followups="vdir")
    first = provider.create_followup(followup("a"))
    provider.hold_writes()
    provider.create_followup(followup("b"))
    provider.delete_followup(first.remote_id)
    assert sorted(p.name for p in (tmp_path / "vdir").iterdir()) == ["followup-b.ics"]


def test_reads_a_vdir_source_and_skips_its_own_follow_ups(tmp_path: Path) -> None:
    (tmp_path / "vdir").mkdir()
    write_calendar(tmp_path / "vdir" / "one.ics", "one")
    write_calendar(tmp_path / "vdir" / "two.ics", "two")
    provider = LocalCalendar({"name": "t", "provider": "local", "calendars": ["vdir"],
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
    problems = check_account({"name": "x", "provider": "local", "calender": 1})
    assert any(p.startswith("calender: unknown key") for p in problems)
    assert any(p.startswith("calendars:") for p in problems)
