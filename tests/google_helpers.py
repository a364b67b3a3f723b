"""A Google provider wired to the fake, with test credentials in the keyring."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from followup_daemon.boundary import Calendar, ProviderContext
from followup_daemon.config import Config, parse_config
from followup_daemon.content import Templates
from followup_daemon.secrets import save_secret
from followup_daemon.state import State
from followup_daemon.sync import AccountResult, Providers, run_pass
from providers.google.calendar import GoogleCalendar
from providers.google.gmail import GmailMailbox

from .fakes.fake_google import FakeGoogle

SCOPES = ("https://www.googleapis.com/auth/calendar.events",
          "https://www.googleapis.com/auth/gmail.compose")
# as `auth google` signs in now: the calendar list, and the headers of received mail
WITH_REPLIES = (*SCOPES, "https://www.googleapis.com/auth/calendar.calendarlist.readonly",
                "https://www.googleapis.com/auth/calendar.app.created",
                "https://www.googleapis.com/auth/gmail.metadata")


def authorise(fake: FakeGoogle, account: str = "g", replies: bool = False) -> None:
    """Store the fake's client and refresh token for `account`: as signed in before
    replies were read (no scopes stored: the two of then), or with the metadata
    scope too, which the fake then grants."""
    secret = {"client_id": fake.client_id, "client_secret": fake.client_secret,
              "refresh_token": next(iter(fake.refresh_tokens)),
              "token_uri": "https://oauth2.googleapis.com/token"}
    if replies:
        fake.granted = " ".join(WITH_REPLIES)
        secret["scopes"] = list(WITH_REPLIES)  # type: ignore[assignment]
    save_secret(account, secret)


def deliver(fake: FakeGoogle, sender: str, date: str, subject: str = "Re: your interview",
            headers: str = "", body: str = "Thanks for your time.") -> str:
    """The employer's message arrives in the Gmail inbox; its id."""
    return fake.deliver(f"From: {sender}\r\nTo: alex@gmail.com\r\nSubject: {subject}\r\n"
                        f"Date: {date}\r\n{headers}\r\n{body}\r\n".encode())


def account(fake: FakeGoogle, **settings: Any) -> dict[str, Any]:
    return {"name": "g", "provider": "google", "api_endpoint": fake.url,
            "token_uri": fake.url + "/token", **settings}


def make_provider(fake: FakeGoogle, tmp_path: Path, sleeps: list[float] | None = None,
                  **settings: Any) -> GoogleCalendar:
    authorise(fake)
    retry = fake.quick_retries(sleeps)
    return GoogleCalendar(account(fake, **settings), ProviderContext(tmp_path, tmp_path),
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


def make_mailbox(calendar: Calendar, tmp_path: Path) -> GmailMailbox:
    """The account's drafts, sharing the calendar's sign-in."""
    return GmailMailbox({"name": "g", "provider": "google"}, ProviderContext(tmp_path, tmp_path),
                 calendar)


NY = dt.timezone(dt.timedelta(hours=-5))


class Runner:
    """Passes over one Google account, keeping providers as `run` does."""

    def __init__(self, fake: FakeGoogle, root: Path, replies: bool = False,
                 rules: dict[str, Any] | None = None, **settings: Any) -> None:
        authorise(fake, replies=replies)
        self.fake, self.root, self.settings = fake, root, settings
        self.rules = rules or {"max_followups": 1, "thank_you": False}  # v1's, by default
        self.providers = Providers()

    def config(self) -> Config:
        return parse_config({"rules": {"timezone": "America/New_York", **self.rules},
                             "me": {"name": "Alex Rivera", "emails": ["alex@gmail.com"]},
                             "sync": {"draft_when": "planned"},
                             "accounts": [account(self.fake, timeout_seconds=2,
                                                  **self.settings)]}, "t.toml")

    def sync(self, now: str = "2026-11-10T09:00") -> AccountResult:
        state = State(self.root / "state")
        try:
            moment = dt.datetime.fromisoformat(now).replace(tzinfo=NY)
            [result] = run_pass(self.config(), state, moment, Templates.load(),
                                providers=self.providers)
            return result
        finally:
            state.close()

    def followups(self) -> list[dict[str, object]]:
        return [e for e in self.fake.live_events()
                if "followupDaemonKey" in str(e.get("extendedProperties"))]
