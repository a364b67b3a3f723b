"""Builders for events and settings, so that each test states only what it is about."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from followup_daemon.model import CalendarEvent, EventTime, Person, PlanEntry
from followup_daemon.planner import plan
from followup_daemon.settings import Identity, RuleSettings, Settings

NY = ZoneInfo("America/New_York")
ME = Identity(name="Alex Rivera", emails=("alex@gmail.com",), domains=("initech.com",))


# v1's rules: with one follow-up and no thank-you, v2 plans what v1 planned. The tests
# written for v1 run with these, so they hold v2 to v1 case for case.
V1 = {"max_followups": 1, "thank_you": False}


def rules(**overrides: Any) -> RuleSettings:
    """v1's rules in New York (the spec's defaults otherwise), with `overrides`."""
    return replace(RuleSettings(timezone=NY), **{**V1, **overrides})


def v2_rules(**overrides: Any) -> RuleSettings:
    """The spec's v2 defaults in New York, with `overrides`."""
    return replace(RuleSettings(timezone=NY), **overrides)


def settings(me: Identity = ME, **overrides: Any) -> Settings:
    return Settings(rules(**overrides), me)


def at(text: str, zone: ZoneInfo = NY) -> dt.datetime:
    """An aware datetime from 'YYYY-MM-DD HH:MM' in `zone`."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone)


def event(summary: str = "Interview with Acme", start: str = "2026-11-16 14:00",
          description: str = "", location: str = "", organizer: str | None = "jane@acme.com",
          attendees: tuple[Person, ...] = (), uid: str = "e1", **fields: Any) -> CalendarEvent:
    """An event in New York; `organizer` is an address or None."""
    return CalendarEvent(
        uid=uid, summary=summary, start=EventTime.zoned(at(start)), description=description,
        location=location, organizer=Person(organizer, is_organizer=True) if organizer else None,
        attendees=attendees, **fields)


def plan_one(ev: CalendarEvent, now: str = "2026-11-01 09:00", **overrides: Any) -> PlanEntry:
    """The plan entry of a single event."""
    me = overrides.pop("me", ME)
    return plan([ev], settings(me, **overrides), at(now))[0]
