"""A local calendar with its drafts on IMAP (a real Dovecot): `auth imap` and a pass."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from followup_daemon.cli import main
from followup_daemon.secrets import load_secret, save_secret

from ..caldav_helpers import draft_keys
from ..servers.dovecot_server import PASSWORD, Dovecot
from ..sync_helpers import Sandbox, vevent


def test_local_calendar_with_imap_drafts(tmp_path: Path, dovecot: Dovecot, imap_user: str,
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    box = Sandbox(tmp_path)
    box.write(vevent("a@x", "Interview with Acme", "20261116T140000"),
              vevent("g@x", "Phone screen (Globex)", "20261117T100000",
                     organizer="sam@globex.com"))
    config = tmp_path / "config.toml"
    config.write_text(f"""[rules]
max_followups = 1
thank_you = false
[sync]
draft_when = "planned"
[[accounts]]
name = "home"
provider = "local"
calendars = ["calendar.ics"]
followups = "out/followups.ics"
imap_host = "127.0.0.1"
imap_port = {dovecot.port}
imap_security = "starttls"
imap_username = "{imap_user}"
ca_bundle = "{dovecot.root / 'fake-ca.pem'}"
""")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["auth", "imap", "--password-stdin", "--account", "home",
                 "--config", str(config)]) == 0
    assert load_secret("home") == {"provider": "imap", "imap_password": PASSWORD}
    args = ["sync", "--once", "--config", str(config), "--state-dir", str(tmp_path / "state"),
            "--now", "2026-11-10T09:00"]
    assert main(args) == 0
    assert main(args) == 0  # no duplicates on a second pass
    assert len(box.followups()) == 2
    keys = draft_keys(dovecot, imap_user)
    assert len(keys) == 2 and set(keys.values()) == {1}
    assert PASSWORD not in capsys.readouterr().out
    check_and_revoke(config, capsys)


def check_and_revoke(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`auth status` logs in with the stored password; `auth revoke` forgets it."""
    capsys.readouterr()
    assert main(["auth", "status", "--config", str(config)]) == 0
    assert "home (imap): authorised (IMAP)" in capsys.readouterr().out
    secret = load_secret("home")
    assert secret is not None
    save_secret("home", {**secret, "imap_password": "wrong"})
    assert main(["auth", "status", "--config", str(config)]) == 0
    assert "home (imap): IMAP login refused" in capsys.readouterr().out
    assert main(["auth", "revoke", "--account", "home", "--config", str(config)]) == 0
    assert "the IMAP password is forgotten" in capsys.readouterr().out
    assert load_secret("home") is None
