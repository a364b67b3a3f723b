"""A pass that brought nothing: the plan is not made again.

The plan is pure (events, settings, received mail and now). When a pass wrote
nothing, a later pass whose reads brought nothing new (no event of any account
changed, the daemon's follow-ups are listed as they were, no new reply) would
plan the same, until `now` crosses a moment at which the plan changes by itself:
an interview's start or end, the end of the time to thank, a thank-you falling
due, a follow-up's time of day (a missed one is caught up or goes stale then), or
midnight (a draft due by date, the daily look at drafts' fates). Until the first
such moment the pass ends after its reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from .model import PlanEntry
from .planner import TOO_LATE_TO_THANK


@dataclass(frozen=True)
class Quiet:
    """What the last pass of an account that wrote nothing read, and until when
    the same reads give the same plan."""

    inputs: tuple[Any, ...]
    addresses: frozenset[str]  # the interviews' addresses: whose mail may answer
    since: dt.datetime
    until: dt.datetime
    planned: int

    def holds(self, inputs: tuple[Any, ...], now: dt.datetime) -> bool:
        """Whether a pass at `now` reading `inputs` would plan the same."""
        return self.since <= now < self.until and inputs == self.inputs


def quiet_until(entries: Sequence[PlanEntry], now: dt.datetime, zone: ZoneInfo
                ) -> dt.datetime:
    """The first moment after `now` at which the plan of `entries` may change by
    itself (at the latest, the next local midnight)."""
    local = now.astimezone(zone)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(),
                                   tzinfo=zone)
    later = [m for m in _moments(entries, local, zone) if m > now]
    return min([midnight, *later])


def _moments(entries: Iterable[PlanEntry], local: dt.datetime, zone: ZoneInfo
             ) -> Iterator[dt.datetime]:
    for entry in entries:
        if not entry.is_interview:
            continue
        end = entry.event.ends_at(zone)
        yield from (entry.event.start.instant(zone), end, end + TOO_LATE_TO_THANK)
        if entry.thank_you is not None:
            yield entry.thank_you.due
        for followup in entry.followups:
            start = followup.start.astimezone(zone)
            yield start
            yield start.replace(year=local.year, month=local.month, day=local.day)
