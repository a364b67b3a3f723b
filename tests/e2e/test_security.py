"""Security checks: no secret in any file the daemon wrote or in its logs, every
file private even under a permissive umask, minimal scopes, and no sending code."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from followup_daemon.boundary import message_id
from followup_daemon.config import parse_config
from followup_daemon.content import Templates
from followup_daemon.state import State
from followup_daemon.sync import Providers, run_pass
from providers.google.session import scopes_for
from providers.outlook.tokens import SCOPES as GRAPH_SCOPES

from ..fakes.fake_google import FakeGoogle
from ..fakes.fake_graph import FakeGraph
from ..google_helpers import Runner
from ..google_helpers import interview as google_interview
from ..outlook_helpers import account as graph_account
from ..outlook_helpers import interview as graph_interview
from ..outlook_helpers import sign_in
from ..process_helpers import ROOT
from ..sync_helpers import Sandbox, vevent


def everything_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if "keyring" not in p.name]


def test_no_secret_in_files_or_logs_after_google_and_outlook_runs(
        fake_google: FakeGoogle, fake_graph: FakeGraph, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    Runner(fake_google, tmp_path)  # stores the Google test credentials
    sign_in(fake_graph, tmp_path / "state")
    fake_google.put_event("primary", google_interview())
    fake_graph.put_event(graph_interview())
    config = parse_config({"rules": {"max_followups": 1, "thank_you": False},
                           "sync": {"draft_when": "planned"}, "accounts": [
        Runner(fake_google, tmp_path).config().accounts[0], graph_account(fake_graph)]}, "t")
    state = State(tmp_path / "state")
    now = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)
    results = run_pass(config, state, now, Templates.load(), providers=Providers())
    state.close()
    assert all(r.ok for r in results), results
    secrets = {fake_google.client_secret, *fake_google.refresh_tokens,
               *fake_google.access_tokens, *fake_graph.refresh_tokens, *fake_graph.access_tokens}
    assert len(secrets) >= 5
    files = everything_under(tmp_path)
    assert any(p.name == "o.msal-cache" for p in files)
    for path in files:
        if path.is_file():
            content = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in content, path
    for secret in secrets:
        assert secret not in caplog.text
    bodies = [m.get("body", {}).get("content", "") for m in fake_graph.messages.values()]
    assert all(body and body[:40] not in caplog.text for body in bodies)


def test_everything_written_is_private_under_a_permissive_umask(tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    box.write(vevent("a@x", "Interview with Acme", "20261116T140000"))
    (tmp_path / "config.toml").write_text(
        '[sync]\ndraft_when = "planned"\n[[accounts]]\nname = "main"\nprovider = "local"\n'
        'calendars = ["calendar.ics"]\nfollowups = "out/followups.ics"\nmaildir = "Mail"\n')
    before = set(tmp_path.rglob("*"))
    result = subprocess.run(
        [sys.executable, "-m", "followup_daemon", "sync", "--once", "--config",
         str(tmp_path / "config.toml"), "--state-dir", str(tmp_path / "state"), "--now",
         "2026-11-10T09:00"], cwd=ROOT, capture_output=True, text=True,
        preexec_fn=lambda: os.umask(0), timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    created = set(tmp_path.rglob("*")) - before
    assert len(created) >= 8
    for path in created:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def _scopes_sent(requests: list[Any]) -> set[str]:
    """Every scope the client asked the fake identity server for, as sent on the wire."""
    asked: set[str] = set()
    for request in requests:
        if request.method == "POST" and isinstance(request.body, dict):
            for value in request.body.get("scope", []):
                asked |= set(value.split())
        asked |= {s for value in request.query.get("scope", []) for s in value.split()}
    return asked


def test_the_scopes_asked_for_on_the_wire_are_the_documented_minimal_ones(
        tmp_path: Path, fake_google: FakeGoogle, fake_graph: FakeGraph) -> None:
    """What the README tells users to allow is what the clients ask for, and no more."""
    readme = (ROOT / "README.md").read_text()
    documented_google = {"https://www.googleapis.com/auth/" + s for s in
                         re.findall(r"`\.\.\./auth/([a-z.]+)`", readme)}
    from ..google_helpers import authorise, make_provider

    provider = make_provider(fake_google, tmp_path)
    authorise(fake_google, replies=True)  # signed in as `auth google` does now
    provider.read_changes(None, dt.datetime.now(dt.UTC))
    asked_google = scopes_for({"name": "g", "provider": "google"})
    assert _scopes_sent(fake_google.requests) == documented_google == set(asked_google)
    sign_in(fake_graph, tmp_path / "o")
    asked = _scopes_sent(fake_graph.requests) - {"offline_access", "openid", "profile"}
    assert asked == set(GRAPH_SCOPES)
    for scope in GRAPH_SCOPES:
        assert f"**{scope}**" in readme, scope


def test_no_code_path_can_send_mail() -> None:
    sending = re.compile(r"smtplib|SMTP\(|sendmail|sendMail|\.send\(|/send\b|drafts\(\)\.send")
    for folder in ("followup_daemon", "providers"):
        for path in (ROOT / folder).rglob("*.py"):
            assert not sending.search(path.read_text()), path


def test_message_ids_reveal_nothing_but_the_key(tmp_path: Path) -> None:
    """A saved draft's Message-ID is a valid one, made of the key alone: no name, address,
    company or host of the user's, and different keys never share one."""
    import email
    import email.policy

    box = Sandbox(tmp_path)
    box.write(vevent("a", "Interview with Acme", "20261102T140000"),
              vevent("b", "Interview with Globex", "20261103T140000", organizer="j@globex.com"))
    assert box.sync()[0].ok
    ids = []
    for message in box.messages():
        header = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)[
            "Message-ID"]
        key = str(message["X-Followup-Daemon-Key"])
        assert str(header) == message_id(key) and key in str(header)
        assert not header.defects  # parsed as a msg-id, not as free text
        for private in ("Alex", "alex", "gmail", "Acme", "acme", "Globex", os.uname().nodename):
            assert private not in str(header).replace(key, ""), private
        ids.append(str(header))
    assert len(ids) == 2 and len(set(ids)) == 2
