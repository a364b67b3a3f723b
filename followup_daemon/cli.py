"""The `followup-daemon` command line.

Only the chosen command's module is imported (and its options built): `--help`,
`init` and `status` never load the calendar, rules or provider libraries."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .cleaning import clean_line
from .cli_common import add_config, add_globals, with_defaults
from .errors import FollowupError, UserError
from .files import write_private
from .paths import default_config_path
from .service.logs import setup_logging

DESCRIPTION = """\
Plans follow-ups after job interviews: reads interview events from your
calendar, decides when and how to follow up (a day after the employer's
decision date, or about a week and a half later, on a working day), and says why.
"""
EPILOG = """\
examples:
  followup-daemon setup
  followup-daemon init
  followup-daemon plan --calendar ~/calendar.ics
  followup-daemon plan --calendar export.ics --now 2026-11-27T09:00 --json
  followup-daemon sync
  followup-daemon run
  followup-daemon status
  followup-daemon service install
"""
# command: (its one-line help, "module:function" that adds its options)
COMMANDS = {
    "setup": ("a guided first set-up: sign in, pick calendars, write the config",
              "cli_setup:add_setup"),
    "plan": ("show the follow-ups the rules plan for an .ics calendar", "cli_plan:add_plan"),
    "init": ("write a commented example config", "cli:add_init"),
    "sync": ("write follow-ups and drafts for every account", "cli_sync:add_sync"),
    "run": ("the daemon: a pass every interval, in the foreground", "cli_sync:add_run"),
    "status": ("upcoming follow-ups, drafts and last passes", "cli_status:add_status"),
    "auth": ("authorise accounts (credentials go to the keyring)", "cli_auth:add_auth"),
    "calendars": ("list the calendars of an account, by name and id",
                  "cli_auth:add_calendars"),
    "service": ("run at login as a systemd/launchd service", "cli_service:add_service"),
    "doctor": ("check the config, keyring, accounts, state, service and clock",
               "cli_doctor:add_doctor"),
    "completion": ("print the shell completion script (bash, zsh, fish, tcsh)",
                   "cli_docs:add_completion"),
    "man": ("print the manual page", "cli_docs:add_man"),
}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser: every command is listed, and the one `argv` names (all of
    them without `argv`) has its options."""
    parser = argparse.ArgumentParser(
        prog="followup-daemon", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_globals(parser, "where the state database and token caches live")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = _chosen(argv)
    for name, (line, where) in COMMANDS.items():
        sub = commands.add_parser(name, help=line, description=line[:1].upper() + line[1:])
        if chosen is None or name == chosen:
            _adder(where)(sub)
            add_globals(sub, "where the state database and token caches live")
    return parser


TAKES_VALUE = {"-c", "--config", "--state-dir", "--log-level"}


def _chosen(argv: Sequence[str] | None) -> str | None:
    """The command `argv` names: its first word that is not an option or an option's
    value ("" when there is none)."""
    if argv is None:
        return None
    words = iter(argv)
    for word in words:
        if word in TAKES_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word if word in COMMANDS else ""
    return ""


def _adder(where: str) -> Callable[[argparse.ArgumentParser], None]:
    module, function = where.split(":")
    adder: Callable[[argparse.ArgumentParser], None] = getattr(
        importlib.import_module(f"{__package__}.{module}"), function)
    return adder


def add_init(sub: argparse.ArgumentParser) -> None:
    """The options of `init`."""
    sub.description = "Write a commented example config file (private to you)."
    add_config(sub, "where to write it")
    sub.add_argument("--force", action="store_true", help="overwrite an existing file")
    sub.set_defaults(handler=run_init)


def run_init(args: argparse.Namespace) -> int:
    """`init`: write the example config, never over an existing one unless forced."""
    path: Path = args.config or default_config_path()
    if path.exists() and not args.force:
        raise UserError(f"{path}: exists already; edit it, or pass --force to replace it")
    from importlib import resources

    example = resources.files("followup_daemon").joinpath("data/config.example.toml")
    write_private(path, example.read_text(encoding="utf-8"))
    print(f"wrote {path}; edit it, then try `followup-daemon plan --calendar FILE.ics`")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    words = sys.argv[1:] if argv is None else list(argv)
    args = with_defaults(build_parser(words).parse_args(words))
    setup_logging(args.log_level or "info")
    try:
        return int(args.handler(args))
    except UserError as error:  # its text may quote a stranger's file: no control codes
        print(f"followup-daemon: error: {clean_line(str(error))}", file=sys.stderr)
        return error.exit_status
    except FollowupError as error:  # a service failed outside a pass (calendars, setup)
        print(f"followup-daemon: error: {clean_line(str(error))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `plan --json | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error at exit
        return 141  # as a tool killed by SIGPIPE
    except OSError as error:  # a full disk or a read-only folder outside any pass
        where = f"{error.filename}: " if error.filename else ""
        print(f"followup-daemon: error: {where}{error.strerror or error}", file=sys.stderr)
        return 1
