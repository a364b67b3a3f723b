"""R2: company, role, contacts, draft addresses and application of an interview."""

from __future__ import annotations

import re
import unicodedata

from ..model import CalendarEvent, Contact, InterviewFacts, Person, PersonKind
from ..settings import Identity
from .addresses import (
    clean_address,
    company_from_domain,
    domain_of,
    is_free_mail,
    is_no_reply,
    is_scheduling,
)
from .languages import union
from .phones import find_phone
from .titles import parse_title
from .vocabulary import EMAIL_ONLY, EMAIL_ONLY_HINT, FLAGS


def _line(labels: tuple[str, ...]) -> re.Pattern[str]:
    """An explicit "<label>: value" line of the description, in any language."""
    return re.compile(r"^[ \t*_-]*(?:" + "|".join(labels) +
                      r")[ \t*_]*:[ \t*_]*(\S.*?)[ \t*_]*$", FLAGS | re.M)


_COMPANY_LINE = _line(union("company_labels"))
_ROLE_LINE = _line(union("role_labels"))
_APPLICATION_LINE = re.compile(
    r"^[ \t*_-]*application(?:[ \t]*id)?[ \t]*:[ \t]*(\S.*?)[ \t]*$", FLAGS | re.M)
_LEGAL_SUFFIX = re.compile(
    r"\b(?:inc|incorporated|llc|ltd|limited|gmbh|ag|sa|sas|sarl|bv|nv|plc|corp|corporation|"
    r"co|company|srl|spa|oy|ab|as|kg)\b\.?$", FLAGS)


def read_facts(event: CalendarEvent, me: Identity, region: str | None = None
               ) -> InterviewFacts:
    """Everything R2 reads off one interview; phone numbers are read for `region`."""
    draft_to = employer_addresses(event, me)
    company = last_line(_COMPANY_LINE, event.description)
    role = last_line(_ROLE_LINE, event.description)
    names = frozenset(p.name.lower() for p in event.people() if p.name)
    title = parse_title(event.summary, names)
    company = company or title.company or _company_from_people(event, me)
    role = role or title.role
    phone = find_phone(event.description, region) or find_phone(event.location, region)
    application = last_line(_APPLICATION_LINE, event.description)
    return InterviewFacts(
        company=company,
        role=role,
        contacts=_contacts(event, me, phone),
        draft_to=draft_to,
        phone=phone,
        application=f"id:{normalise(application)}" if application else "",
        email_only=asks_for_email(f"{event.summary}\n{event.description}\n{event.location}"),
    )


def asks_for_email(text: str) -> bool:
    """The employer asked for e-mail only (R6): "e-mail only", "no calls", `#emailonly`."""
    for hint in EMAIL_ONLY_HINT.finditer(text):  # the full pattern is slow on long notes
        if EMAIL_ONLY.search(text, max(0, hint.start() - 40), hint.end() + 40):
            return True
    return False


def last_line(pattern: re.Pattern[str], text: str) -> str | None:
    """The value of the last `Label: value` line the pattern finds."""
    values = [m.group(1).strip() for m in pattern.finditer(text)]
    return values[-1] if values else None


def employer_addresses(event: CalendarEvent, me: Identity) -> tuple[str, ...]:
    """`draft_to`: the employer's addresses among the organizer and attendees."""
    seen: dict[str, str] = {}
    for person in event.people():
        address = clean_address(person.email)
        if address and _is_employer_address(person, address, me):
            seen.setdefault(address.lower(), address)
    return tuple(seen.values())


def _is_employer_address(person: Person, address: str, me: Identity) -> bool:
    domain = domain_of(address) or ""
    return not (
        me.owns_email(address)
        or me.owns_domain(domain)
        or person.kind in (PersonKind.ROOM, PersonKind.RESOURCE)
        or is_no_reply(address)
        or is_scheduling(domain)
    )


def _company_from_people(event: CalendarEvent, me: Identity) -> str | None:
    for person in event.people():
        address = clean_address(person.email)
        domain = domain_of(address)
        usable = address and domain and not is_free_mail(domain)
        if usable and _is_employer_address(person, address or "", me):
            return company_from_domain(domain)
    return None


def _contacts(event: CalendarEvent, me: Identity, phone: str | None) -> tuple[Contact, ...]:
    contacts = [
        Contact(email=clean_address(p.email), name=p.name)
        for p in event.people()
        if not me.owns_email(p.email) and p.kind not in (PersonKind.ROOM, PersonKind.RESOURCE)
    ]
    if phone:
        contacts.append(Contact(phone=phone))
    return tuple(dict.fromkeys(contacts))


def normalise(name: str | None) -> str:
    """A name compared without case, accents, punctuation or a legal suffix."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = " ".join(re.sub(r"[^\w\s]", " ", text).split())
    return _LEGAL_SUFFIX.sub("", text).strip() or text
