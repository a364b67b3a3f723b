"""The CalDAV sign-in (`auth caldav`): the password into the keyring."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


class CalDAVSignIn:
    """`auth caldav`."""

    kind = "caldav"
    verb = "caldav"
    help = "store a CalDAV/IMAP password (no echo)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """--password-stdin, --separate-imap-password."""
        parser.add_argument("--password-stdin", action="store_true",
                            help="read the password from standard input (scripts)")
        parser.add_argument("--separate-imap-password", action="store_true",
                            help="also ask for an IMAP password that differs")

    def sign_in(self, account: dict[str, Any], state_dir: Path, options: Any) -> str:
        """Keep the password (and the IMAP one)."""
        from . import auth

        auth.authorise(account, state_dir, options.password_stdin,
                       options.separate_imap_password)
        return "the password is in your keyring; check it with `followup-daemon auth status`"

    def check(self, account: dict[str, Any], state_dir: Path) -> str:
        """A listing of the server's calendars with the stored password."""
        from . import auth

        return auth.check(account, state_dir)

    def revoke(self, account: dict[str, Any], state_dir: Path) -> str:
        """Forget the password(s)."""
        from . import auth

        return auth.revoke(account, state_dir)


AUTH = CalDAVSignIn()
