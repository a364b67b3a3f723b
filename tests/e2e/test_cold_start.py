"""Commands load only what they use: `--help` and `init` none of the calendar, rules,
keyring or provider libraries; `status` none of the sync engine or the services'."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ["icalendar", "recurring_ical_events", "holidays", "keyring", "caldav", "msal",
         "googleapiclient", "google.auth", "followup_daemon.sync", "followup_daemon.planner",
         "followup_daemon.ics.reader", "followup_daemon.executor", "shtab",
         "argparse_manpage", "wcwidth"]
PROBE = """
import json, sys
from followup_daemon.cli import main
try:
    status = main(sys.argv[1:])
except SystemExit as leaving:
    status = leaving.code
print(json.dumps({"status": status, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def probed(*args: str) -> tuple[int, set[str], str, str]:
    """The exit status of the command, every module it imported, its output, and its
    error output (without the probe's report)."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                          text=True, timeout=60, check=False)
    *said, last = done.stderr.strip().splitlines()
    report = json.loads(last)
    return int(report["status"] or 0), set(report["modules"]), done.stdout, "\n".join(said)


def loaded(*args: str) -> tuple[int, set[str]]:
    """The exit status of the command, and every module it imported."""
    status, modules, _, _ = probed(*args)
    return status, modules


def test_help_loads_no_library_of_the_work() -> None:
    status, modules = loaded("--help")
    assert status == 0
    assert modules.isdisjoint(HEAVY), sorted(modules & set(HEAVY))


def test_init_loads_no_library_of_the_work(tmp_path: Path) -> None:
    status, modules = loaded("init", "--config", str(tmp_path / "config.toml"))
    assert status == 0 and (tmp_path / "config.toml").exists()
    assert modules.isdisjoint(HEAVY), sorted(modules & set(HEAVY))


def test_status_loads_neither_the_sync_engine_nor_a_service_library(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[rules]\ntimezone = "America/New_York"\n[[accounts]]\nname = "local"\n'
                      'provider = "local"\ncalendars = ["cal.ics"]\n')  # its settings checked
    (tmp_path / "state").mkdir()
    subprocess.run([sys.executable, "-c", "import sys; from followup_daemon.state import State;"
                    " State(__import__('pathlib').Path(sys.argv[1])).close()",
                    str(tmp_path / "state")], check=True)
    status, modules = loaded("status", "--config", str(config), "--state-dir",
                             str(tmp_path / "state"))
    assert status == 0
    service_side = {"keyring", "caldav", "msal", "googleapiclient", "google.auth",
                    "followup_daemon.sync", "followup_daemon.executor", "icalendar"}
    assert modules.isdisjoint(service_side), sorted(modules & service_side)
