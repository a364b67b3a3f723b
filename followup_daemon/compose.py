"""What to write for a planned follow-up: the calendar event and the e-mail draft.

Headers are built with `email.message.EmailMessage` and `Address` objects,
never by joining strings; every value is cut to one line first, so a company
name or an attendee's name holding CR/LF can never add a header.
"""

from __future__ import annotations

import datetime as dt
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from .boundary import KEY_HEADER, Draft, FollowupEvent, message_id
from .content import Templates, fingerprint, interview_key, values
from .model import PlanEntry, clean_line
from .settings import Settings

MAX_SUBJECT = 200  # characters; with 998-character lines a subject is never folded


def one_line(text: str) -> str:
    """`text` with control characters (CR, LF, ...) folded into single spaces."""
    return " ".join(clean_line(text).split())


def followup_event(entry: PlanEntry, settings: Settings, templates: Templates,
                   reminder_minutes: int) -> FollowupEvent:
    """The follow-up event of a planned entry."""
    assert entry.followup is not None
    texts = values(entry, settings)
    return FollowupEvent(
        key=interview_key(entry.event),
        title=one_line(templates.render("event_title", texts)),
        description=templates.render("event_description", texts),
        start=entry.followup.start,
        end=entry.followup.end,
        reminder_minutes=reminder_minutes,
        interview_uid=entry.event.uid,
    )


def event_fingerprint(event: FollowupEvent) -> str:
    """What a rewrite would change: title, text and time."""
    return fingerprint(event.title, event.description, event.start.isoformat(),
                       event.end.isoformat())



def draft(entry: PlanEntry, settings: Settings, templates: Templates, now: dt.datetime
          ) -> Draft | None:
    """The e-mail draft of a planned entry; None when no employer address is known."""
    recipients = [_address(a, entry) for a in entry.followup.draft_to] if entry.followup else []
    recipients = [r for r in recipients if r is not None]
    if not recipients:
        return None
    key = interview_key(entry.event)
    texts = values(entry, settings)
    message = EmailMessage()
    if settings.me.emails:
        message["From"] = Address(one_line(settings.me.name), addr_spec=settings.me.emails[0])
    message["To"] = recipients
    message["Subject"] = one_line(templates.render("draft_subject", texts))[:MAX_SUBJECT]
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(key)
    message[KEY_HEADER] = key
    message.set_content(templates.render("draft_body", texts) + "\n")
    return Draft(key, message)


def _address(address: str, entry: PlanEntry) -> Address | None:
    name = next((c.name for c in entry.facts.contacts
                 if c.email and c.email.lower() == address.lower() and c.name), "")
    try:
        return Address(one_line(name or ""), addr_spec=ascii_address(one_line(address)))
    except (ValueError, IndexError, MessageError):  # the email package's parse errors
        return None


def ascii_address(address: str) -> str:
    """An address whose domain is written as the mail standards want it (IDNA 2008,
    `jose@münchen.de` -> `jose@xn--mnchen-3ya.de`); a non-ASCII local part, which
    needs SMTPUTF8, raises ValueError."""
    import idna

    local, _, domain = address.rpartition("@")
    if not local.isascii():
        raise ValueError(f"the address {address!r} needs SMTPUTF8")
    if domain.isascii():
        return address
    try:
        return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"
    except idna.IDNAError as error:
        raise ValueError(f"the domain of {address!r} is not a valid name") from error
