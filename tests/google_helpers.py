"""A Google provider wired to the fake, with test credentials in the keyring."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from followup_daemon.registry import ProviderContext
from followup_daemon.secrets import save_secret
from providers.google.provider import GoogleProvider

from .fakes.fake_google import FakeGoogle


def authorise(fake: FakeGoogle, account: str = "g") -> None:
    """Store the fake's client and refresh token for `account`."""
    save_secret(account, {"client_id": fake.client_id, "client_secret": fake.client_secret,
                          "refresh_token": next(iter(fake.refresh_tokens)),
                          "token_uri": "https://oauth2.googleapis.com/token"})


def account(fake: FakeGoogle, **settings: Any) -> dict[str, Any]:
    return {"name": "g", "provider": "google", "api_endpoint": fake.url,
            "token_uri": fake.url + "/token", **settings}


def make_provider(fake: FakeGoogle, tmp_path: Path, sleeps: list[float] | None = None,
                  **settings: Any) -> GoogleProvider:
    authorise(fake)
    retry = fake.quick_retries(sleeps)
    return GoogleProvider(account(fake, **settings), ProviderContext(tmp_path, tmp_path),
                          retry=retry)


def interview(summary: str = "Interview with Acme", start: str = "2026-11-16T14:00:00-05:00",
              **extra: Any) -> dict[str, Any]:
    return {"summary": summary, "start": {"dateTime": start, "timeZone": "America/New_York"},
            "end": {"dateTime": start.replace("14:00", "15:00"),
                    "timeZone": "America/New_York"},
            "organizer": {"email": "jane@acme.com", "displayName": "Jane Park"},
            "attendees": [{"email": "alex@gmail.com", "self": True,
                           "responseStatus": "accepted"},
                          {"email": "jane@acme.com", "displayName": "Jane Park",
                           "organizer": True, "responseStatus": "accepted"}], **extra}
