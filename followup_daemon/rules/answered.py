"""R7: when an interview is answered: an outcome the user noted, or a message from
the employer in the user's mailbox (read by its headers only)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from ..model import Answer, Outcome, Received
from ..settings import Identity
from .addresses import domain_of, is_free_mail, is_scheduling, same_employer
from .languages import fold, folded

_TAG = re.compile(r"(?<![\w#])#(answered|offer|rejected|withdrawn)(?!\w)", re.IGNORECASE)
_AUTOMATIC_PRECEDENCE = {"auto_reply", "bulk", "junk", "list"}


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """The `Outcome:` line, each outcome's words and the auto-reply subjects, folded."""
    def words(group: str) -> str:
        return "|".join(folded(group))
    return {
        "line": re.compile(r"^[ \t*_-]*(?:" + words("outcome_labels") +
                           r")[ \t*_]*:[ \t*_]*(\S.*?)[ \t*_]*$", re.M),
        **{group: re.compile(r"(?<!\w)(?:" + words(group) + r")(?!\w)")
           for group in ("withdrawn", "rejected", "offer")},
        "auto_reply": re.compile(r"^[\s\[(]*(?:" + words("auto_reply") + r")"),
    }


def noted_outcome(notes: str) -> Outcome | None:
    """R7.1: the outcome the user noted (the last line or tag), or None."""
    if "#" not in notes and ":" not in notes:
        return None
    folded = fold(notes)
    noted = [(m.start(), m.group(1)) for m in _patterns()["line"].finditer(folded)]
    noted += [(m.start(), m.group(1)) for m in _TAG.finditer(folded)]
    if not noted:
        return None
    return _outcome_of(max(noted)[1])


def _outcome_of(text: str) -> Outcome:
    for outcome in (Outcome.WITHDRAWN, Outcome.REJECTED, Outcome.OFFER):
        if _patterns()[outcome.value].search(text):
            return outcome
    return Outcome.ANSWERED


def is_automatic(headers: Mapping[str, str]) -> bool:
    """R7.2: an auto-reply, a list or bulk message, by its headers (names in lower case)."""
    submitted = headers.get("auto-submitted", "").strip().lower()
    if submitted and submitted != "no":
        return True
    if "x-autoreply" in headers or "x-autorespond" in headers:
        return True
    if headers.get("precedence", "").strip().lower() in _AUTOMATIC_PRECEDENCE:
        return True
    return bool(_patterns()["auto_reply"].match(fold(headers.get("subject", ""))))


@dataclass(frozen=True)
class Interview:
    """One round of an application, as R7 needs it."""

    index: int
    start: dt.datetime
    end: dt.datetime
    notes: str


def answers(application: Sequence[Interview], draft_to: Iterable[str],
            received: Sequence[Received], me: Identity, now: dt.datetime
            ) -> dict[int, Answer]:
    """The first answer of each round of one application (R7), by its index."""
    zone = now.tzinfo
    found: dict[int, Answer] = {}
    for answer, answered in [*_notes(application, now), *_replies(
            application, set(draft_to), received, me, now)]:
        for index in answered:
            if index not in found or answer.moment < found[index].moment:
                found[index] = answer
    return {i: _local(a, zone) for i, a in found.items()}


def _local(answer: Answer, zone: dt.tzinfo | None) -> Answer:
    moment = answer.moment.astimezone(zone)
    return Answer(moment, moment.date(), answer.by, answer.outcome, answer.sender)


def _notes(application: Sequence[Interview], now: dt.datetime
           ) -> list[tuple[Answer, list[int]]]:
    """A noted outcome answers its round and every earlier one, from its round's end."""
    found = []
    for interview in application:
        outcome = noted_outcome(interview.notes)
        if outcome is None:
            continue
        moment = min(interview.end, now)
        earlier = [i.index for i in application if i.start <= interview.start]
        found.append((Answer(moment, moment.date(), "note", outcome), earlier))
    return found


def _replies(application: Sequence[Interview], draft_to: set[str],
             received: Sequence[Received], me: Identity, now: dt.datetime
             ) -> list[tuple[Answer, list[int]]]:
    """A message from the employer answers every round that ended before it."""
    found = []
    for message in received:
        if message.automatic or not from_employer(message.sender, draft_to, me):
            continue
        moment = min(message.moment, now)
        ended = [i.index for i in application if i.end < moment]
        found.append((Answer(moment, moment.date(), "reply", Outcome.ANSWERED,
                             message.sender.lower()), ended))
    return found


def from_employer(sender: str, draft_to: Iterable[str], me: Identity) -> bool:
    """A sender who is one of `draft_to`, or at the same employer as one of them (not
    at a free-mail, scheduling or ATS domain); never the user."""
    sender = sender.lower()
    if not sender or me.owns_email(sender):
        return False
    addresses = {a.lower() for a in draft_to}
    if sender in addresses:
        return True
    domain = domain_of(sender)
    if not domain or is_free_mail(domain) or is_scheduling(domain):
        return False
    return any(same_employer(domain, domain_of(a)) for a in addresses)
