"""R5.3 (rounds of one application) and R6 (the method)."""

from __future__ import annotations

import pytest

from followup_daemon.model import CalendarEvent, Method, PlanEntry, Skip
from followup_daemon.planner import plan

from ..helpers import at, event, plan_one, settings


def run(*events: CalendarEvent, now: str = "2026-11-01 09:00") -> list[PlanEntry]:
    return plan(list(events), settings(), at(now))


def test_a_later_round_before_the_follow_up_supersedes_it() -> None:
    first = event("Phone screen - Acme - Backend Engineer", "2026-11-16 10:00", uid="r1")
    second = event("Onsite - Acme - Backend Engineer", "2026-11-20 10:00", uid="r2")
    one, two = run(first, second)
    assert one.skipped is Skip.SUPERSEDED and one.followup is None
    assert two.followup is not None


def test_a_later_round_after_the_follow_up_leaves_it() -> None:
    first = event("Phone screen - Acme", "2026-11-02 10:00", uid="r1")
    second = event("Onsite - Acme", "2026-11-20 10:00", uid="r2")
    one, two = run(first, second)
    assert one.followup is not None and two.followup is not None


def test_other_applications_do_not_supersede() -> None:
    first = event("Phone screen - Acme - Backend Engineer", "2026-11-16 10:00", uid="r1")
    other_role = event("Onsite - Acme - Data Analyst", "2026-11-20 10:00", uid="r2")
    other_company = event("Onsite - Globex - Backend Engineer", "2026-11-18 10:00", uid="r3")
    entries = run(first, other_role, other_company)
    assert all(e.followup is not None for e in entries)


def test_company_and_role_compare_without_case_and_punctuation() -> None:
    first = event("Phone screen - ACME, Inc. - Back-end Engineer", "2026-11-16 10:00", uid="r1")
    second = event("Onsite - acme inc - back end engineer", "2026-11-20 10:00", uid="r2")
    assert run(first, second)[0].skipped is Skip.SUPERSEDED


def test_application_line_overrides_company_and_role() -> None:
    first = event("Phone screen - Acme", "2026-11-16 10:00", uid="r1",
                  description="Application: A-1")
    second = event("Onsite - Globex", "2026-11-20 10:00", uid="r2",
                   description="Application: A-1")
    assert run(first, second)[0].skipped is Skip.SUPERSEDED


def test_never_two_follow_ups_for_one_application_on_one_day() -> None:
    a = event("Interview - Acme - Designer", "2026-11-16 10:00", uid="a")
    b = event("Interview - Acme - Designer", "2026-11-16 10:00", uid="b")
    entries = run(a, b)
    planned = [e for e in entries if e.followup is not None]
    assert len(planned) == 1
    assert entries[0].skipped is Skip.SUPERSEDED


def test_catch_up_that_would_follow_a_later_round_is_superseded() -> None:
    # Round 1's follow-up was due 12 Nov; catch-up would be 25 Nov, after round 2 (16 Nov).
    first = event("Phone screen - Acme", "2026-11-02 10:00", uid="r1")
    second = event("Onsite - Acme", "2026-11-16 10:00", uid="r2")
    one, two = run(first, second, now="2026-11-25 08:00")
    assert one.skipped is Skip.SUPERSEDED
    assert two.followup is not None


def test_cancelled_later_round_does_not_supersede() -> None:
    first = event("Phone screen - Acme", "2026-11-16 10:00", uid="r1")
    second = event("Onsite - Acme", "2026-11-20 10:00", uid="r2", cancelled=True)
    assert run(first, second)[0].followup is not None


def test_phone_when_a_number_is_known() -> None:
    entry = plan_one(event(location="Acme HQ, 1 Main St", description="Jane: 415-555-0142"))
    assert entry.followup is not None and entry.followup.method is Method.PHONE


def test_in_person_when_on_site_without_a_number() -> None:
    entry = plan_one(event(location="Acme HQ, 1 Main St, Springfield"))
    assert entry.followup is not None and entry.followup.method is Method.IN_PERSON


def test_not_in_person_for_video_or_phone_interviews() -> None:
    for location in ("Zoom", "Microsoft Teams", "Google Meet", "Phone",
                     "https://acme.zoom.us/j/123", "Online", ""):
        entry = plan_one(event(location=location))
        assert entry.followup is not None
        assert entry.followup.method is Method.EMAIL, location


def test_not_in_person_when_an_online_meeting_is_attached() -> None:
    entry = plan_one(event(location="Acme HQ", online_meeting=True))
    assert entry.followup is not None and entry.followup.method is Method.EMAIL
    link = plan_one(event(location="Acme HQ", description="Join: https://meet.google.com/x"))
    assert link.followup is not None and link.followup.method is Method.EMAIL


