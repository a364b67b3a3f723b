"""The `sync`, `run` and `status` commands."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable
from typing import Any

from .cli_common import add_paths, parse_now, workspace
from .config import Config, default_config_path, load_config
from .daemon import Daemon, Signals
from .errors import ConfigError, UserError
from .model import clean_line
from .plan_output import render_table
from .registry import credentials_of
from .service.logs import setup_logging
from .settings import Settings
from .state import CREATED, State
from .sync import AccountResult, run_pass

log = logging.getLogger(__name__)


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add sync, run and status to the parser."""
    sync = commands.add_parser("sync", help="write follow-ups and drafts for every account",
                               description="One pass over every account: read the calendars, "
                               "plan, and write follow-up events and drafts.")
    add_paths(sync)
    sync.add_argument("--once", action="store_true", required=True,
                      help="one pass, then exit (the daemon is `run`)")
    sync.add_argument("--now", metavar="ISO-8601", help="act as if it were this moment")
    sync.set_defaults(handler=run_sync)
    run = commands.add_parser("run", help="the daemon: a pass every interval, in the foreground",
                              description="Run passes every [sync] interval_seconds until "
                              "SIGTERM or Ctrl-C.")
    add_paths(run)
    run.set_defaults(handler=run_daemon)
    status = commands.add_parser("status", help="upcoming follow-ups, drafts and last passes")
    add_paths(status)
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(handler=run_status)


def _log_level(args: argparse.Namespace, config: Config) -> None:
    if getattr(args, "log_level", None) is None:
        setup_logging(config.sync.log_level)


def _progress(account: str, done: int, total: int) -> None:
    if not sys.stderr.isatty():
        return
    text = f"{account}: reading calendars..." if total == 0 else \
        f"{account}: writing {done}/{total}"
    print(f"\r{text:<60}", end="" if done < total or total == 0 else "\n", file=sys.stderr)


def _report(results: list[AccountResult]) -> int:
    for result in results:
        print(result.summary())
    if any(r.user_error for r in results):
        return 2
    return 0 if all(r.ok for r in results) else 1


def run_sync(args: argparse.Namespace) -> int:
    """`sync --once`: one pass over every account."""
    with workspace(args) as work:
        _log_level(args, work.config)
        now = parse_now(args.now, work.config.settings.rules.timezone)
        return _report(run_pass(work.config, work.opened_state(), now, work.templates,
                                _progress, work.providers))


def run_daemon(args: argparse.Namespace) -> int:
    """`run`: passes every interval until SIGTERM/SIGINT; SIGHUP reloads the config."""
    signals = Signals()
    signals.install()
    with workspace(args) as work:
        _log_level(args, work.config)
        state, config = work.opened_state(), work.config
        preflight(config)

        def one_pass(current: Config, keep_going: Callable[[], bool]) -> str:
            now = dt.datetime.now(current.settings.rules.timezone)
            results = run_pass(current, state, now, work.templates, providers=work.providers,
                               keep_going=keep_going)
            summary = "; ".join(r.summary() for r in results)
            log.info("pass done: %s", summary)
            return summary

        log.info("started: %d account(s), a pass every %d s", len(config.accounts),
                 config.sync.interval_seconds)
        Daemon(config, one_pass, lambda: _reload(args), signals).run()
    return 0


def _reload(args: argparse.Namespace) -> Config:
    config = load_config(args.config)
    if not config.accounts:
        raise ConfigError(str(config.path or default_config_path()),
                          ["no [[accounts]] to sync"])
    return config


def preflight(config: Config) -> None:
    """Read each account's keyring entry once at start, so a locked or missing
    keyring shows in the log before READY, not in the middle of a pass."""
    from .secrets import load_secret

    for account in config.accounts:
        needed = credentials_of(account)
        if needed:
            try:
                if load_secret(str(account["name"])) is None:
                    log.warning("%s: not authorised yet: run `followup-daemon auth %s "
                                "--account %s ...`", account["name"], needed[0],
                                account["name"])
            except UserError as error:
                log.error("%s", error)


def status_data(state: State, now: dt.datetime, settings: Settings | None = None
                ) -> dict[str, Any]:
    """Upcoming follow-ups (with their drafts), each application (with `settings`) and
    each account's last pass."""
    found: list[tuple[dt.datetime, dict[str, Any]]] = []
    for account in state.accounts():
        drafts = state.drafts(account.name)
        for row in state.followups(account.name).values():
            if row.status == CREATED and row.start and row.start >= now:
                draft = drafts.get(row.key)
                start = row.start.astimezone(now.tzinfo)  # Graph answers in UTC
                found.append((start, {"account": account.name, "title": clean_line(row.title),
                                      "start": start.isoformat(),
                                      "draft": draft.status if draft else None}))
    upcoming = [item for _, item in sorted(found, key=lambda pair: pair[0])]  # by instant
    passes = [{"account": a.name, "finished": a.pass_finished, "result": a.result,
               "error": a.error, "counts": json.loads(a.counts) if a.counts else {},
               "replies_off": state.mail_note(a.name)}
              for a in state.accounts()]
    zone = getattr(now.tzinfo, "key", None) or str(now.tzinfo)
    data = {"zone": zone, "upcoming": upcoming, "accounts": passes}
    if settings is not None:
        from .applications import applications

        data["applications"] = applications(state, settings, now)
        data["max_followups"] = settings.rules.max_followups
    return data


def run_status(args: argparse.Namespace) -> int:
    """`status`: what is coming, and how the last passes went."""
    with workspace(args, state="existing", accounts_needed=False) as work:
        zone = work.config.settings.rules.timezone
        data = status_data(work.opened_state(), dt.datetime.now(zone), work.config.settings)
    print(json.dumps(data, indent=2) if args.json else _status_text(data))
    return 0


def _status_text(data: dict[str, Any]) -> str:
    upcoming = [(u["start"][:16].replace("T", " "), u["title"], u["account"],
                 u["draft"] or "-") for u in data["upcoming"]]
    passes = [(a["account"], (a["finished"] or "-")[:19].replace("T", " "), a["result"] or "-",
               a["error"] or ", ".join(f"{n} {k}" for k, n in a["counts"].items() if n) or "-")
              for a in data["accounts"]]
    sections = [_applications_text(data)] if "applications" in data else []
    return "\n\n".join([
        *sections,
        f"Upcoming follow-ups (times in {data['zone']})\n" + (
            render_table(("When", "Follow-up", "Account", "Draft"), upcoming, 160)
            if upcoming else "  (none)"),
        "Last passes\n" + (render_table(("Account", "Finished (UTC)", "Result", "Details"),
                                        passes, 160) if passes else "  (none yet)"),
        *[f"{a['account']}: {clean_line(a['replies_off'])}" for a in data["accounts"]
          if a.get("replies_off")],
    ])


def _applications_text(data: dict[str, Any]) -> str:
    from .applications import application_rows

    rows = application_rows(data["applications"], data["max_followups"])
    headers = ("Application", "Rounds", "Follow-ups", "Thank-you", "Answered")
    return "Applications\n" + (render_table(headers, rows, 160) if rows else "  (none)")
