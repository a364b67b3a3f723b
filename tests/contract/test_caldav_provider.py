"""The CalDAV provider against a real Radicale, drafts against a real Dovecot."""

from __future__ import annotations

import datetime as dt
import imaplib
import ssl
import time
from pathlib import Path
from typing import Any

import pytest
from caldav.davclient import DAVClient
from caldav.lib import error as caldav_error
from icalendar import Calendar as ICalendar

from followup_daemon.boundary import (
    Calendar,
    Changes,
    Inbox,
    Mailbox,
    ProviderContext,
    StoredFollowup,
    anyone,
)
from followup_daemon.errors import Conflict, UserError
from followup_daemon.registry import open_account
from followup_daemon.state import State
from followup_daemon.sync import Providers
from providers.caldav.calendar import CalDAVCalendar
from providers.imap.mailbox import ImapMailbox

from ..caldav_helpers import account as caldav_account
from ..caldav_helpers import draft_keys, interview, make_calendar, make_mailbox, make_provider
from ..ics_files import new_york, user_edit, with_notes
from ..servers.dovecot_server import PASSWORD, Dovecot
from .calendar_contract import CalendarContract, followup
from .mailbox_contract import MailboxContract
from .sync_contract import MONDAY, RepliesContract, SyncContract

NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)


class TestCalDAVContract(CalendarContract):
    @pytest.fixture
    def calendar(self, radicale: str, tmp_path: Path, dovecot: Dovecot,
                 imap_user: str) -> CalDAVCalendar:
        self.dav = make_calendar(radicale)
        return make_provider(radicale, tmp_path, dovecot, imap_username=imap_user)

    def edit_as_user(self, calendar: Calendar, stored: StoredFollowup, change: str) -> None:
        """As a calendar app would: GET the object, change it, PUT it back."""
        assert isinstance(calendar, CalDAVCalendar)
        client = calendar.client()
        parsed = ICalendar.from_ical(client.request(stored.remote_id, "GET").raw)
        user_edit(next(iter(parsed.walk("VEVENT"))), change)
        answer = client.put(stored.remote_id, parsed.to_ical().decode(),
                            {"Content-Type": "text/calendar; charset=utf-8"})
        assert answer.status in (200, 201, 204), answer.status

    def add_user_event(self, calendar: Calendar, uid: str, summary: str,
                       in_target: bool = False) -> None:
        self.dav.save_event(interview(uid, summary=summary))  # the target is this calendar

    def change_user_event(self, calendar: Calendar, uid: str, summary: str) -> None:
        self.dav.event_by_uid(uid).delete()
        self.dav.save_event(interview(uid, summary=summary))

    def remove_user_event(self, calendar: Calendar, uid: str) -> None:
        self.dav.event_by_uid(uid).delete()


class TestImapContract(MailboxContract):
    @pytest.fixture
    def mailbox(self, radicale: str, tmp_path: Path, dovecot: Dovecot,
                imap_user: str) -> Mailbox:
        self.dovecot, self.user = dovecot, imap_user
        make_calendar(radicale)
        return make_mailbox(radicale, tmp_path, dovecot, imap_username=imap_user)

    def saved(self, mailbox: Mailbox) -> list[str]:
        return sorted(draft_keys(self.dovecot, self.user).elements())


class TestCalDAVSync(SyncContract):
    @pytest.fixture
    def ready(self, radicale: str, tmp_path: Path) -> None:
        self.dav, self.url, self.root = make_calendar(radicale), radicale, tmp_path
        make_provider(radicale, tmp_path)  # the password in the keyring

    def account(self) -> dict[str, Any]:
        return caldav_account(self.url)

    def add_interview(self, uid: str, title: str, start: str = MONDAY, notes: str = "") -> None:
        data = with_notes(interview(uid, new_york(start), title), notes)
        try:
            event = self.dav.event_by_uid(uid)
        except caldav_error.NotFoundError:
            self.dav.save_event(data)
            return
        event.data = data
        event.save()

    def remove_all_user_events(self) -> None:
        for item in self.dav.objects(load_objects=True):
            if "X-FOLLOWUP-DAEMON-KEY" not in (item.data or ""):
                item.delete()

    def _ours(self) -> dict[str, Any]:
        return {str(parsed["X-FOLLOWUP-DAEMON-KEY"]): (item, parsed)
                for item in self.dav.objects(load_objects=True) if item.data
                for parsed in ICalendar.from_ical(item.data).walk("VEVENT")
                if "X-FOLLOWUP-DAEMON-KEY" in parsed}

    def followups(self) -> dict[str, dt.datetime]:
        return {key: parsed["DTSTART"].dt for key, (_, parsed) in self._ours().items()}

    def delete_followup_as_user(self, key: str) -> None:
        self._ours()[key][0].delete()

    def move_followup_as_user(self, key: str) -> None:
        item, _ = self._ours()[key]
        parsed = ICalendar.from_ical(item.data)
        user_edit(next(iter(parsed.walk("VEVENT"))), "time")
        item.data = parsed.to_ical().decode()
        item.save()


