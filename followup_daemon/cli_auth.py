"""The `auth` commands: sign in, check and revoke an account's credentials, one verb per
sign-in of the registry's table; and `calendars` (what a CalDAV server offers)."""

from __future__ import annotations

import argparse
from typing import Any

from .boundary import Auth, ListsCalendars, ProviderContext
from .cli_common import add_paths, state_dir_of
from .config import load_config
from .errors import UserError
from .registry import SIGN_INS, calendar_class, credentials_of, settings_of, sign_in


def add_auth(auth: argparse.ArgumentParser) -> None:
    """`auth VERB` for each sign-in, `auth status` and `auth revoke`."""
    auth.description = ("Authorise an account once; its credentials are kept in your "
                        "system keyring, never in a file in clear.")
    verbs = auth.add_subparsers(dest="verb", metavar="VERB", required=True)
    for verb in SIGN_INS:
        signer = sign_in(verb)
        sub = verbs.add_parser(verb, help=signer.help)
        _account(sub)
        signer.add_arguments(sub)
        sub.set_defaults(handler=run_sign_in)
    status = verbs.add_parser("status", help="check each account's credentials")
    _account(status, required=False)
    status.set_defaults(handler=run_status)
    revoke = verbs.add_parser("revoke", help="revoke and forget an account's credentials")
    _account(revoke)
    revoke.set_defaults(handler=run_revoke)


def add_calendars(calendars: argparse.ArgumentParser) -> None:
    """The options of `calendars`."""
    _account(calendars)
    calendars.set_defaults(handler=run_calendars)


def _account(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument("--account", required=required, metavar="NAME",
                        help="the account's name in the config")
    add_paths(parser, state_help="where token caches live")


def _find(args: argparse.Namespace, kind: str | None = None) -> list[dict[str, Any]]:
    """The config's accounts named by --account (all without it) that need sign-in
    `kind` (any sign-in without it)."""
    accounts = [a for a in load_config(args.config).accounts
                if args.account in (None, a["name"]) and
                (kind in credentials_of(a) if kind else credentials_of(a))]
    if args.account and not accounts:
        what = f"no {kind} account named {args.account!r}" if kind else \
            f"no account named {args.account!r} that needs authorisation"
        raise UserError(f"{what} in the config; add an [[accounts]] table for it first "
                        "(for IMAP drafts, give it imap_host)")
    return accounts


def run_sign_in(args: argparse.Namespace) -> int:
    """`auth VERB`: the sign-in of that verb for one account."""
    signer = sign_in(args.verb)
    account = settings_of(_find(args, signer.kind)[0])
    line = signer.sign_in(account, state_dir_of(args), args)
    print(f"{account['name']}: {line}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    """`auth status`: one line per account and sign-in."""
    accounts = _find(args)
    for account in accounts:
        for kind in credentials_of(account):
            line = _signer(kind).check(settings_of(account), state_dir_of(args))
            print(f"{account['name']} ({kind}): {line}")
    if not accounts:
        print("no accounts that need authorisation in the config")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    """`auth revoke`: revoke where the service allows it, and forget. The calendar's
    sign-in holds the mailbox's password too (one keyring entry per account)."""
    account = _find(args)[0]
    kind = credentials_of(account)[0]
    line = _signer(kind).revoke(settings_of(account), state_dir_of(args))
    print(f"{account['name']}: {line}")
    return 0


def _signer(kind: str) -> Auth:
    """The sign-in of `kind` (its first verb: `auth google` rather than `auth import`)."""
    return next(sign_in(verb) for verb in SIGN_INS if sign_in(verb).kind == kind)


def run_calendars(args: argparse.Namespace) -> int:
    """`calendars`: the name and id of each calendar of the account, for its settings."""
    from .terminal import render_table, width_of

    config = load_config(args.config)
    account = _account_named(config.accounts, args.account)
    context = ProviderContext(config.base, state_dir_of(args), config.settings)
    calendar = calendar_class(str(account["provider"]))(account, context)
    if not isinstance(calendar, ListsCalendars):
        raise UserError(f"account {args.account}: a {account['provider']} account cannot "
                        "list calendars")
    found = calendar.calendar_list()
    print(render_table(("Calendar", "Id (for the settings)"), found, width_of())
          if found else "the account offers no calendars")
    return 0


def _account_named(accounts: list[dict[str, Any]], name: str) -> dict[str, Any]:
    for account in accounts:
        if account["name"] == name:
            return account
    known = ", ".join(str(a["name"]) for a in accounts) or "none"
    raise UserError(f"no account named {name!r} in the config (its accounts: {known})")
