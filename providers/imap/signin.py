"""The IMAP sign-in (`auth imap`): the password of an account whose drafts go to IMAP."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


class ImapSignIn:
    """`auth imap`."""

    kind = "imap"
    verb = "imap"
    help = "store the IMAP password of an account whose drafts go to IMAP"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """--password-stdin."""
        parser.add_argument("--password-stdin", action="store_true",
                            help="read the password from standard input (scripts)")

    def sign_in(self, account: dict[str, Any], state_dir: Path, options: Any) -> str:
        """Keep the password."""
        from . import auth

        auth.authorise(account, state_dir, options.password_stdin)
        return "the IMAP password is in your keyring"

    def check(self, account: dict[str, Any], state_dir: Path) -> str:
        """A login with the stored password."""
        from . import auth

        return auth.check(account, state_dir)

    def revoke(self, account: dict[str, Any], state_dir: Path) -> str:
        """Forget the IMAP password."""
        from . import auth

        return auth.revoke(account, state_dir)


AUTH = ImapSignIn()
