"""The `followup-daemon` command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from . import __version__
from .cli_auth import add_auth
from .cli_common import parse_now
from .cli_doctor import add_doctor
from .cli_service import add_service
from .cli_sync import add_commands
from .config import default_config_path, load_config
from .errors import UserError
from .files import write_private
from .ics.reader import read_calendar_file
from .model import Received, clean_line
from .plan_output import plan_json, plan_table
from .planner import plan
from .service.logs import setup_logging

DESCRIPTION = """\
Plans follow-ups after job interviews: reads interview events from your
calendar, decides when and how to follow up (a day after the employer's
decision date, or about a week and a half later, on a working day), and says why.
"""
EPILOG = """\
examples:
  followup-daemon init
  followup-daemon plan --calendar ~/calendar.ics
  followup-daemon plan --calendar export.ics --now 2026-11-27T09:00 --json
  followup-daemon sync --once
  followup-daemon run
  followup-daemon status
  followup-daemon service install
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="followup-daemon", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--log-level", choices=["debug", "info", "warning", "error"],
                        help="how much to log on stderr (default: [sync] log_level, or info)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_plan(commands)
    _add_init(commands)
    add_commands(commands)
    add_auth(commands)
    add_service(commands)
    add_doctor(commands)
    return parser


def _add_plan(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = commands.add_parser(
        "plan", help="show the follow-ups the rules plan for an .ics calendar",
        description="Apply the timing rules to every event of an .ics file and show, for "
                    "each, whether it is an interview and when and how to follow up.")
    sub.add_argument("--calendar", required=True, type=Path, metavar="FILE.ics",
                     help="the iCalendar file to read")
    sub.add_argument("--config", type=Path, metavar="FILE.toml",
                     help=f"config file (default: {default_config_path()})")
    sub.add_argument("--now", metavar="ISO-8601",
                     help="plan as if it were this moment (default: now); "
                          "a time without an offset is in your time zone")
    sub.add_argument("--mail", type=Path, metavar="PATH",
                     help="your received mail (a Maildir folder or an mbox file), read by "
                          "its headers only: a message from the employer stops the "
                          "follow-ups")
    sub.add_argument("--json", action="store_true", help="print the plan as JSON")
    sub.set_defaults(handler=run_plan)


def _add_init(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = commands.add_parser(
        "init", help="write a commented example config",
        description="Write a commented example config file (private to you).")
    sub.add_argument("--config", type=Path, metavar="FILE.toml",
                     help=f"where to write it (default: {default_config_path()})")
    sub.add_argument("--force", action="store_true", help="overwrite an existing file")
    sub.set_defaults(handler=run_init)


def run_plan(args: argparse.Namespace) -> int:
    """`plan`: read, plan, print."""
    config = load_config(args.config)
    zone = config.settings.rules.timezone
    now = parse_now(args.now, zone)
    result = read_calendar_file(args.calendar, now)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    received: list[Received] = []
    if args.mail is not None:
        from .received_mail import read_mail

        received, unread = read_mail(args.mail)
        for warning in unread:
            print(f"warning: {warning}", file=sys.stderr)
    entries = plan(result.events, config.settings, now, received)
    print(plan_json(entries, zone) if args.json else plan_table(entries, zone))
    return 0


def run_init(args: argparse.Namespace) -> int:
    """`init`: write the example config, never over an existing one unless forced."""
    path: Path = args.config or default_config_path()
    if path.exists() and not args.force:
        raise UserError(f"{path}: exists already; edit it, or pass --force to replace it")
    example = resources.files("followup_daemon").joinpath("data/config.example.toml")
    write_private(path, example.read_text(encoding="utf-8"))
    print(f"wrote {path}; edit it, then try `followup-daemon plan --calendar FILE.ics`")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    setup_logging(args.log_level or "info")
    try:
        return int(args.handler(args))
    except UserError as error:  # its text may quote a stranger's file: no control codes
        print(f"followup-daemon: error: {clean_line(str(error))}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `plan --json | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error at exit
        return 141  # as a tool killed by SIGPIPE
    except OSError as error:  # a full disk or a read-only folder outside any pass
        where = f"{error.filename}: " if error.filename else ""
        print(f"followup-daemon: error: {where}{error.strerror or error}", file=sys.stderr)
        return 1
