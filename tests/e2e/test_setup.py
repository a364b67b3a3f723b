"""`setup` through a pseudo-terminal, as a new user runs it: local files, a real
Radicale, the fake Google and the fake Graph; resumable; and by flags for scripts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import tomllib
import urllib.request
from pathlib import Path

import pytest

from followup_daemon.cli import main

from ..caldav_helpers import interview as caldav_interview
from ..caldav_helpers import make_calendar
from ..fakes.fake_google import FakeGoogle
from ..fakes.fake_graph import DEFAULT_CALENDAR, FakeGraph
from ..ics_files import ics_text
from ..outlook_helpers import account as outlook_account
from ..outlook_helpers import interview as outlook_interview
from ..pty_session import PtySession

ROOT = Path(__file__).resolve().parents[2]
JOBS = "AAMkAGJvYnNKb2JzZWFyY2g" + "B" * 40 + "="
CALENDAR = ics_text("interview-new-york", uid="setup-1@test", start="20261216T140000",
                    summary="Interview with Acme - Backend Engineer", organizer="jane@acme.com")


def user_env(tmp_path: Path) -> dict[str, str]:
    """A user's environment with a test keyring in a file of the test's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    return {**env, "HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT),
            "PYTHON_KEYRING_BACKEND": "tests.keyring_backends.FileKeyring",
            "FOLLOWUP_TEST_KEYRING_FILE": str(tmp_path / "keyring.json")}


def paths(tmp_path: Path) -> list[str]:
    return ["-c", str(tmp_path / "config.toml"), "--state-dir", str(tmp_path / "state")]


def accounts(tmp_path: Path) -> list[dict[str, object]]:
    return list(tomllib.loads((tmp_path / "config.toml").read_text())["accounts"])


def local_answers(session: PtySession) -> None:
    session.answer("Which calendar do your interviews come from?", "4")
    session.answer("A name for this account [local]", "")
    session.answer("Calendar files or folders to read", "cal.ics")
    session.answer("Where follow-ups go", "out.ics")
    session.answer("The Maildir for drafts [~/Mail]", "Maildir")


def test_local_files_through_a_terminal_then_resumed(tmp_path: Path) -> None:
    (tmp_path / "cal.ics").write_text(CALENDAR)
    session = PtySession(["setup", *paths(tmp_path)], user_env(tmp_path), tmp_path)
    local_answers(session)
    session.expect("would create follow-up 'Follow up: e-mail Acme")
    session.answer("Install the daemon as a service, started at login, now? (y/n) [y]", "n")
    assert session.finish() == 0, session.screen
    assert "Later: `followup-daemon service install`" in session.screen
    [account] = accounts(tmp_path)
    here = tmp_path.resolve()  # a path typed relative is kept from where setup ran
    assert account == {"name": "local", "provider": "local",
                       "calendars": [str(here / "cal.ics")],
                       "followups": str(here / "out.ics"), "maildir": str(here / "Maildir")}
    text = (tmp_path / "config.toml").read_text()
    assert text.startswith("# followup-daemon") or "[rules]" in text  # the example's comments
    assert "# added by `followup-daemon setup`" in text
    assert not (tmp_path / "out.ics").exists()  # only a dry run so far
    again = PtySession(["setup", *paths(tmp_path)], user_env(tmp_path), tmp_path)
    again.answer("Which calendar do your interviews come from?", "4")
    again.answer("A name for this account [local]", "")
    again.expect("is in")
    again.answer("(y/n) [y]", "n")
    assert again.finish() == 0, again.screen
    assert "it is kept as it is" in again.screen and len(accounts(tmp_path)) == 1


def test_a_wrong_number_is_asked_again(tmp_path: Path) -> None:
    (tmp_path / "cal.ics").write_text(CALENDAR)
    session = PtySession(["setup", *paths(tmp_path)], user_env(tmp_path), tmp_path)
    session.answer("Which calendar do your interviews come from?", "9")
    session.answer("type one number from the list", "4")
    session.answer("A name for this account [local]", "mine")
    session.answer("Calendar files or folders to read", "cal.ics")
    session.answer("Where follow-ups go", "")
    session.answer("The Maildir for drafts", "")
    session.answer("(y/n) [y]", "n")
    assert session.finish() == 0, session.screen
    assert accounts(tmp_path)[0]["followups"] == "~/calendars/followups.ics"


