"""Reconciliation: from the plan, the state and what is on the server, the actions
to take. Pure: no I/O, the same inputs always give the same actions.

The user wins: a follow-up the user deleted or moved is left alone, and a
follow-up whose time has passed is history, neither moved nor deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from .provider import Draft, FollowupEvent, StoredFollowup
from .state import CREATED, DELETED, USER_DELETED, USER_MOVED, DraftRow, FollowupRow


@dataclass(frozen=True)
class Wanted:
    """A follow-up the plan wants, and how to compose its draft (None: not due yet).

    The draft is composed only when it is to be saved: most passes find it saved."""

    event: FollowupEvent
    fingerprint: str
    draft: Callable[[], Draft | None] | None = None


@dataclass(frozen=True)
class CreateFollowup:
    """Write a new follow-up event."""

    key: str
    event: FollowupEvent
    fingerprint: str


@dataclass(frozen=True)
class MoveFollowup:
    """Rewrite the daemon's follow-up (the interview moved or its facts changed)."""

    key: str
    remote_id: str
    event: FollowupEvent
    fingerprint: str


@dataclass(frozen=True)
class DeleteFollowup:
    """Delete the daemon's follow-up (the interview went)."""

    key: str
    remote_id: str


@dataclass(frozen=True)
class CreateDraft:
    """Save a draft."""

    key: str
    draft: Draft


@dataclass(frozen=True)
class DeleteDraft:
    """Delete the daemon's draft (its interview went)."""

    key: str
    remote_id: str


Action = CreateFollowup | MoveFollowup | DeleteFollowup | CreateDraft | DeleteDraft


def observe(rows: Mapping[str, FollowupRow], listing: Mapping[str, StoredFollowup]
            ) -> dict[str, FollowupRow]:
    """The rows the user changed behind the daemon's back: deleted or moved."""
    changed = {}
    for key, row in rows.items():
        if row.status != CREATED:
            continue
        found = listing.get(key)
        if found is None:
            changed[key] = replace(row, status=USER_DELETED)
        elif row.start is not None and (found.start != row.start or found.end != row.end):
            changed[key] = replace(row, status=USER_MOVED, start=found.start, end=found.end)
    return changed


def reconcile(wanted: Mapping[str, Wanted], followups: Mapping[str, FollowupRow],
              drafts: Mapping[str, DraftRow], now: dt.datetime) -> list[Action]:
    """The actions that make the server match the plan."""
    actions: list[Action] = []
    for key, want in wanted.items():
        actions += _followup_actions(key, want, followups.get(key), now)
        actions += _draft_actions(key, want, followups.get(key), drafts.get(key))
    for key, row in followups.items():
        if key not in wanted and row.status == CREATED and row.remote_id and _ahead(row, now):
            actions.append(DeleteFollowup(key, row.remote_id))
            draft_row = drafts.get(key)
            if draft_row and draft_row.status == CREATED and draft_row.remote_id:
                actions.append(DeleteDraft(key, draft_row.remote_id))
    return actions


def _ahead(row: FollowupRow, now: dt.datetime) -> bool:
    return row.start is not None and row.start > now


def _followup_actions(key: str, want: Wanted, row: FollowupRow | None, now: dt.datetime
                      ) -> list[Action]:
    if row is None or row.status == DELETED:
        return [CreateFollowup(key, want.event, want.fingerprint)]
    if row.status != CREATED or row.remote_id is None or not _ahead(row, now):
        return []  # the user's, in flight, or history
    if row.fingerprint != want.fingerprint:
        return [MoveFollowup(key, row.remote_id, want.event, want.fingerprint)]
    return []


def _draft_actions(key: str, want: Wanted, followup: FollowupRow | None,
                   row: DraftRow | None) -> list[Action]:
    if want.draft is None or (followup is not None and followup.status == USER_DELETED):
        return []
    if row is not None and row.status != DELETED:
        return []
    composed = want.draft()  # None: no employer address is known
    return [CreateDraft(key, composed)] if composed is not None else []
