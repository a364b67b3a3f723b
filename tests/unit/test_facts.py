"""R2: company, role, contacts, draft_to and application."""

from __future__ import annotations

import pytest

from followup_daemon.model import Person, PersonKind
from followup_daemon.rules.addresses import company_from_domain
from followup_daemon.rules.facts import read_facts
from followup_daemon.rules.phones import find_phone, region_of

from ..helpers import ME, event


@pytest.mark.parametrize(("title", "company", "role"), [
    ("Interview with Acme", "Acme", None),
    ("Acme - Backend Engineer interview", "Acme", "Backend Engineer"),
    ("Interview: Backend Engineer @ Acme", "Acme", "Backend Engineer"),
    ("Phone screen (Acme)", "Acme", None),
    ("Interview for Data Analyst at Globex", "Globex", "Data Analyst"),
    ("Technical screen – Globex (Data Engineer)", "Globex", "Data Engineer"),
    ("Onsite: Initrode | Product Manager", "Initrode", "Product Manager"),
    ("Final round - Umbrella Corp - Staff Engineer", "Umbrella Corp", "Staff Engineer"),
    ("Recruiter call with Jane from Hooli", "Hooli", None),
    ("Vorstellungsgespräch bei Siemens", "Siemens", None),
    ("Invitation: Interview with Acme @ Mon Nov 16, 2026 2pm - 3pm (EST)", "Acme", None),
])
def test_company_and_role_from_the_title(title: str, company: str, role: str | None) -> None:
    facts = read_facts(event(title, organizer=None), ME)
    assert (facts.company, facts.role) == (company, role)


def test_explicit_lines_win_over_the_title() -> None:
    ev = event("Interview with Acme - Backend Engineer",
               description="Company: Acme Robotics\nPosition: Staff Engineer")
    facts = read_facts(ev, ME)
    assert (facts.company, facts.role) == ("Acme Robotics", "Staff Engineer")


def test_company_from_the_organizers_domain() -> None:
    facts = read_facts(event("Phone screen", organizer="jane@mail.acme-robotics.co.uk"), ME)
    assert facts.company == "Acme Robotics"


def test_person_named_in_the_title_is_not_the_company() -> None:
    jane = Person("jane@acme.com", "Jane Doe")
    facts = read_facts(event("Interview with Jane Doe", organizer=None, attendees=(jane,)), ME)
    assert facts.company == "Acme"


@pytest.mark.parametrize("domain", ["gmail.com", "outlook.com", "calendly.com",
                                    "greenhouse.io", "lever.co", "ashbyhq.com", "goodtime.io",
                                    "myworkday.com", "acme.myworkday.com"])
def test_free_mail_and_scheduling_domains_never_name_the_company(domain: str) -> None:
    assert company_from_domain(domain) is None
    facts = read_facts(event("Phone screen", organizer=f"someone@{domain}"), ME)
    assert facts.company is None


def test_draft_to_keeps_only_the_employers_addresses() -> None:
    people = (
        Person("alex@gmail.com", "Alex Rivera"),
        Person("boardroom@acme.com", "Board room", kind=PersonKind.ROOM),
        Person("projector@acme.com", kind=PersonKind.RESOURCE),
        Person("no-reply@acme.com"),
        Person("scheduler@calendly.com"),
        Person("bob@acme.com", "Bob"),
        Person("JANE@acme.com", "Jane again"),
        Person("colleague@initech.com"),
    )
    facts = read_facts(event(organizer="jane@acme.com", attendees=people), ME)
    assert facts.draft_to == ("jane@acme.com", "bob@acme.com")


def test_contacts_exclude_the_user_rooms_and_resources_and_include_the_phone() -> None:
    people = (Person("alex@gmail.com"), Person("room@acme.com", kind=PersonKind.ROOM),
              Person("bob@acme.com", "Bob"))
    facts = read_facts(event(attendees=people, description="Call Jane: +1 415 555 0142"), ME)
    emails = [c.email for c in facts.contacts]
    assert emails == ["jane@acme.com", "bob@acme.com", None]
    assert facts.contacts[-1].phone == "+1 415-555-0142"