def test_caldav_on_radicale_with_a_calendar_of_their_own(radicale: str,
                                                         tmp_path: Path) -> None:
    jobs = make_calendar(radicale)
    jobs.save_event(caldav_interview(start="20261216T140000"))
    session = PtySession(["setup", *paths(tmp_path)], user_env(tmp_path), tmp_path)
    session.answer("Which calendar do your interviews come from?", "3")
    session.answer("A name for this account [caldav]", "dav")
    session.answer("Which CalDAV service?", "4")
    session.answer("The server's CalDAV address", radicale + "/")
    session.answer("Your user name", "alex")
    session.answer("The IMAP server for drafts (Enter: no drafts)", "")
    session.answer("Password", "s3cret-pw")  # no echo: getpass on the terminal
    session.answer("Which calendar holds your interviews?", "1")
    session.expect("a new calendar, 'Follow-ups'")
    session.answer("Where should follow-ups go?", "")
    session.expect("Made the calendar 'Follow-ups'.")
    session.expect("dav: would create follow-up 'Follow up: e-mail Acme")
    session.answer("(y/n) [y]", "n")
    assert session.finish() == 0, session.screen
    assert "s3cret-pw" not in session.screen  # not echoed
    [account] = accounts(tmp_path)
    assert account["calendar"] == str(jobs.url)
    assert account["url"] == radicale + "/" and account["username"] == "alex"
    assert "imap_host" not in account  # Enter at the IMAP question: no drafts
    own = {c.get_display_name(): str(c.url) for c in jobs.client.principal().calendars()}
    assert account["target_calendar"] == own["Follow-ups"]
    assert "s3cret-pw" not in (tmp_path / "config.toml").read_text()
    assert "s3cret-pw" in (tmp_path / "keyring.json").read_text()
    synced = subprocess.run([sys.executable, "-m", "followup_daemon", "sync",
                             *paths(tmp_path)], env=user_env(tmp_path), cwd=tmp_path,
                            capture_output=True, text=True, timeout=120, check=False)
    assert synced.returncode == 0, synced.stderr
    written = jobs.client.calendar(url=own["Follow-ups"]).events()
    assert len(written) == 2 and not [e for e in jobs.events() if "Follow up" in e.data]


def visit_when_shown(session: PtySession) -> None:
    """Play the browser: open the sign-in address once the terminal shows it."""
    session.expect("http://127.0.0.1:")
    address = re.search(r"(http://127\.0\.0\.1:\d+/auth\S+)", session.screen)
    assert address, session.screen
    threading.Thread(target=lambda: urllib.request.urlopen(address.group(1),
                                                           timeout=10).read(),
                     daemon=True).start()


