"""Microsoft Graph event JSON <-> the core's model. Windows time-zone names
("W. Europe Standard Time") map to IANA zones and back."""

from __future__ import annotations

import datetime as dt
import html
import re
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from followup_daemon.boundary import (
    KEY_HEADER,
    CalendarEvent,
    Draft,
    EventTime,
    FollowupEvent,
    Person,
    PersonKind,
    StoredFollowup,
)

GUID = "{4e8c2b1a-7d3f-4a8e-9b6c-2f1d0e5a7c93}"
KEY_PROPERTY = f"String {GUID} Name FollowupFor"
MARK_PROPERTY = f"String {GUID} Name FollowupDaemon"
CATEGORY = "Follow-up (followup-daemon)"  # delta answers show it; extended properties not
OLSON_TO_WINDOWS = {olson: windows for windows, olson in WINDOWS_TO_OLSON.items()}
_RESPONSES = {"accepted": "ACCEPTED", "declined": "DECLINED",
              "tentativelyAccepted": "TENTATIVE", "notResponded": "NEEDS-ACTION",
              "none": "NEEDS-ACTION", "organizer": "ACCEPTED"}
_TAGS = re.compile(r"<br\s*/?>|</p>|</div>|</li>|</tr>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]+>")
_STYLE = re.compile(r"<(style|script)[^>]*>.*?</\1>", re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=256)
def zone(name: str | None) -> ZoneInfo:
    """An IANA zone from a Graph time-zone name (Windows or IANA); UTC if unknown."""
    for candidate in (WINDOWS_TO_OLSON.get(name or ""), name):
        try:
            if candidate:
                return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("UTC")


def windows_name(moment: dt.datetime) -> str:
    """The Windows name of a datetime's zone, for writing; "UTC" when there is none."""
    key = getattr(moment.tzinfo, "key", None)
    return OLSON_TO_WINDOWS.get(key or "", "UTC")


def when(value: dict[str, Any] | None, all_day: bool) -> EventTime | None:
    """A Graph dateTimeTimeZone as an EventTime (Graph sends 7 fractional digits:
    `fromisoformat` keeps the first six, as it does from Python 3.11 on)."""
    if not value or not value.get("dateTime"):
        return None
    moment = dt.datetime.fromisoformat(str(value["dateTime"]).replace("Z", ""))
    if all_day:
        return EventTime.all_day(moment.date())
    return EventTime.zoned(moment.replace(tzinfo=zone(value.get("timeZone"))))


def plain_text(body: dict[str, Any] | None) -> str:
    """The body's text; HTML loses its tags but keeps its line breaks."""
    if not body:
        return ""
    content = str(body.get("content", ""))
    if body.get("contentType") != "html":
        return content
    text = _ANY_TAG.sub("", _TAGS.sub("\n", _STYLE.sub("", content)))
    return "\n".join(line.strip() for line in html.unescape(text).splitlines()).strip()


def _person(data: dict[str, Any], organizer: bool = False) -> Person:
    address = data.get("emailAddress") or {}
    kind = PersonKind.RESOURCE if data.get("type") == "resource" else PersonKind.PERSON
    response = _RESPONSES.get(str((data.get("status") or {}).get("response", "")))
    return Person(address.get("address"), address.get("name"), kind, response, organizer)


def to_event(item: dict[str, Any]) -> CalendarEvent | None:
    """The CalendarEvent of a Graph event; None without a start."""
    start = when(item.get("start"), bool(item.get("isAllDay")))
    if start is None:
        return None
    attendees = tuple(_person(a) for a in item.get("attendees") or [])
    own = str((item.get("responseStatus") or {}).get("response", ""))
    organizer = item.get("organizer")
    return CalendarEvent(
        uid=str(item["id"]), summary=_summary(item), start=start,
        description=plain_text(item.get("body")),
        location=str((item.get("location") or {}).get("displayName") or ""),
        cancelled=bool(item.get("isCancelled")),
        organizer=_person(organizer, True) if organizer else None, attendees=attendees,
        online_meeting=bool(item.get("isOnlineMeeting") or item.get("onlineMeeting")),
        source="outlook", self_response=_RESPONSES.get(own),
        end=_end(item), ical_uid=str(item.get("iCalUId") or ""))


