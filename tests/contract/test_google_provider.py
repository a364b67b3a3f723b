"""The Google provider against the fake Google, with the real client library."""

from __future__ import annotations

import datetime as dt
import re
from email import message_from_bytes
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from followup_daemon.boundary import Calendar, Mailbox, StoredFollowup
from followup_daemon.errors import AuthExpired, RateLimited, TransientError
from providers.google.calendar import GoogleCalendar
from providers.google.gmail import GmailMailbox

from ..fakes.fake_google import FakeGoogle
from ..google_helpers import (
    account,
    authorise,
    deliver,
    interview,
    make_mailbox,
    make_provider,
)
from .calendar_contract import BatchContract, draft, followup
from .mailbox_contract import MailboxContract
from .sync_contract import MONDAY, RepliesContract

NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)


class TestGoogleContract(BatchContract):
    @pytest.fixture
    def calendar(self, fake_google: FakeGoogle, tmp_path: Path) -> GoogleCalendar:
        self.fake, self.ids = fake_google, dict[str, str]()
        return make_provider(fake_google, tmp_path)

    def edit_as_user(self, calendar: Calendar, stored: StoredFollowup, change: str) -> None:
        """As Google Calendar's web page would: the same event, a new etag."""
        event = self.fake.calendars["primary"][stored.remote_id]
        if change == "notes":
            event["description"] += "\nAsked for Jane."
        elif change == "title":
            event["summary"] = "Call Acme (Jane is away till Monday)"
        else:
            event["start"] = {"dateTime": "2026-12-01T11:00:00Z"}
            event["end"] = {"dateTime": "2026-12-01T11:15:00Z"}
        self.fake.put_event("primary", event, stored.remote_id)

    def add_user_event(self, calendar: Calendar, uid: str, summary: str,
                       in_target: bool = False) -> None:
        self.ids[uid] = self.fake.put_event("primary", interview(summary))["id"]

    def change_user_event(self, calendar: Calendar, uid: str, summary: str) -> None:
        event = self.fake.calendars["primary"][self.ids[uid]]
        self.fake.put_event("primary", {**event, "summary": summary}, self.ids[uid])

    def remove_user_event(self, calendar: Calendar, uid: str) -> None:
        self.fake.delete_event("primary", self.ids[uid])


class TestGmailContract(MailboxContract):
    @pytest.fixture
    def mailbox(self, fake_google: FakeGoogle, tmp_path: Path) -> GmailMailbox:
        self.fake = fake_google
        return make_mailbox(make_provider(fake_google, tmp_path), tmp_path)

    def saved(self, mailbox: Mailbox) -> list[str]:
        return [str(message_from_bytes(d["raw"])["X-Followup-Daemon-Key"])
                for d in self.fake.drafts.values() if "DRAFT" in d["message"]["labelIds"]]

    def sent(self, mailbox: Mailbox) -> int:
        return sum(1 for r in self.fake.requests if "send" in r.path)


class TestGoogleSync(RepliesContract):
    @pytest.fixture
    def ready(self, fake_google: FakeGoogle, tmp_path: Path) -> None:
        authorise(fake_google, replies=True)
        self.fake, self.root, self.ids = fake_google, tmp_path, dict[str, str]()

    def deliver(self, sender: str, date: str, subject: str = "Re: your interview",
                headers: str = "", body: str = "Thanks for your time.") -> None:
        deliver(self.fake, sender, date, subject, headers, body)

    def _draft(self, key: str) -> dict[str, Any]:
        return next(d for d in self.fake.drafts.values()
                    if message_from_bytes(d["raw"])["X-Followup-Daemon-Key"] == key)

    def edit_draft_as_user(self, key: str) -> None:
        """As Gmail's editor saves it: drafts.update, the same draft id, a new message."""
        draft = self._draft(key)
        raw = draft["raw"] + b"\r\nP.S. I also wanted to mention my portfolio.\r\n"
        self.fake.update_draft(draft["id"], raw)

    def draft_keys(self) -> list[str]:
        return [str(message_from_bytes(d["raw"])["X-Followup-Daemon-Key"])
                for d in self.fake.drafts.values()]

    def account(self) -> dict[str, Any]:
        return account(self.fake, timeout_seconds=2)

    def add_interview(self, uid: str, title: str, start: str = MONDAY, notes: str = "") -> None:
        body = interview(title, f"{start}:00-05:00", description=notes)
        self.ids[uid] = self.fake.put_event("primary", body, self.ids.get(uid))["id"]

    def remove_all_user_events(self) -> None:
        for event_id in self.ids.values():
            self.fake.delete_event("primary", event_id)

    def followups(self) -> dict[str, dt.datetime]:
        return {e["extendedProperties"]["private"]["followupDaemonKey"]:
                dt.datetime.fromisoformat(e["start"]["dateTime"])
                for e in self.fake.live_events() if "extendedProperties" in e}

    def _ours(self, key: str) -> dict[str, Any]:
        return next(e for e in self.fake.live_events()
                    if e.get("extendedProperties", {}).get("private", {}).get(
                        "followupDaemonKey") == key)

    def delete_followup_as_user(self, key: str) -> None:
        self.fake.delete_event("primary", self._ours(key)["id"])

    def move_followup_as_user(self, key: str) -> None:
        event = self._ours(key)
        for side in ("start", "end"):
            moment = dt.datetime.fromisoformat(event[side]["dateTime"]) + dt.timedelta(hours=1)
            event[side] = {**event[side], "dateTime": moment.isoformat()}
        self.fake.put_event("primary", event, event["id"])


