"""What the commands share: the --config and --state-dir options, --now, and the one
function that opens a config with its state and accounts (`workspace`)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UserError
from .paths import default_config_path, default_state_dir, shown

if TYPE_CHECKING:
    from .config import Config
    from .content import Templates
    from .state import State
    from .sync import Providers


LOG_LEVELS = ["debug", "info", "warning", "error"]
GLOBAL = {"config": None, "state_dir": None, "log_level": None,  # options, with their unset
          "color": None}


def add_config(parser: argparse.ArgumentParser, what: str = "config file") -> None:
    """-c/--config. Unset, it sets nothing: the same option given before the command
    (`followup-daemon -c X status`) is then not overwritten by this one's default."""
    parser.add_argument("-c", "--config", type=Path, metavar="FILE.toml",
                        default=argparse.SUPPRESS,
                        help=f"{what} (default: {shown(default_config_path())})")


def add_globals(parser: argparse.ArgumentParser, state_help: str) -> None:
    """The options every command takes, before or after its name; those the command
    defined itself (with its own help) are kept."""
    adders = (partial(add_config, parser), partial(
        parser.add_argument, "--state-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS,
        help=f"{state_help} (default: {shown(default_state_dir())})"), partial(
        parser.add_argument, "--log-level", choices=LOG_LEVELS, default=argparse.SUPPRESS,
        help="how much to log on stderr (default: [sync] log_level, or info)"), partial(
        parser.add_argument, "--color", action=argparse.BooleanOptionalAction,
        default=argparse.SUPPRESS,
        help="colour the states in tables (default: on a terminal, unless NO_COLOR is set)"))
    for add in adders:
        with suppress(argparse.ArgumentError):  # the command has it already
            add()


def with_defaults(args: argparse.Namespace) -> argparse.Namespace:
    """The parsed options, with the global ones that were given nowhere set to None."""
    for name, unset in GLOBAL.items():
        if not hasattr(args, name):
            setattr(args, name, unset)
    return args


def add_paths(parser: argparse.ArgumentParser,
              state_help: str = "where the state database lives") -> None:
    """--config and --state-dir (and --log-level), with their defaults shown."""
    add_globals(parser, state_help)


def state_dir_of(args: argparse.Namespace) -> Path:
    """The state directory the command was given, or the default."""
    return Path(args.state_dir or default_state_dir()).expanduser()


def parse_now(value: str | None, zone: dt.tzinfo) -> dt.datetime:
    """`--now` as an aware datetime; a naive time is read in the user's zone."""
    if value is None:
        return dt.datetime.now(zone)
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise UserError(f"--now: {value!r} is not an ISO-8601 date or time "
                        "(e.g. 2026-11-27T09:00 or 2026-11-27T09:00:00-05:00)") from None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


@dataclass
class Workspace:
    """A command's config, its state (when opened) and the accounts' adapters (made
    on first use: `status` needs none)."""

    config: Config
    state_dir: Path
    templates_dir: Path
    state: State | None = None

    @cached_property
    def templates(self) -> Templates:
        """The messages' templates, the user's beside the config over the built-in."""
        from .content import Templates

        return Templates.load(self.templates_dir)

    @cached_property
    def providers(self) -> Providers:
        """The accounts' calendars and mailboxes, kept for the command's passes."""
        from .sync import Providers

        return Providers()

    def opened_state(self) -> State:
        """The state database (the command opened it)."""
        if self.state is None:
            raise UserError(f"{self.state_dir}: the state database is not open")
        return self.state


@contextmanager
def workspace(args: argparse.Namespace, *, state: str = "locked",
              accounts_needed: bool = True, deep: bool = True) -> Iterator[Workspace]:
    """Open the config, then the state: `locked` (one writer: sync, run), `existing`
    (read it as it is: status) or `none` (doctor reads it its own way); not `deep`,
    the config is checked as `load_config` says."""
    from .locking import state_lock
    from .state import State

    found = _configured(args, accounts_needed, deep)
    if state == "none":
        yield found
        return
    if state == "existing" and not (found.state_dir / "state.sqlite3").exists():
        raise UserError(f"{found.state_dir}: no state yet; run `followup-daemon sync` "
                        "first")
    os.umask(0o077)  # everything the daemon writes is private to the user
    with state_lock(found.state_dir) if state == "locked" else _nothing():
        found.state = State(found.state_dir)
        try:
            yield found
        finally:
            found.state.close()


def _configured(args: argparse.Namespace, accounts_needed: bool, deep: bool = True
                ) -> Workspace:
    """The config (with the templates beside it) and the accounts' adapters, unopened."""
    from .config import load_config

    config = load_config(args.config, deep)
    if accounts_needed and not config.accounts:
        where = config.path or default_config_path()
        raise UserError(f"{where}: no [[accounts]] to sync; add one (see the README)")
    override = (config.path or default_config_path()).parent / "templates"
    return Workspace(config, state_dir_of(args), override)


@contextmanager
def _nothing() -> Iterator[None]:
    yield
