"""What to write for a planned follow-up: the calendar event and the e-mail draft.

A draft's letter holds `Address` objects and one-line values, and its headers are
built from them with `email.message.EmailMessage` (`boundary.letter_message`),
never by joining strings; every value is cut to one line first, so a company
name or an attendee's name holding CR/LF can never add a header.
"""

from __future__ import annotations

import datetime as dt
from email.errors import MessageError
from email.headerregistry import Address
from functools import lru_cache

from .boundary import Draft, FollowupEvent, Letter
from .content import (
    Templates,
    fingerprint,
    followup_key,
    template_name,
    thank_you_key,
    values,
)
from .model import Followup, PlanEntry, clean_line
from .settings import Settings

MAX_SUBJECT = 200  # characters; with 998-character lines a subject is never folded


def one_line(text: str) -> str:
    """`text` with control characters (CR, LF, ...) folded into single spaces."""
    return " ".join(clean_line(text).split())


def followup_event(entry: PlanEntry, settings: Settings, templates: Templates,
                   reminder_minutes: int, followup: Followup | None = None) -> FollowupEvent:
    """The event of one follow-up of a planned entry (default: the first)."""
    followup = followup or entry.followup
    assert followup is not None
    texts = values(entry, settings, followup)
    return FollowupEvent(
        key=followup_key(entry.event, followup.n),
        title=one_line(templates.render(template_name("event_title", followup), texts)),
        description=templates.render(template_name("event_description", followup), texts),
        start=followup.start,
        end=followup.end,
        reminder_minutes=reminder_minutes,
        interview_uid=entry.event.uid,
    )


def event_fingerprint(event: FollowupEvent) -> str:
    """What a rewrite would change: title, text and time."""
    return fingerprint(event.title, event.description, event.start.isoformat(),
                       event.end.isoformat())



def draft(entry: PlanEntry, settings: Settings, templates: Templates, now: dt.datetime,
          followup: Followup | None = None) -> Draft | None:
    """The e-mail draft of one follow-up (default: the first); None when no employer
    address is known."""
    followup = followup or entry.followup
    if followup is None:
        return None
    texts = values(entry, settings, followup)
    return _message(entry, settings, now, followup.draft_to, followup_key(entry.event, followup.n),
                    (templates.render(template_name("draft_subject", followup), texts),
                     templates.render(template_name("draft_body", followup), texts)))


def thank_you_draft(entry: PlanEntry, settings: Settings, templates: Templates,
                    now: dt.datetime) -> Draft | None:
    """The thank-you draft of an interview (R9); None when none is planned."""
    if entry.thank_you is None:
        return None
    texts = values(entry, settings)
    return _message(entry, settings, now, entry.thank_you.draft_to, thank_you_key(entry.event),
                    (templates.render("thank_you_subject", texts),
                     templates.render("thank_you_body", texts)))


def _message(entry: PlanEntry, settings: Settings, now: dt.datetime,
             draft_to: tuple[str, ...], key: str, text: tuple[str, str]) -> Draft | None:
    recipients = tuple(r for r in (_address(a, entry) for a in draft_to) if r is not None)
    if not recipients:
        return None
    me = settings.me
    sender = _parsed(me.name, me.emails[0]) if me.emails else None
    subject, body = text
    return Draft(key, Letter(recipients, one_line(subject)[:MAX_SUBJECT], body, sender, now))


def _address(address: str, entry: PlanEntry) -> Address | None:
    name = next((c.name for c in entry.facts.contacts
                 if c.email and c.email.lower() == address.lower() and c.name), "")
    try:
        return _parsed(name or "", ascii_address(one_line(address)))
    except (ValueError, IndexError, MessageError):  # the email package's parse errors
        return None


@lru_cache(maxsize=1024)
def _parsed(name: str, address: str) -> Address:
    """An address as the email package parses it, once per recipient (the same
    recruiter is written to for every follow-up and the thank-you): an Address
    cannot be changed, so one may serve every draft."""
    return Address(one_line(name), addr_spec=address)


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
