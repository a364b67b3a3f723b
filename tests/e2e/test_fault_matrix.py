"""Faults of the services, over both fakes: for each, a pass ends with one clear log
line (no traceback), and once the fault is gone the next pass converges to the
right state without duplicates."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

import pytest

from followup_daemon.config import Config, parse_config
from followup_daemon.retry import RetryPolicy
from followup_daemon.sync import AccountResult, Providers

from ..fakes.fake_google import FakeGoogle
from ..fakes.fake_graph import FakeGraph
from ..google_helpers import authorise
from ..google_helpers import interview as google_interview
from ..outlook_helpers import account as graph_account
from ..outlook_helpers import interview as graph_interview
from ..outlook_helpers import sign_in
from ..sync_helpers import one_account_pass

NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)
PERSISTENT = [
    ("429 with Retry-After", {"status": 429, "retry_after": "1"}),
    ("429 without Retry-After", {"status": 429}),
    ("500", {"status": 500}), ("502", {"status": 502}), ("503", {"status": 503}),
    ("connection reset", {"kind": "reset"}),
    ("truncated JSON", {"kind": "truncated"}),
]


class Service:
    """One fake with its account, and what counts as a follow-up there."""

    def __init__(self, kind: str, google: FakeGoogle, graph: FakeGraph, root: Path) -> None:
        self.kind, self.root = kind, root
        self.fake: Any = google if kind == "google" else graph
        if kind == "google":
            authorise(google)
            account = {"name": "g", "provider": "google", "api_endpoint": google.url,
                       "token_uri": google.url + "/token", "timeout_seconds": 1}
            for n in range(3):
                google.put_event("primary", google_interview(f"Interview with Company{n}",
                                                             organizer={"email": f"a@c{n}.com"}))
        else:
            sign_in(graph, root / "state")
            account = {**graph_account(graph), "timeout_seconds": 1}
            for n in range(3):
                graph.put_event(graph_interview(f"Interview with Company{n}", organizer={
                    "emailAddress": {"address": f"a@c{n}.com"}}))
        self.config: Config = parse_config({"rules": {"max_followups": 1, "thank_you": False},
                           "sync": {"draft_when": "planned"},
                                            "accounts": [account]}, "t.toml")
        self.providers = Providers()
        self.list_path = "/events" if kind == "google" else "/calendarView/delta"

    def sync(self) -> AccountResult:
        return one_account_pass(self.config, self.root / "state", NOW, self.providers)

    def followup_keys(self) -> list[str]:
        if self.kind == "google":
            return [e["extendedProperties"]["private"]["followupDaemonKey"]
                    for e in self.fake.live_events() if "extendedProperties" in e]
        return [p["value"] for e in self.fake.live_events()
                for p in e.get("singleValueExtendedProperties", []) if "FollowupFor" in p["id"]]

    def drafts(self) -> int:
        return len(self.fake.drafts if self.kind == "google" else self.fake.messages)


@pytest.fixture(params=["google", "outlook"])
def service(request: pytest.FixtureRequest, fake_google: FakeGoogle, fake_graph: FakeGraph,
            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Service:
    monkeypatch.setattr(RetryPolicy, "delay", lambda self, attempt, retry_after: 0.0)
    return Service(str(request.param), fake_google, fake_graph, tmp_path)


def converged(service: Service) -> None:
    result = service.sync()
    assert result.ok, result.error
    keys = service.followup_keys()
    assert len(keys) == 3 and len(set(keys)) == 3 and service.drafts() == 3


def one_clear_line(caplog: pytest.LogCaptureFixture, result: AccountResult) -> None:
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not result.ok and "\n" not in result.error
    assert len(errors) == 1 and errors[0].exc_info is None, [r.getMessage() for r in errors]


@pytest.mark.parametrize(("name", "fault"), PERSISTENT, ids=[p[0] for p in PERSISTENT])
def test_a_persistent_fault_then_recovery(service: Service, name: str, fault: dict[str, Any],
                                          caplog: pytest.LogCaptureFixture) -> None:
    service.fake.fail("GET", service.list_path, times=50, **fault)
    one_clear_line(caplog, service.sync())
    service.fake.faults.clear()
    converged(service)


def test_a_slow_answer_past_the_timeout_is_retried(service: Service) -> None:
    service.fake.fail("GET", service.list_path, kind="timeout")
    converged(service)


def test_an_expired_sync_position_starts_afresh(service: Service) -> None:
    converged(service)
    expire = (service.fake.expire_sync_tokens if service.kind == "google"
              else service.fake.expire_delta_tokens)
    expire()
    converged(service)


def test_an_expired_refresh_token_until_signed_in_again(service: Service,
                                                        caplog: pytest.LogCaptureFixture
                                                        ) -> None:
    kept = set(service.fake.refresh_tokens)
    service.fake.refresh_tokens.clear()
    service.fake.access_tokens.clear()
    result = service.sync()
    one_clear_line(caplog, result)
    assert "needs re-authorisation" in result.error
    service.fake.refresh_tokens |= kept  # the user authorised again
    service.providers = Providers()
    if service.kind == "outlook":
        sign_in(service.fake, service.root / "state")
    converged(service)


# A write that landed and whose answer was lost: the worst moment of all.

LOST = ["applied_close", "applied_reset"]
CREATES = {"google": {"follow-up": ("POST", "/events"), "draft": ("POST", "/drafts")},
           "outlook": {"follow-up": ("POST", "/events"), "draft": ("POST", "/messages")}}


def exactly_one_each(service: Service) -> None:
    """After the faults and one clean pass: one follow-up and one draft per interview."""
    service.fake.faults.clear()
    converged(service)
    converged(service)


@pytest.mark.parametrize("kind", LOST)
@pytest.mark.parametrize("write", ["follow-up", "draft"])
@pytest.mark.parametrize("times", [1, 1000], ids=["first write", "every write"])
def test_a_create_whose_answer_is_lost_is_settled_not_resent(
        service: Service, kind: str, write: str, times: int) -> None:
    method, path = CREATES[service.kind][write]
    service.fake.fail(method, path, kind=kind, times=times)
    service.sync()
    sent = service.fake.count(method, path)
    if write == "draft":  # no idempotency key: a second send would be a second draft
        assert sent == 3, f"draft creates sent {sent} times for 3 interviews"
    exactly_one_each(service)


@pytest.mark.parametrize("kind", LOST)
def test_every_write_of_a_pass_losing_its_answer(service: Service, kind: str) -> None:
    for method, path in CREATES[service.kind].values():
        service.fake.fail(method, path, kind=kind, times=1000)
    result = service.sync()
    assert result.ok, result.error
    assert result.counts["created"] == 3 and result.counts["drafts"] == 3, result.counts
    exactly_one_each(service)


def _move_and_drop(service: Service) -> None:
    """Interview 0 moves a week later; interview 1 is deleted."""
    fake = service.fake
    if service.kind == "google":
        mine = [e for e in fake.live_events() if "extendedProperties" not in e]
        moved = {**mine[0], "start": {"dateTime": "2026-11-23T14:00:00-05:00"},
                 "end": {"dateTime": "2026-11-23T15:00:00-05:00"}}
        fake.put_event("primary", moved, mine[0]["id"])
        fake.delete_event("primary", mine[1]["id"])
    else:
        mine = [e for e in fake.live_events() if "singleValueExtendedProperties" not in e]
        fake.put_event({**mine[0], "start": {"dateTime": "2026-11-23T14:00:00",
                                             "timeZone": "Eastern Standard Time"},
                        "end": {"dateTime": "2026-11-23T15:00:00",
                                "timeZone": "Eastern Standard Time"}}, mine[0]["id"])
        fake.delete_event(mine[1]["id"])


@pytest.mark.parametrize("kind", LOST)
def test_moves_and_deletes_whose_answers_are_lost(service: Service, kind: str) -> None:
    converged(service)
    _move_and_drop(service)
    for method in ("PATCH", "DELETE"):
        service.fake.fail(method, "/", kind=kind, times=1000)
    service.sync()
    service.fake.faults.clear()
    result = service.sync()
    assert result.ok, result.error
    keys = service.followup_keys()
    assert len(keys) == 2 and len(set(keys)) == 2 and service.drafts() == 2
