"""The `sync` and `run` commands."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Callable

from .cli_common import add_paths, parse_now, workspace
from .config import Config, load_config
from .daemon import Daemon, Signals
from .errors import ConfigError, UserError
from .paths import default_config_path
from .registry import credentials_of
from .service.logs import setup_logging
from .sync import AccountResult, run_pass

log = logging.getLogger(__name__)


def add_sync(sub: argparse.ArgumentParser) -> None:
    """The options of `sync`."""
    sub.description = ("One pass over every account: read the calendars, plan, and write "
                       "follow-up events and drafts.")
    add_paths(sub)
    sub.add_argument("--once", action="store_true", required=True,
                     help="one pass, then exit (the daemon is `run`)")
    sub.add_argument("--now", metavar="ISO-8601", help="act as if it were this moment")
    sub.set_defaults(handler=run_sync)


def add_run(sub: argparse.ArgumentParser) -> None:
    """The options of `run`."""
    sub.description = "Run passes every [sync] interval_seconds until SIGTERM or Ctrl-C."
    add_paths(sub)
    sub.set_defaults(handler=run_daemon)


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
