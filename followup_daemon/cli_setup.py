"""`setup`: the guided first set-up. Which service, the credentials step by step, the
sign-in, the calendars to watch and where follow-ups go, the account written into
the config (its comments kept), a dry run of the first pass, and the service.

It is resumable: what is done already is found where it was left (a sign-in in the
keyring, the account in the config) and kept. Every question has a flag, and
`--yes` takes the default of each question no flag answered, for scripts."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import tomllib
from pathlib import Path
from typing import Any

from .cli_common import add_paths, state_dir_of
from .errors import UserError
from .paths import default_config_path
from .setup_prompts import Prompter
from .setup_services import SERVICES, Service

TITLES = {"google": "Google Calendar and Gmail", "outlook": "Outlook / Microsoft 365",
          "caldav": "CalDAV: iCloud, Fastmail, Nextcloud or another server",
          "local": "Local .ics files or vdirs (drafts in a Maildir)"}


def add_setup(sub: argparse.ArgumentParser) -> None:
    """The options of `setup`: one per question, for scripts."""
    sub.description = ("A guided first set-up: sign in, choose calendars, write the "
                       "config, preview the first pass and install the service. Run it "
                       "again to resume or to add an account.")
    add_paths(sub)
    sub.add_argument("--service", choices=list(TITLES), help="the calendar service")
    sub.add_argument("--account", metavar="NAME", help="the account's name in the config")
    sub.add_argument("--calendar", action="append", metavar="NAME|ID|PATH",
                     help="a calendar to watch (may be repeated; local: a file or folder)")
    sub.add_argument("--followups", metavar="NAME|ID|PATH|new",
                     help="where follow-ups go (\"new\": a calendar of their own)")
    sub.add_argument("--client-secrets", type=Path, metavar="FILE", help="Google's client JSON")
    sub.add_argument("--no-browser", action="store_true", help="Google: print the address")
    sub.add_argument("--client-id", metavar="ID", help="Outlook: your app's client id")
    sub.add_argument("--preset", metavar="NAME", help="CalDAV: icloud, fastmail, nextcloud "
                                                      "or other")
    sub.add_argument("--url", help="CalDAV: the server's address (other, or nextcloud's host)")
    sub.add_argument("--username", help="CalDAV: your user name")
    sub.add_argument("--imap-host", metavar="HOST",
                     help="CalDAV: the IMAP server for drafts (same user and password)")
    sub.add_argument("--password-stdin", action="store_true",
                     help="CalDAV: read the password from standard input")
    sub.add_argument("--maildir", metavar="DIR", help="local: where drafts go")
    sub.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                     help="another setting of the account, as in the config (repeatable)")
    sub.add_argument("--install-service", action=argparse.BooleanOptionalAction,
                     help="install and start the service at the end (default: ask; yes)")
    sub.add_argument("--yes", action="store_true",
                     help="take the default of every question no flag answers")
    sub.set_defaults(handler=run_setup)


def run_setup(args: argparse.Namespace) -> int:
    """The steps, in order; each one skipped when it was done before."""
    ask = Prompter(args.yes)
    path = Path(args.config or default_config_path()).expanduser()
    known = _accounts_in(path)
    kind = args.service or list(TITLES)[ask.choose(
        "Which calendar do your interviews come from?", list(TITLES.values()), 3,
        "--service")]
    service = SERVICES[kind](args, ask, state_dir_of(args))
    name = _name(args.account or ask.ask("A name for this account", kind, "--account"))
    if name in known and known[name]["provider"] != service.provider:
        raise UserError(f"{path}: the account {name} is a {known[name]['provider']} "
                        "account; give this one another name")
    account = known.get(name) or {"name": name, "provider": service.provider,
                                  **service.settings(), **_extra(args.set)}
    service.sign_in(account)
    if name in known:
        ask.say(f"The account {name} is in {path} already; it is kept as it is.")
    else:
        _write_account(path, {**account, **service.calendars(account, path.parent)}, ask)
    _preview(args, path, name, ask)
    _offer_service(args, path, ask)
    return 0


def _name(name: str) -> str:
    """An account's name, checked before anything is signed in or written."""
    from .config import ACCOUNT_NAME

    if not ACCOUNT_NAME.fullmatch(name):
        raise UserError(f"account name {name!r}: use letters, digits, '-', '_' or '.'")
    return name


def _accounts_in(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    from .config import load_config

    return {str(a["name"]): a for a in load_config(path).accounts}


def _extra(pairs: list[str]) -> dict[str, Any]:
    """--set KEY=VALUE: VALUE read as a TOML value when it is one, else as text."""
    extra: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--set {pair!r}: give KEY=VALUE")
        try:
            extra[key.strip()] = tomllib.loads(f"v = {value}")["v"]
        except tomllib.TOMLDecodeError:
            extra[key.strip()] = value
    return extra


def toml_block(account: dict[str, Any]) -> str:
    """The account as a `[[accounts]]` table."""
    lines = [f"\n# added by `followup-daemon setup` on {dt.date.today().isoformat()}",
             "[[accounts]]"]
    lines += [f"{_key(key)} = {toml_value(value)}" for key, value in account.items()]
    return "\n".join(lines) + "\n"


def _key(key: Any) -> str:
    return str(key) if re.fullmatch(r"[A-Za-z0-9_-]+", str(key)) else json.dumps(str(key))


def toml_value(value: Any) -> str:
    """A TOML value: JSON's strings, numbers and booleans are TOML's too; a table is
    written inline."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(v)}"
                                for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value if isinstance(value, str | bool | int | float) else str(value))


def _write_account(path: Path, account: dict[str, Any], ask: Prompter) -> None:
    """Append the account to the config (made from the example when missing), once
    the whole file still reads as a valid config; written whole or not at all."""
    from importlib import resources

    from .config import parse_config
    from .files import write_private

    text = path.read_text(encoding="utf-8") if path.exists() else resources.files(
        "followup_daemon").joinpath("data/config.example.toml").read_text(encoding="utf-8")
    text += toml_block(account)
    try:
        parse_config(tomllib.loads(text), str(path), path)  # ConfigError names the problem
    except tomllib.TOMLDecodeError as error:
        raise UserError(f"{path}: the account would not read as TOML ({error}); nothing "
                        "was written") from None
    write_private(path, text)
    ask.say(f"Wrote the account {account['name']} into {path}.")


def _preview(args: argparse.Namespace, path: Path, name: str, ask: Prompter) -> None:
    from .cli_sync import run_sync

    ask.say("\nWhat the first pass would write (a dry run: nothing is written):")
    run_sync(argparse.Namespace(config=path, state_dir=args.state_dir, log_level=None,
                                account=[name], dry_run=True, now=None, once=False))


def _offer_service(args: argparse.Namespace, path: Path, ask: Prompter) -> None:
    wanted = args.install_service
    if wanted is None:
        wanted = ask.confirm("\nInstall the daemon as a service, started at login, now?",
                             True, "--install-service")
    if not wanted:
        ask.say("Later: `followup-daemon service install`, or `followup-daemon run` in a "
                "terminal.")
        return
    from .cli_service import run_service

    try:
        run_service(argparse.Namespace(verb="install", config=path, state_dir=args.state_dir,
                                       platform=Service.platform(), dry_run=False))
    except (UserError, OSError) as error:
        ask.say(f"The service could not be installed ({error}); run `followup-daemon "
                "service install` when that is fixed, or `followup-daemon run`.")
