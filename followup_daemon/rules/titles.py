"""R2: the company and the role named in an event's title.

A title is cut into pieces at separators (" - ", ":", "|", "@", brackets) and
connecting words (at, with, for, from). A piece after "@", "at", "from", "with"
or in brackets names the company; a piece after "for" names the role; any
other piece, once the interview words are taken out, is the role when it holds
a job-title word ("Engineer", "Manager", ...) and the company otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .languages import union
from .vocabulary import FLAGS, INTERVIEW_TERMS, alternation

_PREFIXES = re.compile(
    r"^\s*(?:(?:updated |new )?invitation|accepted|tentative|declined|canceled|cancelled|"
    r"fwd?|re|aw|wg|tr)\s*:\s*", FLAGS)
_INVITE_SUFFIX = re.compile(
    r"\s+@\s+(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s.*$", FLAGS)
_TAGS = re.compile(r"#[\w-]+", FLAGS)
# Each language's "at", "from" and "with" before a company, and "for" before a role.
_AT, _FROM, _WITH, _FOR = (union(group) for group in ("at", "from_", "with_", "for_"))
_CONNECTORS = re.compile(
    r"(\s+[-–—|/]\s+|\s*[:|]\s+|\s*@\s*|\s*[(\[]\s*|\s*[)\]]\s*"
    r"|\s+(?:" + "|".join((*_AT, *_FROM, *_WITH, *_FOR)) +
    r")\s+)", FLAGS)
# Lower rank wins: "Interview with Jane at Acme" names Acme, not Jane.
_COMPANY_RANK = {"@": 0, **dict.fromkeys(_AT, 0), "(": 1, "[": 1, **dict.fromkeys(_FROM, 1),
                 **dict.fromkeys(_WITH, 2)}
# A lower-case article after the preposition is not part of the name ("bei der
# Allianz"); a capitalised one is ("con El Corte Inglés", "chez L'Oréal").
_ARTICLE = re.compile(r"^(?:" + "|".join(union("articles")) + r")\s*(?<=\s|'|’)")
_ROLE_CONNECTORS = set(_FOR)
# Longest first: the first alternative that fits wins. A title that names no company
# ("Conversa inicial", "Termin") leaves nothing of these.
_FILLER = alternation(*union("no_company"))
_GENERIC_PEOPLE = alternation(*union("people"))
_ROLE_WORDS = alternation(*union("role_words"))


@dataclass(frozen=True)
class TitleParts:
    """What a title says, each None when it does not say it."""

    company: str | None = None
    role: str | None = None


def parse_title(title: str, people_names: frozenset[str] = frozenset()) -> TitleParts:
    """Read the company and the role from an event title.

    `people_names` are the lower-case names of the event's attendees: a piece
    that is one of them ("Interview with Jane Doe") names a person, not a company.
    """
    company: tuple[int, str] | None = None
    role = None
    loose: list[str] = []
    for connector, text in _pieces(_strip_decorations(title)):
        named = connector in _COMPANY_RANK or connector in _ROLE_CONNECTORS
        residue = _residue(_ARTICLE.sub("", text) if named else text)
        if not residue or residue.lower() in people_names:
            continue
        rank = _COMPANY_RANK.get(connector)
        if connector in _ROLE_CONNECTORS and role is None:
            role = residue
        elif rank is not None and not _is_role(residue):
            company = min(company or (rank, residue), (rank, residue), key=lambda c: c[0])
        else:
            loose.append(residue)
    return _assign_loose(company[1] if company else None, role, loose)


def _assign_loose(company: str | None, role: str | None, loose: list[str]) -> TitleParts:
    for residue in loose:
        if role is None and _is_role(residue):
            role = residue
        elif company is None and not _is_role(residue):
            company = residue
        elif role is None and company is not None:
            role = residue
    return TitleParts(company, role)


def _strip_decorations(title: str) -> str:
    title = _PREFIXES.sub("", title)
    title = _INVITE_SUFFIX.sub("", title)
    return _TAGS.sub(" ", title)


def _pieces(title: str) -> list[tuple[str, str]]:
    """(connector before it, text) for each piece of the title."""
    parts = _CONNECTORS.split(title)
    pieces = [("", parts[0])]
    for i in range(1, len(parts) - 1, 2):
        pieces.append((parts[i].strip().lower(), parts[i + 1]))
    return pieces


def _residue(text: str) -> str:
    """A piece without interview words, filler and people words: a name or a role."""
    text = INTERVIEW_TERMS.sub(" ", text)
    text = _FILLER.sub(" ", text)
    without_people = _tidy(_GENERIC_PEOPLE.sub(" ", text))
    if not without_people:
        return ""
    return _tidy(text) if _is_role(text) else without_people


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(" ,.;-–—'\"!?/")


def _is_role(text: str) -> bool:
    return bool(_ROLE_WORDS.search(text))
