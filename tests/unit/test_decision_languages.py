"""R3 in the seven languages: every form of the table, the spec's examples, idioms, and
properties over all of them (never before the interview; the last statement wins)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from followup_daemon.rules.dates import Context
from followup_daemon.rules.decision import decision_date
from followup_daemon.rules.workdays import WorkCalendar

MON_NOV_16 = dt.date(2026, 11, 16)
WEEKDAYS = WorkCalendar(frozenset(range(5)))
# What each form means for an interview on Monday 16 November 2026.
MEANS = {
    "iso": "2026-12-03", "name": "2026-12-03", "abbreviation": "2026-12-03",
    "year": "2026-12-03", "unaccented": "2026-12-03", "numeral days": "2026-11-19",
    "word days": "2026-11-19", "twenty days": "2026-12-06", "business days": "2026-11-23",
    "weeks": "2026-11-30", "a week": "2026-11-23", "by friday": "2026-11-20",
    "by monday": "2026-11-23", "end of week": "2026-11-20", "end of next week": "2026-11-27",
    "next week": "2026-11-27", "end of month": "2026-11-30", "next friday": "2026-11-27",
}
FORMS: dict[str, dict[str, str]] = {
    "de": {
        "iso": "Entscheidung: 2026-12-03", "name": "Entscheidung am 3. Dezember",
        "abbreviation": "Rückmeldung bis 3. Dez.", "year": "Antwort bis zum 3. Dezember 2026",
        "unaccented": "Rueckmeldung bis 3. Dezember", "numeral days": "Antwort in 3 Tagen",
        "word days": "Rückmeldung innerhalb von drei Tagen",
        "twenty days": "Entscheidung in zwanzig Tagen", "business days": "Antwort in 5 Werktagen",
        "weeks": "Feedback innerhalb von zwei Wochen", "a week": "Bescheid innerhalb einer Woche",
        "by friday": "Entscheidung bis Freitag", "by monday": "Rückmeldung bis spätestens Montag",
        "end of week": "Rückmeldung Ende der Woche", "end of next week":
        "Rückmeldung Ende nächster Woche", "next week": "Entscheidung nächste Woche",
        "end of month": "Entscheidung Ende des Monats", "next friday":
        "Rückmeldung bis nächsten Freitag",
    },
    "fr": {
        "iso": "Décision : 2026-12-03", "name": "réponse avant le 3 décembre",
        "abbreviation": "réponse le 3 déc.", "year": "décision le 3 décembre 2026",
        "unaccented": "reponse avant le 3 decembre", "numeral days": "réponse dans 3 jours",
        "word days": "retour dans trois jours", "twenty days": "décision sous vingt jours",
        "business days": "retour sous 5 jours ouvrés", "weeks": "réponse dans deux semaines",
        "a week": "réponse dans une semaine", "by friday": "décision d'ici vendredi",
        "by monday": "réponse avant lundi", "end of week": "décision fin de semaine",
        "end of next week": "réponse fin de la semaine prochaine",
        "next week": "réponse la semaine prochaine", "end of month": "décision fin du mois",
        "next friday": "retour vendredi prochain",
    },
    "es": {
        "iso": "Decisión: 2026-12-03", "name": "respuesta antes del 3 de diciembre",
        "abbreviation": "respuesta el 3 de dic.", "year": "decisión el 3 de diciembre de 2026",
        "unaccented": "decision antes del 3 de diciembre", "numeral days": "respuesta en 3 días",
        "word days": "respuesta en tres dias", "twenty days": "decisión en veinte días",
        "business days": "respuesta en 5 días hábiles",
        "weeks": "decisión dentro de dos semanas", "a week": "respuesta en una semana",
        "by friday": "decisión el viernes", "by monday": "respuesta antes del lunes",
        "end of week": "respuesta a finales de la semana",
        "end of next week": "decisión a finales de la próxima semana",
        "next week": "respuesta la semana que viene", "end of month": "respuesta a fin de mes",
        "next friday": "decisión el próximo viernes",
    },
    "pt": {
        "iso": "Decisão: 2026-12-03", "name": "resposta até 3 de dezembro",
        "abbreviation": "retorno até 3 de dez.", "year": "decisão em 3 de dezembro de 2026",
        "unaccented": "decisao ate 3 de dezembro", "numeral days": "retorno em 3 dias",
        "word days": "resposta em três dias", "twenty days": "retorno em vinte dias",
        "business days": "retorno em 5 dias úteis", "weeks": "decisão dentro de duas semanas",
        "a week": "resposta em uma semana", "by friday": "retorno até sexta-feira",
        "by monday": "resposta até segunda", "end of week": "retorno no fim da semana",
        "end of next week": "decisão no final da próxima semana",
        "next week": "resposta na próxima semana", "end of month": "resposta no fim do mês",
        "next friday": "retorno na próxima sexta-feira",
    },
    "it": {
        "iso": "Decisione: 2026-12-03", "name": "risposta entro il 3 dicembre",
        "abbreviation": "risposta entro il 3 dic.", "year": "esito il 3 dicembre 2026",
        "unaccented": "decisione entro giovedi 3 dicembre",
        "numeral days": "risposta entro 3 giorni", "word days": "riscontro tra tre giorni",
        "twenty days": "decisione tra venti giorni",
        "business days": "riscontro entro 5 giorni lavorativi",
        "weeks": "decisione tra due settimane", "a week": "risposta entro una settimana",
        "by friday": "decisione entro venerdì", "by monday": "risposta entro lunedì",
        "end of week": "decisione entro la fine della settimana",
        "end of next week": "risposta alla fine della prossima settimana",
        "next week": "risposta la prossima settimana", "end of month": "risposta entro fine mese",
        "next friday": "decisione venerdì prossimo",
    },
    "nl": {
        "iso": "Beslissing: 2026-12-03", "name": "uitslag op 3 december",
        "abbreviation": "reactie vóór 3 dec.", "year": "beslissing op 3 december 2026",
        "unaccented": "uitslag voor 3 december", "numeral days": "reactie binnen 3 dagen",
        "word days": "antwoord binnen drie dagen", "twenty days": "uitslag over twintig dagen",
        "business days": "reactie binnen 5 werkdagen", "weeks": "beslissing binnen twee weken",
        "a week": "reactie binnen een week", "by friday": "beslissing voor vrijdag",
        "by monday": "reactie uiterlijk maandag", "end of week": "uitslag eind van de week",
        "end of next week": "terugkoppeling eind volgende week",
        "next week": "beslissing volgende week", "end of month": "reactie eind van de maand",
        "next friday": "terugkoppeling volgende vrijdag",
    },
}
CASES = [(lang, form, text) for lang, forms in FORMS.items() for form, text in forms.items()]


def read(text: str, interview: dt.date = MON_NOV_16, order: str = "MDY") -> dt.date | None:
    return decision_date(text, Context(interview, WEEKDAYS, order))


def test_every_language_has_every_form() -> None:
    assert all(set(forms) == set(MEANS) for forms in FORMS.values())


@pytest.mark.parametrize(("lang", "form", "text"), CASES)
def test_every_form_of_the_table_in_every_language(lang: str, form: str, text: str) -> None:
    assert read(text) == dt.date.fromisoformat(MEANS[form])


@pytest.mark.parametrize(("lang", "form", "text"), CASES)
def test_capitals_and_a_sentence_around_it_change_nothing(lang: str, form: str,
                                                         text: str) -> None:
    noisy = f"Notes from the call.\nRecruiter: {text.upper()}. Bring ID."
    assert read(noisy) == dt.date.fromisoformat(MEANS[form])


@pytest.mark.parametrize(("text", "expected"), [
    ("réponse sous huit jours", "2026-11-23"),
    ("réponse dans quinze jours", "2026-11-30"),
    ("respuesta en quince días", "2026-11-30"),
    ("risposta tra quindici giorni", "2026-11-30"),
    ("retorno em quinze dias", "2026-11-30"),
    ("réponse sous 8 jours", "2026-11-24"),  # a numeral is read as written
])
def test_idioms_count_as_what_they_mean(text: str, expected: str) -> None:
    assert read(text) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize("text", [
    "Decisión el fin de semana", "respuesta este fin de semana", "Decisão no fim de semana",
    "Rückmeldung am Wochenende", "decisione nel fine settimana",
])
def test_the_weekend_is_no_decision_date(text: str) -> None:
    assert read(text) is None


@pytest.mark.parametrize(("order", "expected"), [("DMY", "2026-12-03"), ("MDY", "2027-03-12")])
def test_numeric_dates_follow_date_order_in_every_language(order: str, expected: str) -> None:
    assert read("Rückmeldung bis 3.12.", order=order) == dt.date.fromisoformat(expected)
    assert read("réponse le 3/12", order=order) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize(("text", "expected"), [
    ("Entscheidung bis Fr.", "2026-11-20"),
    ("decisión el vie", "2026-11-20"),
    ("respuesta en 5 a 7 días hábiles", "2026-11-25"),
    ("Rückmeldung in zwei bis drei Wochen", "2026-12-07"),
    ("réponse dans les 5 jours ouvrables", "2026-11-23"),
    ("respuesta el viernes 4 de diciembre", "2026-12-04"),
    ("Antwort am Freitag, den 4. Dezember", "2026-12-04"),
    ("réponse le 1er décembre", "2026-12-01"),
    ("resposta até o dia 1º de dezembro", "2026-12-01"),
    ("Rückmeldung bis 3. März", "2027-03-03"),
    ("Rueckmeldung bis 3. Maerz", "2027-03-03"),
    ("réponse demain", "2026-11-17"),
    ("Wir melden uns bis kommenden Freitag", "2026-11-20"),
    ("Antwort morgen", "2026-11-17"),
    ("antwoord morgen", "2026-11-17"),
])
def test_forms_beyond_the_table(text: str, expected: str) -> None:
    assert read(text) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize("text", [
    "Bitte Unterlagen bis Freitag schicken.", "Apportez vos documents le 3 décembre.",
    "Parking gratuit dans 3 jours", "Oficina en 5 días", "Antwort am Morgen",
    "respuesta por la mañana", "réponse après-demain",
])
def test_a_date_without_a_decision_word_is_no_statement(text: str) -> None:
    assert read(text) is None


def test_the_last_statement_wins_whatever_its_language() -> None:
    assert read("Decision by Dec 3.\nUpdate: Rückmeldung bis 10. Dezember") == \
        dt.date(2026, 12, 10)
    assert read("Rückmeldung bis 10. Dezember.\nUpdate: decision by Dec 3") == \
        dt.date(2026, 12, 3)


# Forms whose meaning cannot be before the interview ("end of week" is the Friday of the
# interview's week, before a weekend interview; a date with its year is what it says).
RELATIVE = [(lang, text) for lang, form, text in CASES
            if form not in {"iso", "year", "end of week"}]
ENGLISH = ["They will decide by Friday", "Decision within 5 business days",
           "Feedback by December 3", "We'll get back to you next week"]


@given(st.sampled_from(RELATIVE), st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)),
       st.sampled_from(["MDY", "DMY"]))
def test_a_statement_in_any_language_is_never_before_the_interview(
        case: tuple[str, str], interview: dt.date, order: str) -> None:
    found = read(case[1], interview, order)
    assert found is not None and found >= interview


@given(st.sampled_from(CASES), st.sampled_from(CASES + [("en", "", t) for t in ENGLISH]),
       st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)), st.sampled_from(["\n", ". "]))
def test_a_later_statement_in_another_language_replaces_the_earlier(
        earlier: tuple[str, str, str], later: tuple[str, str, str], interview: dt.date,
        joint: str) -> None:
    assume(earlier[0] != later[0])
    assert read(earlier[2] + joint + later[2], interview) == read(later[2], interview)
