"""Microsoft's sign-in (`auth outlook`), light to import: msal loads when used."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


class OutlookSignIn:
    """`auth outlook`: a device code (or a local browser)."""

    kind = "outlook"
    verb = "outlook"
    help = "sign in to Microsoft (device code by default)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """--client-id, --tenant, --browser."""
        parser.add_argument("--client-id", required=True, metavar="ID",
                            help="the Application (client) ID of your Entra app (see the README)")
        parser.add_argument("--tenant", default="common", metavar="TENANT",
                            help="common, organizations, consumers or a tenant id "
                                 "(default: common)")
        parser.add_argument("--browser", action="store_true",
                            help="sign in in a local browser instead of with a device code")

    def sign_in(self, account: dict[str, Any], state_dir: Path, options: Any) -> str:
        """The msal flow; the token cache encrypted with a key in the keyring."""
        from . import auth

        who = auth.authorise(account, state_dir, options.client_id, options.tenant,
                             browser=options.browser)
        return (f"authorised as {who}; the token cache is encrypted with a key in your "
                "keyring")

    def check(self, account: dict[str, Any], state_dir: Path) -> str:
        """A forced refresh."""
        from . import auth

        return auth.check(account, state_dir)

    def revoke(self, account: dict[str, Any], state_dir: Path) -> str:
        """Forget the sign-in."""
        from . import auth

        return auth.revoke(account, state_dir)


AUTH = OutlookSignIn()
