"""R3: the decision date the employer stated, read from the event's notes.

A statement is a decision word ("decide", "hear back", "Rückmeldung", ...)
with a date expression in the same sentence: the first one after the word, or
failing that the nearest one before it. Of several statements the last in the
text wins, as users append updates to their notes, whatever its language: the
words of every language (rules/languages) are read in folded text ("Décision"
as "decision").
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from .dates import MONTHS, WEEKDAYS, Context, Found, find_expressions, resolve
from .languages import fold, folded

_DECISION_WORDS = folded("decision")
_BREAK = re.compile(r"\n|[.!?;](?=\s)")
_ABBREVIATIONS = set(folded("abbreviations")) | {  # "Dec.", "Fr."
    re.escape(name.rstrip(".")) for name in (*MONTHS, *WEEKDAYS) if len(name) <= 5}
_NOT_A_STOP = r"(?:(?<!\w)(?:" + "|".join(sorted(_ABBREVIATIONS, key=len, reverse=True)) + \
    r")|\d)$"


@cache
def _compiled() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The decision words and the stops that end no sentence, compiled when first needed."""
    words = re.compile(r"(?<!\w)(?:" + "|".join(_DECISION_WORDS) + r")(?!\w)")  # folded text
    return words, re.compile(_NOT_A_STOP)


def decision_date(notes: str, ctx: Context) -> dt.date | None:
    """The decision date D of R3, or None when the notes state none."""
    if not notes.strip():
        return None
    statements: list[tuple[int, dt.date]] = []
    decision_words = _compiled()[0]
    for sentence_start, sentence in sentences(fold(notes)):
        triggers = list(decision_words.finditer(sentence))
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
    not_a_stop = _compiled()[1]
    for stop in _BREAK.finditer(text):
        if stop.group() != "\n" and not_a_stop.search(text[start:stop.start()]):
            continue
        pieces.append((start, text[start:stop.start()]))
        start = stop.end()
    pieces.append((start, text[start:]))
    return pieces
