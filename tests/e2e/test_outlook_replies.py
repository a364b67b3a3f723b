"""Replies read from the Outlook Inbox (messages delta) in passes over the fake Graph:
what a pass costs, and Internet headers asked only for senders who may answer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from followup_daemon.config import parse_config
from followup_daemon.content import Templates
from followup_daemon.state import State
from followup_daemon.sync import AccountResult, Providers, run_pass

from ..fakes.base import Logged
from ..fakes.fake_graph import FakeGraph
from ..outlook_helpers import account, interview, sign_in

NY = dt.timezone(dt.timedelta(hours=-5))
JANE = {"emailAddress": {"address": "jane@acme.com", "name": "Jane Park"}}


class Passes:
    """Passes over one Outlook account with v2's rules, providers kept as `run` does."""

    def __init__(self, fake: FakeGraph, root: Path) -> None:
        sign_in(fake, root / "state")
        self.fake, self.root, self.providers = fake, root, Providers()

    def sync(self, now: str = "2026-11-10T09:00") -> AccountResult:
        config = parse_config({"rules": {"timezone": "America/New_York", "max_followups": 2,
                                         "thank_you": False},
                               "me": {"name": "Alex Rivera", "emails": ["alex@contoso.com"]},
                               "sync": {"draft_when": "planned"},
                               "accounts": [account(self.fake)]}, "t.toml")
        config.path = self.root / "config.toml"
        state = State(self.root / "state")
        try:
            moment = dt.datetime.fromisoformat(now).replace(tzinfo=NY)
            [result] = run_pass(config, state, moment, Templates.load(),
                                providers=self.providers)
            return result
        finally:
            state.close()

    def deliver(self, sender: str, headers: str = "") -> None:
        self.fake.deliver(f"From: {sender}\r\nTo: alex@contoso.com\r\nSubject: Re: us\r\n"
                          f"Date: Fri, 27 Nov 2026 10:00:00 -0500\r\n{headers}\r\n"
                          "Thanks for your time.\r\n".encode())

    def since(self, before: int) -> list[Logged]:
        return self.fake.requests[before:]

    def followups(self) -> int:
        return sum(1 for e in self.fake.live_events() if "singleValueExtendedProperties" in e)


@pytest.fixture
def passes(fake_graph: FakeGraph, tmp_path: Path) -> Passes:
    fake_graph.put_event(interview("Interview with Acme", organizer=JANE, attendees=[
        {"type": "required", "status": {"response": "accepted"}, **JANE}]))
    return Passes(fake_graph, tmp_path)


def test_a_no_change_pass_is_one_calendar_and_one_inbox_request(passes: Passes) -> None:
    passes.deliver("newsletter@shop.example")
    assert passes.sync().ok
    passes.sync()  # the daemon's own writes come back once through the calendar's delta
    before = len(passes.fake.requests)
    assert passes.sync().ok
    assert [(r.method, r.path) for r in passes.since(before)] == [
        ("GET", "/v1.0/me/calendarView/delta"),
        ("GET", "/v1.0/me/mailFolders/inbox/messages/delta")]


def test_only_a_sender_who_may_answer_has_its_headers_read(passes: Passes) -> None:
    first = len(passes.fake.requests)
    assert passes.sync().ok and passes.followups() == 2
    [delta] = [r for r in passes.since(first) if r.path.endswith("messages/delta")]
    assert delta.query["changeType"] == ["created"]
    assert delta.query["$filter"][0].startswith("receivedDateTime ge ")
    for stranger in ("newsletter@shop.example", "someone@gmail.com"):
        passes.deliver(stranger)
    passes.deliver("jane@acme.com", "Auto-Submitted: auto-replied\r\n")
    before = len(passes.fake.requests)
    assert passes.sync(now="2026-11-30T09:00").ok
    reads = [r for r in passes.since(before) if r.path.startswith("/v1.0/me/messages/")
             and r.method == "GET" and "internetMessageHeaders" in str(r.query)]
    assert len(reads) == 1  # jane's, whose Auto-Submitted the delta does not carry
    assert passes.followups() == 2  # an automatic reply answers nothing
    passes.deliver("Jane Park <jane@acme.com>")
    assert passes.sync(now="2026-11-30T09:00").ok and passes.followups() == 1


def test_an_expired_delta_link_starts_a_new_round(passes: Passes) -> None:
    assert passes.sync().ok and passes.followups() == 2
    passes.deliver("Jane Park <jane@acme.com>")
    passes.fake.expire_delta_tokens()
    assert passes.sync(now="2026-11-30T09:00").ok and passes.followups() == 1
