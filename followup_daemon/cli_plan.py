"""The `plan` command: the rules applied to an .ics file, as a table or JSON."""

from __future__ import annotations

import argparse
import sys
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
    if args.explain is not None:
        from .plan_explain import explain

        print(explain(entries, args.explain, zone, str(args.calendar)))
        return 0
    print(plan_json(entries, zone) if args.json else plan_table(entries, zone))
    return 0
