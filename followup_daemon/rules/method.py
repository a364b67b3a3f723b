"""R6: how to follow up: phone, in person, or e-mail."""

from __future__ import annotations

from ..model import CalendarEvent, InterviewFacts, Method
from .phones import is_bare_number
from .vocabulary import MEETING_LINK, REMOTE_LOCATION


def choose_method(event: CalendarEvent, facts: InterviewFacts,
                  preference: tuple[Method, ...], email_only: bool = False) -> Method:
    """The first method of `preference` that is possible; phone when none is. When the
    employer asked for e-mail (for any interview of the application), e-mail, even
    without a known address."""
    if email_only:
        return Method.EMAIL
    for method in preference:
        if is_possible(method, event, facts):
            return method
    return Method.PHONE


def is_possible(method: Method, event: CalendarEvent, facts: InterviewFacts) -> bool:
    """Whether the interview's facts allow `method`."""
    if method is Method.PHONE:
        return facts.phone is not None
    if method is Method.IN_PERSON:
        return was_on_site(event)
    return bool(facts.draft_to)


def was_on_site(event: CalendarEvent) -> bool:
    """The location is a place, not a video link, a meeting tool or a phone call,
    and no online meeting is attached."""
    location = " ".join(event.location.split())
    if not location or event.online_meeting:
        return False
    if MEETING_LINK.search(event.description) or MEETING_LINK.search(location):
        return False
    if REMOTE_LOCATION.search(location):
        return False
    return not is_bare_number(location)  # a bare phone number is no place
