"""One iCalendar VEVENT -> the core's CalendarEvent (the edge: nothing past it
sees icalendar objects)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from icalendar import Component

from ..errors import EventError
from ..model import CalendarEvent, EventTime, Person, PersonKind
from .windows_zones import zone_for_display_name

ONLINE_MEETING_PROPERTIES = (
    "CONFERENCE", "X-GOOGLE-CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK", "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
)
_KINDS = {"ROOM": PersonKind.ROOM, "RESOURCE": PersonKind.RESOURCE, "GROUP": PersonKind.GROUP}


Warn = Callable[[str], None]


def to_event(component: Component, source: str, warn: Warn, cancelled_calendar: bool = False,
             recurring: bool = False) -> CalendarEvent:
    """The CalendarEvent of a VEVENT (or of one occurrence of a series).

    Raises EventError when the event has no readable start; calls `warn` for a
    start in a zone nobody knows, which is then read in the user's zone."""
    uid = text(component, "UID") or "(no UID)"
    start = event_time(component, "DTSTART", uid, warn)
    if start is None:
        raise EventError(uid, "it has no DTSTART; add a start date")
    recurrence = event_time(component, "RECURRENCE-ID", uid, warn) if recurring else None
    return CalendarEvent(
        uid=uid,
        summary=text(component, "SUMMARY"),
        start=start,
        description=text(component, "DESCRIPTION"),
        location=text(component, "LOCATION"),
        recurrence_id=recurrence,
        cancelled=cancelled_calendar or text(component, "STATUS").upper() == "CANCELLED",
        organizer=_organizer(component),
        attendees=tuple(_person(a) for a in _as_list(component.get("ATTENDEE"))),
        online_meeting=any(name in component for name in ONLINE_MEETING_PROPERTIES),
        source=source,
        end=_end(component, start, uid),
    )


def _end(component: Component, start: EventTime, uid: str) -> EventTime | None:
    """DTEND, or DTSTART + DURATION; None when neither is readable (the end is then
    guessed from the start, so a broken end never loses the event)."""
    try:
        end = event_time(component, "DTEND", uid, lambda message: None)
        duration = component.get("DURATION")
        if end is None and duration is not None and isinstance(duration.dt, dt.timedelta):
            end = _plus(start, duration.dt)
    except (EventError, ValueError, TypeError, AttributeError, OverflowError):
        return None
    return end


def _plus(start: EventTime, length: dt.timedelta) -> EventTime:
    if start.time is None:
        return EventTime.all_day(start.date + dt.timedelta(days=max(1, length.days)))
    moment = start.time + length
    return EventTime.zoned(moment) if moment.tzinfo else EventTime.floating(moment)


def text(component: Component, name: str) -> str:
    """A text property as a plain string ("" when absent); the first if repeated."""
    values = _as_list(component.get(name))
    return str(values[0]) if values else ""


def event_time(component: Component, name: str, uid: str, warn: Warn) -> EventTime | None:
    """DTSTART or RECURRENCE-ID as an EventTime, keeping all-day, floating and zoned apart."""
    prop = component.get(name)
    if prop is None:
        return None
    value = getattr(prop, "dt", None)
    if isinstance(value, dt.datetime):
        return _datetime(value, prop, name, uid, warn)
    if isinstance(value, dt.date):
        return EventTime.all_day(value)
    raise EventError(uid, f"its {name} is not a date or a date-time")


def _datetime(value: dt.datetime, prop: Any, name: str, uid: str, warn: Warn) -> EventTime:
    if value.tzinfo is not None and value.utcoffset() is not None:
        return EventTime.zoned(value)
    tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
    zone = zone_for_display_name(str(tzid)) if tzid else None
    if zone is not None:
        return EventTime.zoned(value.replace(tzinfo=zone))
    if tzid and name == "DTSTART":
        warn(f"event {uid}: its DTSTART names the time zone {tzid!r}, which matches no known "
             "zone; read it in your own zone (fix the TZID or add its VTIMEZONE)")
    return EventTime.floating(value)


def _organizer(component: Component) -> Person | None:
    values = _as_list(component.get("ORGANIZER"))
    return _person(values[0], organizer=True) if values else None


def _person(address: Any, organizer: bool = False) -> Person:
    params = getattr(address, "params", {})
    email = str(address).strip()
    if email[:7].lower() == "mailto:":
        email = email[7:]
    kind = _KINDS.get(str(params.get("CUTYPE", "")).upper(), PersonKind.PERSON)
    if "@resource.calendar.google.com" in email.lower():
        kind = PersonKind.RESOURCE
    partstat = params.get("PARTSTAT")
    return Person(
        email=email or None,
        name=str(params["CN"]).strip() if params.get("CN") else None,
        kind=kind,
        response=str(partstat).upper() if partstat else None,
        is_organizer=organizer,
    )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
