"""Authorising a Google account: the installed-app loopback flow with PKCE, importing
an `authorized_user` JSON, checking and revoking. Secrets go to the keyring only."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

import google.auth.exceptions
import google.auth.transport.requests
from google_auth_oauthlib.flow import InstalledAppFlow

from followup_daemon.boundary import delete_secret, load_secret, save_secret
from followup_daemon.errors import UserError

from .session import METADATA_SCOPE, OPTIONAL, SCOPES, credentials_from

REVOKE_URI = "https://oauth2.googleapis.com/revoke"
PROMPT = """Open this address in a browser and allow access to your calendar events, your
drafts and, to stop reminding you once an employer answers, the senders and dates of
your mail (followup-daemon never reads a message's text and never sends mail):

    {url}

On a remote machine (SSH), first forward the port from your own computer:
    ssh -N -L {port}:127.0.0.1:{port} THIS-HOST
then open the address in your local browser."""


def free_port() -> int:
    """A free TCP port on 127.0.0.1 for the loopback redirect."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def authorise(account: str, client_secrets: Path, open_browser: bool, port: int = 0,
              timeout_seconds: int = 600, scopes: tuple[str, ...] = SCOPES
              ) -> dict[str, Any]:
    """Run the loopback flow (PKCE) and store the result, with the scopes the user
    granted, in the keyring."""
    # Google's consent screen lets the user untick a scope; take the grant as it is
    # (without this, oauthlib raises on any difference) and keep what was granted.
    os.environ.setdefault("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")
    try:
        flow = InstalledAppFlow.from_client_secrets_file(
            str(client_secrets), scopes=list(scopes), autogenerate_code_verifier=True)
    except (OSError, ValueError, KeyError) as error:
        raise UserError(f"{client_secrets}: not a Google OAuth client file ({error}); "
                        "download it from the Cloud Console (Desktop app)") from error
    port = port or free_port()
    prompt = PROMPT.replace("{port}", str(port))
    credentials = flow.run_local_server(
        host="127.0.0.1", port=port, open_browser=open_browser,
        authorization_prompt_message=prompt, timeout_seconds=timeout_seconds,
        success_message="followup-daemon is authorised. You may close this window.")
    if not credentials.refresh_token:
        raise UserError("Google gave no refresh token; remove the app's access at "
                        "https://myaccount.google.com/permissions and authorise again")
    granted = _scope_list(credentials.granted_scopes) or list(scopes)
    if not set(SCOPES) <= set(granted):
        raise UserError(f"Google granted only {', '.join(sorted(granted))}: authorise again "
                        "and leave the calendar events and drafts boxes ticked")
    return store(account, credentials.client_id, credentials.client_secret,
                 credentials.refresh_token, credentials.token_uri, granted)


def _scope_list(scopes: Any) -> list[str]:
    """Granted scopes, which oauthlib gives as a list or a space-separated string."""
    return scopes.split() if isinstance(scopes, str) else list(scopes or [])


def store(account: str, client_id: str, client_secret: str, refresh_token: str,
          token_uri: str | None, scopes: list[str] | tuple[str, ...] = SCOPES
          ) -> dict[str, Any]:
    """Save the credentials of `account`, with the scopes granted, in the keyring."""
    secret = {"provider": "google", "client_id": client_id, "client_secret": client_secret,
              "refresh_token": refresh_token, "token_uri": token_uri,
              "scopes": [s for s in (*SCOPES, *OPTIONAL, METADATA_SCOPE) if s in scopes]}
    save_secret(account, secret)
    return secret


def import_authorized_user(account: str, file: Path, token_uri: str | None = None
                           ) -> dict[str, Any]:
    """Store the JSON that google-auth's `Credentials.to_json()` writes, once its scopes
    are the two the daemon needs, with or without the metadata scope (and no more):
    listed in the file, or granted at a refresh when the file does not list them."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UserError(f"{file}: cannot read it as JSON ({error})") from error
    missing = [k for k in ("client_id", "client_secret", "refresh_token") if not data.get(k)]
    if missing:
        raise UserError(f"{file}: not an authorized_user JSON (missing {', '.join(missing)})")
    granted = _scope_list(data.get("scopes")) or _granted(data, token_uri, file)
    if not set(SCOPES) <= set(granted) <= {*SCOPES, *OPTIONAL, METADATA_SCOPE}:
        raise UserError(f"{file}: the token was granted {', '.join(sorted(granted)) or 'no'} "
                        f"scope(s), not exactly {' and '.join(SCOPES)} (and optionally "
                        f"{', '.join(OPTIONAL)} and {METADATA_SCOPE}); authorise with "
                        f"`followup-daemon auth google --account {account} --client-secrets "
                        "FILE` (with --no-browser on a machine without one)")
    return store(account, data["client_id"], data["client_secret"], data["refresh_token"],
                 data.get("token_uri"), granted)


def _granted(data: dict[str, Any], token_uri: str | None, file: Path) -> list[str]:
    """The scopes Google grants the refresh token (it says so at a refresh)."""
    credentials = credentials_from(data, token_uri)
    try:
        credentials.refresh(google.auth.transport.requests.Request())
    except google.auth.exceptions.RefreshError as error:
        raise UserError(f"{file}: Google refuses its refresh token; authorise again") from error
    except google.auth.exceptions.TransportError as error:
        raise UserError(f"{file}: Google could not be reached to check the token's scopes "
                        f"({type(error).__name__}); try again when online") from error
    return _scope_list(credentials.granted_scopes)


def check(settings: dict[str, Any], state_dir: Path) -> str:
    """One line: whether the stored credentials still give an access token."""
    account, token_uri = str(settings["name"]), settings.get("token_uri")
    secret = load_secret(account)
    if not secret:
        return "not authorised"
    credentials = credentials_from(secret, token_uri)
    try:
        credentials.refresh(google.auth.transport.requests.Request())
    except google.auth.exceptions.RefreshError:
        return (f"needs re-authorisation: run `followup-daemon auth google --account "
                f"{account} --client-secrets FILE`")
    except google.auth.exceptions.TransportError as error:
        return f"stored; Google could not be reached to check it ({type(error).__name__})"
    return f"authorised (client {secret.get('client_id')})"


def revoke(settings: dict[str, Any], state_dir: Path) -> str:
    """Revoke the refresh token at Google and forget it; one line on what happened."""
    account, token_uri = str(settings["name"]), settings.get("token_uri")
    secret = load_secret(account)
    if not secret:
        return "nothing stored"
    revoke_uri = token_uri.rsplit("/", 1)[0] + "/revoke" if token_uri else REVOKE_URI
    request = google.auth.transport.requests.Request()
    try:
        answer = request(url=revoke_uri, method="POST",
                         body=f"token={secret['refresh_token']}".encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        revoked = answer.status == 200
    except google.auth.exceptions.TransportError:
        revoked = False
    delete_secret(account)
    return "revoked and forgotten" if revoked else \
        "forgotten here; Google could not confirm the revocation: remove the app at " \
        "https://myaccount.google.com/permissions"
