"""Replies read from Gmail (history and metadata headers) in passes over the fake
Google, and an older sign-in that cannot read them."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from followup_daemon.cli_status import _status_text, status_data
from followup_daemon.state import State

from ..fakes.fake_google import FakeGoogle
from ..google_helpers import Runner, deliver, interview

REPLY = ("Jane Park <jane@acme.com>", "Fri, 27 Nov 2026 10:00:00 -0500")
V2 = {"max_followups": 2, "thank_you": False}


@pytest.fixture
def runner(fake_google: FakeGoogle, tmp_path: Path) -> Runner:
    return Runner(fake_google, tmp_path, replies=True, rules=V2)


def paths_since(runner: Runner, before: int) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in runner.fake.requests[before:]]


def test_a_no_change_pass_is_one_calendar_and_one_mailbox_request(runner: Runner) -> None:
    runner.fake.put_event("primary", interview())
    deliver(runner.fake, "newsletter@shop.example", REPLY[1])
    assert runner.sync().ok
    runner.sync()  # our own writes come back once through the calendar's sync stream
    before = len(runner.fake.requests)
    assert runner.sync().ok
    assert paths_since(runner, before) == [("GET", "/calendar/v3/calendars/primary/events"),
                                           ("GET", "/gmail/v1/users/me/history")]
    history = runner.fake.requests[-1].query
    assert history["labelId"] == ["INBOX"] and history["historyTypes"] == ["messageAdded"]
    assert not any("q" in r.query for r in runner.fake.requests)  # refused with metadata


def test_new_mail_is_read_by_its_metadata_headers_only(runner: Runner) -> None:
    runner.fake.put_event("primary", interview())
    assert runner.sync().ok and len(runner.followups()) == 2
    deliver(runner.fake, *REPLY)
    before = len(runner.fake.requests)
    assert runner.sync(now="2026-11-30T09:00").ok
    reads = [r for r in runner.fake.requests[before:] if "/messages/" in r.path]
    assert len(reads) == 1 and reads[0].query["format"] == ["metadata"]
    assert "From" in reads[0].query["metadataHeaders"]
    assert len(runner.followups()) == 1  # the second follow-up went with the answer


def test_an_expired_history_id_starts_over_from_the_profile(runner: Runner) -> None:
    runner.fake.put_event("primary", interview())
    assert runner.sync().ok and len(runner.followups()) == 2
    deliver(runner.fake, *REPLY)
    runner.fake.expire_history()  # the reply came while the history id was too old
    before = len(runner.fake.requests)
    assert runner.sync(now="2026-11-30T09:00").ok
    paths = [path for _, path in paths_since(runner, before)]
    assert paths.count("/gmail/v1/users/me/history") == 1  # the 404
    assert "/gmail/v1/users/me/profile" in paths and "/gmail/v1/users/me/messages" in paths
    assert len(runner.followups()) == 1
    before = len(runner.fake.requests)
    assert runner.sync(now="2026-11-30T09:00").ok  # and from the profile's id on
    assert paths_since(runner, before)[-1] == ("GET", "/gmail/v1/users/me/history")


def test_a_sign_in_without_metadata_keeps_working_and_says_replies_are_off(
        fake_google: FakeGoogle, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runner = Runner(fake_google, tmp_path, replies=False, rules=V2)  # signed in before v2
    runner.fake.put_event("primary", interview())
    with caplog.at_level(logging.WARNING):
        first, second = runner.sync(), runner.sync()
    assert first.ok and second.ok and first.counts["drafts"] == 2
    assert len(runner.followups()) == 2 and len(fake_google.drafts) == 2
    assert not any("/history" in r.path or "/messages" in r.path for r in fake_google.requests)
    said = [r.getMessage() for r in caplog.records if "replies are off" in r.getMessage()]
    assert len(said) == 1  # once, not every pass
    state = State(tmp_path / "state")
    try:
        text = _status_text(status_data(state, dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)))
    finally:
        state.close()
    assert "g: replies are off" in text
    assert "followup-daemon auth google --account g --client-secrets FILE" in text

