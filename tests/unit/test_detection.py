"""R1: interview detection, look-alikes and tags."""

from __future__ import annotations

import pytest

from followup_daemon.model import Person, Skip

from ..helpers import ME, event, plan_one

INTERVIEW_TITLES = [
    "Interview with Acme", "Phone screen - Acme", "Screening call with Acme recruiter",
    "Technical screen (Acme)", "Onsite at Acme", "On-site: Acme", "Final round - Acme",
    "Call with hiring manager (Acme)", "Recruiter call - Acme", "Panel with the Acme team",
    "Take-home review: Acme", "Coding interview - Acme",
    "Entretien d'embauche chez Danone", "Vorstellungsgespräch bei Siemens",
    "Bewerbungsgespräch Bosch", "Entrevista de trabajo con Telefónica",
    "Entrevista - Natura (Analista)", "Colloquio di lavoro presso Ferrero",
    "Sollicitatiegesprek bij Philips",
]


@pytest.mark.parametrize("title", INTERVIEW_TITLES)
def test_every_form_of_interview_is_detected(title: str) -> None:
    entry = plan_one(event(title))
    assert entry.is_interview, entry.reason
    assert entry.reason == "title names an interview"


def test_description_names_the_interview_when_the_title_does_not() -> None:
    entry = plan_one(event("Acme", description="Second round: technical screen with the team"))
    assert entry.is_interview and entry.reason == "description names an interview"


LOOK_ALIKES = [
    "Mock interview with coach", "Interview practice", "Interview prep for Acme",
    "Interview preparation workshop", "Interview training", "Podcast interview",
    "Press interview with the Times", "Media interview", "Exit interview",
    "User interview #4", "Customer interview - onboarding", "Research interview",
    "Interview debrief: Jane Doe", "Hiring committee review (interview loop)",
    "Interview: Jane Doe (candidate)", "Interviewing Jane Doe", "Entretien annuel",
    "Simulacro de entrevista", "Probeinterview", "Entretien de départ", "Austrittsgespräch",
    "Panel discussion: AI and jobs",
]


@pytest.mark.parametrize("title", LOOK_ALIKES)
def test_look_alikes_are_not_interviews(title: str) -> None:
    entry = plan_one(event(title))
    assert not entry.is_interview
    assert entry.skipped is Skip.NOT_INTERVIEW
    assert entry.followup is None


def test_interview_organised_by_own_company_for_another_candidate() -> None:
    ev = event("Interview - backend loop", organizer="recruiting@initech.com",
               description="Candidate: Jane Doe\nRoom 4")
    assert plan_one(ev).skipped is Skip.NOT_INTERVIEW


def test_own_company_interview_naming_the_user_as_candidate_is_kept() -> None:
    ev = event("Internal interview", organizer="recruiting@initech.com",
               description="Candidate: Alex Rivera")
    assert plan_one(ev).is_interview


def test_candidate_line_from_another_organisation_is_kept() -> None:
    ev = event("Interview with Acme", description="Candidate: Jane Doe")
    assert plan_one(ev).is_interview


def test_interviewing_at_a_company_is_the_candidate_side() -> None:
    assert plan_one(event("Interviewing at Acme")).is_interview


def test_followup_tag_makes_any_event_an_interview() -> None:
    entry = plan_one(event("Coffee with Dana #followup"))
    assert entry.is_interview and entry.reason == "#followup tag"
    assert plan_one(event("Mock interview", description="#followup")).is_interview


def test_nofollowup_tag_makes_an_interview_not_one() -> None:
    entry = plan_one(event("Interview with Acme #nofollowup"))
    assert not entry.is_interview and entry.skipped is Skip.NOT_INTERVIEW


def test_cancelled_interview_is_skipped_as_cancelled() -> None:
    entry = plan_one(event(cancelled=True))
    assert not entry.is_interview and entry.skipped is Skip.CANCELLED


def test_declined_interview_is_skipped_as_declined() -> None:
    me = Person(ME.emails[0], "Alex Rivera", response="DECLINED")
    entry = plan_one(event(attendees=(me,)))
    assert not entry.is_interview and entry.skipped is Skip.DECLINED


def test_accepted_interview_is_kept() -> None:
    me = Person(ME.emails[0], "Alex Rivera", response="ACCEPTED")
    assert plan_one(event(attendees=(me,))).is_interview


def test_cancelled_non_interview_is_not_an_interview() -> None:
    assert plan_one(event("Dentist", cancelled=True)).skipped is Skip.NOT_INTERVIEW


def test_unrelated_events_are_not_interviews() -> None:
    for title in ("Coffee with Dana", "Movie screening", "Team standup", "Dentist"):
        assert plan_one(event(title)).skipped is Skip.NOT_INTERVIEW, title


def test_a_decline_the_service_reports_for_the_user_counts() -> None:
    entry = plan_one(event(self_response="DECLINED"), me=ME.__class__())
    assert entry.skipped is Skip.DECLINED


@pytest.mark.parametrize("title", [
    "Presseinterview mit dem Handelsblatt", "Probe-Interview mit Coach", "Übungsinterview",
    "Kundeninterview Acme", "Austrittsinterview", "Exitinterview", "Proefinterview",
    "Persinterview met de Volkskrant", "Nutzerinterview (UX)", "Entretien de départ",
])
def test_look_alikes_inside_compound_words(title: str) -> None:
    assert plan_one(event(title)).skipped is Skip.NOT_INTERVIEW, title


@pytest.mark.parametrize("title", ["Telefoninterview mit Bosch", "Jobinterview bei SAP",
                                   "Videointerview mit Zalando"])
def test_compounds_of_a_real_interview_stay_interviews(title: str) -> None:
    assert plan_one(event(title)).is_interview, title
