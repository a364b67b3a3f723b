"""Google Calendar event JSON <-> the core's model (the edge: nothing past it sees JSON)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from followup_daemon.boundary import (
    CalendarEvent,
    EventTime,
    FollowupEvent,
    Person,
    PersonKind,
    StoredFollowup,
)

KEY = "followupDaemonKey"
MARK = "followupDaemon"
_TAG = re.compile(r"<br\s*/?>|</p>|</div>|</li>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]+>")
_RESPONSES = {"accepted": "ACCEPTED", "declined": "DECLINED", "tentative": "TENTATIVE",
              "needsAction": "NEEDS-ACTION"}


def key_of(item: dict[str, Any]) -> str | None:
    """The interview key of a follow-up the daemon wrote, else None."""
    private = (item.get("extendedProperties") or {}).get("private") or {}
    value = private.get(KEY)
    return str(value) if value else None


def event_time(value: dict[str, Any] | None) -> EventTime | None:
    """A Google start/end object: `date` (all-day) or `dateTime` (+ `timeZone`)."""
    if not value:
        return None
    if value.get("date"):
        return EventTime.all_day(dt.date.fromisoformat(value["date"]))
    moment = dt.datetime.fromisoformat(str(value["dateTime"]).replace("Z", "+00:00"))
    zone = _zone(value.get("timeZone"))
    if moment.tzinfo is None:
        return EventTime.zoned(moment.replace(tzinfo=zone or dt.UTC))
    return EventTime.zoned(moment.astimezone(zone) if zone else moment)


def _zone(name: Any) -> ZoneInfo | None:
    try:
        return ZoneInfo(str(name)) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def plain_text(description: str) -> str:
    """Google descriptions may be HTML: keep the text and its line breaks."""
    if "<" not in description:
        return description
    return html.unescape(_ANY_TAG.sub("", _TAG.sub("\n", description)))


def _person(data: dict[str, Any], organizer: bool = False) -> Person:
    kind = PersonKind.RESOURCE if data.get("resource") else PersonKind.PERSON
    return Person(data.get("email"), data.get("displayName"), kind,
                  _RESPONSES.get(str(data.get("responseStatus", ""))), organizer)


def to_event(item: dict[str, Any], calendar: str) -> CalendarEvent | None:
    """The CalendarEvent of an item; None when it has no usable start."""
    start = event_time(item.get("start"))
    if start is None:
        return None
    organizer = item.get("organizer")
    own: dict[str, Any] = next((a for a in item.get("attendees", []) if a.get("self")), {})
    return CalendarEvent(
        uid=str(item["id"]),
        summary=_summary(item),
        start=start,
        description=_notes(item),
        location=str(item.get("location", "")),
        cancelled=item.get("status") == "cancelled",
        organizer=_person(organizer, True) if organizer else None,
        attendees=tuple(_person(a) for a in item.get("attendees", []) if a.get("email")),
        online_meeting=bool(item.get("hangoutLink") or item.get("conferenceData")),
        source=f"google:{calendar}",
        self_response=_RESPONSES.get(str(own.get("responseStatus", ""))),
        end=_end(item.get("end")),
        ical_uid=str(item.get("iCalUID") or ""),
    )


def words(item: dict[str, Any]) -> str:
    """The item's title and notes as its event has them, joined by a line break: what
    the interview filter reads (`ProviderContext.may_name`)."""
    return f"{_summary(item)}\n{_notes(item)}"


def _summary(item: dict[str, Any]) -> str:
    return str(item.get("summary", ""))


def _notes(item: dict[str, Any]) -> str:
    return plain_text(str(item.get("description", "")))


def _end(value: dict[str, Any] | None) -> EventTime | None:
    """The end, or None when it cannot be read: the end is then guessed from the start."""
    try:
        return event_time(value)
    except (ValueError, KeyError, TypeError):
        return None


def stored(item: dict[str, Any]) -> StoredFollowup | None:
    """A follow-up item as the engine sees it."""
    key = key_of(item)
    start, end = event_time(item.get("start")), event_time(item.get("end"))
    if key is None or start is None or end is None or start.time is None or end.time is None:
        return None
    return StoredFollowup(key, str(item["id"]), start.time, end.time, str(item.get("etag", "")))


def event_id(key: str) -> str:
    """The event id the daemon chooses for a follow-up: base32hex (`0-9a-v`) of a
    hash of the key, so a second insert of the same follow-up answers 409."""
    digest = hashlib.sha256(f"followup:{key}".encode()).digest()
    return base64.b32hexencode(digest).decode().rstrip("=").lower()


def body(event: FollowupEvent) -> dict[str, Any]:
    """The JSON body of a follow-up: no attendees, a popup reminder, the key."""
    zone = getattr(event.start.tzinfo, "key", None)
    return {
        "summary": event.title,
        "description": event.description,
        "start": _when(event.start, zone),
        "end": _when(event.end, zone),
        "reminders": {"useDefault": False,
                      "overrides": [{"method": "popup", "minutes": event.reminder_minutes}]},
        "extendedProperties": {"private": {KEY: event.key, MARK: "1"}},
        "transparency": "transparent",
    }


def written(item: dict[str, Any], event: FollowupEvent) -> bool:
    """Whether the event holds exactly what `body(event)` writes (its title, notes and
    times): a write of the daemon's that landed, whoever answered."""
    found = stored(item)
    return (found is not None and item.get("summary") == event.title and
            item.get("description") == event.description and
            found.start == event.start and found.end == event.end)


def _when(moment: dt.datetime, zone: str | None) -> dict[str, str]:
    value = {"dateTime": moment.isoformat()}
    if zone:
        value["timeZone"] = zone
    return value