def test_google_signs_in_and_picks_calendars_by_name(fake_google: FakeGoogle, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    fake_google.calendars["jobs@group.calendar.google.com"] = {}
    fake_google.calendar_names["jobs@group.calendar.google.com"] = "Job search"
    fake_google.put_event("primary", {"summary": "Interview with Acme", "start": {
        "dateTime": "2026-12-16T14:00:00-05:00"}, "end": {"dateTime": "2026-12-16T15:00:00-05:00"},
        "organizer": {"email": "jane@acme.com"}})
    secrets = tmp_path / "client.json"
    secrets.write_text(json.dumps({"installed": {
        "client_id": fake_google.client_id, "client_secret": fake_google.client_secret,
        "auth_uri": fake_google.url + "/auth", "token_uri": fake_google.url + "/token",
        "redirect_uris": ["http://localhost"]}}))
    env = {**user_env(tmp_path), "OAUTHLIB_INSECURE_TRANSPORT": "1"}
    session = PtySession(["setup", "--no-browser", "--set", f'api_endpoint="{fake_google.url}"',
                          "--set", f'token_uri="{fake_google.url}/token"', *paths(tmp_path)],
                         env, tmp_path)
    session.answer("Which calendar do your interviews come from?", "1")
    session.answer("A name for this account [google]", "g")
    session.answer("The client JSON you downloaded", str(secrets))
    visit_when_shown(session)
    session.expect("1. alex@gmail.com")
    session.expect("2. Job search")
    session.answer("Which calendars hold your interviews?", "1,2")
    session.expect("3. a new calendar, 'Follow-ups'")
    session.answer("Where should follow-ups go? [3]", "")
    session.expect("Made the calendar 'Follow-ups'.")
    session.expect("g: would create follow-up")
    session.answer("(y/n) [y]", "n")
    assert session.finish() == 0, session.screen
    [account] = accounts(tmp_path)
    assert account["calendars"] == ["alex@gmail.com", "jobs@group.calendar.google.com"]
    made = str(account["target_calendar"])
    assert fake_google.calendar_names[made] == "Follow-ups" and made in fake_google.calendars


def test_by_flags_alone_for_scripts(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                    ) -> None:
    (tmp_path / "cal.ics").write_text(CALENDAR)
    os.chdir(tmp_path)
    assert main(["setup", "--service", "local", "--account", "l", "--calendar", "cal.ics",
                 "--followups", "out.ics", "--maildir", "Maildir", "--yes",
                 "--no-install-service", *paths(tmp_path)]) == 0
    assert "l: would create follow-up" in capsys.readouterr().out
    assert accounts(tmp_path)[0]["calendars"] == [str(tmp_path.resolve() / "cal.ics")]


def test_settings_given_by_flag_are_written_as_toml(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "cal.ics").write_text(CALENDAR)
    flags = ["setup", "--service", "local", "--calendar", str(tmp_path / "cal.ics"),
             "--followups", "~/f.ics", "--maildir", "~/M", "--yes", "--no-install-service",
             *paths(tmp_path)]
    assert main([*flags, "--account", "x", "--set", "no_such_key=1"]) == 2
    assert "no_such_key" in capsys.readouterr().err
    assert not (tmp_path / "config.toml").exists()  # refused whole: nothing written
    assert main([*flags, "--account", 'odd "name"']) == 2  # refused before any sign-in
    assert "account name 'odd \"name\"': use letters" in capsys.readouterr().err
    assert main([*flags, "--account", "job-search.2", "--set", "timeout_seconds=60"]) == 0
    [account] = accounts(tmp_path)
    assert account["name"] == "job-search.2" and account["timeout_seconds"] == 60
    capsys.readouterr()
    assert main(["setup", "--service", "caldav", "--account", "job-search.2", "--yes",
                 *paths(tmp_path)]) == 2  # the name is taken by another kind of account
    assert "is a local account; give this one another name" in capsys.readouterr().err


def test_any_value_is_written_as_toml_that_reads_back() -> None:
    from followup_daemon.cli_setup import toml_value

    value = {"a b": [1, 2.5, "x\"y"], "c": {"d": True}, "e": "line\nbreak"}
    assert tomllib.loads(f"v = {toml_value(value)}")["v"] == value


def test_a_question_without_a_flag_or_terminal_names_the_flag(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["setup", "--service", "local", "--yes", *paths(tmp_path)]) == 2
    assert "give --calendar" in capsys.readouterr().err
    assert not (tmp_path / "config.toml").exists()


def test_outlook_with_a_device_code_and_a_calendar_by_name(fake_graph: FakeGraph,
                                                            tmp_path: Path) -> None:
    fake_graph.calendar_names = {DEFAULT_CALENDAR: "Calendar", JOBS: "Job search"}
    fake_graph.put_event(outlook_interview(start="2026-12-16T14:00:00"), calendar=JOBS)
    settings = [f"--set={k}={json.dumps(v)}" for k, v in outlook_account(fake_graph).items()
                if k not in ("name", "provider")]
    session = PtySession(["setup", *settings, *paths(tmp_path)], user_env(tmp_path), tmp_path)
    session.answer("Which calendar do your interviews come from?", "2")
    session.answer("A name for this account [outlook]", "o")
    session.answer("The Application (client) ID", fake_graph.client_id)
    session.expect("devicelogin")
    session.answer("Which calendar holds your interviews?", "2")
    session.answer("Where should follow-ups go? [3]", "")
    session.expect("Made the calendar 'Follow-ups'.")
    session.expect("o: would create follow-up")
    session.answer("(y/n) [y]", "n")
    assert session.finish() == 0, session.screen
    [account] = accounts(tmp_path)
    made = str(account["target_calendar"])
    assert account["calendar"] == JOBS and fake_graph.calendar_names[made] == "Follow-ups"


def test_yes_to_the_service_installs_and_starts_it(tmp_path: Path) -> None:
    """The last step: the unit is written and systemd asked to start it (a systemctl
    that logs its calls stands in for the user manager; test_systemd_real runs the
    unit under a real one where the machine has it)."""
    (tmp_path / "cal.ics").write_text(CALENDAR)
    bin_dir, calls = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    (bin_dir / "systemctl").write_text(f'#!/bin/sh\necho "systemctl $*" >> {calls}\n')
    (bin_dir / "systemctl").chmod(0o755)
    env = {**user_env(tmp_path), "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    session = PtySession(["setup", *paths(tmp_path)], env, tmp_path)
    local_answers(session)
    session.answer("Install the daemon as a service, started at login, now? (y/n) [y]", "")
    assert session.finish() == 0, session.screen
    unit = tmp_path / "home" / ".config" / "systemd" / "user" / "followup-daemon.service"
    assert f"--config {tmp_path / 'config.toml'}" in unit.read_text()
    assert calls.read_text().splitlines() == [
        "systemctl --user daemon-reload", "systemctl --user enable --now followup-daemon.service"]
