"""The `auth` commands: authorise, import, check and revoke an account's credentials."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .config import default_config_path, load_config
from .errors import UserError
from .registry import auth_module


def add_auth(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `auth google|import|status|revoke`."""
    auth = commands.add_parser("auth", help="authorise accounts (credentials go to the keyring)",
                               description="Authorise an account once; its credentials are "
                               "kept in your system keyring, never in a file.")
    verbs = auth.add_subparsers(dest="verb", metavar="VERB", required=True)
    google = verbs.add_parser("google", help="sign in to Google in a browser (PKCE)")
    _account(google)
    google.add_argument("--client-secrets", type=Path, required=True, metavar="FILE",
                        help="the OAuth client JSON of your Desktop app (see the README)")
    google.add_argument("--no-browser", action="store_true",
                        help="print the address instead of opening a browser (SSH, servers)")
    google.add_argument("--port", type=int, default=0,
                        help="loopback port for the redirect (default: a free one)")
    google.set_defaults(handler=run_google)
    imported = verbs.add_parser("import", help="store an authorized_user JSON from elsewhere")
    _account(imported)
    imported.add_argument("--file", type=Path, required=True, metavar="JSON")
    imported.set_defaults(handler=run_import)
    status = verbs.add_parser("status", help="check each account's credentials")
    _account(status, required=False)
    status.set_defaults(handler=run_status)
    revoke = verbs.add_parser("revoke", help="revoke and forget an account's credentials")
    _account(revoke)
    revoke.set_defaults(handler=run_revoke)


def _account(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument("--account", required=required, metavar="NAME",
                        help="the account's name in the config")
    parser.add_argument("--config", type=Path, metavar="FILE.toml",
                        help=f"config file (default: {default_config_path()})")


def _find(args: argparse.Namespace) -> list[dict[str, Any]]:
    accounts = [a for a in load_config(args.config).accounts if a.get("provider") == "google"
                and args.account in (None, a["name"])]
    if args.account and not accounts:
        raise UserError(f"no google account named {args.account!r} in the config; add an "
                        "[[accounts]] table with provider = \"google\" first")
    return accounts


def run_google(args: argparse.Namespace) -> int:
    """`auth google`: the browser sign-in."""
    account = _find(args)[0]
    auth_module("google").authorise(account["name"], args.client_secrets,
                                    open_browser=not args.no_browser, port=args.port)
    print(f"{account['name']}: authorised; the credentials are in your keyring")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """`auth import`: store credentials authorised on another machine."""
    account = _find(args)[0]
    auth_module("google").import_authorized_user(account["name"], args.file)
    print(f"{account['name']}: imported into your keyring; you may now delete {args.file}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    """`auth status`: one line per account."""
    accounts = _find(args)
    for account in accounts:
        line = auth_module("google").check(account["name"], account.get("token_uri"))
        print(f"{account['name']}: {line}")
    if not accounts:
        print("no google accounts in the config")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    """`auth revoke`: revoke at Google and forget."""
    account = _find(args)[0]
    print(f"{account['name']}: " + auth_module("google").revoke(account["name"],
                                                                account.get("token_uri")))
    return 0
