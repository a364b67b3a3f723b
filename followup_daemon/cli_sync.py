"""The `sync` and `run` commands."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TextIO

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
                       "follow-up events and drafts. (The daemon, a pass every interval, "
                       "is `run`.)")
    add_paths(sub)
    sub.add_argument("--once", action="store_true",
                     help="accepted, and changes nothing: sync always makes one pass")
    sub.add_argument("--account", action="append", metavar="NAME",
                     help="only this account (may be repeated); the other accounts' "
                          "interviews still count as their last pass read them")
    sub.add_argument("--dry-run", action="store_true",
                     help="print what the pass would write, and write nothing: not to "
                          "the calendars, the mailboxes or the state")
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


class ProgressLine:
    """One line of progress on a terminal's stderr, rewritten in place; nothing when
    stderr is no terminal (a pipe, the service's journal). `end` finishes the line,
    also after Ctrl-C, so the shell's prompt starts on a line of its own."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.shown = self.stream.isatty()
        self.open = False

    def __call__(self, account: str, done: int, total: int) -> None:
        """Show where the pass is: reading (`total` 0) or `done` of `total` writes."""
        if not self.shown:
            return
        text = f"{account}: reading calendars..." if total == 0 else \
            f"{account}: writing {done}/{total} ({100 * done // total}%)"
        width = max(20, shutil.get_terminal_size().columns - 1)
        self.stream.write(f"\r{text[:width]:<{width}}")
        self.stream.flush()
        self.open = True
        if total and done >= total:
            self.end()

    def end(self) -> None:
        """End the line, if one is showing."""
        if self.open:
            self.stream.write("\n")
            self.stream.flush()
            self.open = False

    @contextmanager
    def under_logs(self) -> Iterator[None]:
        """While inside: a log line ends the progress line first, so it never lands
        in the middle of it (the next progress redraws it below)."""
        def before_log(record: logging.LogRecord) -> bool:
            self.end()
            return True
        handlers = logging.getLogger().handlers
        for handler in handlers:
            handler.addFilter(before_log)
        try:
            yield
        finally:
            for handler in handlers:
                handler.removeFilter(before_log)


def _report(results: list[AccountResult]) -> int:
    for result in results:
        print(result.summary())
    if any(r.user_error for r in results):
        return 2
    return 0 if all(r.ok for r in results) else 1


def run_sync(args: argparse.Namespace) -> int:
    """`sync`: one pass over every account (or those `--account` names); with
    `--dry-run`, what it would write, with nothing written."""
    with workspace(args) as work:
        _log_level(args, work.config)
        only = _named(args.account, work.config)
        now = parse_now(args.now, work.config.settings.rules.timezone)
        state, progress = work.opened_state(), ProgressLine()
        one_pass = partial(run_pass, work.config, state, now, work.templates, progress,
                           work.providers, only=only)
        try:
            with progress.under_logs():
                if not args.dry_run:
                    return _report(one_pass())
                with state.rolled_back():
                    results = one_pass(preview=_said(progress))
        finally:
            progress.end()
        print("(a dry run: nothing was written)")
        return _report(results)


def _said(progress: ProgressLine) -> Callable[[str], None]:
    """Print a line of the dry run, below the progress line if one is showing."""
    def say(line: str) -> None:
        progress.end()
        print(line)
    return say


def _named(names: list[str] | None, config: Config) -> frozenset[str] | None:
    """The accounts `--account` names, each one checked against the config."""
    if not names:
        return None
    known = [str(a["name"]) for a in config.accounts]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UserError(f"--account {unknown[0]}: no such account in "
                        f"{config.path or default_config_path()} (its accounts: "
                        f"{', '.join(known)})")
    return frozenset(names)


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
