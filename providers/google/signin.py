"""Google's sign-ins (`auth google`, `auth import`), light to import: the flows load when used."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


class GoogleSignIn:
    """`auth google`: the browser sign-in."""

    kind = "google"
    verb = "google"
    help = "sign in to Google in a browser (PKCE)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """--client-secrets, --no-browser, --port."""
        parser.add_argument("--client-secrets", type=Path, required=True, metavar="FILE",
                            help="the OAuth client JSON of your Desktop app (see the README)")
        parser.add_argument("--no-browser", action="store_true",
                            help="print the address instead of opening a browser (SSH, servers)")
        parser.add_argument("--port", type=int, default=0,
                            help="loopback port for the redirect (default: a free one)")

    def sign_in(self, account: dict[str, Any], state_dir: Path, options: Any) -> str:
        """The loopback flow."""
        from . import auth
        from .session import METADATA_SCOPE, scopes_for

        secret = auth.authorise(str(account["name"]), options.client_secrets,
                                open_browser=not options.no_browser, port=options.port,
                                scopes=scopes_for(account))
        replies = METADATA_SCOPE in secret["scopes"]
        return "authorised; the credentials are in your keyring" + (
            "" if replies or METADATA_SCOPE not in scopes_for(account) else
            "; replies are off (the mail metadata permission was not granted)")

    def check(self, account: dict[str, Any], state_dir: Path) -> str:
        """A refresh with the stored token."""
        from . import auth

        return auth.check(account, state_dir)

    def revoke(self, account: dict[str, Any], state_dir: Path) -> str:
        """Revoke at Google and forget."""
        from . import auth

        return auth.revoke(account, state_dir)


class GoogleImport(GoogleSignIn):
    """`auth import`: credentials authorised on another machine."""

    verb = "import"
    help = "store a Google authorized_user JSON"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """--file."""
        parser.add_argument("--file", type=Path, required=True, metavar="JSON")

    def sign_in(self, account: dict[str, Any], state_dir: Path, options: Any) -> str:
        """Check the file's scopes, then keep it in the keyring."""
        from . import auth

        auth.import_authorized_user(str(account["name"]), options.file,
                                    account.get("token_uri"))
        return f"imported into your keyring; you may now delete {options.file}"


AUTH = GoogleSignIn()
IMPORT = GoogleImport()
