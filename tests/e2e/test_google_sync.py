"""The sync engine with the Google provider against the fake Google."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from pathlib import Path

import pytest

from followup_daemon import sync
from followup_daemon.retry import RetryPolicy
from followup_daemon.rules import detection
from followup_daemon.rules.vocabulary import INTERVIEW_CLUES, INTERVIEW_TERMS
from followup_daemon.state import State

from ..fakes.fake_google import FakeGoogle
from ..google_helpers import Runner, interview

NY = dt.timezone(dt.timedelta(hours=-5))


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


def stored_titles(runner: Runner) -> list[str]:
    state = State(runner.root / "state")
    try:
        return sorted(json.loads(p)["summary"] for p in state.events("g").values())
    finally:
        state.close()


def test_a_grown_vocabulary_rereads_what_was_delivered_before(
        runner: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    """Events the filter dropped came once through the sync stream; a new word must
    still reach them (the stored filter version differs: every calendar is read anew)."""
    runner.fake.put_event("primary", interview("Kennenlernen bei Acme"))
    assert runner.sync().ok and stored_titles(runner) == []
    grown = re.compile(f"{INTERVIEW_TERMS.pattern}|kennenlernen", INTERVIEW_TERMS.flags)
    monkeypatch.setattr(detection, "INTERVIEW_TERMS", grown)  # the sync's and the adapter's
    assert INTERVIEW_CLUES is not None  # and the clues looked for before it
    monkeypatch.setattr(detection, "INTERVIEW_CLUES", (*INTERVIEW_CLUES, "kennenlernen"))
    assert runner.sync().ok and stored_titles(runner) == []  # incremental: nothing new
    monkeypatch.setattr(sync, "KEEP_FILTER", "a-grown-vocabulary")
    lists = runner.fake.count("GET", "/calendar/v3/calendars/primary/events")
    assert runner.sync().ok
    assert stored_titles(runner) == ["Kennenlernen bei Acme"]
    full = [r for r in runner.fake.requests if r.method == "GET" and r.path.endswith(
        "/primary/events")][-1].query  # the last listing was a full one
    assert runner.fake.count("GET", "/calendar/v3/calendars/primary/events") > lists
    assert "syncToken" not in full and "timeMin" in full
    assert runner.sync().ok  # once: the next pass is incremental again
    assert "syncToken" in runner.fake.requests[-1].query


def test_the_libraries_own_error_is_kept_for_the_debug_log(
        runner: Runner, caplog: pytest.LogCaptureFixture) -> None:
    """One line at error level; the cause (google-auth's RefreshError) only at debug."""
    runner.fake.refresh_tokens.clear()
    caplog.set_level(logging.DEBUG, logger="followup_daemon")
    assert not runner.sync().ok
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is None
    [debug] = [r for r in caplog.records if r.levelno == logging.DEBUG and r.exc_info]
    assert debug.exc_info is not None
    causes, error = [], debug.exc_info[1]
    while error is not None:
        causes.append(type(error).__name__)
        error = error.__cause__
    assert causes[0] == "AuthExpired" and "RefreshError" in causes


def test_a_new_process_reuses_the_access_token_kept_in_the_keyring(runner: Runner) -> None:
    """Each `sync --once` is a new process (new providers): while the access token
    kept with the refresh token is valid, no token request is made."""
    from followup_daemon.sync import Providers

    runner.fake.put_event("primary", interview())
    for _ in range(3):
        runner.providers = Providers()
        assert runner.sync().ok
    tokens = [r for r in runner.fake.requests if r.path == "/token"]
    assert len(tokens) == 1
    before = len(runner.fake.requests)
    runner.providers = Providers()
    assert runner.sync().ok
    assert [(r.method, r.path) for r in runner.fake.requests[before:]] == [
        ("GET", "/calendar/v3/calendars/primary/events")]


def test_a_kept_access_token_that_expired_or_was_revoked_is_renewed(runner: Runner) -> None:
    from followup_daemon.secrets import load_secret, save_secret
    from followup_daemon.sync import Providers

    runner.fake.put_event("primary", interview())
    assert runner.sync().ok
    secret = load_secret("g")
    assert secret is not None and secret["access_token"] in runner.fake.access_tokens
    save_secret("g", {**secret, "expiry": "2020-01-01T00:00:00"})
    runner.providers = Providers()
    assert runner.sync().ok
    assert len([r for r in runner.fake.requests if r.path == "/token"]) == 2
    runner.fake.access_tokens.clear()  # revoked: the service answers 401
    runner.providers = Providers()
    assert runner.sync().ok
    assert len([r for r in runner.fake.requests if r.path == "/token"]) == 3
    renewed = load_secret("g")
    assert renewed is not None and renewed["access_token"] in runner.fake.access_tokens
