"""German."""

from . import DEBRIEF, EXIT, MOCK, PREPARATION, PRESS, RESEARCH, REVIEW, Language

_NUMBERS = ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun",
            "zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn",
            "siebzehn", "achtzehn", "neunzehn", "zwanzig"]


def _umlauts(words: dict[str, int]) -> dict[str, int]:
    """Each word also as written without umlauts (ä as ae)."""
    spelled = {w.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue"): v
               for w, v in words.items()}
    return {**words, **spelled}


LANGUAGE = Language(
    code="de",
    decision=(
        r"entscheid\w*", r"entschied\w*", r"r(?:u|ue)ckmeld\w*", r"r(?:u|ue)ckantwort\w*",
        r"antwort\w*", r"feedback", r"bescheid", r"melden", r"meldet", r"melde", r"ergebnis\w*",
        r"zusage", r"absage", r"h(?:o|oe)ren", r"informier\w*", r"nachricht\w*",
        r"neuigkeiten", r"kontaktier\w*",
    ),
    months=_umlauts({
        "januar": 1, "jänner": 1, "jan": 1, "februar": 2, "feber": 2, "feb": 2, "märz": 3,
        "mär": 3, "mrz": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7,
        "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10,
        "okt": 10, "november": 11, "nov": 11, "dezember": 12, "dez": 12,
    }),
    weekdays={
        "montag": 0, "mo.": 0, "dienstag": 1, "di.": 1, "mittwoch": 2, "mi.": 2,
        "donnerstag": 3, "do.": 3, "freitag": 4, "fr.": 4, "samstag": 5, "sonnabend": 5,
        "sa.": 5, "sonntag": 6, "so.": 6,
    },
    numbers=_umlauts({**{word: value for value, word in enumerate(_NUMBERS)},
                      "ein": 1, "eine": 1, "einer": 1, "einem": 1, "einen": 1, "zwo": 2,
                      "ein paar": 2}),
    within=(r"innerhalb(?: von)?", r"in", r"binnen", r"in den n(?:a|ae)chsten",
            r"innerhalb (?:der|den) n(?:a|ae)chsten", r"zwischen"),
    range_words=(r"bis", r"oder", r"und"),
    days=(r"tag(?:e|en)?",),
    business_days=(r"(?:werk|arbeits|gesch(?:a|ae)fts)tag(?:e|en)?",),
    weeks=(r"wochen?",),
    by=(r"bis", r"bis zum", r"bis sp(?:a|ae)testens", r"sp(?:a|ae)testens", r"am", r"vor",
        r"diesen", r"kommenden", r"zum"),
    next_before=(r"n(?:a|ae)chste[nr]?",),
    ordinals=(r"\.",),
    day_articles=(r"den", r"dem"),
    end_week=(r"ende (?:der|dieser) woche",),
    end_next_week=(r"ende (?:der )?n(?:a|ae)chste[nr]? woche",),
    next_week=(r"n(?:a|ae)chste[nr]? woche", r"kommende[nr]? woche"),
    end_month=(r"ende (?:des|dieses) monats", r"monatsende"),
    end_next_month=(r"ende (?:des )?n(?:a|ae)chste[nr]? monats",),
    tomorrow=(r"(?<!am )(?<!heute )(?<!guten )morgen",),
    abbreviations=(r"z\.b", r"bzw", r"ca", r"nr", r"evtl", r"ggf", r"usw", r"hr", r"fr", r"str"),
    interview=(r"\w*vorstellungsgespr(?:ä|ae)ch\w*", r"\w*bewerbungsgespr(?:ä|ae)ch\w*",
               r"auswahlgespr(?:ä|ae)ch\w*"),
    look_alikes={
        MOCK: (r"probe-?interview", r"übungs\w*", r"probe-?vorstellungsgespräch",
               r"(?:probe|übungs|uebungs|trainings)-?(?:interview|gespr(?:ä|ae)ch|"
               r"vorstellungsgespr(?:ä|ae)ch|bewerbungsgespr(?:ä|ae)ch)\w*"),
        PREPARATION: (r"vorbereitung", r"schulung", r"bewerbungstraining"),
        PRESS: (r"presse", r"zeitung",
                r"(?:presse|medien|zeitungs|radio|fernseh|tv|podcast)-?(?:interview|"
                r"gespr(?:ä|ae)ch)\w*"),
        EXIT: (r"austrittsgespräch", r"exit-?gespräch",
               r"(?:austritts|abgangs|exit)-?(?:interview|gespr(?:ä|ae)ch)\w*"),
        RESEARCH: (r"nutzer-?interview\w*", r"kunden-?interview\w*", r"nutzerforschung",
                   r"(?:kunden|nutzer|anwender|experten|stakeholder)-?interview\w*"),
        DEBRIEF: (r"nachbesprechung",),
        REVIEW: (r"mitarbeitergespräch",),
    },
    candidate=(r"kandidat(?:in)?", r"bewerber(?:in)?"),
    at=("bei",),
    from_=("von",),
    with_=("mit",),
    for_=("für", "fuer"),
    articles=("der", "die", "das", "dem", "den", "des"),
    no_company=(r"(?:die )?stelle(?: als)?", r"erstgespr(?:ä|ae)ch", r"kennenlerngespr(?:ä|ae)ch",
                r"kennenlernen", r"termin", r"gespr(?:ä|ae)ch", r"erstes", r"und"),
    people=(r"kandidat(?:in|en)?", r"bewerber(?:in)?"),
    role_words=(r"werkstudent\w*", r"entwickler\w*", r"ingenieur\w*", r"praktikant\w*"),
    company_labels=(r"firma", r"unternehmen", r"arbeitgeber"),
    role_labels=(r"stelle",),
    remote=(r"telefon\w*",),
    dial_in=(r"besprechungs-id", r"kenncode"),
    email_only=(r"\bnur\s+(?:per|via|über|ueber|als)\s+MAIL\b",
                r"\bkeine\s+(?:telefonischen\s+)?anrufe\b", r"\bbitte\s+nicht\s+anrufen\b"),
    email_only_stems=(r"anruf", r"telef"),
    outcome_labels=(r"ergebnis",),
    offer=(r"(?:job|stellen|vertrags)?angebot", r"zusage"),
    rejected=(r"absage", r"abgelehnt", r"nicht ber(?:u|ue)cksichtigt"),
    withdrawn=(r"zur(?:u|ue)ckgezogen",),
    auto_reply=(r"abwesenheitsnotiz", r"automatische antwort", r"abwesend"),
)