def words(item: dict[str, Any]) -> str:
    """The item's title and notes as its event has them, joined by a line break: what
    the interview filter reads (`ProviderContext.may_name`)."""
    return f"{_summary(item)}\n{plain_text(item.get('body'))}"


def _summary(item: dict[str, Any]) -> str:
    return str(item.get("subject") or "")


def _end(item: dict[str, Any]) -> EventTime | None:
    """The end, or None when it cannot be read: the end is then guessed from the start."""
    try:
        return when(item.get("end"), bool(item.get("isAllDay")))
    except (ValueError, KeyError, TypeError):
        return None


def is_ours(item: dict[str, Any]) -> bool:
    """An event the daemon wrote, by its category (for ids it does not know yet)."""
    return CATEGORY in (item.get("categories") or [])


def key_of(item: dict[str, Any]) -> str | None:
    """The interview key of one of the daemon's events (from the expanded property)."""
    for prop in item.get("singleValueExtendedProperties") or []:
        if prop.get("id") == KEY_PROPERTY:
            return str(prop.get("value"))
    return None


def stored(item: dict[str, Any]) -> StoredFollowup | None:
    """A follow-up as the engine sees it."""
    key = key_of(item)
    start, end = when(item.get("start"), False), when(item.get("end"), False)
    if key is None or start is None or end is None or start.time is None or end.time is None:
        return None
    return StoredFollowup(key, str(item["id"]), start.time, end.time,
                          str(item.get("changeKey", "")))


def event_body(event: FollowupEvent) -> dict[str, Any]:
    """A follow-up as a Graph event: no attendees, a reminder, the key property."""
    return {
        "subject": event.title,
        "body": {"contentType": "text", "content": event.description},
        "start": {"dateTime": event.start.replace(tzinfo=None).isoformat(),
                  "timeZone": windows_name(event.start)},
        "end": {"dateTime": event.end.replace(tzinfo=None).isoformat(),
                "timeZone": windows_name(event.end)},
        "isReminderOn": True, "reminderMinutesBeforeStart": event.reminder_minutes,
        "showAs": "free", "categories": [CATEGORY],
        "singleValueExtendedProperties": [{"id": KEY_PROPERTY, "value": event.key},
                                          {"id": MARK_PROPERTY, "value": "1"}],
    }


def message_body(draft: Draft) -> dict[str, Any]:
    """The core's draft as a Graph message, its key in a header and a property: made
    from the letter's parts, with no MIME message in between."""
    letter, key = draft.letter, draft.key
    recipients = [{"emailAddress": {"address": a.addr_spec, "name": a.display_name}}
                  for a in letter.to]
    return {
        "subject": letter.subject,
        "body": {"contentType": "text", "content": letter.body + "\n"},
        "toRecipients": recipients,
        "internetMessageHeaders": [{"name": KEY_HEADER, "value": key}],
        "singleValueExtendedProperties": [{"id": KEY_PROPERTY, "value": key}],
    }


def key_filter(key: str) -> str:
    """The OData filter that finds an item by its key property."""
    return (f"singleValueExtendedProperties/Any(ep: ep/id eq '{KEY_PROPERTY}' "
            f"and ep/value eq '{key}')")


def mark_filter() -> str:
    """The OData filter that finds every follow-up the daemon wrote."""
    return (f"singleValueExtendedProperties/Any(ep: ep/id eq '{MARK_PROPERTY}' "
            "and ep/value eq '1')")


def expand_key() -> str:
    """$expand that returns the key property with each item."""
    return f"singleValueExtendedProperties($filter=id eq '{KEY_PROPERTY}')"
