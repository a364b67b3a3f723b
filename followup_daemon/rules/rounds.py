"""R5.3: rounds of one application; an earlier round's follow-up gives way to a
later round, and one application never gets two follow-ups on one day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .facts import normalise


@dataclass(frozen=True)
class Round:
    """One interview of an application, with its planned follow-up start if any."""

    index: int  # position in the plan
    company: str | None
    role: str | None
    application_id: str  # "" unless an `Application:` line names one
    interview_start: dt.datetime
    followup_start: dt.datetime | None  # for a stale follow-up, when it was due
    stale: bool = False


def application_keys(rounds: Sequence[Round]) -> dict[int, str]:
    """The application of each round: its `Application:` id, else company and role.

    An interview whose role is unknown joins its company's only known role."""
    roles: dict[str, set[str]] = defaultdict(set)
    for r in rounds:
        if not r.application_id and normalise(r.company) and normalise(r.role):
            roles[normalise(r.company)].add(normalise(r.role))
    keys: dict[int, str] = {}
    for r in rounds:
        company, role = normalise(r.company), normalise(r.role)
        if r.application_id:
            keys[r.index] = r.application_id
        elif not company:
            keys[r.index] = f"event:{r.index}"
        else:
            known = roles[company]
            role = role or (next(iter(known)) if len(known) == 1 else "")
            keys[r.index] = f"company:{company}|role:{role}"
    return keys


def superseded(rounds: Sequence[Round]) -> set[int]:
    """Indexes of the rounds whose follow-up is dropped."""
    keys = application_keys(rounds)
    groups: dict[str, list[Round]] = defaultdict(list)
    for r in rounds:
        groups[keys[r.index]].append(r)
    dropped: set[int] = set()
    for group in groups.values():
        dropped |= _superseded_in(group)
    return dropped


def _superseded_in(group: list[Round]) -> set[int]:
    ordered = sorted(group, key=lambda r: (r.interview_start, r.index))
    dropped: set[int] = set()
    for i, earlier in enumerate(ordered):
        later_starts = [r.interview_start for r in ordered[i + 1:]]
        if earlier.followup_start is None:
            continue
        if any(earlier.interview_start < s < earlier.followup_start for s in later_starts):
            dropped.add(earlier.index)
    return dropped | _same_day(ordered, dropped)


def _same_day(ordered: list[Round], dropped: set[int]) -> set[int]:
    """Of follow-ups left on one day, all but the latest round's."""
    by_day: dict[dt.date, list[Round]] = defaultdict(list)
    for r in ordered:
        if r.followup_start is not None and r.index not in dropped and not r.stale:
            by_day[r.followup_start.date()].append(r)
    return {r.index for same in by_day.values() for r in same[:-1]}
