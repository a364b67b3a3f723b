"""`status` shows the applications as the last pass planned them, without loading the
rules or the holidays library; it plans for itself when no pass kept them for these
settings today, and a quiet pass of the daemon does not plan them again."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from followup_daemon.applications import applications
from followup_daemon.config import Config, load_config
from followup_daemon.state import State
from followup_daemon.status_view import APPLICATIONS, kept_applications
from followup_daemon.sync import Providers

from ..sync_helpers import Sandbox, one_account_pass, vevent
from .test_cold_start import probed

ZONE = ZoneInfo("America/New_York")
CONFIG = """[rules]
timezone = "America/New_York"
holidays = "US"
[sync]
draft_when = "planned"
[[accounts]]
name = "main"
provider = "local"
calendars = ["calendar.ics"]
followups = "out/followups.ics"
maildir = "Mail"
"""
RULES_SIDE = {"holidays", "followup_daemon.planner", "followup_daemon.applications",
              "followup_daemon.boundary", "followup_daemon.model", "followup_daemon.across",
              "wcwidth", "icalendar"}


def synced(tmp_path: Path, config: str = CONFIG) -> list[str]:
    """A calendar of two interviews this morning, synced once; the CLI's path options."""
    box = Sandbox(tmp_path)
    morning = dt.datetime.now(ZONE).replace(hour=0, minute=5)
    box.write(vevent("a@x", "Interview with Acme", f"{morning:%Y%m%dT%H%M00}"),
              vevent("g@x", "Phone screen with Globex", f"{morning:%Y%m%dT%H%M00}",
                     organizer="sam@globex.com"))
    (tmp_path / "config.toml").write_text(config)
    paths = ["--config", str(tmp_path / "config.toml"), "--state-dir", str(tmp_path / "state")]
    done = subprocess.run([sys.executable, "-m", "followup_daemon", "sync", *paths],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return paths


def status(*args: str) -> tuple[int, str, str, set[str]]:
    """`status ARGS` in a process: its exit status, output, error, and modules loaded."""
    code, modules, out, err = probed("status", *args)
    return code, out, err, modules


def test_status_shows_what_the_last_pass_planned_and_loads_no_rule(tmp_path: Path) -> None:
    paths = synced(tmp_path)
    code, out, _, modules = status("--json", *paths)
    assert code == 0 and modules.isdisjoint(RULES_SIDE), sorted(modules & RULES_SIDE)
    shown = json.loads(out)
    assert shown["applications_planned"] is not None
    config = load_config(tmp_path / "config.toml")
    state = State(tmp_path / "state")
    try:  # the rows the pass kept are the rows planning now gives
        now = dt.datetime.now(ZONE)
        assert shown["applications"] == applications(state, config.settings, now)
    finally:
        state.close()
    assert {row["application"] for row in shown["applications"]} == {"Acme", "Globex"}
    _, text, _, _ = status(*paths)
    assert "Applications (as the last pass planned them, at " in text and "Acme" in text


def test_status_plans_for_itself_under_other_rules(tmp_path: Path) -> None:
    paths = synced(tmp_path)
    (tmp_path / "config.toml").write_text(CONFIG.replace("[rules]\n",
                                                         "[rules]\nmax_followups = 1\n"))
    code, out, _, modules = status("--json", *paths)
    assert code == 0 and "followup_daemon.planner" in modules
    shown = json.loads(out)
    assert shown["applications_planned"] is None and shown["max_followups"] == 1
    assert all(len(row["followups"]) == 1 for row in shown["applications"])


def test_a_bad_holidays_region_is_refused_when_status_must_plan(tmp_path: Path) -> None:
    paths = synced(tmp_path)
    (tmp_path / "config.toml").write_text(CONFIG.replace('"US"', '"XX"'))
    code, out, err, _ = status(*paths)
    assert code == 2 and out == ""
    assert "rules.holidays" in err and "XX" in err and "Traceback" not in err


def test_a_quiet_pass_keeps_the_view_and_a_pass_that_wrote_renews_it(tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    box.write(vevent("a@x", "Interview with Acme", "20261109T100000"))
    config, providers = box.config(), Providers()
    first = dt.datetime(2026, 11, 10, 9, 0, tzinfo=ZONE)
    # the first writes, the second writes nothing (and keeps a memo), the third is quiet
    for minutes in (0, 5, 10):
        one_account_pass(config, tmp_path / "state", first + dt.timedelta(minutes=minutes),
                         providers)
    assert planned_at(tmp_path, config, first + dt.timedelta(minutes=11)) == \
        first + dt.timedelta(minutes=5)
    box.write(vevent("a@x", "Interview with Acme", "20261109T100000"),
              vevent("b@x", "Interview with Initech", "20261109T110000"))
    later = first + dt.timedelta(minutes=15)
    one_account_pass(config, tmp_path / "state", later, providers)
    assert planned_at(tmp_path, config, later) == later


def planned_at(tmp_path: Path, config: Config, now: dt.datetime) -> dt.datetime | None:
    state = State(tmp_path / "state")
    try:
        assert state.view(APPLICATIONS) is not None
        kept = kept_applications(state, config.settings, now)
    finally:
        state.close()
    return None if kept is None else dt.datetime.fromisoformat(kept[1])
