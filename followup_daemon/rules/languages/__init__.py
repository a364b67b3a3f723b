"""The words of each language the rules read, one module per language.

Every module of this package defines `LANGUAGE`, a `Language`; the rules read
the union of all of them, so adding a language is adding one module. Words are
regular-expression fragments matched case-insensitively as whole words.

The R3 and R7 words (the `decision` group and below) are matched on folded text
(`fold`: lower case, accents and the German ß taken off), so they are written
once, with or without accents; they must use only lower-case escapes (`\\w`,
`\\s`, `\\d`), as folding lower-cases the fragment too.
"""

from __future__ import annotations

import importlib
import os
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

Words = tuple[str, ...]

# R1.3: the kinds of look-alike, in the order they are tried; each is what `plan` reports.
MOCK = "mock or practice interview"
PREPARATION = "interview preparation or training"
PRESS = "podcast, press or media interview"
EXIT = "exit interview"
RESEARCH = "user, customer or research interview"
DEBRIEF = "debrief or hiring committee"
REVIEW = "performance review"
PANEL = "panel discussion"
LOOK_ALIKE_KINDS = (MOCK, PREPARATION, PRESS, EXIT, RESEARCH, DEBRIEF, REVIEW, PANEL)


@dataclass(frozen=True)
class Language:
    """One language's words for the rules. Empty where the language adds nothing."""

    code: str
    # R1: the forms of a job interview, the look-alikes by kind, the word for a candidate.
    interview: Words = ()
    look_alikes: Mapping[str, Words] = field(default_factory=dict)
    candidate: Words = ()
    # R2: the words before a company (at, from, with) and a role (for) in a title; the
    # articles after them; the title words that name neither; "Company:" lines.
    at: Words = ()
    from_: Words = ()
    with_: Words = ()
    for_: Words = ()
    articles: Words = ()
    no_company: Words = ()
    people: Words = ()  # people, not companies: "recruiter", "hiring team"
    role_words: Words = ()  # a piece holding one of these is a role ("Engineer")
    company_labels: Words = ()
    role_labels: Words = ()
    # R6: a location that is not on site; lines whose numbers are dial-ins; notes asking
    # for e-mail (MAIL stands for any language's word for e-mail) and their stems.
    remote: Words = ()
    dial_in: Words = ()
    mail: Words = ()
    email_only: Words = ()
    email_only_stems: Words = ()
    # R3: a statement is a decision word and a date expression in one sentence.
    decision: Words = ()
    months: Mapping[str, int] = field(default_factory=dict)  # a key ending in "." needs it
    weekdays: Mapping[str, int] = field(default_factory=dict)  # 0 is Monday
    numbers: Mapping[str, int] = field(default_factory=dict)  # number words up to twenty
    idioms: Mapping[str, int] = field(default_factory=dict)  # "huit jours": 7 days
    within: Words = ()  # before a count of days or weeks
    range_words: Words = ()  # "5 to 7 days"
    days: Words = ()
    business_days: Words = ()
    weeks: Words = ()
    by: Words = ()  # before a weekday: the first such weekday after the interview
    next_before: Words = ()  # "next" before a weekday: that weekday of the next week
    next_after: Words = ()  # ... or after it ("vendredi prochain")
    ordinals: Words = ()  # after a day number ("3rd", "1er")
    of: Words = ()  # between a day and its month ("3 de diciembre")
    day_articles: Words = ()  # before a day number ("the 3rd", "den 3.")
    end_week: Words = ()
    end_next_week: Words = ()
    next_week: Words = ()
    end_month: Words = ()
    end_next_month: Words = ()
    tomorrow: Words = ()
    abbreviations: Words = ()  # a full stop after these ends no sentence
    # R7, also read folded: an `Outcome:` line's label and what its text says; the
    # subjects of automatic replies.
    outcome_labels: Words = ()
    offer: Words = ()
    rejected: Words = ()
    withdrawn: Words = ()
    auto_reply: Words = ()


def fold(text: str) -> str:
    """Lower case without accents: the form R3 words are matched in."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@cache
def languages() -> tuple[Language, ...]:
    """Every language of this package, English first."""
    names = sorted({name.removesuffix(".py") for folder in __path__ for name in os.listdir(folder)
                    if name.endswith(".py") and not name.startswith("_")})
    found = [importlib.import_module(f"{__name__}.{name}").LANGUAGE for name in names]
    return tuple(sorted(found, key=lambda language: language.code != "en"))


def union(group: str) -> Words:
    """One group of words of every language, longest first, each once."""
    return _longest_first(word for language in languages() for word in getattr(language, group))


def look_alikes(kind: str) -> Words:
    """The look-alikes of one kind in every language."""
    return _longest_first(word for language in languages()
                          for word in language.look_alikes.get(kind, ()))


def _longest_first(words: Iterable[str]) -> Words:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


def folded(group: str) -> Words:
    """One group of every language as matched on folded text: folded, each once, in
    `union`'s order (R3 and R7)."""
    return tuple(dict.fromkeys(fold(word) for word in union(group)))


def merged(group: str) -> dict[str, int]:
    """One mapping of every language, folded; a word must mean one thing in all."""
    meaning: dict[str, int] = {}
    for language in languages():
        for word, value in getattr(language, group).items():
            key = fold(word)
            if meaning.setdefault(key, value) != value:
                raise ValueError(f"{language.code}: {group} {word!r} means two things")
    return meaning
