"""R3: the decision date the employer stated, read from the event's notes.

A statement is a decision word ("decide", "hear back", "let you know", ...)
with a date expression in the same sentence: the first one after the word, or
failing that the nearest one before it. Of several statements the last in the
text wins, as users append updates to their notes.
"""

from __future__ import annotations

import datetime as dt
import re

from .dates import Context, Found, find_expressions, resolve
from .vocabulary import alternation

TRIGGERS = alternation(
    r"decision", r"decisions", r"decide[sd]?", r"deciding", r"hear(?:ing)?(?: back)?",
    r"get(?:ting)? back", r"gets back", r"come back", r"let (?:you|me|us|them) know",
    r"know", r"respond", r"responds", r"response", r"feedback", r"answer", r"answers",
    r"reply", r"outcome", r"results?", r"news", r"an offer", r"next steps?", r"update",
    r"notify", r"inform", r"contact (?:you|me)", r"reach out", r"timeline",
)
_BREAK = re.compile(r"\n|[.!?;](?=\s)")
_NOT_A_STOP = re.compile(
    r"(?:\b(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|tues|wed|thu|thur|"
    r"thurs|fri|sat|sun|mr|mrs|ms|dr|st|approx|e\.g|i\.e|etc|vs|no)|\d)$",
    re.IGNORECASE,
)


def decision_date(notes: str, ctx: Context) -> dt.date | None:
    """The decision date D of R3, or None when the notes state none."""
    statements: list[tuple[int, dt.date]] = []
    for sentence_start, sentence in sentences(notes):
        triggers = list(TRIGGERS.finditer(sentence))
        expressions = find_expressions(sentence) if triggers else []
        for trigger in triggers if expressions else []:
            date = _date_for(trigger, expressions, ctx)
            if date is not None:
                statements.append((sentence_start + trigger.start(), date))
    return max(statements, key=lambda s: s[0])[1] if statements else None


def _date_for(trigger: re.Match[str], found: list[Found], ctx: Context) -> dt.date | None:
    after = [f for f in found if f.start >= trigger.end()]
    before = [f for f in reversed(found) if f.end <= trigger.start()]
    for candidate in after[:1] + before[:1]:
        date = resolve(candidate, ctx)
        if date is not None:
            return date
    return None


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; a full stop after "Dec" or a digit ends no sentence."""
    pieces: list[tuple[int, str]] = []
    start = 0
    for stop in _BREAK.finditer(text):
        if stop.group() != "\n" and _NOT_A_STOP.search(text[start:stop.start()]):
            continue
        pieces.append((start, text[start:stop.start()]))
        start = stop.end()
    pieces.append((start, text[start:]))
    return pieces
