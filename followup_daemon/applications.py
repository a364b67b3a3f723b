"""`status` by application: its rounds, its follow-ups `n/max` with their dates and
states, its thank-you and whether the employer answered, from the state alone (the
stored interviews planned again at `now`, with the stored replies)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from .across import merge
from .content import followup_key, thank_you_key
from .event_codec import event_from_json
from .model import Answer, CalendarEvent, PlanEntry, clean_line
from .planner import plan
from .rules.rounds import Round, application_groups
from .settings import Settings
from .state import DraftRow, FollowupRow, State


def applications(state: State, settings: Settings, now: dt.datetime) -> list[dict[str, Any]]:
    """One row per application, its interviews from every account (one copy each, as
    the passes plan them), soonest interview first."""
    names = [a.name for a in state.accounts()]
    by_account = {name: stored_events(state, name) for name in names}
    merged = merge(by_account, state.owners(), None, settings.rules.timezone, settings.me)
    received = [r for name in names for r in state.replies(name)]
    entries = [e for e in plan(merged.events, settings, now, received)
               if e.is_interview or e.answered]
    followups = {name: state.followups(name) for name in names}  # read once, not per row
    drafts = {name: state.drafts(name) for name in names}
    rows: list[dict[str, Any]] = []
    for group in _groups(entries, settings):
        owner = merged.owner[group[-1].event.event_id]
        rows.append(_row(owner, group, followups.get(owner, {}), drafts.get(owner, {}),
                         settings))
    return sorted(rows, key=lambda row: row["last_round"])


def stored_events(state: State, account: str) -> list[CalendarEvent]:
    """An account's stored interviews, in the order every pass plans them (so that
    planning them again here finds the pass's own plan)."""
    events = [event_from_json(p) for p in state.events(account).values()]
    return sorted(events, key=lambda e: (e.start.key(), e.event_id))


def _groups(entries: Sequence[PlanEntry], settings: Settings) -> list[list[PlanEntry]]:
    zone = settings.rules.timezone
    rounds = [Round(i, e.facts.company, e.facts.role, e.facts.application,
                    e.event.start.instant(zone)) for i, e in enumerate(entries)]
    return [sorted((entries[r.index] for r in group), key=lambda e: e.event.start.instant(zone))
            for group in application_groups(rounds).values()]


def _row(account: str, group: list[PlanEntry], followups: dict[str, FollowupRow],
         drafts: dict[str, DraftRow], settings: Settings) -> dict[str, Any]:
    last = group[-1]
    zone = settings.rules.timezone
    answered = next((e.answered for e in reversed(group) if e.answered), None)
    return {
        "account": account,
        "application": clean_line(_name(last)),
        "rounds": len(group),
        "last_round": last.event.start.instant(zone).isoformat(),
        "followups": _followups(last, followups, drafts, settings),
        "thank_you": _thank_you(last, drafts),
        "answered": _answered(answered),
    }


def _name(entry: PlanEntry) -> str:
    facts = entry.facts
    if facts.company and facts.role:
        return f"{facts.company} ({facts.role})"
    return facts.company or facts.role or entry.event.summary or entry.event.uid


def _followups(entry: PlanEntry, rows: dict[str, FollowupRow], drafts: dict[str, DraftRow],
               settings: Settings) -> list[dict[str, Any]]:
    """Each follow-up of the latest round: written (with its state and its draft's)
    or planned."""
    planned = {f.n: f for f in entry.followups}
    found = []
    for n in range(1, settings.rules.max_followups + 1):
        key = followup_key(entry.event, n)
        row, draft = rows.get(key), drafts.get(key)
        if row is not None and row.start is not None:  # Graph answers in UTC
            start = row.start.astimezone(settings.rules.timezone)
            found.append({"n": n, "start": start.isoformat(), "state": str(row.status),
                          "draft": str(draft.status) if draft else None})
        elif n in planned:
            found.append({"n": n, "start": planned[n].start.isoformat(), "state": "planned"})
    return found


def _thank_you(entry: PlanEntry, drafts: dict[str, DraftRow]) -> dict[str, Any] | None:
    row = drafts.get(thank_you_key(entry.event))
    if row is not None:
        return {"state": str(row.status), "due": None}
    if entry.thank_you is None:
        return None
    return {"state": "due", "due": entry.thank_you.due.isoformat()}


def _answered(answer: Answer | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {"date": answer.date.isoformat(), "by": answer.by,
            "outcome": answer.outcome.value, "from": answer.sender}
