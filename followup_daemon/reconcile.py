"""Reconciliation: from the plan, the state and what is in the calendar, the actions
to take. Pure: no I/O, the same inputs always give the same actions; the executor
carries them out (it is the only writer, of the state's records too).

The user wins: a follow-up the user deleted or moved is left alone, and a
follow-up whose time has passed is history, neither moved nor deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .boundary import Draft, FollowupEvent, StoredFollowup
from .state import CREATED, DELETED, USER_DELETED, USER_MOVED, DraftRow, FollowupRow


@dataclass(frozen=True)
class Wanted:
    """A follow-up the plan wants, and its draft (None: not due yet, no mailbox, or no
    employer address known); or a draft alone (a thank-you: `event` is None)."""

    event: FollowupEvent | None
    fingerprint: str
    draft: Draft | None = None


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
    version: str = ""  # the content the daemon wrote: the user's edit since is a Conflict


@dataclass(frozen=True)
class DeleteFollowup:
    """Delete the daemon's follow-up (the interview went)."""

    key: str
    remote_id: str
    version: str = ""


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


@dataclass(frozen=True)
class Observed:
    """Record what the calendar shows of a follow-up: the user deleted it, moved or
    edited it (`row` has its new status), or the version of a row from before
    versions were kept (`user` False)."""

    key: str
    row: FollowupRow
    user: bool = True


@dataclass(frozen=True)
class Adopt:
    """The state was lost while the calendar holds the daemon's follow-ups: record
    them as they are instead of writing anything again (see `recovered`)."""

    key: str  # "" : the whole account
    recovery: Recovery
    listed: int


Write = CreateFollowup | MoveFollowup | DeleteFollowup | CreateDraft | DeleteDraft
Action = Write | Observed | Adopt


def observe(rows: Mapping[str, FollowupRow], listing: Mapping[str, StoredFollowup]
            ) -> dict[str, FollowupRow]:
    """The rows the user changed behind the daemon's back: deleted, moved, or edited in
    any other way (notes, title: the service's version is not the one the daemon wrote).
    A moved or edited follow-up is the user's (USER_MOVED) and never rewritten."""
    changed = {}
    for key, row in rows.items():
        if row.status != CREATED:
            continue
        found = listing.get(key)
        if found is None:
            changed[key] = replace(row, status=USER_DELETED)
        elif row.start is not None and (found.start != row.start or found.end != row.end):
            changed[key] = replace(row, status=USER_MOVED, start=found.start, end=found.end)
        elif row.version and found.version and found.version != row.version:
            changed[key] = replace(row, status=USER_MOVED, version=found.version)
    return changed


def first_versions(rows: Mapping[str, FollowupRow], listing: Mapping[str, StoredFollowup]
                   ) -> dict[str, FollowupRow]:
    """Rows written before versions were kept (schema 1), with the version seen now."""
    return {key: replace(row, version=listing[key].version) for key, row in rows.items()
            if row.status == CREATED and not row.version and key in listing
            and listing[key].version and listing[key].start == row.start}


def actions_for(wanted: Mapping[str, Wanted], followups: Mapping[str, FollowupRow],
                drafts: Mapping[str, DraftRow], listing: Mapping[str, StoredFollowup],
                now: dt.datetime, fresh: bool = False) -> list[Action]:
    """Everything a pass does, in order: record what the user changed in the calendar,
    then the writes that make it match the plan. `fresh`: the state is new (no cursor,
    no follow-up); when the calendar still holds the daemon's follow-ups, they are
    adopted and nothing is written."""
    if fresh and wanted and listing:
        return [Adopt("", recovered(wanted, listing), len(listing))]
    seen = first_versions(followups, listing)
    changed = observe(followups, listing)
    actions: list[Action] = [Observed(k, r, user=False) for k, r in seen.items()]
    actions += [Observed(k, r) for k, r in changed.items()]
    return actions + reconcile(wanted, {**followups, **seen, **changed}, drafts, now)


def reconcile(wanted: Mapping[str, Wanted], followups: Mapping[str, FollowupRow],
              drafts: Mapping[str, DraftRow], now: dt.datetime) -> list[Write]:
    """The writes that make the calendar and the mailbox match the plan."""
    actions: list[Write] = []
    for key, want in wanted.items():
        actions += _followup_actions(key, want, followups.get(key), now)
        actions += _draft_actions(key, want, followups.get(key), drafts.get(key))
    for key, row in followups.items():
        if key in wanted:
            continue
        remote = row.remote_id if row.status == CREATED and _ahead(row, now) else None
        if remote:
            actions.append(DeleteFollowup(key, remote, row.version))
        draft_row = drafts.get(key)
        # the draft goes with its follow-up, also when a pass ended between the two
        if (remote or row.status == DELETED) and draft_row and \
                draft_row.status == CREATED and draft_row.remote_id:
            actions.append(DeleteDraft(key, draft_row.remote_id))
    return actions


def _ahead(row: FollowupRow, now: dt.datetime) -> bool:
    return row.start is not None and row.start > now


def _followup_actions(key: str, want: Wanted, row: FollowupRow | None, now: dt.datetime
                      ) -> list[Write]:
    if want.event is None:
        return []
    if row is None or row.status == DELETED:
        return [CreateFollowup(key, want.event, want.fingerprint)]
    if row.status != CREATED or row.remote_id is None or not _ahead(row, now):
        return []  # the user's, in flight, or history
    if row.fingerprint != want.fingerprint:
        return [MoveFollowup(key, row.remote_id, want.event, want.fingerprint, row.version)]
    return []


def _draft_actions(key: str, want: Wanted, followup: FollowupRow | None,
                   row: DraftRow | None) -> list[Write]:
    if want.draft is None or (followup is not None and followup.status == USER_DELETED):
        return []
    if row is not None and row.status != DELETED:
        return []
    return [CreateDraft(key, want.draft)]


@dataclass(frozen=True)
class Recovery:
    """What a first pass with an empty state makes of the daemon's marks it finds."""

    followups: dict[str, FollowupRow]
    drafts: dict[str, DraftRow]
    missing: int  # interviews without a follow-up: deleted by the user, or never made
    unknown_drafts: int  # due drafts that may have been made and sent


def recovered(wanted: Mapping[str, Wanted], listing: Mapping[str, StoredFollowup]
              ) -> Recovery:
    """A state database lost while the calendar still holds the daemon's follow-ups:
    adopt each follow-up as it is (moved or edited, it stays so); an interview without
    one may be one the user deleted, so it is left alone (the user wins); a draft that
    is due may have been saved and sent already, so none is made again."""
    rows: dict[str, FollowupRow] = {}
    drafts: dict[str, DraftRow] = {}
    for key, want in wanted.items():
        if want.event is None:  # a thank-you: it may have been saved and sent already
            drafts[key] = DraftRow(key, CREATED, None, "")
            continue
        found = listing.get(key)
        status = CREATED if found is not None else USER_DELETED
        rows[key] = FollowupRow(key, status, found.remote_id if found else None,
                                found.start if found else want.event.start,
                                found.end if found else want.event.end, want.fingerprint,
                                want.event.title, found.version if found else "")
        if want.draft is not None:
            drafts[key] = DraftRow(key, CREATED, None, "")
    missing = sum(1 for r in rows.values() if r.status == USER_DELETED)
    return Recovery(rows, drafts, missing, len(drafts))
