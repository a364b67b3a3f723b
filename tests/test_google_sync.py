"""The sync engine with the Google provider against the fake Google."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from followup_daemon.config import Config, parse_config
from followup_daemon.content import Templates
from followup_daemon.retry import RetryPolicy
from followup_daemon.state import State
from followup_daemon.sync import AccountResult, Providers, run_pass

from .fakes.fake_google import FakeGoogle
from .google_helpers import account, authorise, interview

NY = dt.timezone(dt.timedelta(hours=-5))


class Runner:
    """Passes over one Google account, keeping providers as `run` does."""

    def __init__(self, fake: FakeGoogle, root: Path) -> None:
        authorise(fake)
        self.fake, self.root = fake, root
        self.providers = Providers()

    def config(self) -> Config:
        return parse_config({"rules": {"timezone": "America/New_York"},
                             "me": {"name": "Alex Rivera", "emails": ["alex@gmail.com"]},
                             "sync": {"draft_when": "planned"},
                             "accounts": [account(self.fake, timeout_seconds=2)]}, "t.toml")

    def sync(self, now: str = "2026-11-10T09:00") -> AccountResult:
        state = State(self.root / "state")
        try:
            moment = dt.datetime.fromisoformat(now).replace(tzinfo=NY)
            [result] = run_pass(self.config(), state, moment, Templates.load(),
                                providers=self.providers)
            return result
        finally:
            state.close()

    def followups(self) -> list[dict[str, object]]:
        return [e for e in self.fake.live_events()
                if "followupDaemonKey" in str(e.get("extendedProperties"))]


@pytest.fixture
def runner(fake_google: FakeGoogle, tmp_path: Path) -> Runner:
    return Runner(fake_google, tmp_path)


def test_follow_up_and_draft_then_no_duplicates(runner: Runner) -> None:
    runner.fake.put_event("primary", interview(description="Decision: 2026-11-19"))
    assert runner.sync().ok
    [created] = runner.followups()
    assert created["start"] == {"dateTime": "2026-11-20T10:00:00-05:00",
                                "timeZone": "America/New_York"}
    assert str(created["summary"]).startswith("Follow up: e-mail Acme")
    assert len(runner.fake.drafts) == 1
    runner.sync()
    runner.sync(now="2026-11-11T09:00")
    assert len(runner.followups()) == 1 and len(runner.fake.drafts) == 1
    assert all("send" not in r.path for r in runner.fake.requests)


def test_a_no_change_pass_is_one_events_list(runner: Runner) -> None:
    runner.fake.put_event("primary", interview())
    runner.sync()
    runner.sync()  # our own writes come back once through the sync stream
    before = len(runner.fake.requests)
    assert runner.sync().ok
    assert [(r.method, r.path) for r in runner.fake.requests[before:]] == [
        ("GET", "/calendar/v3/calendars/primary/events")]


def test_moved_and_deleted_interviews(runner: Runner) -> None:
    event = runner.fake.put_event("primary", interview(description="Decision: 2026-11-19"))
    runner.sync()
    moved = interview(start="2026-11-18T14:00:00-05:00", description="Decision: 2026-11-24")
    runner.fake.put_event("primary", moved, event_id=event["id"])
    runner.sync(now="2026-11-11T09:00")
    [followup] = runner.followups()
    assert followup["start"]["dateTime"] == "2026-11-25T10:00:00-05:00"  # type: ignore[index]
    assert runner.fake.count("PATCH", "/events/") == 1
    runner.fake.delete_event("primary", event["id"])
    runner.sync(now="2026-11-12T09:00")
    assert runner.followups() == [] and runner.fake.drafts == {}


def test_the_users_deletion_and_move_are_respected(runner: Runner) -> None:
    runner.fake.put_event("primary", interview(description="Decision: 2026-11-19"))
    runner.fake.put_event("primary", interview("Phone screen (Globex)",
                                               organizer={"email": "s@globex.com"}))
    runner.sync()
    first, second = runner.followups()
    runner.fake.delete_event("primary", str(first["id"]))
    runner.fake.put_event("primary", {**second, "start": {"dateTime": "2026-12-01T16:00:00Z"},
                                      "end": {"dateTime": "2026-12-01T16:15:00Z"}},
                          event_id=str(second["id"]))
    runner.sync(now="2026-11-11T09:00")
    runner.sync(now="2026-11-12T09:00")
    [left] = runner.followups()
    assert left["start"] == {"dateTime": "2026-12-01T16:00:00Z"}


def test_an_expired_refresh_token_fails_only_that_account(runner: Runner) -> None:
    runner.fake.refresh_tokens.clear()
    result = runner.sync()
    assert not result.ok and "needs re-authorisation" in result.error
    assert "followup-daemon auth google --account g" in result.error
    state = State(runner.root / "state")
    assert "needs re-authorisation" in (state.account("g").error or "")


def test_an_outage_keeps_the_sync_position(runner: Runner,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RetryPolicy, "delay", lambda self, attempt, retry_after: 0.01)
    runner.fake.put_event("primary", interview())
    runner.sync()
    cursor = State(runner.root / "state").account("g").cursor
    runner.fake.fail("GET", "/events", kind="reset", times=20)
    assert not runner.sync().ok
    assert State(runner.root / "state").account("g").cursor == cursor
    runner.fake.faults.clear()
    assert runner.sync().ok and len(runner.followups()) == 1
