"""One Google account's sign-in and API clients, shared by its calendar and its Gmail."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from google.oauth2.credentials import Credentials
from googleapiclient.discovery import Resource

from followup_daemon.boundary import RetryPolicy, load_secret, save_secret
from followup_daemon.errors import AuthExpired, UserError

from .client import batch_uri, call, call_batch, services

SCOPES = ("https://www.googleapis.com/auth/calendar.events",
          "https://www.googleapis.com/auth/gmail.compose")
# The calendars' names and ids for `calendars` and `setup`, and nothing else of them:
# the narrowest scope that lists calendars (calendar.readonly would read every event).
# Sign-ins made before it was asked for lack it; only listing needs it.
LIST_SCOPE = "https://www.googleapis.com/auth/calendar.calendarlist.readonly"
# Make a calendar of the follow-ups' own (`setup`): it reaches only calendars the app
# made. Optional as well.
MAKE_SCOPE = "https://www.googleapis.com/auth/calendar.app.created"
OPTIONAL = (LIST_SCOPE, MAKE_SCOPE)
# Received mail by its headers only (R7.2): the narrowest Gmail scope that reads it
METADATA_SCOPE = "https://www.googleapis.com/auth/gmail.metadata"
log = logging.getLogger(__name__)


def scopes_for(account: dict[str, Any]) -> tuple[str, ...]:
    """The scopes an account asks for: the metadata scope too when its replies are
    read from Gmail (`replies` on, and drafts in Gmail)."""
    gmail = account.get("drafts", True) in (True, "gmail")
    return (*SCOPES, *OPTIONAL, METADATA_SCOPE) if gmail and \
        account.get("replies", True) is not False else (*SCOPES, *OPTIONAL)
TOKEN_URI = "https://oauth2.googleapis.com/token"


def credentials_from(secret: dict[str, Any], token_uri: str | None) -> Credentials:
    """Credentials from the keyring entry; an override of the token URI applies last
    (`from_authorized_user_info` would reset it to Google's)."""
    return Credentials(
        token=secret.get("access_token"), expiry=_expiry(secret.get("expiry")),
        refresh_token=secret.get("refresh_token"),
        token_uri=token_uri or secret.get("token_uri") or TOKEN_URI,
        client_id=secret.get("client_id"), client_secret=secret.get("client_secret"),
        scopes=list(secret.get("scopes") or SCOPES))  # a refresh asks for what was granted



def _expiry(text: Any) -> dt.datetime | None:
    """The kept access token's expiry, naive UTC as google-auth wants it."""
    try:
        return dt.datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None  # unreadable: the token counts as expired and is refreshed


class GoogleSession:
    """The account's credentials (from the keyring, refreshed when needed) and its
    Calendar and Gmail clients, made on first use."""

    def __init__(self, account: dict[str, Any], retry: RetryPolicy | None = None) -> None:
        self.account = str(account["name"])
        self.api_endpoint = account.get("api_endpoint")
        self.token_uri = account.get("token_uri")
        self.retry = retry or RetryPolicy(
            timeout_seconds=float(account.get("timeout_seconds", 30)))
        self._clients: tuple[Resource, Resource] | None = None
        self._credentials: Credentials | None = None
        self._secret: dict[str, Any] | None = None
        self._resources: dict[str, Any] = {}
        self._meanwhile: list[Callable[[], None]] = []

    def secret(self) -> dict[str, Any]:
        """The keyring entry, read once."""
        if self._secret is None:
            secret = load_secret(self.account)
            if not secret or not secret.get("refresh_token"):
                raise UserError(f"account {self.account} is not authorised: run "
                                f"`followup-daemon auth google --account {self.account} "
                                "--client-secrets FILE`")
            self._secret = secret
        return self._secret

    def may(self, scope: str) -> bool:
        """Whether the sign-in was granted an optional `scope` (older ones were not)."""
        return scope in (self.secret().get("scopes") or SCOPES)

    def may_read_metadata(self) -> bool:
        """Whether the sign-in was granted `gmail.metadata` (older ones were not)."""
        return METADATA_SCOPE in (self.secret().get("scopes") or SCOPES)

    def services(self) -> tuple[Resource, Resource]:
        """(Calendar v3, Gmail v1), built once."""
        if self._clients is None:
            self._credentials = credentials_from(self.secret(), self.token_uri)
            self._clients = services(self._credentials, self.api_endpoint,
                                     self.retry.timeout_seconds)
        return self._clients

    def resource(self, path: str) -> Any:
        """A collection of the clients, made once: "events", "calendarList" (Calendar), "users" or
        "users.drafts" (Gmail). The library builds every method of a collection anew
        each time it is asked for one."""
        if path not in self._resources:
            parent, _, name = path.rpartition(".")
            calendar, gmail = self.services()
            above = self.resource(parent) if parent else (
                calendar if name in ("events", "calendarList", "calendars") else gmail)
            self._resources[path] = getattr(above, name)()
        return self._resources[path]

    def call(self, request: Any, what: str, replay_safe: bool = True) -> Any:
        """Execute with retries; an expired sign-in names the command that renews it."""
        with self._signed_in():
            return call(request, self.retry, what, replay_safe)

    def batch(self, api: str, requests: list[Any], what: list[str],
              replay_safe: bool = True) -> list[Any]:
        """The requests of one API ("calendar/v3", "gmail/v1") as one batch: each one's
        answer or error (`client.call_batch`)."""
        self.services()  # the requests carry the clients' shared transport
        with self._signed_in():
            return call_batch(batch_uri(self.api_endpoint, api), requests, self.retry,
                              what, replay_safe, self._while_waiting)

    def meanwhile(self, work: Callable[[], None]) -> None:
        """Have `work` done (once) while the next batch is answered."""
        if work not in self._meanwhile:
            self._meanwhile.append(work)

    def _while_waiting(self) -> None:
        waiting, self._meanwhile = self._meanwhile, []
        for work in waiting:
            work()

    @contextmanager
    def _signed_in(self) -> Iterator[None]:
        try:
            yield
        except AuthExpired as error:
            raise AuthExpired(f"account {self.account} needs re-authorisation ({error}): run "
                              f"`followup-daemon auth google --account {self.account} "
                              "--client-secrets FILE`") from error
        finally:
            self._keep_token()

    def _keep_token(self) -> None:
        """Keep a new access token in the keyring with the refresh token: the next
        `sync --once` then asks for none while it is valid (about an hour)."""
        token = self._credentials.token if self._credentials is not None else None
        if not token or token == self.secret().get("access_token"):
            return
        expiry = self._credentials.expiry if self._credentials is not None else None
        secret = {**self.secret(), "access_token": token,
                  "expiry": expiry.isoformat() if expiry else None}
        try:
            save_secret(self.account, secret)
        except UserError as error:  # a locked keyring: the next process asks for a token
            log.warning("%s: the access token could not be kept (%s)", self.account, error)
        self._secret = secret
