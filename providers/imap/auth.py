"""`auth imap`: the IMAP password of an account that keeps its drafts on IMAP."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

from followup_daemon.errors import UserError
from followup_daemon.secrets import load_secret, save_secret


def ask_password(prompt: str, from_stdin: bool) -> str:
    """A password typed without echo (or one line of standard input, for scripts)."""
    value = sys.stdin.readline().rstrip("\n") if from_stdin else getpass.getpass(prompt)
    if not value:
        raise UserError("no password given; nothing was stored")
    return value


def authorise(account: dict[str, Any], state_dir: Path, from_stdin: bool = False) -> None:
    """Keep the IMAP password in the keyring (beside anything else the account has)."""
    password = ask_password(f"IMAP password for {account.get('imap_username')}: ", from_stdin)
    secret = load_secret(str(account["name"])) or {"provider": "imap"}
    save_secret(str(account["name"]), {**secret, "imap_password": password})
