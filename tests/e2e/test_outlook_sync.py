"""The sync engine with the Outlook provider: a dead sign-in fails only its account."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from followup_daemon.config import parse_config
from followup_daemon.content import Templates
from followup_daemon.state import State
from followup_daemon.sync import Providers, run_pass

from ..fakes.fake_graph import FakeGraph
from ..outlook_helpers import account, interview, sign_in
from ..sync_helpers import Sandbox, vevent

NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


def test_outlook_and_local_accounts_side_by_side(fake_graph: FakeGraph, tmp_path: Path) -> None:
    sign_in(fake_graph, tmp_path / "state")
    fake_graph.put_event(interview())
    box = Sandbox(tmp_path)
    box.write(vevent("a@x", "Interview with Acme", "20261116T140000"))
    local = box.config().accounts[0]
    config = parse_config({"rules": {"timezone": "America/New_York", "max_followups": 1,
                                     "thank_you": False},
                           "sync": {"draft_when": "planned"},
                           "accounts": [account(fake_graph), local]}, "t.toml")
    config.path = tmp_path / "config.toml"
    providers, state = Providers(), State(tmp_path / "state")
    outlook, main = run_pass(config, state, NOW, Templates.load(), providers=providers)
    assert outlook.ok and main.ok
    assert len([e for e in fake_graph.live_events() if "singleValueExtendedProperties" in e]) == 1
    assert len(fake_graph.messages) == 1
    fake_graph.refresh_tokens.clear()
    fake_graph.access_tokens.clear()
    box.write(vevent("a@x", "Interview with Acme", "20261116T140000"),
              vevent("b@x", "Phone screen (Globex)", "20261117T100000"))
    outlook, main = run_pass(config, state, NOW, Templates.load(), providers=Providers())
    assert not outlook.ok and "needs re-authorisation" in outlook.error
    assert "auth outlook --account o" in outlook.error
    assert main.ok and len(box.followups()) == 2
    state.close()


def test_a_no_change_sync_once_asks_the_sign_in_service_nothing(fake_graph: FakeGraph,
                                                                tmp_path: Path) -> None:
    """Each `sync --once` is a new process: msal's HTTP cache (the OpenID
    configuration) and its token cache are kept, so while the access token is valid
    a pass with nothing new is one delta request per calendar and per mailbox."""
    sign_in(fake_graph, tmp_path / "state")
    fake_graph.put_event(interview())
    config = parse_config({"rules": {"timezone": "America/New_York"},
                           "sync": {"draft_when": "planned"},
                           "accounts": [account(fake_graph)]}, "t.toml")
    state = State(tmp_path / "state")
    for _ in range(3):
        [result] = run_pass(config, state, NOW, Templates.load(), providers=Providers())
        assert result.ok, result.error
    before = len(fake_graph.requests)
    [result] = run_pass(config, state, NOW, Templates.load(), providers=Providers())
    state.close()
    assert result.ok
    assert [r.path for r in fake_graph.requests[before:]] == [
        "/v1.0/me/calendarView/delta", "/v1.0/me/mailFolders/inbox/messages/delta"]
    assert (tmp_path / "state" / "o.msal-http").stat().st_mode & 0o777 == 0o600
    assert b"openid" not in (tmp_path / "state" / "o.msal-http").read_bytes()  # encrypted


def test_the_record_of_the_daemons_event_ids_is_written_once_per_pass(
        fake_graph: FakeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from followup_daemon.files import write_private
    from providers.outlook import calendar

    written: list[str] = []

    def counted(path: Path, data: str | bytes) -> None:
        written.append(Path(path).name)
        write_private(path, data)

    monkeypatch.setattr(calendar, "write_private", counted)
    sign_in(fake_graph, tmp_path / "state")
    for n in range(3):
        fake_graph.put_event(interview(f"Interview with Company{n}", organizer={
            "emailAddress": {"address": f"jane@company{n}.com", "name": "Jane"}}))
    config = parse_config({"rules": {"timezone": "America/New_York", "max_followups": 1,
                                     "thank_you": False},
                           "sync": {"draft_when": "planned"},
                           "accounts": [account(fake_graph)]}, "t.toml")
    state = State(tmp_path / "state")
    [result] = run_pass(config, state, NOW, Templates.load(), providers=Providers())
    state.close()
    assert result.counts["created"] == 3, result
    # a first read saves it twice (its own listing, the delta round); the 3 writes once
    assert written.count("o.outlook-followups.json") == 3, written