def test_email_when_only_an_address_is_known_and_phone_as_last_resort() -> None:
    entry = plan_one(event(location="Zoom"))
    assert entry.followup is not None and entry.followup.method is Method.EMAIL
    nothing = plan_one(event(location="Zoom", organizer=None))
    assert nothing.followup is not None and nothing.followup.method is Method.PHONE


def test_method_preference_order() -> None:
    ev = event(location="Acme HQ, 1 Main St", description="Jane: 415-555-0142")
    prefs = (Method.EMAIL, Method.IN_PERSON, Method.PHONE)
    entry = plan_one(ev, method_preference=prefs)
    assert entry.followup is not None and entry.followup.method is Method.EMAIL


def test_draft_to_is_given_whatever_the_method() -> None:
    entry = plan_one(event(location="Acme HQ", description="Jane: 415-555-0142"))
    assert entry.followup is not None
    assert entry.followup.method is Method.PHONE
    assert entry.followup.draft_to == ("jane@acme.com",)


EMAIL_ONLY_NOTES = [
    "Please e-mail me with any questions; no calls.", "E-mail only, please.",
    "We prefer email only", "Please email Jane for updates", "No phone calls please.",
    "Kontakt bitte nur per E-Mail.", "Bitte keine Anrufe.", "Merci de nous répondre "
    "uniquement par e-mail.", "Pas d'appels, merci.", "Contacto solo por correo.",
    "Sólo por correo electrónico, por favor.", "Retorno apenas por e-mail.",
    "Por favor, sem ligações.", "Contatti solo via e-mail.", "Niente telefonate.",
    "Reacties alleen per e-mail.", "Graag niet bellen.", "Geen telefoontjes a.u.b.",
    "Merci de ne pas téléphoner.", "Please do not phone.", "#emailonly", "#EmailOnly",
]


@pytest.mark.parametrize("note", EMAIL_ONLY_NOTES)
def test_the_employer_asking_for_email_rules_out_phone_and_visit(note: str) -> None:
    ev = event(location="Acme HQ, 1 Main St, Springfield",
               description=f"Jane: 415-555-0142\n{note}")
    entry = plan_one(ev)
    assert entry.facts.email_only, note
    assert entry.followup is not None and entry.followup.method is Method.EMAIL


@pytest.mark.parametrize("note", ["Call me at 415-555-0142", "Mail room on the 2nd floor",
                                  "We'll e-mail you the agenda", "E-mail: jane@acme.com",
                                  "The calls are recorded", "Dial-in: +1 415 555 0100"])
def test_other_notes_about_mail_and_calls_change_nothing(note: str) -> None:
    entry = plan_one(event(location="Acme HQ, 1 Main St", description=f"{note}\nJane: "
                                                                       "415-555-0142"))
    assert not entry.facts.email_only, note
    assert entry.followup is not None and entry.followup.method is Method.PHONE


def test_email_only_holds_for_the_whole_application_even_without_an_address() -> None:
    first = event("Phone screen (Acme) - Backend Engineer", uid="a1", organizer=None,
                  description="Role: Backend Engineer\nCompany: Acme\nPlease e-mail only.")
    second = event("Onsite (Acme) - Backend Engineer", start="2026-11-18 10:00", uid="a2",
                   location="Acme HQ, 1 Main St", organizer=None,
                   description="Role: Backend Engineer\nCompany: Acme\nJane: 415-555-0142")
    other = event("Interview with Globex", start="2026-11-18 10:00", uid="g1",
                  location="Globex HQ, 2 Main St", description="Sam: 415-555-0199",
                  organizer="sam@globex.com")
    entries = plan([first, second, other], settings(), at("2026-11-01 09:00"))
    methods = {e.event.uid: e.followup.method for e in entries if e.followup}
    assert methods["a2"] is Method.EMAIL  # the note came with the first round
    assert methods["g1"] is Method.PHONE  # another application


def test_a_postal_code_is_no_phone_number_so_the_visit_stays_possible() -> None:
    from zoneinfo import ZoneInfo

    tokyo = ZoneInfo("Asia/Tokyo")
    ev = event("Interview with Rakuten", location="Shinjuku Mitsui Bldg, 2-1-1 Nishi-Shinjuku, "
                                        "Tokyo 160-0023", organizer="hr@rakuten.co.jp")
    entry = plan_one(ev, timezone=tokyo)
    assert entry.facts.phone is None
    assert entry.followup is not None and entry.followup.method is Method.IN_PERSON
    with_number = plan_one(event("Interview with Rakuten", description="電話: 03-1234-5678",
                                 location=ev.location), timezone=tokyo)
    assert with_number.facts.phone == "+81 3-1234-5678"
    assert with_number.followup is not None and with_number.followup.method is Method.PHONE
