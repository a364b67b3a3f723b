"""`auth imap`: the IMAP password of an account that keeps its drafts on IMAP;
checking it with a login, and forgetting it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from followup_daemon.boundary import (
    ProviderContext,
    ask_password,
    delete_secret,
    load_secret,
    save_secret,
)
from followup_daemon.errors import FollowupError

from .mailbox import ImapMailbox


def authorise(account: dict[str, Any], state_dir: Path, from_stdin: bool = False) -> None:
    """Keep the IMAP password in the keyring (beside anything else the account has)."""
    password = ask_password(f"IMAP password for {account.get('imap_username')}: ", from_stdin)
    secret = load_secret(str(account["name"])) or {"provider": "imap"}
    save_secret(str(account["name"]), {**secret, "imap_password": password})


def check(account: dict[str, Any], state_dir: Path) -> str:
    """One line: whether the IMAP server accepts the stored password."""
    secret = load_secret(str(account["name"])) or {}
    if not (secret.get("imap_password") or secret.get("password")):
        return "no IMAP password stored"
    mailbox = ImapMailbox(account, ProviderContext(state_dir, state_dir))
    try:
        mailbox.find_draft("followup-daemon-auth-check")
    except FollowupError as error:
        return str(error)
    return "authorised (IMAP)"


def revoke(account: dict[str, Any], state_dir: Path) -> str:
    """Forget the IMAP password (the account's other credentials stay)."""
    name = str(account["name"])
    secret = load_secret(name) or {}
    if "imap_password" not in secret:
        return "no IMAP password stored"
    del secret["imap_password"]
    if set(secret) <= {"provider"}:
        delete_secret(name)
    else:
        save_secret(name, secret)
    return "the IMAP password is forgotten; revoke an app-specific password at your provider too"
