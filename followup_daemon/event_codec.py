"""CalendarEvent <-> JSON, for the state database's copy of the user's interviews."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import Any

from .model import CalendarEvent, EventTime, Person, PersonKind, TimeKind


def time_to_json(value: EventTime) -> dict[str, Any]:
    """An EventTime as JSON; zoned times keep their IANA zone when they have one."""
    if value.kind is TimeKind.ZONED:
        assert value.time is not None
        zone = getattr(value.time.tzinfo, "key", None)
        moment = value.time if zone else value.time.astimezone(dt.UTC)
        return {"kind": "zoned", "time": moment.replace(tzinfo=None).isoformat(),
                "zone": zone or "UTC"}
    if value.kind is TimeKind.FLOATING:
        assert value.time is not None
        return {"kind": "floating", "time": value.time.isoformat()}
    return {"kind": "all_day", "date": value.date.isoformat()}


def time_from_json(data: dict[str, Any]) -> EventTime:
    """The EventTime of `time_to_json`."""
    from zoneinfo import ZoneInfo

    if data["kind"] == "zoned":
        moment = dt.datetime.fromisoformat(data["time"]).replace(tzinfo=ZoneInfo(data["zone"]))
        return EventTime.zoned(moment)
    if data["kind"] == "floating":
        return EventTime.floating(dt.datetime.fromisoformat(data["time"]))
    return EventTime.all_day(dt.date.fromisoformat(data["date"]))


def _person(p: Person) -> dict[str, Any]:
    return {"email": p.email, "name": p.name, "kind": p.kind.value, "response": p.response,
            "is_organizer": p.is_organizer}


def _person_from(data: dict[str, Any]) -> Person:
    return Person(data["email"], data["name"], PersonKind(data["kind"]), data["response"],
                  data["is_organizer"])


def event_to_json(event: CalendarEvent) -> str:
    """An event as a JSON text."""
    return json.dumps({
        "uid": event.uid, "summary": event.summary, "start": time_to_json(event.start),
        "description": event.description, "location": event.location,
        "recurrence_id": time_to_json(event.recurrence_id) if event.recurrence_id else None,
        "cancelled": event.cancelled,
        "organizer": _person(event.organizer) if event.organizer else None,
        "attendees": [_person(p) for p in event.attendees],
        "online_meeting": event.online_meeting, "source": event.source,
        "self_response": event.self_response,
        "end": time_to_json(event.end) if event.end else None,
        "ical_uid": event.ical_uid,
    }, ensure_ascii=False)


@lru_cache(maxsize=4096)  # a pass decodes the stored interviews twice (plan, status)
def event_from_json(text: str) -> CalendarEvent:
    """The event of `event_to_json` (frozen: one decoded event may be shared)."""
    data = json.loads(text)
    return CalendarEvent(
        uid=data["uid"], summary=data["summary"], start=time_from_json(data["start"]),
        description=data["description"], location=data["location"],
        recurrence_id=time_from_json(data["recurrence_id"]) if data["recurrence_id"] else None,
        cancelled=data["cancelled"],
        organizer=_person_from(data["organizer"]) if data["organizer"] else None,
        attendees=tuple(_person_from(p) for p in data["attendees"]),
        online_meeting=data["online_meeting"], source=data["source"],
        self_response=data.get("self_response"),
        end=time_from_json(data["end"]) if data.get("end") else None,
        ical_uid=data.get("ical_uid", ""),
    )
