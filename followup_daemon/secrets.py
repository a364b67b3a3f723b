"""Credentials in the OS keyring: one entry per account, service `followup-daemon`.

Nothing secret is ever written to a file by this module; a missing or locked
keyring is a user error with the action to take.
"""

from __future__ import annotations

import json
from typing import Any

import keyring
import keyring.errors

from .errors import UserError

SERVICE = "followup-daemon"
NO_KEYRING = ("no usable keyring: on Linux run a Secret Service (GNOME Keyring or KeePassXC) "
              "in your session; on a server see the README's 'Headless machines'")


def save_secret(account: str, secret: dict[str, Any]) -> None:
    """Store an account's credentials (a JSON object) in the keyring."""
    try:
        keyring.set_password(SERVICE, account, json.dumps(secret))
    except keyring.errors.KeyringError as error:
        raise UserError(f"account {account}: cannot store credentials: {_why(error)}") from None


def load_secret(account: str) -> dict[str, Any] | None:
    """An account's credentials, or None when it was never authorised."""
    try:
        text = keyring.get_password(SERVICE, account)
    except keyring.errors.KeyringError as error:
        raise UserError(f"account {account}: cannot read credentials: {_why(error)}") from None
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        raise UserError(f"account {account}: the keyring entry is damaged; authorise "
                        "again") from None
    return value if isinstance(value, dict) else None


def delete_secret(account: str) -> bool:
    """Forget an account's credentials; False when there were none."""
    try:
        keyring.delete_password(SERVICE, account)
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError as error:
        raise UserError(f"account {account}: cannot delete credentials: {_why(error)}") from None
    return True


def _why(error: Exception) -> str:
    if isinstance(error, keyring.errors.NoKeyringError):
        return NO_KEYRING
    return str(error) or type(error).__name__
