"""Authorising an Outlook / Microsoft 365 account with msal: the device-code flow
(headless, over SSH) or the interactive browser flow; checking and forgetting."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from followup_daemon.boundary import delete_secret, load_secret
from followup_daemon.errors import FollowupError, UserError

from .tokens import SCOPES, TokenStore, connection, new_secret

Say = Callable[[str], None]


def authorise(account: dict[str, Any], state_dir: Path, client_id: str, tenant: str,
              browser: bool, say: Say = print) -> str:
    """Sign in and keep the token cache (encrypted; its key in the keyring)."""
    new_secret(str(account["name"]), client_id, tenant)
    store = TokenStore(connection(account, state_dir))
    store.connection.cache_file.unlink(missing_ok=True)
    app = store.app()
    if browser:
        result = app.acquire_token_interactive(SCOPES, timeout=600)
    else:
        flow = app.initiate_device_flow(scopes=SCOPES)
        if "user_code" not in flow:
            raise UserError(f"the sign-in service refused the device flow: "
                            f"{flow.get('error_description', flow.get('error'))}")
        say(str(flow["message"]))
        result = app.acquire_token_by_device_flow(flow)
    if "access_token" not in result:
        delete_secret(str(account["name"]))
        raise UserError(f"sign-in failed: {result.get('error_description', result.get('error'))}")
    store.save()
    return str((result.get("id_token_claims") or {}).get("preferred_username", "signed in"))


def check(account: dict[str, Any], state_dir: Path) -> str:
    """One line: whether the cached sign-in still gives an access token."""
    if not load_secret(str(account["name"])):
        return "not authorised"
    try:
        TokenStore(connection(account, state_dir)).access_token(force_refresh=True)
    except FollowupError as error:  # not authorised, needs re-authorisation, unreachable
        return str(error)
    return "authorised"


def revoke(account: dict[str, Any], state_dir: Path) -> str:
    """Forget the sign-in: the keyring entry and the encrypted caches."""
    forgotten = delete_secret(str(account["name"]))
    where = connection(account, state_dir)
    where.cache_file.unlink(missing_ok=True)
    where.http_cache_file.unlink(missing_ok=True)
    if not forgotten:
        return "nothing stored"
    return ("forgotten here; to revoke the app's access, remove it at "
            "https://myapplications.microsoft.com (work or school) or "
            "https://account.live.com/consent/Manage (personal)")