@pytest.mark.parametrize(("text", "region", "phone"), [
    ("Call me at (415) 555-0142", "US", "+1 415-555-0142"),
    ("Tel: +44 20 7946 0958", "US", "+44 20 7946 0958"),
    ("Tel. 030 1234567 (Frau Weber)", "DE", "+49 30 1234567"),
    ("電話: 03-1234-5678", "JP", "+81 3-1234-5678"),
    ("Ligue para (11) 3456-7890", "BR", "+55 11 3456-7890"),
    ("Meeting ID: 812 3456 7890\nPasscode: 123456", "US", None),
    ("Dial-in: +1 646 558 8656", "US", None),
    ("Decision: 2026-12-03", "US", None),
    ("hear back by 12/03/2026", "US", None),
    ("14:00-15:30, room 4120", "US", None),
    ("https://zoom.us/j/81234567890", "US", None),
    ("Shinjuku Mitsui Bldg, 2-1-1 Nishi-Shinjuku, Tokyo 160-0023", "JP", None),
    ("Postfach 10 12 34, 80333 München", "DE", None),
    ("(415) 555-0142", None, None),  # no region known: only +country numbers
    ("+1 415 555 0142", None, "+1 415-555-0142"),
    ("Call ＋１ ４１５ ５５５ ０１４２ tomorrow", "US", "+1 415-555-0142"),  # full-width digits
    ("Ruf an: +٤٩ ٣٠ ١٢٣٤٥٦٧٨", "DE", "+49 30 12345678"),  # Arabic-Indic digits
])
def test_phone_numbers_but_not_meeting_ids_dates_or_postal_codes(
        text: str, region: str | None, phone: str | None) -> None:
    assert find_phone(text, region) == phone


def test_notes_without_a_digit_do_not_load_the_phone_library() -> None:
    import subprocess
    import sys

    script = ("import sys; from followup_daemon.rules.phones import find_phone; "
              "assert find_phone('Call Jane, the recruiter.\\nDecision by Friday.', 'US') is None; "
              "print('phonenumbers' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True).stdout
    assert shown.strip() == "False"


def test_the_users_region_comes_from_holidays_else_the_zone() -> None:
    from zoneinfo import ZoneInfo

    assert region_of("DE-BY", ZoneInfo("America/New_York")) == "DE"
    assert region_of(None, ZoneInfo("Asia/Tokyo")) == "JP"
    assert region_of(None, ZoneInfo("America/Sao_Paulo")) == "BR"
    assert region_of(None, ZoneInfo("UTC")) is None


def test_application_line_overrides_company_and_role() -> None:
    facts = read_facts(event(description="Application: REQ-123"), ME)
    assert facts.application == "id:req 123"


@pytest.mark.parametrize(("title", "company", "role"), [
    # each language's "with", "at", "from", "for", and articles (R2, v2)
    ("Entrevista com Nubank", "Nubank", None),
    ("Entrevista de emprego – iFood", "iFood", None),
    ("Entrevista na Ambev", "Ambev", None),
    ("Entrevista para a vaga de Desenvolvedor na Stone", "Stone", "Desenvolvedor"),
    ("Vorstellungsgespräch bei Siemens", "Siemens", None),
    ("Vorstellungsgespräch bei der Allianz", "Allianz", None),
    ("Vorstellungsgespräch für die Stelle als Entwickler bei Siemens", "Siemens", "Entwickler"),
    ("Gespräch mit Jan von SAP", "SAP", None),
    ("Entretien chez Danone", "Danone", None),
    ("Entretien chez L'Oréal", "L'Oréal", None),
    ("Entretien pour le poste de Développeur chez Capgemini", "Capgemini", "Développeur"),
    ("Entrevista con Inditex", "Inditex", None),
    ("Entrevista con El Corte Inglés", "El Corte Inglés", None),
    ("Entrevista para el puesto de Desarrollador en BBVA", "BBVA", "Desarrollador"),
    ("Colloquio con Ferrero", "Ferrero", None),
    ("Colloquio per la posizione di Sviluppatore presso Ferrero", "Ferrero", "Sviluppatore"),
    ("Sollicitatiegesprek bij Philips", "Philips", None),
    ("Sollicitatiegesprek voor de functie van Ontwikkelaar bij Philips", "Philips",
     "Ontwikkelaar"),
    ("Interview for the role of Backend Engineer at Acme", "Acme", "Backend Engineer"),
])
def test_titles_in_seven_languages(title: str, company: str, role: str | None) -> None:
    facts = read_facts(event(title, organizer=None), ME)
    assert (facts.company, facts.role) == (company, role)


@pytest.mark.parametrize("title", ["Conversa inicial", "Termin", "Gesprek", "Erstgespräch",
                                   "Kennenlernen", "Rendez-vous", "Appointment"])
def test_a_title_that_names_no_company_leaves_it_to_the_domain(title: str) -> None:
    facts = read_facts(event(title, description="Entrevista / interview",
                             organizer="rh@nubank.com.br"), ME)
    assert facts.company == "Nubank"


def test_a_candidate_in_brackets_is_no_company() -> None:
    facts = read_facts(event("Interview: Olivia Hart (candidate)", organizer=None), ME)
    assert facts.company != "candidate"
