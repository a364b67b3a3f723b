"""msal sign-in state: the app (built lazily: its constructor contacts the
authority) and the token cache, kept encrypted in a private file whose key is
in the keyring. No token is ever on disk in clear.

The cache is several KB, more than some keyring backends hold, hence the
file; refresh tokens rotate, hence saving whenever the cache changed.
"""

from __future__ import annotations

import pickle
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msal
import requests
from cryptography.fernet import Fernet, InvalidToken

from followup_daemon.boundary import load_secret, save_secret, write_private
from followup_daemon.errors import AuthExpired, UserError

from .failures import sign_in_service

SCOPES = ["Calendars.ReadWrite", "Mail.ReadWrite"]
EXPIRY_MARGIN_SECONDS = 300  # msal itself refreshes a token this close to its expiry
AUTHORITY_HOST = "https://login.microsoftonline.com"


@dataclass
class Connection:
    """Where an account signs in and how requests are verified."""

    account: str
    cache_file: Path
    authority_host: str = AUTHORITY_HOST
    ca_bundle: str | None = None  # a proxy's or a test server's CA

    @property
    def http_cache_file(self) -> Path:
        """msal's HTTP cache (encrypted with the token cache's key)."""
        return self.cache_file.with_suffix(".msal-http")

    def session(self) -> requests.Session:
        """A requests session; with `ca_bundle`, that CA and no environment overrides."""
        session = requests.Session()
        if self.ca_bundle:
            session.trust_env = False  # REQUESTS_CA_BUNDLE would override verify
            session.verify = self.ca_bundle
        return session


class TokenStore:
    """The account's msal app and encrypted token cache."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.cache = msal.SerializableTokenCache()
        self._app: msal.PublicClientApplication | None = None
        self._secret: dict[str, Any] | None = None
        self.http_cache: dict[Any, Any] = {}  # msal's: the authority's OpenID configuration
        self._http_kept = b""
        self._token = ("", 0.0)  # the last access token and when to stop using it

    def secret(self) -> dict[str, Any]:
        """The keyring entry: client id, tenant and the cache's key."""
        if self._secret is None:
            secret = load_secret(self.connection.account)
            if not secret or secret.get("provider") != "outlook":
                raise UserError(f"account {self.connection.account} is not authorised: run "
                                f"`followup-daemon auth outlook --account "
                                f"{self.connection.account} --client-id ID`")
            self._secret = secret
        return self._secret

    def app(self) -> msal.PublicClientApplication:
        """The msal app, built on first use."""
        if self._app is None:
            secret = self.secret()
            self._load_cache(secret["cache_key"])
            self._load_http_cache(secret["cache_key"])
            authority = f"{self.connection.authority_host.rstrip('/')}/{secret['tenant']}"
            with sign_in_service():
                self._app = msal.PublicClientApplication(
                    secret["client_id"], authority=authority, token_cache=self.cache,
                    http_client=self.connection.session(), instance_discovery=False,
                    http_cache=self.http_cache)
        return self._app

    def _load_http_cache(self, key: str) -> None:
        """msal's HTTP cache from the last process, so that a process whose token is
        still valid asks nothing of the sign-in service. Unreadable (another msal
        version, as msal's documentation warns): start afresh."""
        try:
            kept = Fernet(key.encode()).decrypt(self.connection.http_cache_file.read_bytes())
            loaded = pickle.loads(kept)  # safe: Fernet authenticated it with the keyring key
        except (OSError, InvalidToken, ValueError, pickle.UnpicklingError, AttributeError,
                EOFError, ImportError, TypeError):
            return
        if isinstance(loaded, dict):
            self.http_cache.update(loaded)
            self._http_kept = kept


    def _load_cache(self, key: str) -> None:
        file = self.connection.cache_file
        if not file.exists():
            return
        try:
            self.cache.deserialize(Fernet(key.encode()).decrypt(file.read_bytes()).decode())
        except (InvalidToken, ValueError) as error:
            raise AuthExpired(f"account {self.connection.account}: the token cache cannot be "
                              "decrypted; authorise again") from error

    def save(self) -> None:
        """Write the cache (encrypted) when msal changed it: a rotated refresh token."""
        if self.cache.has_state_changed:
            key = self.secret()["cache_key"].encode()
            write_private(self.connection.cache_file,
                          Fernet(key).encrypt(self.cache.serialize().encode()))
            self.cache.has_state_changed = False
        http = pickle.dumps(self.http_cache)
        if http != self._http_kept:
            key = self.secret()["cache_key"].encode()
            write_private(self.connection.http_cache_file, Fernet(key).encrypt(http))
            self._http_kept = http

    def access_token(self, force_refresh: bool = False) -> str:
        """A valid access token: the one last given until shortly before it expires,
        else from msal's cache (refreshing it as needed). Asking msal for each request
        costs a cache search and a save."""
        token, until = self._token
        if token and not force_refresh and time.monotonic() < until:
            return token
        token, lifetime = self._acquire(force_refresh)
        self._token = (token, time.monotonic() + lifetime - EXPIRY_MARGIN_SECONDS)
        return token

    def _acquire(self, force_refresh: bool) -> tuple[str, float]:
        app = self.app()
        accounts = app.get_accounts()
        if not accounts:
            raise AuthExpired(self._reauthorise("no signed-in account in the token cache"))
        with sign_in_service():
            result = app.acquire_token_silent_with_error(SCOPES, accounts[0],
                                                         force_refresh=force_refresh)
        self.save()
        if not result or "access_token" not in result:
            why = (result or {}).get("error", "no token")
            raise AuthExpired(self._reauthorise(str(why)))
        return str(result["access_token"]), float(result.get("expires_in") or 0)

    def _reauthorise(self, why: str) -> str:
        name = self.connection.account
        return (f"account {name} needs re-authorisation ({why}): run `followup-daemon auth "
                f"outlook --account {name} --client-id ID`")


def new_secret(account: str, client_id: str, tenant: str) -> dict[str, Any]:
    """A fresh keyring entry with a new cache key (the old cache becomes unreadable)."""
    secret = {"provider": "outlook", "client_id": client_id, "tenant": tenant,
              "cache_key": Fernet.generate_key().decode()}
    save_secret(account, secret)
    return secret


def connection(account: dict[str, Any], state_dir: Path) -> Connection:
    """Where the account signs in, and its encrypted token cache."""
    return Connection(str(account["name"]), state_dir / f"{account['name']}.msal-cache",
                      str(account.get("authority", AUTHORITY_HOST)),
                      account.get("ca_bundle"))