def test_sync_tokens_changes_and_removals(radicale: str, tmp_path: Path) -> None:
    calendar = make_calendar(radicale)
    acme = calendar.save_event(interview())
    provider = make_provider(radicale, tmp_path)
    first = provider.read_changes(None, NOW)
    assert first.full and [e.uid for e in first.events] == ["acme@x"]
    assert provider.read_changes(first.cursor, NOW).unchanged
    calendar.save_event(interview("globex@x", summary="Phone screen (Globex)"))
    acme.delete()
    second = provider.read_changes(first.cursor, NOW)
    assert not second.full
    assert [e.uid for e in second.events] == ["globex@x"]
    assert second.removed == ("acme@x\x00",)


def test_an_invalid_token_restarts_a_full_sync(radicale: str, tmp_path: Path) -> None:
    make_calendar(radicale).save_event(interview())
    provider = make_provider(radicale, tmp_path)
    first = provider.read_changes(None, NOW)
    assert first.cursor is not None
    broken = first.cursor.replace("http://radicale.org/ns/sync/", "http://radicale.org/ns/"
                                  "sync/00")
    again = provider.read_changes(broken, NOW)
    assert again.full and [e.uid for e in again.events] == ["acme@x"]


def test_ctag_mode_for_servers_without_sync_tokens(radicale: str, tmp_path: Path) -> None:
    calendar = make_calendar(radicale)
    calendar.save_event(interview())
    provider = make_provider(radicale, tmp_path, sync="ctag")
    first = provider.read_changes(None, NOW)
    assert first.full and len(first.events) == 1
    assert provider.read_changes(first.cursor, NOW).unchanged
    calendar.save_event(interview("globex@x", summary="Phone screen (Globex)"))
    assert sorted(e.uid for e in provider.read_changes(first.cursor, NOW).events) == [
        "acme@x", "globex@x"]


def test_recurring_interviews_are_expanded(radicale: str, tmp_path: Path) -> None:
    make_calendar(radicale).save_event(interview().replace(
        "DURATION:PT1H", "DURATION:PT1H\nRRULE:FREQ=WEEKLY;COUNT=3"))
    changes = make_provider(radicale, tmp_path).read_changes(None, NOW)
    assert len(changes.events) == 3 and all(e.recurrence_id for e in changes.events)


def test_own_follow_ups_are_tracked_not_read_as_interviews(radicale: str,
                                                          tmp_path: Path) -> None:
    make_calendar(radicale)
    provider = make_provider(radicale, tmp_path)
    cursor = provider.read_changes(None, NOW).cursor
    provider.create_followup(followup())
    later = make_provider(radicale, tmp_path)  # a new process: the cursor is all it has
    changes: Changes = later.read_changes(cursor, NOW)
    assert changes.events == () and list(later.list_followups()) == ["k1"]


def test_a_concurrent_edit_by_the_user_is_never_overwritten(radicale: str,
                                                           tmp_path: Path) -> None:
    calendar = make_calendar(radicale)
    provider = make_provider(radicale, tmp_path)
    stored = provider.create_followup(followup())
    [mine] = [o for o in calendar.objects(load_objects=True) if "followup-k1" in str(o.url)]
    mine.data = mine.data.replace("SUMMARY:Follow up: call Acme", "SUMMARY:Call Jane on Tue")
    mine.save()
    with pytest.raises(Conflict):
        provider.update_followup(stored.remote_id, followup(title="Follow up: e-mail Acme"))
    with pytest.raises(Conflict):
        provider.delete_followup(stored.remote_id)
    [kept] = [o for o in calendar.objects(load_objects=True) if "followup-k1" in str(o.url)]
    assert "Call Jane on Tue" in kept.data


def test_plain_imap_only_to_localhost(tmp_path: Path) -> None:
    remote = {"name": "c", "provider": "caldav", "url": "https://dav.example.com/",
              "username": "a", "imap_host": "imap.example.com", "imap_security": "plain"}
    with pytest.raises(UserError, match="plain IMAP is only allowed"):
        open_account(remote, ProviderContext(tmp_path, tmp_path))
    local = {**remote, "imap_host": "127.0.0.1"}
    assert isinstance(open_account(local, ProviderContext(tmp_path, tmp_path)).mailbox,
                      ImapMailbox)