def test_full_then_incremental_sync(fake_google: FakeGoogle, tmp_path: Path) -> None:
    acme = fake_google.put_event("primary", interview())
    provider = make_provider(fake_google, tmp_path)
    first = provider.read_changes(None, NOW)
    assert first.full and [e.uid for e in first.events] == [acme["id"]]
    event = first.events[0]
    assert event.organizer is not None and event.organizer.email == "jane@acme.com"
    assert event.start.instant(ZoneInfo("UTC")).isoformat() == "2026-11-16T19:00:00+00:00"
    full_query = fake_google.requests[-1].query
    assert full_query["singleEvents"] == ["true"] and "timeMin" in full_query
    globex = fake_google.put_event("primary", interview("Phone screen (Globex)"))
    fake_google.delete_event("primary", acme["id"])
    second = provider.read_changes(first.cursor, NOW)
    assert not second.full
    assert [e.uid for e in second.events] == [globex["id"]]
    assert second.removed == (f"{acme['id']}\x00",)
    incremental = fake_google.requests[-1].query
    assert "syncToken" in incremental and "timeMin" not in incremental


def test_paging_is_followed_and_the_token_comes_from_the_last_page(
        fake_google: FakeGoogle, tmp_path: Path) -> None:
    for n in range(600):
        fake_google.put_event("primary", {**interview(f"Event {n}")})
    provider = make_provider(fake_google, tmp_path)
    changes = provider.read_changes(None, NOW)
    assert len(changes.events) == 600
    assert fake_google.count("GET", "/calendar/v3/calendars/primary/events") == 3
    assert "sync-" in (changes.cursor or "")


def test_an_expired_sync_token_gives_a_fresh_full_sync(fake_google: FakeGoogle,
                                                       tmp_path: Path) -> None:
    fake_google.put_event("primary", interview())
    provider = make_provider(fake_google, tmp_path)
    first = provider.read_changes(None, NOW)
    fake_google.expire_sync_tokens()
    again = provider.read_changes(first.cursor, NOW)
    assert again.full and len(again.events) == 1


def test_a_no_change_pass_costs_one_list_per_calendar(fake_google: FakeGoogle,
                                                      tmp_path: Path) -> None:
    fake_google.calendars["work"] = {}
    provider = make_provider(fake_google, tmp_path, calendars=["primary", "work"])
    cursor = provider.read_changes(None, NOW).cursor
    provider.list_followups()
    before = len(fake_google.requests)
    assert provider.read_changes(cursor, NOW).events == ()
    provider.list_followups()
    assert [(r.method, r.path) for r in fake_google.requests[before:]] == [
        ("GET", "/calendar/v3/calendars/primary/events"),
        ("GET", "/calendar/v3/calendars/work/events")]


def test_follow_ups_are_private_and_invite_nobody(fake_google: FakeGoogle,
                                                  tmp_path: Path) -> None:
    provider = make_provider(fake_google, tmp_path)
    provider.create_followup(followup())
    [created] = fake_google.live_events()
    assert "attendees" not in created
    assert created["extendedProperties"]["private"]["followupDaemonKey"] == "k1"
    assert created["reminders"] == {"useDefault": False,
                                    "overrides": [{"method": "popup", "minutes": 10}]}
    insert = [r for r in fake_google.requests if r.method == "POST"][-1]
    assert insert.query["sendUpdates"] == ["none"]


