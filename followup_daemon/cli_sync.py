"""The `sync`, `run` and `status` commands."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs

from .config import APP_NAME, Config, default_config_path, load_config
from .content import Templates
from .daemon import Daemon, Signals, state_lock
from .errors import ConfigError, UserError
from .model import clean_line
from .plan_output import render_table
from .registry import AUTH_MODULES
from .secrets import load_secret
from .service.logs import setup_logging
from .state import CREATED, State
from .sync import AccountResult, Providers, run_pass

log = logging.getLogger(__name__)


def default_state_dir() -> Path:
    """The user's state directory (XDG_STATE_HOME on Linux)."""
    return platformdirs.user_state_path(APP_NAME)


def _common(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--config", type=Path, metavar="FILE.toml",
                     help=f"config file (default: {default_config_path()})")
    sub.add_argument("--state-dir", type=Path, metavar="DIR",
                     help=f"where the state database lives (default: {default_state_dir()})")


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add sync, run and status to the parser."""
    sync = commands.add_parser("sync", help="write follow-ups and drafts for every account",
                               description="One pass over every account: read the calendars, "
                               "plan, and write follow-up events and drafts.")
    _common(sync)
    sync.add_argument("--once", action="store_true", required=True,
                      help="one pass, then exit (the daemon is `run`)")
    sync.add_argument("--now", metavar="ISO-8601", help="act as if it were this moment")
    sync.set_defaults(handler=run_sync)
    run = commands.add_parser("run", help="the daemon: a pass every interval, in the foreground",
                              description="Run passes every [sync] interval_seconds until "
                              "SIGTERM or Ctrl-C.")
    _common(run)
    run.set_defaults(handler=run_daemon)
    status = commands.add_parser("status", help="upcoming follow-ups, drafts and last passes")
    _common(status)
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(handler=run_status)


def _setup(args: argparse.Namespace) -> tuple[Config, Path, Templates]:
    config = load_config(args.config)
    if getattr(args, "log_level", None) is None:
        setup_logging(config.sync.log_level)
    if not config.accounts:
        where = config.path or default_config_path()
        raise UserError(f"{where}: no [[accounts]] to sync; add one (see the README)")
    os.umask(0o077)  # everything the daemon writes is private to the user
    override = (config.path.parent if config.path else default_config_path().parent)
    return config, args.state_dir or default_state_dir(), Templates.load(override / "templates")


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
    from .cli import parse_now

    config, state_dir, templates = _setup(args)
    now = parse_now(args.now, config.settings.rules.timezone)
    with state_lock(state_dir):
        state = State(state_dir)
        try:
            return _report(run_pass(config, state, now, templates, _progress))
        finally:
            state.close()


def run_daemon(args: argparse.Namespace) -> int:
    """`run`: passes every interval until SIGTERM/SIGINT; SIGHUP reloads the config."""
    config, state_dir, templates = _setup(args)
    signals = Signals()
    signals.install()
    with state_lock(state_dir):
        state, providers = State(state_dir), Providers()
        preflight(config)

        def one_pass(current: Config, keep_going: Callable[[], bool]) -> str:
            now = dt.datetime.now(current.settings.rules.timezone)
            results = run_pass(current, state, now, templates, providers=providers,
                               keep_going=keep_going)
            summary = "; ".join(r.summary() for r in results)
            log.info("pass done: %s", summary)
            return summary

        log.info("started: %d account(s), a pass every %d s", len(config.accounts),
                 config.sync.interval_seconds)
        try:
            Daemon(config, one_pass, lambda: _reload(args), signals).run()
        finally:
            state.close()
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
    for account in config.accounts:
        if account.get("provider") in AUTH_MODULES:
            try:
                if load_secret(str(account["name"])) is None:
                    log.warning("%s: not authorised yet: run `followup-daemon auth %s "
                                "--account %s ...`", account["name"], account["provider"],
                                account["name"])
            except UserError as error:
                log.error("%s", error)


def status_data(state: State, now: dt.datetime) -> dict[str, Any]:
    """Upcoming follow-ups (with their drafts) and each account's last pass."""
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
               "error": a.error, "counts": json.loads(a.counts) if a.counts else {}}
              for a in state.accounts()]
    zone = getattr(now.tzinfo, "key", None) or str(now.tzinfo)
    return {"zone": zone, "upcoming": upcoming, "accounts": passes}


def run_status(args: argparse.Namespace) -> int:
    """`status`: what is coming, and how the last passes went."""
    config = load_config(args.config)
    state_dir = args.state_dir or default_state_dir()
    if not (state_dir / "state.sqlite3").exists():
        raise UserError(f"{state_dir}: no state yet; run `followup-daemon sync --once` first")
    state = State(state_dir)
    try:
        data = status_data(state, dt.datetime.now(config.settings.rules.timezone))
    finally:
        state.close()
    print(json.dumps(data, indent=2) if args.json else _status_text(data))
    return 0


def _status_text(data: dict[str, Any]) -> str:
    upcoming = [(u["start"][:16].replace("T", " "), u["title"], u["account"],
                 u["draft"] or "-") for u in data["upcoming"]]
    passes = [(a["account"], (a["finished"] or "-")[:19].replace("T", " "), a["result"] or "-",
               a["error"] or ", ".join(f"{n} {k}" for k, n in a["counts"].items() if n) or "-")
              for a in data["accounts"]]
    return "\n\n".join([
        f"Upcoming follow-ups (times in {data['zone']})\n" + (
            render_table(("When", "Follow-up", "Account", "Draft"), upcoming, 160)
            if upcoming else "  (none)"),
        "Last passes\n" + (render_table(("Account", "Finished (UTC)", "Result", "Details"),
                                        passes, 160) if passes else "  (none yet)"),
    ])
