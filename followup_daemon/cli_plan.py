"""The `plan` command: the rules applied to an .ics file, as a table or JSON."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from .cli_common import add_config, parse_now
from .config import load_config
from .ics.reader import read_calendar_file
from .model import Received
from .plan_output import plan_json, plan_table
from .planner import plan


def add_plan(sub: argparse.ArgumentParser) -> None:
    """The options of `plan`."""
    sub.description = ("Apply the timing rules to every event of an .ics file and show, "
                       "for each, whether it is an interview and when and how to follow up.")
    sub.add_argument("--calendar", required=True, type=Path, metavar="FILE.ics",
                     help="the iCalendar file to read")
    add_config(sub)
    sub.add_argument("--now", metavar="ISO-8601",
                     help="plan as if it were this moment (default: now); "
                          "a time without an offset is in your time zone")
    sub.add_argument("--mail", type=Path, metavar="PATH",
                     help="your received mail (a Maildir folder or an mbox file), read by "
                          "its headers only: a message from the employer stops the "
                          "follow-ups")
    shown = sub.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help="print the plan as JSON")
    shown.add_argument("--explain", metavar="UID",
                       help="every rule's verdict for the event with this UID, in full")
    sub.set_defaults(handler=run_plan)


def run_plan(args: argparse.Namespace) -> int:
    """`plan`: read, plan, print."""
    config = load_config(args.config)
    zone = config.settings.rules.timezone
    now = parse_now(args.now, zone)
    say = _status_line()
    say(f"reading {args.calendar}...")
    result = read_calendar_file(args.calendar, now)
    say(f"planning {len(result.events):,} events...")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    received: list[Received] = []
    if args.mail is not None:
        from .received_mail import read_mail

        received, unread = read_mail(args.mail)
        for warning in unread:
            print(f"warning: {warning}", file=sys.stderr)
    entries = plan(result.events, config.settings, now, received)
    say("")
    if args.explain is not None:
        from .plan_explain import explain

        print(explain(entries, args.explain, zone, str(args.calendar)))
        return 0
    print(plan_json(entries, zone) if args.json else plan_table(entries, zone))
    return 0


def _status_line() -> Callable[[str], None]:
    """Where a long `plan` is, on one line of a terminal's stderr ("" clears it);
    nothing when stderr is no terminal."""
    if not sys.stderr.isatty():
        return lambda text: None

    def say(text: str) -> None:
        width = max(20, shutil.get_terminal_size().columns - 1)
        sys.stderr.write(f"\r{text[:width]:<{width}}\r" if text else f"\r{' ' * width}\r")
        sys.stderr.flush()
    return say