def test_own_follow_ups_are_tracked_from_the_sync_stream(fake_google: FakeGoogle,
                                                         tmp_path: Path) -> None:
    provider = make_provider(fake_google, tmp_path)
    cursor = provider.read_changes(None, NOW).cursor
    stored = provider.create_followup(followup())
    later = make_provider(fake_google, tmp_path)  # a new process: only the cursor is kept
    changes = later.read_changes(cursor, NOW)
    assert changes.events == ()  # our own events are never interviews
    assert later.list_followups()["k1"].remote_id == stored.remote_id
    fake_google.delete_event("primary", stored.remote_id)  # the user deletes it
    later.read_changes(changes.cursor, NOW)
    assert later.list_followups() == {}


def test_drafts_are_created_never_sent(fake_google: FakeGoogle, tmp_path: Path) -> None:
    mailbox = make_mailbox(make_provider(fake_google, tmp_path), tmp_path)
    mailbox.create_draft(draft())
    assert len(fake_google.drafts) == 1
    assert all("send" not in r.path for r in fake_google.requests)
    create = [r for r in fake_google.requests if r.method == "POST" and "drafts" in r.path]
    assert "raw" in create[0].body["message"]


@pytest.mark.parametrize("fault", [
    {"status": 429, "retry_after": "2"}, {"status": 429}, {"status": 500},
    {"status": 502}, {"status": 503}, {"status": 403, "reason": "rateLimitExceeded"},
    {"kind": "reset"}, {"kind": "truncated"}, {"kind": "timeout"},
])
def test_transient_faults_are_retried(fake_google: FakeGoogle, tmp_path: Path,
                                      fault: dict[str, object]) -> None:
    fake_google.put_event("primary", interview())
    sleeps: list[float] = []
    provider = make_provider(fake_google, tmp_path, sleeps)
    fake_google.fail("GET", "/events", **fault)
    assert len(provider.read_changes(None, NOW).events) == 1
    assert fake_google.count("GET", "/events") == 2  # the faulty answer, then the retry
    assert len(sleeps) == 1  # the product's retry, never the HTTP library's blind one
    if fault.get("retry_after"):
        assert sleeps == [2.0]


def test_persistent_rate_limit_gives_up_with_a_transient_error(fake_google: FakeGoogle,
                                                               tmp_path: Path) -> None:
    sleeps: list[float] = []
    provider = make_provider(fake_google, tmp_path, sleeps)
    fake_google.fail("GET", "/events", status=429, times=10)
    with pytest.raises(RateLimited):
        provider.read_changes(None, NOW)
    assert len(sleeps) == 4
    assert all(b <= 0.01 * 2 ** i for i, b in enumerate(sleeps))


def test_an_outage_is_a_transient_error(fake_google: FakeGoogle, tmp_path: Path) -> None:
    provider = make_provider(fake_google, tmp_path)
    fake_google.stop()
    with pytest.raises(TransientError):
        provider.read_changes(None, NOW)


def test_a_dead_refresh_token_asks_for_re_authorisation(fake_google: FakeGoogle,
                                                        tmp_path: Path) -> None:
    provider = make_provider(fake_google, tmp_path)
    fake_google.refresh_tokens.clear()
    with pytest.raises(AuthExpired, match="auth google --account g"):
        provider.read_changes(None, NOW)


def test_a_followup_the_daemon_deleted_comes_back_under_its_own_id(fake_google: FakeGoogle,
                                                                   tmp_path: Path) -> None:
    """A cancelled event keeps its id (a second insert answers 409): the daemon revives
    it with an update, never a second event."""
    provider = make_provider(fake_google, tmp_path)
    first = provider.create_followup(followup())
    provider.delete_followup(first.remote_id)
    again = provider.create_followup(followup())
    assert again.remote_id == first.remote_id
    live = [e for e in fake_google.live_events() if "extendedProperties" in e]
    assert len(live) == 1 and live[0]["status"] == "confirmed"
    assert fake_google.count("PUT", f"/events/{first.remote_id}") == 1


def test_a_chosen_event_id_is_base32hex() -> None:
    from providers.google.convert import event_id

    chosen = {event_id(f"key-{n}") for n in range(200)}
    assert len(chosen) == 200
    assert all(re.fullmatch(r"[a-v0-9]{5,1024}", c) for c in chosen)
