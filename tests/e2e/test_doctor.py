"""`followup-daemon doctor` in each state it reports, against the fake Google and
local files: a problem row with its fix, and exit status 0 only when all is well."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring

from followup_daemon.cli import main
from followup_daemon.state import CREATING, DraftRow, State

from ..fakes.fake_google import FakeGoogle
from ..google_helpers import authorise
from ..ics_files import ics_text


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home with no service installed and a fake systemctl."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    monkeypatch.setenv("TZ", "America/New_York")
    (tmp_path / "cal.ics").write_text(ics_text("empty"))
    return tmp_path


def doctor(root: Path, capsys: pytest.CaptureFixture[str], config: str,
           ) -> tuple[int, dict[str, dict[str, str]]]:
    (root / "config.toml").write_text(config)
    status = main(["doctor", "--json", "--config", str(root / "config.toml"),
                   "--state-dir", str(root / "state")])
    rows = json.loads(capsys.readouterr().out)
    return status, {r["name"]: r for r in rows}


LOCAL = ('[rules]\ntimezone = "America/New_York"\nmax_followups = 1\nthank_you = false\n'
         '[[accounts]]\nname = "a"\n'
         'provider = "local"\ncalendars = ["cal.ics"]\nfollowups = "f.ics"\n')


def google(fake: FakeGoogle, endpoint: str | None = None) -> str:
    return (f'[[accounts]]\nname = "g"\nprovider = "google"\napi_endpoint = '
            f'"{endpoint or fake.url}"\ntoken_uri = "{fake.url}/token"\ntimeout_seconds = 1\n')


def test_all_well_but_for_warnings(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, rows = doctor(home, capsys, LOCAL)
    assert status == 0
    assert rows["config"]["status"] == "ok" and rows["account a"]["status"] == "ok"
    assert rows["time zone"]["found"] == "America/New_York"
    assert rows["state"]["status"] == "warning" and rows["service"]["status"] == "warning"
    assert "service install" in rows["service"]["fix"]


def test_an_invalid_config(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, rows = doctor(home, capsys, '[rules]\ndelay_days = "ten"\n')
    assert status == 1 and rows["config"]["status"] == "problem"
    assert "delay_days" in rows["config"]["found"]


@pytest.mark.parametrize(("setting", "found"), [
    ('followups = "cal.ics"', "never writes into your own calendar"),
    ('followups = "f.ics"\ncalendars = ["missing.ics"]', "does not exist"),
])
def test_a_local_account_that_cannot_work(home: Path, capsys: pytest.CaptureFixture[str],
                                          setting: str, found: str) -> None:
    config = LOCAL.replace('calendars = ["cal.ics"]\nfollowups = "f.ics"\n', "") + setting
    status, rows = doctor(home, capsys, config + "\n" if "calendars" in setting else
                          config + '\ncalendars = ["cal.ics"]\n')
    assert status == 1 and rows["account a"]["status"] == "problem"
    assert found in rows["account a"]["found"]


@pytest.mark.parametrize(("replies", "setting"), [(True, ""), (False, ""),
                                                  (False, "replies = false\n")])
def test_a_google_account_that_works(home: Path, fake_google: FakeGoogle,
                                     capsys: pytest.CaptureFixture[str], replies: bool,
                                     setting: str) -> None:
    authorise(fake_google, replies=replies)
    status, rows = doctor(home, capsys, google(fake_google) + setting)
    assert rows["account g"]["status"] == "ok", rows["account g"]
    assert status == 0
    off = rows.get("account g replies")
    if replies or setting:  # read, or not wanted: nothing to say
        assert off is None
    else:  # signed in before replies were read: it works, and says how to read them
        assert off is not None and off["status"] == "warning"
        assert "gmail.metadata" in off["found"]
        assert "followup-daemon auth google --account g --client-secrets FILE" in off["fix"]


def test_a_google_account_that_needs_signing_in_again(home: Path, fake_google: FakeGoogle,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    authorise(fake_google)
    fake_google.refresh_tokens.clear()
    status, rows = doctor(home, capsys, google(fake_google))
    assert status == 1 and rows["account g"]["found"] == "needs re-authorisation"
    assert "followup-daemon auth google --account g" in rows["account g"]["fix"]


def test_a_google_account_out_of_reach(home: Path, fake_google: FakeGoogle,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    authorise(fake_google)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    status, rows = doctor(home, capsys, google(fake_google, f"http://127.0.0.1:{port}"))
    assert status == 1 and "cannot be reached" in rows["account g"]["found"]


def test_no_keyring_where_one_is_needed(home: Path, fake_google: FakeGoogle,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    keyring.set_keyring(NoKeyring())  # type: ignore[no-untyped-call]
    status, rows = doctor(home, capsys, google(fake_google))
    assert status == 1 and rows["keyring"]["status"] == "problem"
    assert "Secret Service" in rows["keyring"]["fix"]
    _, rows = doctor(home, capsys, LOCAL)
    assert rows["keyring"]["status"] == "ok" and "no account needs one" in rows["keyring"]["found"]


def test_an_invalid_tz(home: Path, capsys: pytest.CaptureFixture[str],
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Mars/Olympus_Mons")
    status, rows = doctor(home, capsys, LOCAL)
    assert status == 1 and "names no zone" in rows["time zone"]["found"]


def test_the_state_with_unfinished_writes_and_a_corrupt_state(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = State(home / "state")
    state.put_draft("a", DraftRow("k", CREATING, None, "jane@acme.com"),
                    dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    state.close()
    status, rows = doctor(home, capsys, LOCAL)
    assert status == 0 and rows["state"]["status"] == "warning"
    assert "1 unfinished write" in rows["state"]["found"]
    (home / "state" / "state.sqlite3").write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    status, rows = doctor(home, capsys, LOCAL)
    assert status == 1 and rows["state"]["status"] == "problem"
    assert "keep the file" in rows["state"]["fix"]


def _systemctl(home: Path, monkeypatch: pytest.MonkeyPatch, answer: str, code: int) -> None:
    bin_dir = home / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "systemctl").write_text(  # is-active answers `answer`; is-enabled: enabled
        f'#!/bin/sh\n[ "$2" = is-enabled ] && {{ echo enabled; exit 0; }}\n'
        f"echo {answer}\nexit {code}\n")
    (bin_dir / "systemctl").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    unit = home / "home" / ".config" / "systemd" / "user" / "followup-daemon.service"
    unit.parent.mkdir(parents=True, exist_ok=True)
    unit.write_text("[Service]\n")


@pytest.mark.parametrize(("answer", "code", "verdict"), [("active", 0, "ok"),
                                                         ("failed", 3, "problem")])
def test_an_installed_service(home: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch, answer: str, code: int,
                              verdict: str) -> None:
    _systemctl(home, monkeypatch, answer, code)
    status, rows = doctor(home, capsys, LOCAL)
    assert rows["service"]["status"] == verdict and status == (0 if verdict == "ok" else 1)


def test_the_table_for_people(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (home / "config.toml").write_text(LOCAL.replace("cal.ics", "missing.ics", 1))
    assert main(["doctor", "--config", str(home / "config.toml"),
                 "--state-dir", str(home / "state")]) == 1
    out = capsys.readouterr().out
    assert "account a  PROBLEM" in out and "fix: fix the account" in out


def test_the_last_pass_failure_is_shown(home: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    from followup_daemon.state import AccountRow

    state = State(home / "state")
    state.record_pass(AccountRow("a", None, "2026-11-30T09:00", "2026-11-30T09:00:01",
                                 "failed", "calendar x does not exist", "{}"))
    state.close()
    _, rows = doctor(home, capsys, LOCAL)
    row: dict[str, Any] = rows["account a"]
    assert row["status"] == "warning" and "calendar x does not exist" in row["found"]


def test_a_plaintext_keyring_is_a_problem(home: Path, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    from ..keyring_backends import MemoryKeyring

    class PlaintextKeyring(MemoryKeyring):  # how keyrings.alt names its file backend
        pass

    keyring.set_keyring(PlaintextKeyring())
    status, rows = doctor(home, capsys, LOCAL)
    assert status == 1 and "plain file" in rows["keyring"]["found"]
