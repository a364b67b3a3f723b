"""One interview seen in several accounts gets one set of follow-ups (issue 14).

The recruiter invited both the Gmail and the Outlook address, or one calendar is
subscribed in another: the same interview then arrives through two accounts. Every
account's pass plans the interviews of all accounts together (so R5.3 sees every
round of an application, whichever account brought it), with one copy of each
interview; the copy's account is the interview's owner, and only the owner writes
its follow-ups and drafts.

Two copies are the same interview when they start at the same instant and have
the same iCalendar UID, or the same company and role (R2). The owner is the one
recorded when the interview was first seen (while that account still has it),
else the `primary` account when it has it, else the first account in the config
that has it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .model import CalendarEvent
from .rules.facts import normalise, read_facts
from .settings import Identity


@dataclass
class Merged:
    """The interviews to plan (one copy each) and each copy's owner, by event id."""

    events: list[CalendarEvent]
    owner: dict[str, str]
    identity: dict[str, str]  # a kept copy's identity, which the state records owners by


def identities(event: CalendarEvent, zone: ZoneInfo, me: Identity) -> list[str]:
    """The names two copies of one interview share: its UID at its instant, and its
    company and role at its instant when R2 reads both."""
    instant = event.start.instant(zone).isoformat()
    names = [f"uid\x00{event.ical_uid or event.uid}\x00{instant}"]
    facts = read_facts(event, me)
    if facts.company and facts.role:
        names.append(f"about\x00{normalise(facts.company)}\x00{normalise(facts.role)}"
                     f"\x00{instant}")
    return names


def merge(by_account: Mapping[str, Sequence[CalendarEvent]], known: Mapping[str, str],
          primary: str | None, zone: ZoneInfo, me: Identity) -> Merged:
    """One copy of each interview, owned as the module says. `known` is the owner
    recorded for an identity; `by_account` is in the config's order. With one account,
    its events as they are."""
    if len(by_account) < 2:
        only = [(a, e) for a, events in by_account.items() for e in events]
        return Merged([e for _, e in only], {e.event_id: a for a, e in only}, {})
    clusters: list[list[tuple[str, CalendarEvent, list[str]]]] = []
    seen: dict[str, int] = {}
    for account, events in by_account.items():
        for event in events:
            names = identities(event, zone, me)
            index = next((seen[n] for n in names if n in seen), None)
            if index is None:
                index = len(clusters)
                clusters.append([])
            clusters[index].append((account, event, names))
            for name in names:
                seen.setdefault(name, index)
    merged = Merged([], {}, {})
    for cluster in clusters:
        account, event, names = _owner_copy(cluster, known, primary)
        merged.events.append(event)
        merged.owner[event.event_id] = account
        merged.identity[event.event_id] = names[0]
    return merged


def _owner_copy(cluster: list[tuple[str, CalendarEvent, list[str]]],
                known: Mapping[str, str], primary: str | None
                ) -> tuple[str, CalendarEvent, list[str]]:
    recorded = {known[n] for _, _, names in cluster for n in names if n in known}
    for wanted in (*recorded, primary):
        for copy in cluster:
            if copy[0] == wanted:
                return copy
    return cluster[0]
