"""`auth caldav`: the CalDAV (and IMAP) password into the keyring; and what the
server offers (`calendars`)."""

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


def authorise(account: dict[str, Any], state_dir: Path, from_stdin: bool = False,
              separate_imap: bool = False) -> None:
    """Ask for the password (without echo) and keep it in the keyring only."""
    password = ask_password(
        f"Password (or app-specific password) for {account.get('username')}: ", from_stdin)
    secret: dict[str, Any] = {"provider": "caldav", "password": password}
    if separate_imap:
        secret["imap_password"] = ask_password("IMAP password: ", from_stdin)
    save_secret(str(account["name"]), secret)


def check(account: dict[str, Any], state_dir: Path) -> str:
    """One line: whether the server accepts the stored password."""
    from .calendar import CalDAVCalendar

    if not load_secret(str(account["name"])):
        return "not authorised"
    try:
        CalDAVCalendar(account, ProviderContext(state_dir, state_dir)).calendar_list()
    except FollowupError as error:
        return str(error)
    return "authorised"


def revoke(account: dict[str, Any], state_dir: Path) -> str:
    """Forget the password (revoke app-specific passwords at the service)."""
    if not delete_secret(str(account["name"])):
        return "nothing stored"
    return "forgotten; revoke the app-specific password at your provider too"
