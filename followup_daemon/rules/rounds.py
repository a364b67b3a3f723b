"""R5.3: rounds of one application; an earlier round's follow-ups give way to a
later round, and one application never gets two follow-ups on one day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .facts import normalise


@dataclass(frozen=True)
class RoundFollowup:
    """Follow-up `n` of a round: its planned start, or when it was due if stale."""

    n: int
    start: dt.datetime
    stale: bool = False


@dataclass(frozen=True)
class Round:
    """One interview of an application, with its follow-ups (R8)."""

    index: int  # position in the plan
    company: str | None
    role: str | None
    application_id: str  # "" unless an `Application:` line names one
    interview_start: dt.datetime
    followups: tuple[RoundFollowup, ...] = ()


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


def application_groups(rounds: Sequence[Round]) -> dict[str, list[Round]]:
    """The rounds of each application."""
    keys = application_keys(rounds)
    groups: dict[str, list[Round]] = defaultdict(list)
    for r in rounds:
        groups[keys[r.index]].append(r)
    return groups


def superseded(rounds: Sequence[Round]) -> set[tuple[int, int]]:
    """The (round index, n) of every follow-up that is dropped."""
    dropped: set[tuple[int, int]] = set()
    for group in application_groups(rounds).values():
        dropped |= _superseded_in(group)
    return dropped


def _superseded_in(group: list[Round]) -> set[tuple[int, int]]:
    """An earlier round's follow-ups after a later round's start go; then same days."""
    ordered = sorted(group, key=lambda r: (r.interview_start, r.index))
    dropped: set[tuple[int, int]] = set()
    for i, earlier in enumerate(ordered):
        later_starts = [r.interview_start for r in ordered[i + 1:]]
        dropped |= {(earlier.index, f.n) for f in earlier.followups
                    if any(earlier.interview_start < s < f.start for s in later_starts)}
    return dropped | _same_day(ordered, dropped)


def _same_day(ordered: list[Round], dropped: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Of follow-ups left on one day, all but the latest round's."""
    by_day: dict[dt.date, list[tuple[int, int]]] = defaultdict(list)
    for r in ordered:
        for f in r.followups:
            if (r.index, f.n) not in dropped and not f.stale:
                by_day[f.start.date()].append((r.index, f.n))
    return {key for same in by_day.values() for key in same[:-1]}
