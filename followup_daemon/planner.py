"""The plan: the timing rules R1-R6 applied to a list of events at a moment `now`.

Pure: the same events, settings and now always give the same plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .model import CalendarEvent, Followup, PlanEntry, Skip
from .rules.dates import Context
from .rules.decision import decision_date
from .rules.detection import detect
from .rules.facts import read_facts
from .rules.method import choose_method
from .rules.phones import region_of
from .rules.rounds import Round, application_keys, superseded
from .rules.timing import Slot, at_followup_time, followup_date, schedule, stale_reason
from .rules.workdays import WorkCalendar
from .settings import Settings


@dataclass(frozen=True)
class _Draft:
    """An entry on its way through the rules, with its slot before R5.3."""

    entry: PlanEntry
    slot: Slot | None = None
    due: dt.datetime | None = None  # when a stale follow-up was due


def plan(events: Sequence[CalendarEvent], settings: Settings, now: dt.datetime) -> list[PlanEntry]:
    """One plan entry per event, in the order given."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    work = WorkCalendar.from_settings(settings.rules)
    drafts = [_plan_one(event, settings, now, work) for event in events]
    rounds = _rounds(drafts, settings)
    dropped, mail_only = superseded(rounds), _email_only(rounds, drafts)
    return [_finish(i, d, settings, dropped, i in mail_only) for i, d in enumerate(drafts)]


def _email_only(rounds: list[Round], drafts: list[_Draft]) -> set[int]:
    """The interviews of applications where the employer asked for e-mail (R6)."""
    keys = application_keys(rounds)
    asked = {keys[r.index] for r in rounds if drafts[r.index].entry.facts.email_only}
    return {index for index, key in keys.items() if key in asked}


def _plan_one(event: CalendarEvent, settings: Settings, now: dt.datetime,
              work: WorkCalendar) -> _Draft:
    found = detect(event, settings.me)
    if not found.looks_like_interview:
        return _Draft(PlanEntry(event, False, found.reason, skipped=found.skip))
    rules = settings.rules
    interview = event.start.local_date(rules.timezone)
    decision = decision_date(event.description, Context(interview, work, rules.date_order))
    region = region_of(rules.holidays, rules.timezone)
    entry = PlanEntry(event, found.is_interview, found.reason,
                      read_facts(event, settings.me, region),
                      decision, skipped=found.skip, note=found.reason if found.skip else "")
    if found.skip is not None:
        return _Draft(entry)
    slot = schedule(interview, decision, now, rules, work)
    if slot is not None:
        return _Draft(entry, slot)
    day, _, _ = followup_date(interview, decision, rules, work)
    note = stale_reason(day, rules)
    stale = replace(entry, skipped=Skip.STALE, note=note)
    return _Draft(stale, due=at_followup_time(day, rules)[0])


def _rounds(drafts: list[_Draft], settings: Settings) -> list[Round]:
    zone = settings.rules.timezone
    return [
        Round(
            index=i,
            company=d.entry.facts.company,
            role=d.entry.facts.role,
            application_id=d.entry.facts.application,
            interview_start=d.entry.event.start.instant(zone),
            followup_start=d.slot.start if d.slot else d.due,
            stale=d.slot is None,
        )
        for i, d in enumerate(drafts)
        if d.entry.is_interview
    ]


def _finish(index: int, draft: _Draft, settings: Settings, dropped: set[int],
            email_only: bool = False) -> PlanEntry:
    entry = draft.entry
    if index in dropped:
        return replace(entry, skipped=Skip.SUPERSEDED,
                       note="a later round of this application comes before the follow-up")
    if draft.slot is None:
        return entry
    slot = draft.slot
    method = choose_method(entry.event, entry.facts, settings.rules.method_preference,
                           email_only)
    followup = Followup(slot.date, slot.start, slot.end, slot.rule, method,
                        entry.facts.draft_to, slot.why)
    return replace(entry, followup=followup)
