"""Named .ics fixtures (tests/ics/NAME.ics, khal's habit) and what a calendar program
does to an event when the user edits it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from icalendar import Calendar, vText

ICS = Path(__file__).resolve().parent / "ics"


def ics_text(name: str, **fields: str) -> str:
    """The fixture `name`, its `{field}` marks filled in."""
    text = (ICS / f"{name}.ics").read_text(encoding="utf-8")
    for field, value in fields.items():
        text = text.replace("{" + field + "}", value)
    return text


def with_notes(text: str, notes: str) -> str:
    """An iCalendar text whose first VEVENT has `notes` as its DESCRIPTION."""
    if not notes:
        return text
    escaped = notes.replace("\\", "\\\\").replace("\n", "\\n")
    escaped = escaped.replace(",", "\\,").replace(";", "\\;")
    eol = "\r\n" if "\r\n" in text else "\n"
    return text.replace("END:VEVENT", f"DESCRIPTION:{escaped}{eol}END:VEVENT", 1)


def user_edit(component: Any, change: str) -> None:
    """What a calendar program does to a VEVENT when the user edits it."""
    if change == "notes":
        component["DESCRIPTION"] = vText(str(component["DESCRIPTION"]) + "\nAsked for Jane.")
    elif change == "title":
        component["SUMMARY"] = vText("Call Acme (Jane is away till Monday)")
    else:
        for name in ("DTSTART", "DTEND"):
            moment = component[name].dt + dt.timedelta(hours=1)
            del component[name]
            component.add(name, moment)


def _edited(path: Path, change: Callable[[Calendar], None]) -> None:
    calendar = Calendar.from_ical(path.read_bytes()) if path.exists() else _empty()
    change(calendar)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(calendar.to_ical())


def _empty() -> Calendar:
    calendar = Calendar()
    calendar.add("PRODID", "-//followup-daemon tests//EN")
    calendar.add("VERSION", "2.0")
    return calendar


def add_event(path: Path, uid: str, summary: str) -> None:
    """Add an event to a calendar file (made when missing), as a calendar program would."""
    event = Calendar.from_ical(ics_text("event-utc", uid=uid, summary=summary)).walk("VEVENT")[0]
    _edited(path, lambda calendar: calendar.add_component(event))


def rename_event(path: Path, uid: str, summary: str) -> None:
    """Give the event `uid` of a calendar file a new title."""
    def change(calendar: Calendar) -> None:
        for event in calendar.walk("VEVENT"):
            if str(event["UID"]) == uid:
                event["SUMMARY"] = vText(summary)
    _edited(path, change)


def remove_event(path: Path, uid: str) -> None:
    """Delete the event `uid` from a calendar file."""
    def change(calendar: Calendar) -> None:
        calendar.subcomponents = [c for c in calendar.subcomponents
                                  if str(c.get("UID", "")) != uid]
    _edited(path, change)


def new_york(moment: str) -> str:
    """'2026-11-16T14:00' as an iCalendar local time ('20261116T140000')."""
    return dt.datetime.fromisoformat(moment).strftime("%Y%m%dT%H%M%S")


def put_event(path: Path, text: str) -> None:
    """Add the VEVENT of `text` to a calendar file, replacing one with its UID."""
    event = Calendar.from_ical(text).walk("VEVENT")[0]

    def change(calendar: Calendar) -> None:
        calendar.subcomponents = [c for c in calendar.subcomponents
                                  if str(c.get("UID", "")) != str(event["UID"])]
        calendar.add_component(event)
    _edited(path, change)


def followups_in(path: Path) -> dict[str, dt.datetime]:
    """The daemon's follow-ups in a calendar file (or vdir), by key, with their start."""
    files = sorted(path.glob("*.ics")) if path.is_dir() else [path] if path.exists() else []
    found = {}
    for file in files:
        for event in Calendar.from_ical(file.read_bytes()).walk("VEVENT"):
            if "X-FOLLOWUP-DAEMON-KEY" in event:
                start = event.decoded("DTSTART")
                assert isinstance(start, dt.datetime)
                found[str(event["X-FOLLOWUP-DAEMON-KEY"])] = start
    return found


def edit_followup(path: Path, key: str, change: str | None) -> None:
    """The user's hand on a follow-up in a calendar file: `change` it (see `user_edit`),
    or delete it (None)."""
    def apply(calendar: Calendar) -> None:
        ours = [c for c in calendar.walk("VEVENT")
                if str(c.get("X-FOLLOWUP-DAEMON-KEY", "")) == key]
        for event in ours:
            if change is None:
                calendar.subcomponents.remove(event)
            else:
                user_edit(event, change)
    _edited(path, apply)
