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

from .vocabulary import FLAGS, INTERVIEW_TERMS, alternation

_PREFIXES = re.compile(
    r"^\s*(?:(?:updated |new )?invitation|accepted|tentative|declined|canceled|cancelled|"
    r"fwd?|re|aw|wg|tr)\s*:\s*", FLAGS)
_INVITE_SUFFIX = re.compile(
    r"\s+@\s+(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s.*$", FLAGS)
_TAGS = re.compile(r"#[\w-]+", FLAGS)
# Each language's "at", "from" and "with" before a company, and "for" before a role
# (English, German, French, Spanish, Portuguese, Italian, Dutch).
_AT = ("at", "bei", "chez", "en", "na", "no", "em", "presso", "bij")
_FROM = ("from", "von", "van")
_WITH = ("with", "mit", "avec", "con", "com", "met")
_FOR = ("for", "für", "fuer", "pour", "para", "per", "voor")
_CONNECTORS = re.compile(
    r"(\s+[-–—|/]\s+|\s*[:|]\s+|\s*@\s*|\s*[(\[]\s*|\s*[)\]]\s*"
    r"|\s+(?:" + "|".join((*_AT, *_FROM, *_WITH, *_FOR)) +
    r")\s+)", FLAGS)
# Lower rank wins: "Interview with Jane at Acme" names Acme, not Jane.
_COMPANY_RANK = {"@": 0, **dict.fromkeys(_AT, 0), "(": 1, "[": 1, **dict.fromkeys(_FROM, 1),
                 **dict.fromkeys(_WITH, 2)}
# A lower-case article after the preposition is not part of the name ("bei der
# Allianz"); a capitalised one is ("con El Corte Inglés", "chez L'Oréal").
_ARTICLE = re.compile(r"^(?:the|der|die|das|dem|den|des|le|la|les|l'|l’|el|los|las|o|a|os|"
                      r"as|il|lo|gli|i|de|het|een|un|une|uno|una|um|uma)\s*(?<=\s|'|’)")
_ROLE_CONNECTORS = set(_FOR)
_FILLER = alternation(  # the longer forms first: the first alternative that fits wins
    # a title that names no company: a first talk, an appointment, a job, the post
    r"de emprego", r"de empleo", r"d'embauche", r"conversa(?: inicial)?", r"inicial",
    r"(?:le |du |au )?poste(?: de| d')?", r"(?:el |del )?puesto(?: de)?",
    r"(?:a |o |da |do )?vaga(?: de| para)?", r"(?:la |il )?posizione(?: di| da)?",
    r"(?:de )?functie(?: van| als)?", r"(?:die )?stelle(?: als)?",
    r"(?:the )?(?:position|role)(?: of| as)?",
    r"erstgespr(?:ä|ae)ch", r"kennenlerngespr(?:ä|ae)ch", r"kennenlernen", r"termin",
    r"gespr(?:ä|ae)ch", r"kennismaking(?:sgesprek)?", r"gesprek", r"afspraak",
    r"réunion", r"rendez-vous", r"reuni(?:ão|ón)", r"riunione", r"appuntamento", r"cita",
    r"appointment", r"talk", r"first", r"premier", r"primeira?", r"erstes",
    r"de trabajo", r"di lavoro", r"d'embauche", r"téléphonique", r"d'emploi",
    r"(?:live[- ])?coding", r"behaviou?ral", r"system[- ]design", r"case(?: study)?",
    r"culture(?:[- ]fit)?", r"cultural fit", r"intro(?:ductory)?", r"screening", r"group",
    r"assessment", r"presentation", r"whiteboard", r"pair[- ]programming", r"informal",
    r"(?:1st|2nd|3rd|\d+th|first|second|third|fourth|final|last|initial|next|follow-?up)"
    r"(?:[- ]round)?", r"rounds?", r"stages?", r"\d+", r"the", r"a", r"an", r"my", r"job",
    r"call", r"chat", r"meeting", r"video", r"virtual", r"remote", r"zoom", r"teams",
    r"google meet", r"phone", r"telephone", r"technical", r"tech", r"onsite", r"in[- ]person",
    r"conversation", r"session", r"part", r"tentative", r"confirmed", r"rescheduled",
    r"round", r"de", r"with",
    r"and", r"&", r"und", r"et", r"y", r"e", r"en",
)
_GENERIC_PEOPLE = alternation(
    r"recruiters?", r"recruiting", r"hiring[- ]manager", r"hiring team", r"hr",
    r"talent(?: acquisition| partner| team)?", r"team", r"(?:the )?team", r"manager",
    r"ceo", r"cto", r"cfo", r"coo", r"founders?", r"co-?founders?", r"interviewers?",
    r"panel", r"engineering", r"people", r"staff", r"me", r"you", r"us", r"them",
    r"candidates?", r"candidat[eao]s?", r"kandidat(?:in|en)?", r"kandidaat", r"bewerber(?:in)?",
)
_ROLE_WORDS = alternation(
    r"\w*engineer\w*", r"\w*developer", r"programmer", r"\w*manager", r"designer", r"analyst",
    r"scientist", r"architect", r"lead", r"director", r"intern(?:ship)?", r"specialist",
    r"consultant", r"administrator", r"admin", r"coordinator", r"associate", r"assistant",
    r"officer", r"representative", r"accountant", r"nurse", r"teacher", r"researcher",
    r"technician", r"writer", r"editor", r"marketer", r"owner", r"head of", r"vp",
    r"president", r"executive", r"sre", r"devops", r"qa", r"tester", r"strategist",
    r"advisor", r"adviser", r"counsel", r"lawyer", r"attorney", r"paralegal", r"clerk",
    r"cashier", r"driver", r"chef", r"cook", r"agent", r"planner", r"buyer", r"controller",
    r"auditor", r"economist", r"statistician", r"physicist", r"chemist", r"biologist",
    r"pharmacist", r"therapist", r"physician", r"doctor", r"dentist", r"senior", r"junior",
    r"principal", r"sr\.?", r"jr\.?", r"werkstudent\w*", r"entwickler\w*", r"ingenieur\w*",
    r"ingénieur\w*", r"développeu\w+", r"desarrollador\w*", r"ingenier[oa]", r"sviluppat\w+",
    r"ontwikkelaar", r"stagiaire", r"praktikant\w*", r"becario", r"tirocinante", r"stagiair",
)


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
