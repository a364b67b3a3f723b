"""The texts of a follow-up: the event's title and description, and the draft.

Texts come from templates (`string.Template`, `$name` placeholders) shipped in
`followup_daemon/data/templates/`; a file of the same name in the user's
`templates/` config folder replaces one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

from .model import CalendarEvent, Contact, Followup, Method, PlanEntry
from .settings import Settings

TEMPLATE_NAMES = ("event_title", "event_description", "draft_subject", "draft_body",
                  "followup2_event_title", "followup2_event_description",
                  "followup2_draft_subject", "followup2_draft_body",
                  "thank_you_subject", "thank_you_body")
METHOD_SHORT = {Method.PHONE: "call", Method.IN_PERSON: "visit", Method.EMAIL: "e-mail"}


@dataclass(frozen=True)
class Templates:
    """The templates, by name: the follow-up's event and draft, a later follow-up's
    (R8: never the first's text again), and the thank-you (R9)."""

    texts: dict[str, Template]

    @classmethod
    def load(cls, override_dir: Path | None = None) -> Templates:
        """The shipped templates, each replaced by a file in `override_dir` if there."""
        texts = {}
        for name in TEMPLATE_NAMES:
            override = override_dir / f"{name}.txt" if override_dir else None
            if override is not None and override.is_file():
                text = override.read_text(encoding="utf-8")
            else:
                shipped = resources.files("followup_daemon").joinpath(f"data/templates/{name}.txt")
                text = shipped.read_text(encoding="utf-8")
            texts[name] = Template(text)
        return cls(texts)

    def render(self, name: str, values: dict[str, str]) -> str:
        """A template filled in; unknown placeholders are left as written."""
        return self.texts[name].safe_substitute(values).strip()


def interview_key(event: CalendarEvent) -> str:
    """The stable key of an interview instance: the same event always gives the same key.
    It is the key of the interview's first follow-up and its draft."""
    return hashlib.sha256(event.event_id.encode()).hexdigest()[:24]


def followup_key(event: CalendarEvent, n: int) -> str:
    """The key of follow-up `n` of an interview: the first keeps the key it had before
    there were more, so an upgrade duplicates nothing."""
    if n == 1:
        return interview_key(event)
    return hashlib.sha256(f"{event.event_id}\x00followup {n}".encode()).hexdigest()[:24]


def thank_you_key(event: CalendarEvent) -> str:
    """The key of an interview's thank-you draft."""
    return hashlib.sha256(f"{event.event_id}\x00thank-you".encode()).hexdigest()[:24]


def template_name(name: str, followup: Followup | None) -> str:
    """The template for a follow-up: a later one has texts of its own."""
    return f"followup2_{name}" if followup is not None and followup.n > 1 else name


def fingerprint(*parts: str) -> str:
    """A short digest of what was written, to notice when it must be rewritten."""
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


def values(entry: PlanEntry, settings: Settings, followup: Followup | None = None
           ) -> dict[str, str]:
    """The placeholders every template may use, for `followup` (default: the first)."""
    facts, followup = entry.facts, followup or entry.followup
    zone = settings.rules.timezone
    method = followup.method if followup else Method.PHONE
    when = entry.event.start.instant(zone)
    return {
        "subject": subject(facts.company, facts.role),
        "company": facts.company or "the company",
        "role": facts.role or "the role",
        "position": position(facts.company, facts.role),
        "method_short": METHOD_SHORT[method],
        "interview_date": f"{when:%A}, {when:%B} {when.day}",
        "interview_title": " ".join(entry.event.summary.split()),
        "name": settings.me.name or "(your name)",
        "how": how(method, facts.phone, entry.event.location, facts.draft_to),
        "script": script(method, settings.me.name, when.strftime("%A, %B ") + str(when.day),
                         facts.role, facts.company, followup.n if followup else 1),
        "n": str(followup.n if followup else 1),
        "etiquette": ETIQUETTE[method],
        "etiquette_extra": " In person, reintroduce yourself and shake hands."
        if method is Method.IN_PERSON else "",
        "why": followup.why if followup else "",
        "contacts": contact_lines(facts.contacts),
        "draft_note": draft_note(facts.draft_to),
        "greeting": greeting(facts.contacts, facts.draft_to),
    }


def subject(company: str | None, role: str | None) -> str:
    if company and role:
        return f"{company} ({role})"
    return company or role or "your interview"


def position(company: str | None, role: str | None) -> str:
    if role and company:
        return f"the {role} position at {company}"
    if role:
        return f"the {role} position"
    return f"the position at {company}" if company else "the position"


def how(method: Method, phone: str | None, location: str, draft_to: tuple[str, ...] = ()
        ) -> str:
    if method is Method.PHONE:
        return f"call {phone}." if phone else \
            "call. Find the employer's number first (the careers page, an e-mail signature)."
    if method is Method.IN_PERSON:
        return f"go in person to {' '.join(location.split())}."
    if not draft_to:
        return ("send an e-mail (the employer asked for e-mail). Find the address first "
                "(the invitation's sender, the careers page).")
    return "send the e-mail draft waiting in your Drafts folder."


ETIQUETTE = {
    Method.PHONE: "be polite, concise and confident; speak slowly and clearly.",
    Method.IN_PERSON: "be polite, concise and confident; speak slowly and clearly. "
                      "Reintroduce yourself and shake hands.",
    Method.EMAIL: "be polite, concise and confident; keep it short, name the role in the "
                  "subject, and read it once more before you send it.",
}


def script(method: Method, name: str, date: str, role: str | None, company: str | None,
           n: int = 1) -> str:
    """What to say (or write), in the words that fit the method (R6); a later follow-up
    says it is checking in once more (R8)."""
    opening = f"the {role} opening" if role else (
        f"the opening at {company}" if company else "the opening")
    again = " once more" if n > 1 else ""
    if method is Method.EMAIL:
        return (f"Thank you again for the interview on {date}. I am writing{again} to ask "
                f"about the status of {opening} I applied for. Kind regards, "
                f"{name or '(your name)'}")
    who = f"Hi, this is {name}." if name else "Hi, this is (your name)."
    ask = "I came by to ask" if method is Method.IN_PERSON else "I am calling to ask"
    return f"{who} I came in for an interview on {date}. {ask}{again} about the status of " \
        f"{opening} I applied for."


def contact_lines(contacts: tuple[Contact, ...]) -> str:
    lines = []
    for contact in contacts:
        if contact.phone:
            lines.append(f"  phone: {contact.phone}")
        elif contact.email:
            lines.append(f"  {contact.name} <{contact.email}>" if contact.name
                         else f"  {contact.email}")
    return "\n".join(lines) or "  (none known)"


def draft_note(draft_to: tuple[str, ...]) -> str:
    if not draft_to:
        return ""
    return f"\nAn e-mail draft to {', '.join(draft_to)} is prepared in your Drafts folder."


def greeting(contacts: tuple[Contact, ...], draft_to: tuple[str, ...]) -> str:
    first = next((c for c in contacts if c.email and draft_to
                  and c.email.lower() == draft_to[0].lower()), None)
    if first and first.name and len(draft_to) == 1:
        return f"Dear {first.name.split()[0]},"
    return "Hello,"
