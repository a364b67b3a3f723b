"""Reconciliation as a pure function."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from followup_daemon.boundary import FollowupEvent, StoredFollowup
from followup_daemon.reconcile import (
    Adopt,
    CreateFollowup,
    DeleteDraft,
    DeleteFollowup,
    MoveFollowup,
    Observed,
    Wanted,
    actions_for,
    first_versions,
    observe,
    reconcile,
)
from followup_daemon.state import (
    CREATED,
    DELETED,
    USER_DELETED,
    USER_MOVED,
    DraftRow,
    FollowupRow,
    Status,
)

NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=5)


def event(key: str = "k", start: dt.datetime = LATER) -> FollowupEvent:
    return FollowupEvent(key, "t", "d", start, start + dt.timedelta(minutes=15))


def wanted(key: str = "k", start: dt.datetime = LATER, fingerprint: str = "f1") -> Wanted:
    return Wanted(event(key, start), fingerprint)


def row(key: str = "k", status: Status = CREATED, start: dt.datetime = LATER,
        fingerprint: str = "f1") -> FollowupRow:
    return FollowupRow(key, status, "r-" + key, start, start + dt.timedelta(minutes=15),
                       fingerprint, "t")


def test_new_follow_up_is_created() -> None:
    assert reconcile({"k": wanted()}, {}, {}, NOW) == [
        CreateFollowup("k", event(), "f1")]


def test_nothing_to_do_when_in_step() -> None:
    assert reconcile({"k": wanted()}, {"k": row()}, {}, NOW) == []


def test_changed_follow_up_is_moved() -> None:
    actions = reconcile({"k": wanted(fingerprint="f2")}, {"k": row()}, {}, NOW)
    assert [type(a) for a in actions] == [MoveFollowup]


def test_user_deleted_or_moved_follow_ups_are_left_alone() -> None:
    for status in (USER_DELETED, USER_MOVED):
        assert reconcile({"k": wanted(fingerprint="f2")}, {"k": row(status=status)}, {},
                         NOW) == []


def test_a_follow_up_we_deleted_comes_back_when_wanted_again() -> None:
    actions = reconcile({"k": wanted()}, {"k": row(status=DELETED)}, {}, NOW)
    assert [type(a) for a in actions] == [CreateFollowup]


def test_unwanted_future_follow_up_goes_with_its_draft() -> None:
    drafts = {"k": DraftRow("k", CREATED, "d-k", "x")}
    assert reconcile({}, {"k": row()}, drafts, NOW) == [DeleteFollowup("k", "r-k"),
                                                        DeleteDraft("k", "d-k")]


def test_past_follow_ups_are_history() -> None:
    past = NOW - dt.timedelta(days=1)
    assert reconcile({}, {"k": row(start=past)}, {}, NOW) == []
    assert reconcile({"k": wanted(fingerprint="f2")}, {"k": row(start=past)}, {}, NOW) == []


def test_observe_finds_deleted_and_moved() -> None:
    rows = {"gone": row("gone"), "moved": row("moved"), "same": row("same")}
    listing = {"moved": StoredFollowup("moved", "r", LATER + dt.timedelta(hours=2),
                                       LATER + dt.timedelta(hours=3)),
               "same": StoredFollowup("same", "r", LATER, LATER + dt.timedelta(minutes=15))}
    changed = observe(rows, listing)
    assert {k: r.status for k, r in changed.items()} == {"gone": USER_DELETED,
                                                         "moved": USER_MOVED}


def test_an_edit_that_kept_the_time_is_seen_by_its_version() -> None:
    mine = replace(row(), version="v1")
    same = StoredFollowup("k", "r", LATER, LATER + dt.timedelta(minutes=15), "v1")
    assert observe({"k": mine}, {"k": same}) == {}
    edited = replace(same, version="v2")
    assert observe({"k": mine}, {"k": edited}) == {"k": replace(mine, status=USER_MOVED,
                                                                  version="v2")}
    unknown = replace(edited, version="")  # a service that gives no version: times only
    assert observe({"k": mine}, {"k": unknown}) == {}


def test_rows_from_before_versions_learn_them_without_a_verdict() -> None:
    old = row()
    seen = StoredFollowup("k", "r", LATER, LATER + dt.timedelta(minutes=15), "v1")
    assert first_versions({"k": old}, {"k": seen}) == {"k": replace(old, version="v1")}
    assert first_versions({"k": replace(old, version="v0")}, {"k": seen}) == {}


def test_a_draft_left_behind_by_an_interrupted_removal_goes_too() -> None:
    """The follow-up was removed, then the pass ended before its draft: the next pass
    removes the draft (it was kept for ever before)."""
    gone = replace(row(), status=DELETED)
    saved = DraftRow("k", CREATED, "d1", "jane@acme.com")
    assert reconcile({}, {"k": gone}, {"k": saved}, NOW) == [DeleteDraft("k", "d1")]
    assert reconcile({}, {"k": gone}, {"k": replace(saved, status=DELETED)}, NOW) == []


def test_the_users_changes_become_actions_before_the_writes() -> None:
    rows = {"gone": row("gone"), "moved": row("moved"), "same": row("same", fingerprint="old")}
    listing = {"moved": StoredFollowup("moved", "r-moved", LATER + dt.timedelta(hours=2),
                                       LATER + dt.timedelta(hours=3)),
               "same": StoredFollowup("same", "r-same", LATER, LATER + dt.timedelta(minutes=15))}
    want = {k: wanted(k, fingerprint="new") for k in rows}
    actions = actions_for(want, rows, {}, listing, NOW)
    assert [(type(a).__name__, a.key) for a in actions] == [
        ("Observed", "gone"), ("Observed", "moved"), ("MoveFollowup", "same")]
    observed = {a.key: a.row.status for a in actions if isinstance(a, Observed)}
    assert observed == {"gone": USER_DELETED, "moved": USER_MOVED}
    assert actions == actions_for(want, rows, {}, listing, NOW)  # pure: same in, same out


def test_a_version_seen_for_the_first_time_is_recorded_without_a_verdict() -> None:
    listing = {"k": StoredFollowup("k", "r-k", LATER, LATER + dt.timedelta(minutes=15), "v1")}
    [action] = actions_for({"k": wanted()}, {"k": row()}, {}, listing, NOW)
    assert isinstance(action, Observed) and not action.user and action.row.version == "v1"


def test_a_fresh_state_adopts_the_daemons_marks_and_writes_nothing() -> None:
    listing = {"k": StoredFollowup("k", "r-k", LATER, LATER + dt.timedelta(minutes=15), "v")}
    want = {"k": wanted(), "other": wanted("other")}
    [action] = actions_for(want, {}, {}, listing, NOW, fresh=True)
    assert isinstance(action, Adopt) and action.listed == 1
    assert action.recovery.followups["k"].status == CREATED
    assert action.recovery.followups["other"].status == USER_DELETED  # maybe the user's doing
    assert actions_for(want, {}, {}, {}, NOW, fresh=True) == [  # a new user: write it all
        CreateFollowup("k", event(), "f1"),
        CreateFollowup("other", event("other"), "f1")]
