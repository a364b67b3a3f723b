"""The Outlook provider against the fake identity platform and Graph, with msal."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from followup_daemon.boundary import Calendar, Mailbox, ProviderContext, StoredFollowup
from followup_daemon.errors import AuthExpired, RateLimited
from followup_daemon.secrets import load_secret
from providers.outlook.calendar import OutlookCalendar
from providers.outlook.convert import KEY_PROPERTY
from providers.outlook.mailbox import OutlookMailbox
from providers.outlook.tokens import EXPIRY_MARGIN_SECONDS

from ..fakes.fake_graph import FakeGraph, graph_time, to_utc
from ..outlook_helpers import account, interview, make_mailbox, make_provider, sign_in
from .calendar_contract import BatchContract, draft, followup
from .mailbox_contract import MailboxContract
from .sync_contract import MONDAY, RepliesContract

NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)


class TestOutlookContract(BatchContract):
    keyed_ids = False  # Graph chooses the ids: a create is one POST

    def count_followups(self, calendar: Calendar) -> int:
        return len(self.fake.events)

    @pytest.fixture
    def calendar(self, fake_graph: FakeGraph, tmp_path: Path) -> OutlookCalendar:
        self.fake, self.ids = fake_graph, dict[str, str]()
        return make_provider(fake_graph, tmp_path)

    def edit_as_user(self, calendar: Calendar, stored: StoredFollowup, change: str) -> None:
        """As Outlook would: the same event, a new changeKey."""
        event = dict(self.fake.events[stored.remote_id])
        if change == "notes":
            event["body"] = {"contentType": "html", "content": "<p>Asked for Jane.</p>"}
        elif change == "title":
            event["subject"] = "Call Acme (Jane is away till Monday)"
        else:
            event["start"] = {"dateTime": "2026-12-01T11:00:00", "timeZone": "UTC"}
            event["end"] = {"dateTime": "2026-12-01T11:15:00", "timeZone": "UTC"}
        self.fake.put_event(event, stored.remote_id)

    def add_user_event(self, calendar: Calendar, uid: str, summary: str,
                       in_target: bool = False) -> None:
        self.ids[uid] = self.fake.put_event(interview(summary))["id"]

    def change_user_event(self, calendar: Calendar, uid: str, summary: str) -> None:
        event = self.fake.events[self.ids[uid]]
        self.fake.put_event({**event, "subject": summary}, self.ids[uid])

    def remove_user_event(self, calendar: Calendar, uid: str) -> None:
        self.fake.delete_event(self.ids[uid])


class TestOutlookDraftsContract(MailboxContract):
    @pytest.fixture
    def mailbox(self, fake_graph: FakeGraph, tmp_path: Path) -> OutlookMailbox:
        self.fake = fake_graph
        return make_mailbox(make_provider(fake_graph, tmp_path), tmp_path)

    def saved(self, mailbox: Mailbox) -> list[str]:
        return [h["value"] for m in self.fake.messages.values() if m["isDraft"]
                for h in m["internetMessageHeaders"] if h["name"] == "X-Followup-Daemon-Key"]

    def sent(self, mailbox: Mailbox) -> int:
        return sum(1 for r in self.fake.requests if "send" in r.path.lower())


class TestOutlookSync(RepliesContract):
    @pytest.fixture
    def ready(self, fake_graph: FakeGraph, tmp_path: Path) -> None:
        sign_in(fake_graph, tmp_path / "state")
        self.fake, self.root, self.ids = fake_graph, tmp_path, dict[str, str]()

    def account(self) -> dict[str, Any]:
        return account(self.fake)

    def add_interview(self, uid: str, title: str, start: str = MONDAY, notes: str = "") -> None:
        jane = {"emailAddress": {"address": "jane@acme.com", "name": "Jane Park"}}
        body = interview(title, f"{start}:00", organizer=jane, attendees=[
            {"type": "required", "status": {"response": "accepted"}, **jane}])
        if notes:
            body["body"] = {"contentType": "text", "content": notes}
        self.ids[uid] = self.fake.put_event(body, self.ids.get(uid))["id"]

    def remove_all_user_events(self) -> None:
        for event_id in self.ids.values():
            self.fake.delete_event(event_id)

    def deliver(self, sender: str, date: str, subject: str = "Re: your interview",
                headers: str = "", body: str = "Thanks for your time.") -> None:
        self.fake.deliver(f"From: {sender}\r\nTo: alex@contoso.com\r\nSubject: {subject}\r\n"
                          f"Date: {date}\r\n{headers}\r\n{body}\r\n".encode())

    def _draft_ids(self) -> dict[str, str]:
        return {p["value"]: m["id"] for m in self.fake.messages.values()
                for p in m.get("singleValueExtendedProperties", [])
                if p["id"] == KEY_PROPERTY}

    def edit_draft_as_user(self, key: str) -> None:
        """As Outlook saves an edited draft: the same id, a new changeKey."""
        message_id = self._draft_ids()[key]
        body = self.fake.messages[message_id]["body"]
        self.fake.edit_message(message_id, {"body": {
            **body, "content": body["content"] + "\nP.S. my portfolio"}})

    def draft_keys(self) -> list[str]:
        return list(self._draft_ids())

    def _ours(self) -> dict[str, dict[str, Any]]:
        return {p["value"]: e for e in self.fake.live_events()
                for p in e.get("singleValueExtendedProperties", [])
                if p["id"] == KEY_PROPERTY}

    def followups(self) -> dict[str, dt.datetime]:
        return {key: to_utc(e["start"]) for key, e in self._ours().items()}

    def delete_followup_as_user(self, key: str) -> None:
        self.fake.delete_event(self._ours()[key]["id"])

    def move_followup_as_user(self, key: str) -> None:
        event = dict(self._ours()[key])
        for side in ("start", "end"):
            event[side] = graph_time(to_utc(event[side]) + dt.timedelta(hours=1))
        self.fake.put_event(event, event["id"])


def test_device_code_sign_in_keeps_tokens_encrypted(fake_graph: FakeGraph,
                                                    tmp_path: Path) -> None:
    said = sign_in(fake_graph, tmp_path)
    assert "FAKE-CODE" in said[0]
    secret = load_secret("o")
    assert secret and secret["client_id"] == fake_graph.client_id and secret["cache_key"]
    cache = tmp_path / "o.msal-cache"
    assert cache.stat().st_mode & 0o777 == 0o600
    raw = cache.read_bytes()
    for token in fake_graph.refresh_tokens | fake_graph.access_tokens:
        assert token.encode() not in raw


def test_rotated_refresh_tokens_are_saved(fake_graph: FakeGraph, tmp_path: Path) -> None:
    provider = make_provider(fake_graph, tmp_path)
    before = (tmp_path / "o.msal-cache").read_bytes()
    provider.tokens.access_token(force_refresh=True)  # the old refresh token dies
    assert (tmp_path / "o.msal-cache").read_bytes() != before
    later = OutlookCalendar(account(fake_graph), ProviderContext(tmp_path, tmp_path))
    assert later.tokens.access_token(force_refresh=True)  # a new process: the new token works


def test_an_access_token_is_reused_until_shortly_before_it_expires(
        fake_graph: FakeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    provider = make_provider(fake_graph, tmp_path)
    asked: list[bool] = []
    acquire = provider.tokens._acquire

    def counted(force: bool) -> tuple[str, float]:
        asked.append(force)
        return acquire(force)
    monkeypatch.setattr(provider.tokens, "_acquire", counted)
    first = provider.tokens.access_token()
    assert provider.tokens.access_token() == first and asked == [False]
    clock = time.monotonic() + 3600 - EXPIRY_MARGIN_SECONDS + 1  # the fake's tokens: 1 h
    monkeypatch.setattr(time, "monotonic", lambda: clock)
    provider.tokens.access_token()
    provider.tokens.access_token(force_refresh=True)
    assert asked == [False, False, True]


def test_delta_round_then_changes_and_removals(fake_graph: FakeGraph, tmp_path: Path) -> None:
    contoso = fake_graph.put_event(interview())
    provider = make_provider(fake_graph, tmp_path, page_size=1)
    fake_graph.put_event(interview("Phone screen (Fabrikam)"))
    first = provider.read_changes(None, NOW)
    assert first.full and len(first.events) == 2
    delta_calls = [r for r in fake_graph.requests if "calendarView/delta" in r.path]
    assert len(delta_calls) == 2  # one page per event: the next link was followed
    assert 'outlook.timezone="UTC"' in delta_calls[0].headers.get("Prefer", "")
    event = next(e for e in first.events if e.uid == contoso["id"])
    assert event.start.instant(ZoneInfo("UTC")).isoformat() == "2026-11-16T19:00:00+00:00"
    assert event.description == "Decision by Friday."
    fake_graph.delete_event(contoso["id"])
    second = provider.read_changes(first.cursor, NOW)
    assert not second.full and second.removed == (f"{contoso['id']}\x00",)


def test_an_expired_delta_link_gives_a_fresh_round(fake_graph: FakeGraph,
                                                   tmp_path: Path) -> None:
    fake_graph.put_event(interview())
    provider = make_provider(fake_graph, tmp_path)
    first = provider.read_changes(None, NOW)
    fake_graph.expire_delta_tokens()
    again = provider.read_changes(first.cursor, NOW)
    assert again.full and len(again.events) == 1


def test_own_follow_ups_are_not_read_as_interviews(fake_graph: FakeGraph,
                                                   tmp_path: Path) -> None:
    provider = make_provider(fake_graph, tmp_path)
    cursor = provider.read_changes(None, NOW).cursor
    provider.create_followup(followup())
    assert provider.read_changes(cursor, NOW).events == ()


def test_follow_ups_invite_nobody_and_carry_the_key(fake_graph: FakeGraph,
                                                   tmp_path: Path) -> None:
    provider = make_provider(fake_graph, tmp_path)
    provider.create_followup(followup())
    [event] = fake_graph.live_events()
    assert "attendees" not in event and event["isReminderOn"] is True
    assert event["transactionId"]
    assert any(p["value"] == "k1" for p in event["singleValueExtendedProperties"])


def test_a_retried_post_returns_the_first_event(fake_graph: FakeGraph, tmp_path: Path) -> None:
    provider = make_provider(fake_graph, tmp_path)
    fake_graph.fail("POST", "/events", kind="slow")  # the first POST lands, answered too late
    provider.create_followup(followup())
    assert fake_graph.count("POST", "/events") == 2
    assert len(fake_graph.live_events()) == 1


def test_drafts_are_saved_never_sent(fake_graph: FakeGraph, tmp_path: Path) -> None:
    mailbox = make_mailbox(make_provider(fake_graph, tmp_path), tmp_path)
    mailbox.create_draft(draft())
    [message] = fake_graph.messages.values()
    assert message["toRecipients"][0]["emailAddress"]["address"] == "jane@acme.com"
    assert {"name": "X-Followup-Daemon-Key", "value": "k1"} in message["internetMessageHeaders"]
    assert all("send" not in r.path.lower() for r in fake_graph.requests)


@pytest.mark.parametrize("fault", [{"status": 429, "retry_after": "3"}, {"status": 503},
                                   {"kind": "truncated"}, {"kind": "reset"}])
def test_transient_faults_are_retried(fake_graph: FakeGraph, tmp_path: Path,
                                      fault: dict[str, object]) -> None:
    fake_graph.put_event(interview())
    sleeps: list[float] = []
    provider = make_provider(fake_graph, tmp_path, sleeps)
    fake_graph.fail("GET", "/calendarView/delta", **fault)
    assert len(provider.read_changes(None, NOW).events) == 1
    if fault.get("retry_after"):
        assert sleeps == [3.0]


def test_throttling_that_never_ends_gives_up(fake_graph: FakeGraph, tmp_path: Path) -> None:
    provider = make_provider(fake_graph, tmp_path)
    fake_graph.fail("GET", "/calendarView/delta", status=429, times=10)
    with pytest.raises(RateLimited):
        provider.read_changes(None, NOW)


def test_a_dead_refresh_token_asks_for_re_authorisation(fake_graph: FakeGraph,
                                                        tmp_path: Path) -> None:
    provider = make_provider(fake_graph, tmp_path)
    fake_graph.refresh_tokens.clear()
    fake_graph.access_tokens.clear()
    with pytest.raises(AuthExpired, match="auth outlook --account o"):
        provider.read_changes(None, NOW)


def test_a_no_change_pass_is_one_delta_request(fake_graph: FakeGraph, tmp_path: Path) -> None:
    fake_graph.put_event(interview())
    provider = make_provider(fake_graph, tmp_path)
    cursor = provider.read_changes(None, NOW).cursor
    provider.create_followup(followup())
    cursor = provider.read_changes(cursor, NOW).cursor  # our write comes back once
    before = len(fake_graph.requests)
    assert provider.read_changes(cursor, NOW).events == ()
    assert list(provider.list_followups()) == ["k1"]
    assert [(r.method, r.path) for r in fake_graph.requests[before:]] == [
        ("GET", "/v1.0/me/calendarView/delta")]
    later = OutlookCalendar(account(fake_graph), ProviderContext(tmp_path, tmp_path))
    assert list(later.list_followups()) == ["k1"]  # a new process knows its events too
    assert len(fake_graph.requests) == before + 1


def test_the_users_move_and_deletion_come_through_the_delta(fake_graph: FakeGraph,
                                                           tmp_path: Path) -> None:
    provider = make_provider(fake_graph, tmp_path)
    cursor = provider.read_changes(None, NOW).cursor
    moved = provider.create_followup(followup("a"))
    gone = provider.create_followup(followup("b"))
    fake_graph.events[moved.remote_id]["start"] = {"dateTime": "2026-12-02T15:00:00.0000000",
                                                   "timeZone": "UTC"}
    fake_graph._touch(fake_graph.events[moved.remote_id])
    fake_graph.delete_event(gone.remote_id)
    provider.read_changes(cursor, NOW)
    listing = provider.list_followups()
    assert list(listing) == ["a"]
    assert listing["a"].start == dt.datetime(2026, 12, 2, 15, tzinfo=ZoneInfo("UTC"))
