"""R1: is this event a job interview the user attends as a candidate?"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..model import MAX_ATTENDEES, CalendarEvent, Skip
from ..settings import Identity
from .addresses import domain_of
from .vocabulary import (
    CANDIDATE_LABEL,
    CANDIDATE_PAREN,
    FOLLOWUP_TAG,
    INTERVIEW_CLUES,
    INTERVIEW_TERMS,
    INTERVIEWING_SOMEONE,
    LOOK_ALIKES,
    NOFOLLOWUP_TAG,
)


@dataclass(frozen=True)
class Detection:
    """The verdict of R1: `skip` is None exactly when the event is an interview."""

    is_interview: bool
    reason: str
    skip: Skip | None
    looks_like_interview: bool  # names an interview, even if cancelled or declined


def detect(event: CalendarEvent, me: Identity) -> Detection:
    """Apply R1 to one event."""
    text = f"{event.summary}\n{event.description}"
    if NOFOLLOWUP_TAG.search(text):
        return Detection(False, "#nofollowup tag", Skip.NOT_INTERVIEW, False)
    if event.crowded:
        return Detection(False, f"a meeting of more than {MAX_ATTENDEES} people is not a "
                         "personal interview", Skip.NOT_INTERVIEW, False)
    if FOLLOWUP_TAG.search(text):
        return Detection(True, "#followup tag", None, True)
    named, not_one = _names_interview(event, me)
    if not named:
        return Detection(False, not_one, Skip.NOT_INTERVIEW, False)
    if event.cancelled:
        return Detection(False, "the interview was cancelled", Skip.CANCELLED, True)
    if _declined(event, me):
        return Detection(False, "you declined the interview", Skip.DECLINED, True)
    return Detection(True, named, None, True)


def _filter_version() -> str:
    patterns = f"{INTERVIEW_TERMS.pattern}\0{INTERVIEW_TERMS.flags}\0{FOLLOWUP_TAG.pattern}"
    return hashlib.sha256(patterns.encode()).hexdigest()[:16]


# A mark of what `may_be_interview` keeps: a new word changes it, and the state then
# reads every calendar in full once (events dropped before may now be interviews).
KEEP_FILTER = _filter_version()


def may_be_interview(event: CalendarEvent) -> bool:
    """Whether the event names an interview or carries a tag: the events worth keeping
    between passes (whoever the user is)."""
    return may_name_interview(f"{event.summary}\n{event.description}")


def may_name_interview(text: str) -> bool:
    """`may_be_interview` of an event whose title and notes, joined by a line break,
    are `text`: an adapter may leave the others unconverted."""
    if INTERVIEW_CLUES is not None and text.isascii():
        lowered = text.lower()  # exactly what ignoring case means for ASCII text
        if not any(clue in lowered for clue in INTERVIEW_CLUES):
            return False
    return bool(INTERVIEW_TERMS.search(text) or FOLLOWUP_TAG.search(text))


_FOLDS = re.compile(r"\r?\n[ \t]")
_ESCAPES = {"\\n": "\n", "\\N": "\n", "\\,": ",", "\\;": ";", "\\\\": "\\"}


def may_hold_interview(text: str) -> bool:
    """Whether iCalendar text, unparsed, may hold an event `may_be_interview` keeps
    (the same words, looked for in every property at once), or may be damaged: a
    file cut off or unbalanced is always parsed, so that its error is said and what
    was read from it before is kept. Never False for a file whose events it would
    keep; a file it rejects need not be parsed."""
    upper = text.upper()
    if not upper.rstrip().endswith("END:VCALENDAR") or \
            upper.count("BEGIN:") != upper.count("END:"):
        return True
    text = _FOLDS.sub("", text)
    for escaped, plain in _ESCAPES.items():
        text = text.replace(escaped, plain)
    return may_name_interview(text)


def _names_interview(event: CalendarEvent, me: Identity) -> tuple[str, str]:
    """(why it is an interview, "") or ("", why it is not one)."""
    if INTERVIEW_TERMS.search(event.summary):
        where, text = "title", event.summary
    elif INTERVIEW_TERMS.search(event.description):
        where, text = "description", f"{event.summary}\n{event.description}"
    else:
        return "", "no interview named"
    for label, pattern in LOOK_ALIKES:
        if pattern.search(text):
            return "", f"look-alike: {label}"
    if user_is_interviewer(event, me):
        return "", "look-alike: you are the interviewer"
    return f"{where} names an interview", ""


def user_is_interviewer(event: CalendarEvent, me: Identity) -> bool:
    """The title names another candidate, or the user's own organisation
    organised it and a candidate other than the user is named."""
    if INTERVIEWING_SOMEONE.search(event.summary):
        return True
    if _other_candidate(event.summary, me):
        return True
    organizer = event.organizer.email if event.organizer else None
    return me.owns_domain(domain_of(organizer)) and _other_candidate(event.description, me)


def _other_candidate(text: str, me: Identity) -> bool:
    for pattern in (CANDIDATE_PAREN, CANDIDATE_LABEL):
        for match in pattern.finditer(text):
            if not _is_me(match.group(1), me):
                return True
    return False


def _is_me(name: str, me: Identity) -> bool:
    name = " ".join(name.split()).strip(" .'\"").lower()
    mine = " ".join(me.name.split()).lower()
    return bool(mine) and (name == mine or mine in name or name in {e.lower() for e in me.emails})


def _declined(event: CalendarEvent, me: Identity) -> bool:
    if event.self_response == "DECLINED":
        return True
    return any(
        me.owns_email(p.email) and p.response == "DECLINED" for p in event.attendees
    )
