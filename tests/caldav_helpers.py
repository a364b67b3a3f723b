"""A CalDAV provider on a real Radicale, with drafts on a real Dovecot."""

from __future__ import annotations

import email
import email.policy
import imaplib
import ssl
from collections import Counter
from pathlib import Path
from typing import Any

from caldav.davclient import DAVClient

from followup_daemon.boundary import Mailbox, ProviderContext
from followup_daemon.ics.reader import parse
from followup_daemon.registry import open_account
from followup_daemon.secrets import save_secret
from providers.caldav.calendar import CalDAVCalendar

from .ics_files import ics_text
from .servers.dovecot_server import PASSWORD, Dovecot


def make_calendar(url: str, user: str = "alex", name: str = "Jobs") -> Any:
    client = DAVClient(url=url + "/", username=user, password="x", require_tls=False)
    return client.principal().make_calendar(name=name)  # type: ignore[no-untyped-call]


def interview(uid: str = "acme@x", start: str = "20261116T140000",
              summary: str = "Interview with Acme", organizer: str = "jane@acme.com") -> str:
    return ics_text("interview-new-york", uid=uid, start=start, summary=summary,
                    organizer=organizer)


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
                  user: str = "alex", **settings: Any) -> CalDAVCalendar:
    save_secret("c", {"provider": "caldav", "password": "dav-password",
                      "imap_password": PASSWORD})
    return CalDAVCalendar(account(url, dovecot, user, **settings),
                          ProviderContext(tmp_path, tmp_path))


def make_mailbox(url: str, tmp_path: Path, dovecot: Dovecot, user: str = "alex",
                 **settings: Any) -> Mailbox:
    """The account's IMAP drafts on the real Dovecot."""
    make_provider(url, tmp_path, dovecot, user, **settings)
    mailbox = open_account(account(url, dovecot, user, **settings),
                           ProviderContext(tmp_path, tmp_path)).mailbox
    assert mailbox is not None
    return mailbox


def draft_keys(dovecot: Dovecot, user: str) -> Counter[str]:
    """The key of each message flagged \\Draft in the user's Drafts, read over IMAP."""
    connection = imaplib.IMAP4("127.0.0.1", dovecot.port)
    connection.starttls(ssl_context=ssl.create_default_context(
        cafile=str(dovecot.root / "fake-ca.pem")))
    connection.login(user, PASSWORD)
    connection.select("Drafts", readonly=True)
    _, data = connection.search(None, "DRAFT")
    keys: Counter[str] = Counter()
    for number in data[0].split():
        _, parts = connection.fetch(number, "(BODY.PEEK[HEADER])")
        raw: Any = parts[0]
        if not isinstance(raw, tuple):  # the daemon expunged it since the search
            continue
        headers = email.message_from_bytes(raw[1], policy=email.policy.default)
        keys[str(headers["X-Followup-Daemon-Key"])] += 1
    connection.logout()
    return keys


def followups(calendar: Any) -> list[tuple[str, str]]:
    """(key, DTSTART) of each follow-up object in the calendar."""
    found = []
    for item in calendar.objects(load_objects=True):
        if "X-FOLLOWUP-DAEMON-KEY" in (item.data or ""):
            [event] = parse(item.data.encode(), "x")[0].walk("VEVENT")
            found.append((str(event["X-FOLLOWUP-DAEMON-KEY"]), str(event["DTSTART"].to_ical())))
    return found
