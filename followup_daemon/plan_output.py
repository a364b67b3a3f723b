"""The `plan` command's output: the JSON contract of the spec, and a table for people."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from .model import Answer, Followup, PlanEntry


def _followup_json(followup: Followup, n: bool = False) -> dict[str, Any]:
    return {
        **({"n": followup.n} if n else {}),
        "date": followup.date.isoformat(),
        "start": followup.start.isoformat(),
        "rule": followup.rule.value,
        "method": followup.method.value,
        "draft_to": list(followup.draft_to),
    }


def _answered_json(answer: Answer | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {"date": answer.date.isoformat(), "by": answer.by,
            "outcome": answer.outcome.value, "from": answer.sender}


def entry_json(entry: PlanEntry, zone: ZoneInfo) -> dict[str, Any]:
    """One object of the `plan --json` array, exactly as the spec's contract has it."""
    event, followup, thanks = entry.event, entry.followup, entry.thank_you
    return {
        "uid": event.uid,
        "recurrence_id": event.recurrence_id.isoformat(zone) if event.recurrence_id else None,
        "summary": event.summary,
        "is_interview": entry.is_interview,
        "reason": entry.reason,
        "company": entry.facts.company,
        "role": entry.facts.role,
        "interview_start": event.start.isoformat(zone),
        "decision_date": entry.decision_date.isoformat() if entry.decision_date else None,
        "followup": None if followup is None else _followup_json(followup),
        "skipped": entry.skipped.value if entry.skipped else None,
        "followups": [_followup_json(f, n=True) for f in entry.followups],
        "answered": _answered_json(entry.answered),
        "thank_you": None if thanks is None else {
            "due": thanks.due.isoformat(), "draft_to": list(thanks.draft_to)},
    }


def plan_json(entries: Sequence[PlanEntry], zone: ZoneInfo) -> str:
    """The whole plan as the contract's JSON array, one entry per line: `indent` would
    make json use its pure-Python encoder, several times slower on a large calendar."""
    lines = (json.dumps(entry_json(e, zone), ensure_ascii=False) for e in entries)
    return "[\n" + ",\n".join("  " + line for line in lines) + "\n]" if entries else "[]"


HEADERS = ("Event", "Interview", "Follow-up", "Rule", "Method", "Why")


def plan_rows(entries: Sequence[PlanEntry], zone: ZoneInfo) -> list[tuple[str, ...]]:
    """A row per entry: event, interview date, follow-up date, rule, method, why."""
    rows: list[tuple[str, ...]] = []
    for entry in entries:
        followup = entry.followup
        when = entry.event.start.instant(zone)
        interview = when.strftime("%a %Y-%m-%d") + (
            "" if entry.event.start.kind.value == "all_day" else when.strftime(" %H:%M"))
        rows.append((
            entry.event.summary or entry.event.uid,
            interview,
            _when(entry) if followup else "-",
            followup.rule.value if followup else (entry.skipped.value if entry.skipped else "-"),
            followup.method.value.replace("_", " ") if followup else "-",
            _why(entry),
        ))
    return rows


def _when(entry: PlanEntry) -> str:
    """The first follow-up's start, and how many more follow it."""
    assert entry.followup is not None
    more = len(entry.followups) - 1
    return entry.followup.start.strftime("%a %Y-%m-%d %H:%M") + (f" +{more}" if more else "")


def _why(entry: PlanEntry) -> str:
    if entry.followup is None:
        return entry.note or entry.reason
    who = entry.facts.company or "company unknown"
    return f"{who}: {entry.followup.why}"


def plan_table(entries: Sequence[PlanEntry], zone: ZoneInfo, width: int | None = None) -> str:
    """The plan as an aligned text table, the zone of its times named once above it,
    and a summary line."""
    from .terminal import render_table, width_of

    table = render_table(HEADERS, plan_rows(entries, zone), width or width_of())
    return f"Plan (times in {zone.key})\n{table}\n\n{summary(entries)}"


def summary(entries: Sequence[PlanEntry]) -> str:
    """One line: how many events, follow-ups and skips of each kind."""
    planned = sum(len(e.followups) for e in entries)
    thanks = sum(1 for e in entries if e.thank_you)
    skips = Counter(e.skipped.value for e in entries if e.skipped)
    parts = [f"{len(entries)} events", f"{planned} follow-ups planned"]
    parts += [f"{thanks} thank-you drafts"] if thanks else []
    parts += [f"{count} {reason}" for reason, count in sorted(skips.items())]
    return ", ".join(parts)
