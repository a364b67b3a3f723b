"""Reading .ics files: several calendars per file, bare VEVENTs, any encoding,
recurring series expanded with `recurring-ical-events`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import recurring_ical_events
from icalendar import Calendar, Component

from ..errors import CalendarError, EventError
from ..model import CalendarEvent, clean_line
from .convert import text, to_event

EXPANSION_WINDOW = dt.timedelta(days=366)
MAX_OCCURRENCES = 1500  # per series and window: daily for two years, with room to spare
SUB_DAILY = {"SECONDLY", "MINUTELY", "HOURLY"}


@dataclass
class ReadResult:
    """The events of a file, in file order, and what could not be read."""

    events: list[CalendarEvent] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_calendar_file(path: Path, now: dt.datetime) -> ReadResult:
    """Every event instance of an .ics file; recurring series within a year of `now`.

    Raises CalendarError for a file that cannot be read or is not iCalendar."""
    return read_calendar_bytes(file_bytes(path), str(path), now)


def file_bytes(path: Path) -> bytes:
    """The file's bytes; CalendarError when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise CalendarError(str(path), f"cannot read it: {error.strerror or error}") from None


def read_calendar_bytes(data: bytes, source: str, now: dt.datetime) -> ReadResult:
    """As read_calendar_file, for bytes already in memory."""
    calendars = parse(data, source)
    result = ReadResult()
    for calendar in calendars:
        zones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
        for events in _series(calendar):
            found = _instances(calendar, zones, events, source, now, result.warnings)
            result.events.extend(found)
    return result


def decode(data: bytes) -> str:
    """Text of a file in UTF-8 (with or without BOM), else Windows-1252/Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def parse(data: bytes, source: str) -> list[Component]:
    """The top-level components of a file; bare VEVENTs become one calendar."""
    if not data.strip():
        raise CalendarError(source, "the file is empty; export the calendar again")
    try:
        components = Calendar.from_ical(decode(data), multiple=True)
    except Exception as error:  # icalendar raises ValueError, IndexError, KeyError...
        raise CalendarError(source, f"not a valid iCalendar file ({_one_line(error)})") from None
    calendars: list[Component] = [c for c in components if c.name == "VCALENDAR"]
    bare = [c for c in components if c.name == "VEVENT"]
    if bare:
        loose = Calendar()
        for event in bare:
            loose.add_component(event)
        calendars.append(loose)
    if not calendars and b"BEGIN:VCALENDAR" in data.upper():
        raise CalendarError(source, "it is cut off (no END:VCALENDAR); export or sync it again")
    if not calendars:
        raise CalendarError(source, "it holds no VCALENDAR or VEVENT")
    return calendars


def _one_line(error: BaseException) -> str:
    message = " ".join(clean_line(str(error)).split()) or type(error).__name__
    return message if len(message) <= 160 else message[:157] + "..."


def _series(calendar: Component) -> Iterator[list[Component]]:
    """The VEVENTs of a calendar grouped by UID, in order of first appearance."""
    groups: dict[str, list[Component]] = {}
    singles: list[list[Component]] = []
    for event in calendar.subcomponents:
        if event.name != "VEVENT":
            continue
        uid = text(event, "UID")
        if not uid:
            singles.append([event])
            continue
        if uid not in groups:
            groups[uid] = []
            singles.append(groups[uid])
        groups[uid].append(event)
    yield from singles


def _instances(calendar: Component, zones: list[Component], events: list[Component],
               source: str, now: dt.datetime, warnings: list[str]) -> Iterator[CalendarEvent]:
    cancelled = text(calendar, "METHOD").upper() == "CANCEL"
    events = _bounded(events, source, warnings)
    recurring = any("RRULE" in e or "RDATE" in e or "RECURRENCE-ID" in e for e in events)
    try:
        occurrences = _expand(zones, events, now) if recurring else events
    except Exception as error:  # a broken property surfaces as many types; skip the series
        warnings.append(f"{source}: skipped {_unreadable(events[0], error)}")
        return
    for occurrence in occurrences:
        try:
            yield to_event(occurrence, source, lambda w: warnings.append(f"{source}: {w}"),
                           cancelled, recurring)
        except EventError as error:
            warnings.append(f"{source}: skipped {error}")
        except Exception as error:  # as above: icalendar's broken-property errors
            warnings.append(f"{source}: skipped {_unreadable(occurrence, error)}")


def _bounded(events: list[Component], source: str, warnings: list[str]) -> list[Component]:
    """A series worth expanding: no repetition more often than daily (no interview
    repeats within a day, and FREQ=SECONDLY would expand for ever), and no instance
    whose RECURRENCE-ID cannot be read (that instance is skipped, not the series)."""
    kept = []
    for event in events:
        if "RECURRENCE-ID" in event and not _readable_time(event.get("RECURRENCE-ID")):
            warnings.append(f"{source}: skipped an instance of {_label(event)}: its "
                            "RECURRENCE-ID is not a date or a date-time")
            continue
        if any(_sub_daily(rule) for rule in _rules(event)):
            warnings.append(f"{source}: {_label(event)} repeats more often than daily; "
                            "only its first occurrence is read")
            single = event.copy()  # a dict copy: its alarms are carried over by hand
            single.subcomponents = list(event.subcomponents)
            del single["RRULE"]
            event = single
        kept.append(event)
    return kept


def _rules(event: Component) -> list[Any]:
    value = event.get("RRULE")
    return [] if value is None else value if isinstance(value, list) else [value]


def _sub_daily(rule: Any) -> bool:
    """FREQ below a day, or BYHOUR/BYMINUTE/BYSECOND making a day hold many."""
    try:
        freq = str((rule.get("FREQ") or [""])[0]).upper()
        per_day = 1
        for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            per_day *= max(len(rule.get(part) or []), 1)
    except Exception:  # a broken RRULE: its expansion fails and skips the series, named
        return False
    return freq in SUB_DAILY or per_day > 4


def _readable_time(prop: Any) -> bool:
    try:
        return isinstance(getattr(prop, "dt", None), dt.date)
    except Exception:  # icalendar's BrokenCalendarProperty and friends
        return False


def _label(event: Component) -> str:
    return f"event {clean_line(text(event, 'UID')) or '(no UID)'}"


def _unreadable(event: Component, error: BaseException) -> str:
    uid = clean_line(text(event, "UID")) or "(no UID)"
    return f"event {uid}: it cannot be read ({_one_line(error)})"


def _expand(zones: list[Component], events: list[Component], now: dt.datetime
            ) -> list[Component]:
    """The occurrences of one series within a year of now, in time order."""
    series = Calendar()
    for timezone in zones:
        series.add_component(timezone)
    for event in events:
        series.add_component(event)
    start, end = now - EXPANSION_WINDOW, now + EXPANSION_WINDOW
    occurrences = recurring_ical_events.of(series).between(start.date(), end.date())
    return sorted(occurrences, key=lambda e: _sort_key(e, now))[:MAX_OCCURRENCES]


def _sort_key(event: Component, now: dt.datetime) -> dt.datetime:
    value: Any = getattr(event.get("DTSTART"), "dt", None)
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=now.tzinfo)
    moment: dt.datetime = value
    return moment
