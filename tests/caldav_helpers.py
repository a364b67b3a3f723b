"""A CalDAV provider on a real Radicale, with drafts on a real Dovecot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from caldav.davclient import DAVClient

from followup_daemon.registry import ProviderContext
from followup_daemon.secrets import save_secret
from providers.caldav.provider import CalDAVProvider

from .servers.dovecot_server import PASSWORD, Dovecot

INTERVIEW = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:test
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261101T000000Z
DTSTART;TZID=America/New_York:{start}
DURATION:PT1H
SUMMARY:{summary}
ORGANIZER;CN=Jane Park:mailto:{organizer}
END:VEVENT
END:VCALENDAR
"""


def make_calendar(url: str, user: str = "alex", name: str = "Jobs") -> Any:
    client = DAVClient(url=url + "/", username=user, password="x", require_tls=False)
    return client.principal().make_calendar(name=name)  # type: ignore[no-untyped-call]


def interview(uid: str = "acme@x", start: str = "20261116T140000",
              summary: str = "Interview with Acme", organizer: str = "jane@acme.com") -> str:
    return INTERVIEW.format(uid=uid, start=start, summary=summary, organizer=organizer)


def account(url: str, dovecot: Dovecot | None = None, user: str = "alex",
            **settings: Any) -> dict[str, Any]:
    settings = {"name": "c", "provider": "caldav", "url": url + "/", "username": user,
                "calendar": "Jobs", **settings}
    if dovecot is not None:
        settings.update({"imap_host": "127.0.0.1", "imap_port": dovecot.port,
                         "imap_security": "starttls",
                         "ca_bundle": str(dovecot.root / "fake-ca.pem")})
    return settings


def make_provider(url: str, tmp_path: Path, dovecot: Dovecot | None = None,
                  user: str = "alex", **settings: Any) -> CalDAVProvider:
    save_secret("c", {"provider": "caldav", "password": "dav-password",
                      "imap_password": PASSWORD})
    return CalDAVProvider(account(url, dovecot, user, **settings),
                          ProviderContext(tmp_path, tmp_path))
