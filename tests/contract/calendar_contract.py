"""The contract every calendar adapter passes: subclass `CalendarContract`, give a
`calendar` fixture (an adapter whose target starts empty of follow-ups) and the
hooks through which the test acts as the user does in their calendar program."""

from __future__ import annotations

import datetime as dt
from email.headerregistry import Address

import pytest

from followup_daemon.boundary import (
    BatchesFollowups,
    Calendar,
    Changes,
    Draft,
    FollowupEvent,
    Letter,
    Removal,
    Rewrite,
    StoredFollowup,
)
from followup_daemon.errors import AlreadyExists, Conflict, NotFound

START = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
USERS_UID = "users-own-1@example.com"


def followup(key: str = "k1", start: dt.datetime = START, title: str = "Follow up: call Acme"
             ) -> FollowupEvent:
    return FollowupEvent(key, title, "Call Jane.\nBe polite.", start,
                         start + dt.timedelta(minutes=15), 10, "interview-1@example.com")


def draft(key: str = "k1") -> Draft:
    return Draft(key, Letter((Address("", addr_spec="jane@acme.com"),), "Following up",
                             "Hello"))


def summaries(changes: Changes) -> set[str]:
    return {event.summary for event in changes.events}


def gone(changes: Changes, event_ids: set[str]) -> bool:
    """Whether the events are gone: absent from a full listing, or listed as removed."""
    if changes.full:
        return not event_ids & {e.event_id for e in changes.events}
    return event_ids <= set(changes.removed)


class CalendarContract:
    """Tests of the Calendar interface; `calendar` is the subclass's fixture."""

    # The user's hands, one per kind of calendar

    def edit_as_user(self, calendar: Calendar, stored: StoredFollowup, change: str) -> None:
        """Change the follow-up's "notes", "title" or "time" behind the daemon's back."""
        raise NotImplementedError

    def add_user_event(self, calendar: Calendar, uid: str, summary: str,
                       in_target: bool = False) -> None:
        """Add an event of the user's (to the calendar the follow-ups go to, with
        `in_target`; for most services that is the same calendar)."""
        raise NotImplementedError

    def change_user_event(self, calendar: Calendar, uid: str, summary: str) -> None:
        """Rename an event of the user's."""
        raise NotImplementedError

    def remove_user_event(self, calendar: Calendar, uid: str) -> None:
        """Delete an event of the user's."""
        raise NotImplementedError

    # Writing

    def test_is_a_calendar(self, calendar: Calendar) -> None:
        assert isinstance(calendar, Calendar)

    def test_create_then_find_and_list(self, calendar: Calendar) -> None:
        stored = calendar.create_followup(followup())
        assert stored.key == "k1" and stored.start == START
        assert calendar.find_followup("k1") == stored
        assert list(calendar.list_followups()) == ["k1"]
        assert calendar.find_followup("other") is None

    # whether the key decides where the event goes (an id or a file name): a second
    # create of a key is then AlreadyExists by itself, with no lookup before it; else
    # (Outlook) a create is one POST and the executor's journal keeps follow-ups single
    keyed_ids = True

    def test_create_twice(self, calendar: Calendar) -> None:
        calendar.create_followup(followup())
        if self.keyed_ids:
            with pytest.raises(AlreadyExists):
                calendar.create_followup(followup())
        else:
            calendar.create_followup(followup())
        assert self.count_followups(calendar) == (1 if self.keyed_ids else 2)

    def count_followups(self, calendar: Calendar) -> int:
        """How many follow-ups the calendar holds (the listing keeps one per key)."""
        return len(calendar.list_followups())

    def test_update_moves_the_event(self, calendar: Calendar) -> None:
        stored = calendar.create_followup(followup())
        later = START + dt.timedelta(days=2)
        moved = calendar.update_followup(stored.remote_id, followup(start=later), stored.version)
        assert moved.start == later
        assert calendar.list_followups()["k1"].start == later

    def test_delete(self, calendar: Calendar) -> None:
        stored = calendar.create_followup(followup())
        calendar.create_followup(followup("k2"))
        calendar.delete_followup(stored.remote_id, stored.version)
        assert list(calendar.list_followups()) == ["k2"]
        with pytest.raises(NotFound):
            calendar.delete_followup(stored.remote_id)

    def test_a_deleted_followup_can_be_written_again(self, calendar: Calendar) -> None:
        """The interview went and came back: its follow-up is written anew."""
        stored = calendar.create_followup(followup())
        calendar.delete_followup(stored.remote_id, stored.version)
        again = calendar.create_followup(followup(start=START + dt.timedelta(days=1)))
        assert calendar.find_followup("k1") == again
        assert calendar.list_followups()["k1"].start == START + dt.timedelta(days=1)

    def test_update_of_a_missing_event_is_not_found(self, calendar: Calendar) -> None:
        with pytest.raises(NotFound):
            calendar.update_followup("nothing-here", followup())

    @pytest.mark.parametrize("change", ["notes", "title", "time"])
    def test_any_edit_by_the_user_gives_a_new_version(self, calendar: Calendar,
                                                      change: str) -> None:
        cursor = calendar.read_changes(None, NOW).cursor
        stored = calendar.create_followup(followup())
        assert stored.version, "a follow-up must carry the version the daemon wrote"
        cursor = calendar.read_changes(cursor, NOW).cursor or cursor
        assert calendar.list_followups()["k1"].version == stored.version  # its own write
        self.edit_as_user(calendar, stored, change)
        calendar.read_changes(cursor, NOW)
        seen = calendar.list_followups()["k1"]
        assert seen.version and seen.version != stored.version, change

    def test_a_followup_the_user_edited_is_a_conflict_never_overwritten(
            self, calendar: Calendar) -> None:
        cursor = calendar.read_changes(None, NOW).cursor
        stored = calendar.create_followup(followup())
        self.edit_as_user(calendar, stored, "notes")
        calendar.read_changes(cursor, NOW)  # whether or not the read saw the edit
        with pytest.raises(Conflict):
            calendar.update_followup(stored.remote_id, followup(title="Follow up: e-mail"),
                                     stored.version)
        with pytest.raises(Conflict):
            calendar.delete_followup(stored.remote_id, stored.version)
        kept = calendar.find_followup("k1")
        assert kept is not None and kept.version != stored.version  # still the user's

    # Reading

    def test_read_changes_gives_a_cursor_and_then_nothing_new(self, calendar: Calendar) -> None:
        first = calendar.read_changes(None, NOW)
        assert first.cursor and not first.unchanged
        again = calendar.read_changes(first.cursor, NOW)
        assert again.unchanged or not again.events

    def test_the_users_added_changed_and_removed_events_are_read(self,
                                                                 calendar: Calendar) -> None:
        first = calendar.read_changes(None, NOW)
        self.add_user_event(calendar, USERS_UID, "Interview with Initech")
        added = calendar.read_changes(first.cursor, NOW)
        assert "Interview with Initech" in summaries(added)
        ids = {e.event_id for e in added.events if e.summary == "Interview with Initech"}
        self.change_user_event(calendar, USERS_UID, "Interview with Initech (2nd round)")
        changed = calendar.read_changes(added.cursor, NOW)
        assert "Interview with Initech (2nd round)" in summaries(changed)
        self.remove_user_event(calendar, USERS_UID)
        removed = calendar.read_changes(changed.cursor, NOW)
        assert gone(removed, ids), removed

    def test_own_followups_never_come_back_as_the_users_events(self,
                                                               calendar: Calendar) -> None:
        first = calendar.read_changes(None, NOW)
        calendar.create_followup(followup())
        incremental = calendar.read_changes(first.cursor, NOW)
        calendar.create_followup(followup("k2", title="Follow up: call Globex"))
        full = calendar.read_changes(None, NOW)
        for changes in (incremental, full):
            assert not summaries(changes) & {"Follow up: call Acme", "Follow up: call Globex"}

    def test_foreign_events_are_never_listed_as_followups(self, calendar: Calendar) -> None:
        cursor = calendar.read_changes(None, NOW).cursor
        self.add_user_event(calendar, USERS_UID, "Follow up: call Acme", in_target=True)
        calendar.read_changes(cursor, NOW)
        assert calendar.list_followups() == {}
        assert calendar.find_followup("k1") is None
        calendar.create_followup(followup())  # the user's look-alike is no obstacle
        assert list(calendar.list_followups()) == ["k1"]


