"""An Outlook provider wired to the fake identity platform and Graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from followup_daemon.boundary import Calendar, ProviderContext
from providers.outlook.auth import authorise
from providers.outlook.calendar import OutlookCalendar
from providers.outlook.mailbox import OutlookMailbox

from .fakes.fake_graph import FakeGraph


def account(fake: FakeGraph, **settings: Any) -> dict[str, Any]:
    return {"name": "o", "provider": "outlook", "authority": fake.url,
            "graph_endpoint": fake.url + "/v1.0", "ca_bundle": fake.ca_file,
            **settings}


def sign_in(fake: FakeGraph, state_dir: Path, **settings: Any) -> list[str]:
    """The device-code sign-in; returns what it told the user."""
    said: list[str] = []
    authorise(account(fake, **settings), state_dir, fake.client_id, "common", browser=False,
              say=said.append)
    return said


def make_provider(fake: FakeGraph, tmp_path: Path, sleeps: list[float] | None = None,
                  **settings: Any) -> OutlookCalendar:
    sign_in(fake, tmp_path, **settings)
    retry = fake.quick_retries(sleeps)
    return OutlookCalendar(account(fake, **settings), ProviderContext(tmp_path, tmp_path),
                           retry=retry)


def interview(subject: str = "Interview with Contoso", start: str = "2026-11-16T14:00:00",
              zone: str = "Eastern Standard Time", **extra: Any) -> dict[str, Any]:
    return {"subject": subject, "start": {"dateTime": start, "timeZone": zone},
            "end": {"dateTime": start.replace("T14", "T15"), "timeZone": zone},
            "organizer": {"emailAddress": {"address": "jane@contoso.com", "name": "Jane Park"}},
            "attendees": [{"type": "required", "status": {"response": "accepted"},
                           "emailAddress": {"address": "jane@contoso.com",
                                            "name": "Jane Park"}}],
            "responseStatus": {"response": "accepted"},
            "body": {"contentType": "html", "content": "<p>Decision by Friday.</p>"},
            "location": {"displayName": "Microsoft Teams Meeting"}, **extra}


def make_mailbox(calendar: Calendar, tmp_path: Path) -> OutlookMailbox:
    """The account's drafts, sharing the calendar's sign-in."""
    return OutlookMailbox({"name": "o", "provider": "outlook"}, ProviderContext(tmp_path, tmp_path),
                 calendar)
