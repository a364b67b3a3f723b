"""The language data: seven languages, each complete, and an eighth is one file."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from followup_daemon.rules import languages
from followup_daemon.rules.languages import Language, fold

# The groups every language must fill; the others are optional (not every language has
# a word for "from" before a company, or an idiom for a count of days).
REQUIRED = ("decision", "months", "weekdays", "numbers", "within", "days", "business_days",
            "weeks", "by", "end_week", "end_next_week", "next_week", "end_month", "tomorrow",
            "interview", "look_alikes", "candidate", "at", "with_", "for_", "articles",
            "no_company", "company_labels", "role_labels", "remote", "email_only",
            "email_only_stems")
R3_GROUPS = [f.name for f in dataclasses.fields(Language)][
    [f.name for f in dataclasses.fields(Language)].index("decision"):]


def test_the_seven_languages_are_there() -> None:
    assert [lang.code for lang in languages.languages()] == [
        "en", "de", "es", "fr", "it", "nl", "pt"]


@pytest.mark.parametrize("language", languages.languages(), ids=lambda lang: lang.code)
def test_every_language_fills_every_group(language: Language) -> None:
    empty = [group for group in REQUIRED if not getattr(language, group)]
    assert not empty, f"{language.code} has no {empty}"
    assert sorted(language.numbers.values())[-1] == 20 and 0 in language.numbers.values()
    assert set(language.weekdays.values()) == set(range(7))
    assert set(language.months.values()) == set(range(1, 13))


@pytest.mark.parametrize("language", languages.languages(), ids=lambda lang: lang.code)
def test_r3_words_survive_folding(language: Language) -> None:
    for group in R3_GROUPS:
        words = getattr(language, group)
        for word in words:
            assert not re.search(r"\\[A-Z]", word), f"{language.code} {group}: {word}"
            re.compile(fold(word))


def test_a_word_meaning_two_things_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    clash = (Language("xx", numbers={"tres": 3}), Language("yy", numbers={"très": 30}))
    monkeypatch.setattr(languages, "languages", lambda: clash)
    with pytest.raises(ValueError, match="means two things"):
        languages.merged("numbers")


SWEDISH = '''
from followup_daemon.rules.languages import Language
LANGUAGE = Language(
    code="sv", decision=(r"beslut",), weekdays={"fredag": 4}, by=(r"senast",),
    within=(r"inom",), weeks=(r"veckor",), numbers={"två": 2},
    interview=(r"intervju",), at=("hos",),
)
'''
PROBE = '''
import datetime as dt, json, sys
import followup_daemon.rules.languages as languages
languages.__path__.append(sys.argv[1])
from followup_daemon.rules.dates import Context
from followup_daemon.rules.decision import decision_date
from followup_daemon.rules.titles import parse_title
from followup_daemon.rules.workdays import WorkCalendar
ctx = Context(dt.date(2026, 11, 16), WorkCalendar(frozenset(range(5))))
print(json.dumps([str(decision_date("Beslut senast fredag", ctx)),
                  str(decision_date("Beslut inom två veckor", ctx)),
                  parse_title("Intervju hos Spotify").company]))
'''


def test_an_eighth_language_is_one_file(tmp_path: Path) -> None:
    (tmp_path / "sv.py").write_text(textwrap.dedent(SWEDISH))
    out = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], capture_output=True,
                         text=True, check=True).stdout
    assert json.loads(out) == ["2026-11-20", "2026-11-30", "Spotify"]