class BatchContract(CalendarContract):
    """What a calendar that batches its writes (`BatchesFollowups`) adds: moves and
    deletions in one request, each answered as the single write would be."""

    def test_moves_in_one_batch_are_each_answered_as_alone(self, calendar: Calendar) -> None:
        assert isinstance(calendar, BatchesFollowups)
        cursor = calendar.read_changes(None, NOW).cursor
        mine, theirs = calendar.create_followup(followup()), calendar.create_followup(
            followup("k2"))
        self.edit_as_user(calendar, theirs, "notes")
        calendar.read_changes(cursor, NOW)
        later = START + dt.timedelta(days=2)
        answers = calendar.update_followups([
            Rewrite(mine.remote_id, followup(start=later), mine.version),
            Rewrite(theirs.remote_id, followup("k2", start=later), theirs.version),
            Rewrite("nothing-here", followup("k3", start=later))])
        moved, conflict, missing = answers
        assert isinstance(moved, StoredFollowup) and moved.start == later
        assert isinstance(conflict, Conflict) and isinstance(missing, NotFound)
        listed = calendar.list_followups()
        assert listed["k1"].start == later and listed["k2"].start == START  # still theirs

    def test_deletions_in_one_batch_are_each_answered_as_alone(self, calendar: Calendar
                                                               ) -> None:
        assert isinstance(calendar, BatchesFollowups)
        cursor = calendar.read_changes(None, NOW).cursor
        mine, theirs, gone_one = (calendar.create_followup(followup(key))
                                  for key in ("k1", "k2", "k3"))
        self.edit_as_user(calendar, theirs, "notes")
        calendar.delete_followup(gone_one.remote_id, gone_one.version)
        calendar.read_changes(cursor, NOW)
        answers = calendar.delete_followups([Removal(mine.remote_id, mine.version),
                                             Removal(theirs.remote_id, theirs.version),
                                             Removal(gone_one.remote_id)])
        assert answers[0] is None and isinstance(answers[1], Conflict)
        assert isinstance(answers[2], NotFound)
        assert list(calendar.list_followups()) == ["k2"]
        assert calendar.find_followup("k1") is None
