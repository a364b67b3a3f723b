"""The command line as users of gcalcli, khal and vdirsyncer expect it: global options
before or after the command, `sync` as one pass (one account, or a dry run), and a
progress line that never leaves the terminal mid-line."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from followup_daemon.cli import _chosen, main
from followup_daemon.cli_sync import ProgressLine
from followup_daemon.state import State

from ..sync_helpers import vevent

ACCOUNT = """
[[accounts]]
name = "{name}"
provider = "local"
calendars = ["{name}.ics"]
followups = "out/{name}-followups.ics"
maildir = "Mail-{name}"
"""


def two_accounts(tmp_path: Path) -> Path:
    """A config of two local accounts, each with one interview."""
    for name, company in (("work", "Acme"), ("home", "Globex")):
        (tmp_path / f"{name}.ics").write_text(
            "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:t\n"
            + vevent(f"{name}@x", f"Interview with {company}", "20261116T140000",
                     organizer=f"hr@{company.lower()}.com")
            + "\nEND:VCALENDAR\n")
    config = tmp_path / "config.toml"
    config.write_text('[rules]\ntimezone = "America/New_York"\nmax_followups = 1\n'
                      'thank_you = false\n[sync]\ndraft_when = "planned"\n'
                      + ACCOUNT.format(name="work") + ACCOUNT.format(name="home"))
    return config


def sync(config: Path, tmp_path: Path, *words: str) -> int:
    return main(["sync", "--now", "2026-11-10T09:00", *words, "--state-dir",
                 str(tmp_path / "state"), "-c", str(config)])


def test_global_options_before_the_command_as_a_process(tmp_path: Path) -> None:
    config = two_accounts(tmp_path)
    assert sync(config, tmp_path) == 0
    for words in (["-c", str(config), "--state-dir", str(tmp_path / "state"), "status"],
                  ["status", "-c", str(config), "--state-dir", str(tmp_path / "state")],
                  ["--log-level", "warning", "--config", str(config), "status",
                   "--state-dir", str(tmp_path / "state")]):
        shown = subprocess.run([sys.executable, "-m", "followup_daemon", *words],
                               capture_output=True, text=True, check=False)
        assert shown.returncode == 0, shown.stderr
        assert "Interview with Acme" in shown.stdout or "Acme" in shown.stdout


def test_an_option_after_the_command_wins_over_the_same_before_it(tmp_path: Path) -> None:
    config = two_accounts(tmp_path)
    missing = tmp_path / "missing.toml"
    assert main(["-c", str(missing), "sync", "--now", "2026-11-10T09:00", "-c", str(config),
                 "--state-dir", str(tmp_path / "state")]) == 0
    assert (tmp_path / "out" / "work-followups.ics").exists()


def test_the_command_is_found_past_option_values() -> None:
    assert _chosen(["-c", "plan", "status"]) == "status"
    assert _chosen(["--state-dir", "sync", "--log-level", "debug", "doctor"]) == "doctor"
    assert _chosen(["--log-level", "info"]) == ""


def test_sync_without_once_is_one_pass_and_once_is_still_accepted(tmp_path: Path) -> None:
    config = two_accounts(tmp_path)
    assert sync(config, tmp_path) == 0
    assert (tmp_path / "out" / "work-followups.ics").exists()
    assert sync(config, tmp_path, "--once") == 0


def test_sync_account_passes_over_that_account_only(tmp_path: Path) -> None:
    config = two_accounts(tmp_path)
    assert sync(config, tmp_path, "--account", "home") == 0
    assert (tmp_path / "out" / "home-followups.ics").exists()
    assert not (tmp_path / "out" / "work-followups.ics").exists()
    state = State(tmp_path / "state")
    assert [a.name for a in state.accounts()] == ["home"]
    state.close()


def test_sync_account_names_an_unknown_account(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    config = two_accounts(tmp_path)
    assert sync(config, tmp_path, "--account", "office") == 2
    err = capsys.readouterr().err
    assert "--account office: no such account" in err and "work, home" in err


def test_a_dry_run_says_the_writes_and_makes_none(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    config = two_accounts(tmp_path)
    assert sync(config, tmp_path, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "work: would create follow-up 'Follow up: " in out and "Acme" in out
    assert "home: would save a draft to Jane Park <hr@globex.com>" in out
    assert "nothing was written" in out
    assert not (tmp_path / "out").exists() and not (tmp_path / "Mail-work").exists()
    state = State(tmp_path / "state")
    assert state.accounts() == [] and state.events("work") == {}
    state.close()
    assert sync(config, tmp_path) == 0  # the real pass still sees every interview
    assert (tmp_path / "out" / "work-followups.ics").exists()
    assert len(list((tmp_path / "Mail-home" / "Drafts" / "cur").iterdir())) == 1


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_is_ended_and_absent_from_pipes() -> None:
    screen = Terminal()
    line = ProgressLine(screen)
    line("work", 3, 10)
    assert screen.getvalue().startswith("\rwork: writing 3/10 (30%)")
    line.end()  # as after Ctrl-C: the prompt starts on a line of its own
    assert screen.getvalue().endswith("\n")
    line.end()
    assert screen.getvalue().count("\n") == 1
    pipe = io.StringIO()
    ProgressLine(pipe)("work", 3, 10)
    assert pipe.getvalue() == ""


def test_status_colours_states_only_when_asked_and_names_the_zone_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = two_accounts(tmp_path)
    assert sync(config, tmp_path) == 0
    capsys.readouterr()
    words = ["status", "-c", str(config), "--state-dir", str(tmp_path / "state")]
    assert main(words) == 0
    plain = capsys.readouterr().out
    assert "\x1b" not in plain  # not a terminal: no colour
    assert plain.startswith("Times in America/New_York") and plain.count("America/") == 1
    assert "Finished " in plain and "UTC" not in plain
    assert main([*words, "--color"]) == 0
    assert "\x1b[32mok\x1b[0m" in capsys.readouterr().out


def test_ctrl_c_mid_pass_leaves_the_terminal_on_a_new_line(tmp_path: Path) -> None:
    from ..pty_session import PtySession

    events = "\n".join(vevent(f"{n}@x", f"Interview with Company{n}", "20261216T140000",
                              organizer=f"hr@company{n}.com") for n in range(300))
    (tmp_path / "work.ics").write_text(f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:t\n{events}\n"
                                       "END:VCALENDAR\n")
    config = tmp_path / "config.toml"
    config.write_text('[rules]\ntimezone = "America/New_York"\n[sync]\ndraft_when = "planned"\n'
                      + ACCOUNT.format(name="work"))
    session = PtySession(["sync", "-c", str(config), "--state-dir", str(tmp_path / "state")],
                         dict(os.environ), tmp_path)
    session.expect("work: writing")
    os.write(session.master, b"\x03")  # Ctrl-C, as the terminal sends it
    assert session.finish() == 130, session.screen
    assert session.screen.endswith("\n") and "Traceback" not in session.screen
    assert not re.search(r"writing \d+/\d+ \(\d+%\) *\d{4}-", session.screen)  # no log mid-line
    assert sync(config, tmp_path) == 0  # the next pass finishes the work


def test_plan_says_where_it_is_on_a_terminal_and_clears_the_line(tmp_path: Path) -> None:
    from ..pty_session import PtySession

    sample = Path(__file__).resolve().parents[2] / "examples" / "sample-calendar.ics"
    session = PtySession(["plan", "--calendar", str(sample), "--now", "2026-11-27T09:00"],
                         dict(os.environ), tmp_path)
    assert session.finish() == 0, session.screen
    assert "reading " in session.screen and "planning 23 events..." in session.screen
    table = session.screen[session.screen.index("Plan (times in"):]
    assert "planning" not in table  # the line was cleared before the table
    piped = subprocess.run([sys.executable, "-m", "followup_daemon", "plan", "--calendar",
                            str(sample)], capture_output=True, text=True, check=True)
    assert "planning" not in piped.stderr + piped.stdout
