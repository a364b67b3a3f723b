"""`auth caldav`, `auth status` and `calendars` against a real Radicale."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from followup_daemon.cli import main
from followup_daemon.secrets import load_secret

from ..caldav_helpers import make_calendar


def config(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text('[rules]\nmax_followups = 1\nthank_you = false\n'
                    f'[[accounts]]\nname = "c"\nprovider = "caldav"\nurl = "{url}/"\n'
                    'username = "alex"\ncalendar = "Jobs"\n')
    return path


def test_password_calendars_status_and_revoke(radicale: str, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    make_calendar(radicale)
    make_calendar(radicale, name="Personal")
    args = ["--account", "c", "--config", str(config(tmp_path, radicale))]
    monkeypatch.setattr("sys.stdin", io.StringIO("app-password-123\n"))
    assert main(["auth", "caldav", "--password-stdin", *args]) == 0
    assert load_secret("c") == {"provider": "caldav", "password": "app-password-123"}
    assert "app-password-123" not in capsys.readouterr().out
    assert main(["calendars", *args]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split()[0] == "Calendar"  # the table's header, then a rule
    assert sorted(line.split()[0] for line in listing[2:]) == ["Jobs", "Personal"]
    assert main(["auth", "status", *args]) == 0
    assert "c (caldav): authorised" in capsys.readouterr().out
    assert main(["auth", "revoke", *args]) == 0
    assert load_secret("c") is None


def test_an_empty_password_stores_nothing(radicale: str, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert main(["auth", "caldav", "--password-stdin", "--account", "c", "--config",
                 str(config(tmp_path, radicale))]) == 2
    assert "no password given" in capsys.readouterr().err and load_secret("c") is None
