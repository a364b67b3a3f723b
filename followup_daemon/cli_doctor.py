"""`followup-daemon doctor`: one command that says what is wrong and how to fix it."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from .cli_common import add_paths, workspace
from .errors import UserError
from .model import clean_line
from .paths import default_config_path

if TYPE_CHECKING:
    from .doctor import Check


def add_doctor(sub: argparse.ArgumentParser) -> None:
    """The options of `doctor`."""
    sub.description = ("Check everything the daemon depends on, with one cheap read per "
                       "account, and print the exact fix for each problem. Exit status 0 "
                       "only when all is well.")
    add_paths(sub, state_help="the state directory")
    sub.add_argument("--json", action="store_true", help="print the checks as JSON")
    sub.set_defaults(handler=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    """Run every check; print a table (or JSON); 0 only when no check found a problem."""
    from .cli_service import unit_path
    from .doctor import PROBLEM, Check, as_json, run_checks

    try:
        with workspace(args, state="none", accounts_needed=False) as work:
            where = work.config.path or default_config_path()
            checks = [Check("config", "ok", f"{where}: valid, {len(work.config.accounts)} "
                            "account(s)"), *run_checks(work, unit_path("systemd"))]
    except UserError as error:
        checks = [Check("config", PROBLEM, clean_line(str(error)),
                        "fix the file (`followup-daemon init --config NEW` shows every key)")]
    print(json.dumps(as_json(checks), indent=1) if args.json else _table(checks))
    return 1 if any(c.status == PROBLEM for c in checks) else 0


def _table(checks: list[Check]) -> str:
    width = max(len(c.name) for c in checks)
    lines = []
    for check in checks:
        lines.append(f"{check.name:<{width}}  {check.status.upper():<7}  {check.found}")
        if check.fix:
            lines.append(f"{'':<{width}}  {'':<7}  fix: {check.fix}")
    return "\n".join(lines)
