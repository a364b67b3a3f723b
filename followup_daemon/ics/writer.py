"""Follow-up events as iCalendar VEVENTs, marked with the interview's key."""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import lru_cache
from typing import Any

from icalendar import Alarm, Calendar, Component, Event, Timezone

from ..boundary import FollowupEvent, StoredFollowup
from ..model import clean_line, clean_text
from .folding import folded_lines
from .uids import is_followup_uid

__all__ = ["is_followup_uid"]  # kept apart (uids.py) for imports that need no icalendar

KEY_PROPERTY = "X-FOLLOWUP-DAEMON-KEY"
FOR_PROPERTY = "X-FOLLOWUP-DAEMON-FOR"
PRODID = "-//followup-daemon//follow-ups//EN"


def followup_uid(key: str) -> str:
    """The UID of the follow-up of interview `key`."""
    return f"followup-{key}@followup-daemon"


def new_calendar(name: str = "Follow-ups") -> Calendar:
    """An empty calendar for follow-ups."""
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("X-WR-CALNAME", name)
    return calendar


def followup_vevent(event: FollowupEvent, now: dt.datetime, sequence: int = 0) -> Event:
    """The VEVENT of a follow-up, with a display alarm and the key property."""
    vevent = Event()
    vevent.add("UID", followup_uid(event.key))
    vevent.add("DTSTAMP", now.astimezone(dt.UTC))
    vevent.add("DTSTART", event.start)
    vevent.add("DTEND", event.end)
    vevent.add("SUMMARY", clean_line(event.title))  # no outside text writes a line of its own
    vevent.add("DESCRIPTION", clean_text(event.description))
    vevent.add("CATEGORIES", ["Job search"])
    vevent.add("SEQUENCE", sequence)
    vevent.add(KEY_PROPERTY, clean_line(event.key))
    if event.interview_uid:
        vevent.add(FOR_PROPERTY, clean_line(event.interview_uid))
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", clean_line(event.title))
    alarm.add("TRIGGER", dt.timedelta(minutes=-event.reminder_minutes))
    vevent.add_component(alarm)
    return vevent


def key_of(component: Component) -> str | None:
    """The interview key a VEVENT carries, or None for an event the daemon did not write."""
    value = component.get(KEY_PROPERTY)
    return str(value) if value else None


def stored(component: Component, remote_id: str) -> StoredFollowup | None:
    """A follow-up VEVENT as the engine sees it; None when it is not one of ours."""
    key = key_of(component)
    start = _moment(component.get("DTSTART"))
    end = _moment(component.get("DTEND")) or start
    if key is None or start is None or end is None:
        return None
    return StoredFollowup(key, remote_id, start, end, content_version(component))


def content_version(component: Component) -> str:
    """A hash of what a person can change in a follow-up (title, notes, place, times,
    the reminder): a calendar program that only re-serialises the file keeps it."""
    parts = [str(component.get(name, "")) for name in ("SUMMARY", "DESCRIPTION", "LOCATION")]
    parts += [str(getattr(component.get(name), "dt", "")) for name in ("DTSTART", "DTEND")]
    parts += [str(getattr(alarm.get("TRIGGER"), "dt", "")) for alarm in component.walk("VALARM")]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:20]


def _moment(prop: Any) -> dt.datetime | None:
    value = getattr(prop, "dt", None)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value
    return None


def sequence_of(component: Component) -> int:
    """The SEQUENCE of a VEVENT (0 when absent or unreadable)."""
    try:
        return int(component.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        return 0


def to_ical(calendar: Calendar) -> bytes:
    """The calendar as iCalendar bytes, with the VTIMEZONEs its times refer to. Each
    zone is serialised once per process: a zone's transitions are over a hundred
    dates, and serialising them for every follow-up file was half of writing it."""
    zones = b"".join(_timezone_ical(tzid) for tzid in sorted(calendar.get_missing_tzids()))
    text = folded_lines(calendar.content_lines())
    # at a line's start: a folded line goes on with a space, so no outside text matches
    at = text.find(b"\r\nBEGIN:VEVENT\r\n")
    at = at + 2 if at >= 0 else text.rfind(b"END:VCALENDAR")
    return text[:at] + zones + text[at:]


@lru_cache(maxsize=64)
def _timezone_ical(tzid: str) -> bytes:
    found = _timezone(tzid)
    return bytes(found.to_ical()) if found is not None else b""


@lru_cache(maxsize=64)
def _timezone(tzid: str) -> Timezone | None:
    try:
        return Timezone.from_tzid(tzid)
    except ValueError:
        return None