def test_presets_and_http_only_to_localhost() -> None:
    assert CalDAVCalendar.check_settings({"name": "c", "provider": "caldav",
                                          "preset": "fastmail", "username": "me@fm.com"}) == []
    problems = CalDAVCalendar.check_settings({"name": "c", "provider": "caldav",
                                              "url": "http://dav.example.com/", "username": "a"})
    assert problems == ["url: use https (plain http only to 127.0.0.1)"]


def test_auto_mode_falls_back_to_ctags_when_the_server_has_no_sync_tokens(
        radicale: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from caldav.collection import Calendar
    from caldav.lib import error as dav_error

    real = Calendar.get_objects_by_sync_token

    def no_sync_collection(self: Calendar, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("disable_fallback"):  # as a server without RFC 6578 answers
            raise dav_error.ReportError("sync-collection is not supported")
        return real(self, *args, **kwargs)

    calendar = make_calendar(radicale)
    calendar.save_event(interview())
    monkeypatch.setattr(Calendar, "get_objects_by_sync_token", no_sync_collection)
    provider = make_provider(radicale, tmp_path)
    first = provider.read_changes(None, NOW)
    assert first.full and [e.uid for e in first.events] == ["acme@x"]
    assert provider.read_changes(first.cursor, NOW).unchanged  # the CTag did not move
    calendar.save_event(interview("globex@x", summary="Phone screen (Globex)"))
    assert len(provider.read_changes(first.cursor, NOW).events) == 2


def test_a_password_in_the_url_is_refused() -> None:
    problems = CalDAVCalendar.check_settings({"name": "c", "provider": "caldav", "username": "a",
                                              "url": "https://a:hunter2@dav.example.com/"})
    assert problems == ["url: holds a password; remove it from the URL and run "
                        "`followup-daemon auth caldav --account c` to keep it in your keyring"]


class TestCalDAVImapReplies(TestCalDAVSync, RepliesContract):
    """Replies read from the INBOX of a real Dovecot, drafts in its Drafts."""

    @pytest.fixture
    def ready(self, radicale: str, tmp_path: Path, dovecot: Dovecot,
              imap_user: str) -> None:
        self.dav, self.url, self.root = make_calendar(radicale), radicale, tmp_path
        self.dovecot, self.user = dovecot, imap_user
        make_provider(radicale, tmp_path, dovecot, imap_username=imap_user)

    def account(self) -> dict[str, Any]:
        return caldav_account(self.url, self.dovecot, imap_username=self.user)

    def deliver(self, sender: str, date: str, subject: str = "Re: your interview",
                headers: str = "", body: str = "Thanks for your time.") -> None:
        """The employer's message lands in the INBOX (APPENDed, unseen, as delivered)."""
        message = (f"From: {sender}\r\nTo: alex@gmail.com\r\nSubject: {subject}\r\n"
                   f"Date: {date}\r\n{headers}\r\n{body}\r\n").encode()
        connection = imaplib.IMAP4("127.0.0.1", self.dovecot.port)
        connection.starttls(ssl_context=ssl.create_default_context(
            cafile=str(self.dovecot.root / "fake-ca.pem")))
        connection.login(self.user, PASSWORD)
        connection.append("INBOX", "", imaplib.Time2Internaldate(time.time()), message)
        connection.logout()

    def _imap(self) -> imaplib.IMAP4:
        connection = imaplib.IMAP4("127.0.0.1", self.dovecot.port)
        connection.starttls(ssl_context=ssl.create_default_context(
            cafile=str(self.dovecot.root / "fake-ca.pem")))
        connection.login(self.user, PASSWORD)
        return connection

    def edit_draft_as_user(self, key: str) -> None:
        """As a mail program saves an edited draft: a new message, the old one expunged."""
        connection = self._imap()
        connection.select("Drafts")
        _, found = connection.search(None, "HEADER", "X-Followup-Daemon-Key", key)
        [number] = found[0].split()
        _, parts = connection.fetch(number, "(RFC822)")
        raw: Any = parts[0]
        connection.append("Drafts", r"(\Draft \Seen)", imaplib.Time2Internaldate(time.time()),
                          raw[1] + b"\r\nP.S. I also wanted to mention my portfolio.\r\n")
        connection.store(number, "+FLAGS", r"(\Deleted)")
        connection.expunge()
        connection.logout()

    def draft_keys(self) -> list[str]:
        return list(draft_keys(self.dovecot, self.user).elements())

    def test_a_no_change_pass_in_run_is_one_report_and_one_imap_command(
            self, ready: None, monkeypatch: pytest.MonkeyPatch) -> None:
        self.rules = {"max_followups": 2, "thank_you": True}
        self.add_interview("acme-1@example.com", "Interview with Acme")
        providers = Providers()  # kept from pass to pass, as `run` keeps them
        for _ in range(2):  # the daemon's own writes come back once
            assert self.sync(providers, now="2026-11-16T18:00").ok
        dav: list[str] = []
        imap: list[str] = []
        dav_request, imap_command = DAVClient.request, imaplib.IMAP4._command  # type: ignore[attr-defined]

        def counted_dav(client: DAVClient, url: str, method: str = "GET", *args: Any,
                        **kwargs: Any) -> Any:
            dav.append(method)
            return dav_request(client, url, method, *args, **kwargs)

        def counted_imap(connection: imaplib.IMAP4, name: str, *args: Any) -> Any:
            imap.append(name)
            return imap_command(connection, name, *args)

        monkeypatch.setattr(DAVClient, "request", counted_dav)
        monkeypatch.setattr(imaplib.IMAP4, "_command", counted_imap)
        assert self.sync(providers, now="2026-11-16T18:00").ok
        assert dav == ["REPORT"]
        assert [c for c in imap if c not in ("STARTTLS", "CAPABILITY", "LOGIN", "LOGOUT")
                ] == ["STATUS"]

    def test_a_no_change_sync_once_is_one_report_however_many_followups(
            self, ready: None, monkeypatch: pytest.MonkeyPatch) -> None:
        """Each `sync --once` is a new process: nothing is kept but the state. The
        calendars' addresses are kept in it (no discovery), and the daemon's own
        writes coming back with the ETags they were written with are not fetched."""
        for n in range(3):  # three employers
            self.dav.save_event(interview(f"i{n}@x", new_york(MONDAY), f"Interview {n}",
                                          organizer=f"jane@employer{n}.com"))
        assert self.sync(Providers(), now="2026-11-16T18:00").ok
        assert len(self.followups()) == 3
        dav: list[str] = []
        dav_request = DAVClient.request

        def counted(client: DAVClient, url: str, method: str = "GET", *args: Any,
                    **kwargs: Any) -> Any:
            dav.append(method)
            return dav_request(client, url, method, *args, **kwargs)

        monkeypatch.setattr(DAVClient, "request", counted)
        assert self.sync(Providers(), now="2026-11-16T18:00").ok
        assert dav == ["REPORT"]  # the follow-ups come back by ETag alone, not fetched
        dav.clear()
        assert self.sync(Providers(), now="2026-11-16T18:00").ok
        assert dav == ["REPORT"]

    def test_a_calendar_made_anew_under_its_name_is_found_again(self, ready: None) -> None:
        """The calendar's address is kept from pass to pass; when it is gone (the user
        deleted "Jobs" and made a new one), the name is looked up once more."""
        self.add_interview("acme-1@example.com", "Interview with Acme")
        assert self.sync(Providers(), now="2026-11-16T18:00").ok
        self.dav.delete()
        self.dav = make_calendar(self.url)
        self.dav.save_event(interview("beta@x", new_york(MONDAY), "Interview with Beta",
                                      organizer="kim@beta.com"))
        assert self.sync(Providers(), now="2026-11-16T18:00").ok
        assert len(self.followups()) == 1

    def test_no_new_mail_is_one_command_after_login_and_nothing_is_marked_seen(
            self, ready: None, monkeypatch: pytest.MonkeyPatch) -> None:
        self.add_interview("acme-1@example.com", "Interview with Acme")
        self.deliver("jane@acme.com", "Fri, 27 Nov 2026 10:00:00 -0500")
        assert self.sync(now="2026-11-30T09:00").ok
        commands: list[str] = []
        original = imaplib.IMAP4._command  # type: ignore[attr-defined]

        def counted(connection: imaplib.IMAP4, name: str, *args: Any) -> Any:
            commands.append(name)
            return original(connection, name, *args)

        monkeypatch.setattr(imaplib.IMAP4, "_command", counted)
        mailbox = make_mailbox(self.url, self.root, self.dovecot, imap_username=self.user)
        assert isinstance(mailbox, Inbox)
        state = State(self.root / "state")
        cursor = state.mail_cursor("c")
        state.close()
        assert mailbox.received_since(cursor, anyone) == ([], cursor)
        after_login = commands[commands.index("LOGIN") + 1:]
        assert [c for c in after_login if c != "LOGOUT"] == ["STATUS"]
        connection = imaplib.IMAP4("127.0.0.1", self.dovecot.port)
        connection.starttls(ssl_context=ssl.create_default_context(
            cafile=str(self.dovecot.root / "fake-ca.pem")))
        connection.login(self.user, PASSWORD)
        connection.select("INBOX", readonly=True)
        assert connection.search(None, "UNSEEN")[1][0].split()  # still unread
        connection.logout()
