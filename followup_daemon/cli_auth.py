"""The `auth` commands: authorise, import, check and revoke an account's credentials."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cli_sync import default_state_dir
from .config import default_config_path, load_config
from .errors import UserError
from .registry import AUTH_MODULES, ProviderContext, auth_module, provider_class

if TYPE_CHECKING:
    Verbs = argparse._SubParsersAction[argparse.ArgumentParser]


def add_auth(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `auth google|outlook|caldav|import|status|revoke`."""
    auth = commands.add_parser("auth", help="authorise accounts (credentials go to the keyring)",
                               description="Authorise an account once; its credentials are "
                               "kept in your system keyring, never in a file in clear.")
    verbs = auth.add_subparsers(dest="verb", metavar="VERB", required=True)
    _add_google(verbs)
    _add_outlook(verbs)
    _add_caldav(verbs)
    imap = verbs.add_parser("imap", help="store the IMAP password of an account with imap_host")
    _account(imap)
    imap.add_argument("--password-stdin", action="store_true",
                      help="read the password from standard input (scripts)")
    imap.set_defaults(handler=run_imap)
    imported = verbs.add_parser("import", help="store a Google authorized_user JSON")
    _account(imported)
    imported.add_argument("--file", type=Path, required=True, metavar="JSON")
    imported.set_defaults(handler=run_import)
    status = verbs.add_parser("status", help="check each account's credentials")
    _account(status, required=False)
    status.set_defaults(handler=run_status)
    revoke = verbs.add_parser("revoke", help="revoke and forget an account's credentials")
    _account(revoke)
    revoke.set_defaults(handler=run_revoke)
    calendars = commands.add_parser("calendars", help="list the calendars a CalDAV server offers")
    _account(calendars)
    calendars.set_defaults(handler=run_calendars)


def _add_google(verbs: Verbs) -> None:
    google = verbs.add_parser("google", help="sign in to Google in a browser (PKCE)")
    _account(google)
    google.add_argument("--client-secrets", type=Path, required=True, metavar="FILE",
                        help="the OAuth client JSON of your Desktop app (see the README)")
    google.add_argument("--no-browser", action="store_true",
                        help="print the address instead of opening a browser (SSH, servers)")
    google.add_argument("--port", type=int, default=0,
                        help="loopback port for the redirect (default: a free one)")
    google.set_defaults(handler=run_google)


def _add_outlook(verbs: Verbs) -> None:
    outlook = verbs.add_parser("outlook", help="sign in to Microsoft (device code by default)")
    _account(outlook)
    outlook.add_argument("--client-id", required=True, metavar="ID",
                         help="the Application (client) ID of your Entra app (see the README)")
    outlook.add_argument("--tenant", default="common", metavar="TENANT",
                         help="common, organizations, consumers or a tenant id (default: common)")
    outlook.add_argument("--browser", action="store_true",
                         help="sign in in a local browser instead of with a device code")
    outlook.set_defaults(handler=run_outlook)


def _add_caldav(verbs: Verbs) -> None:
    caldav = verbs.add_parser("caldav", help="store a CalDAV/IMAP password (no echo)")
    _account(caldav)
    caldav.add_argument("--password-stdin", action="store_true",
                        help="read the password from standard input (scripts)")
    caldav.add_argument("--separate-imap-password", action="store_true",
                        help="also ask for an IMAP password that differs")
    caldav.set_defaults(handler=run_caldav)


def _account(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument("--account", required=required, metavar="NAME",
                        help="the account's name in the config")
    parser.add_argument("--config", type=Path, metavar="FILE.toml",
                        help=f"config file (default: {default_config_path()})")
    parser.add_argument("--state-dir", type=Path, metavar="DIR",
                        help=f"where token caches live (default: {default_state_dir()})")


def _find(args: argparse.Namespace, provider: str | None = None) -> list[dict[str, Any]]:
    kinds = [provider] if provider else list(AUTH_MODULES)
    accounts = [a for a in load_config(args.config).accounts if a.get("provider") in kinds
                and args.account in (None, a["name"])]
    if args.account and not accounts:
        wanted = provider or " or ".join(kinds)
        raise UserError(f"no {wanted} account named {args.account!r} in the config; add an "
                        "[[accounts]] table for it first")
    return accounts


def _state_dir(args: argparse.Namespace) -> Path:
    return Path(args.state_dir or default_state_dir())


def run_google(args: argparse.Namespace) -> int:
    """`auth google`: the browser sign-in."""
    account = _find(args, "google")[0]
    auth_module("google").authorise(account["name"], args.client_secrets,
                                    open_browser=not args.no_browser, port=args.port)
    print(f"{account['name']}: authorised; the credentials are in your keyring")
    return 0


def run_outlook(args: argparse.Namespace) -> int:
    """`auth outlook`: device code (or browser) sign-in."""
    account = _find(args, "outlook")[0]
    who = auth_module("outlook").authorise(account, _state_dir(args), args.client_id,
                                           args.tenant, browser=args.browser)
    print(f"{account['name']}: authorised as {who}; the token cache is encrypted with a key "
          "in your keyring")
    return 0


def run_caldav(args: argparse.Namespace) -> int:
    """`auth caldav`: the password into the keyring."""
    account = _find(args, "caldav")[0]
    auth_module("caldav").authorise(account, _state_dir(args), args.password_stdin,
                                    args.separate_imap_password)
    print(f"{account['name']}: the password is in your keyring; check it with "
          "`followup-daemon auth status`")
    return 0


def run_imap(args: argparse.Namespace) -> int:
    """`auth imap`: the IMAP password of any account that has imap_host."""
    accounts = [a for a in load_config(args.config).accounts
                if a.get("imap_host") and a["name"] == args.account]
    if not accounts:
        raise UserError(f"no account named {args.account!r} with an imap_host in the config")
    auth_module("imap").authorise(accounts[0], _state_dir(args), args.password_stdin)
    print(f"{args.account}: the IMAP password is in your keyring")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """`auth import`: store Google credentials authorised on another machine."""
    account = _find(args, "google")[0]
    auth_module("google").import_authorized_user(account["name"], args.file,
                                                 account.get("token_uri"))
    print(f"{account['name']}: imported into your keyring; you may now delete {args.file}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    """`auth status`: one line per account."""
    accounts = _find(args)
    for account in accounts:
        line = auth_module(account["provider"]).check(account, _state_dir(args))
        print(f"{account['name']} ({account['provider']}): {line}")
    if not accounts:
        print("no accounts that need authorisation in the config")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    """`auth revoke`: revoke where the service allows it, and forget."""
    account = _find(args)[0]
    line = auth_module(account["provider"]).revoke(account, _state_dir(args))
    print(f"{account['name']}: {line}")
    return 0


def run_calendars(args: argparse.Namespace) -> int:
    """`calendars`: name and URL of each calendar, for the account's `calendar` key."""
    account = _find(args, "caldav")[0]
    config = load_config(args.config)
    context = ProviderContext(config.base, _state_dir(args), config.settings)
    found = provider_class("caldav")(account, context).calendars()  # type: ignore[attr-defined]
    width = max((len(name) for name, _ in found), default=4)
    for name, url in found:
        print(f"{name:<{width}}  {url}")
    if not found:
        print("the server offers no calendars to this user")
    return 0
