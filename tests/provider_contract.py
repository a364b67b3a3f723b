"""The contract every provider passes: subclass `ProviderContract` and give a
`provider` fixture (a provider whose target and mailbox start empty)."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest

from followup_daemon.errors import AlreadyExists, NotFound
from followup_daemon.provider import Draft, FollowupEvent, Provider, StoredFollowup, message_id

START = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def followup(key: str = "k1", start: dt.datetime = START, title: str = "Follow up: call Acme"
             ) -> FollowupEvent:
    return FollowupEvent(key, title, "Call Jane.\nBe polite.", start,
                         start + dt.timedelta(minutes=15), 10, "interview-1@example.com")


def draft(key: str = "k1") -> Draft:
    message = EmailMessage()
    message["To"] = "jane@acme.com"
    message["Subject"] = "Following up"
    message["X-Followup-Daemon-Key"] = key
    message["Message-ID"] = message_id(key)
    message.set_content("Hello")
    return Draft(key, message)


class ProviderContract:
    """Tests of the provider interface; `provider` is the subclass's fixture and
    `edit_as_user` changes a follow-up the way the user would in their calendar."""

    def edit_as_user(self, provider: Provider, stored: StoredFollowup, change: str) -> None:
        """Change the follow-up's "notes", "title" or "time" behind the daemon's back."""
        raise NotImplementedError

    @pytest.mark.parametrize("change", ["notes", "title", "time"])
    def test_any_edit_by_the_user_gives_a_new_version(self, provider: Provider,
                                                      change: str) -> None:
        now = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
        cursor = provider.read_changes(None, now).cursor
        stored = provider.create_followup(followup())
        assert stored.version, "a follow-up must carry the version the daemon wrote"
        cursor = provider.read_changes(cursor, now).cursor or cursor
        assert provider.list_followups()["k1"].version == stored.version  # its own write
        self.edit_as_user(provider, stored, change)
        provider.read_changes(cursor, now)
        seen = provider.list_followups()["k1"]
        assert seen.version and seen.version != stored.version, change

    def test_is_a_provider(self, provider: Provider) -> None:
        assert isinstance(provider, Provider)

    def test_create_then_find_and_list(self, provider: Provider) -> None:
        stored = provider.create_followup(followup())
        assert stored.key == "k1" and stored.start == START
        assert provider.find_followup("k1") == stored
        assert list(provider.list_followups()) == ["k1"]
        assert provider.find_followup("other") is None

    def test_create_twice_is_already_exists(self, provider: Provider) -> None:
        provider.create_followup(followup())
        with pytest.raises(AlreadyExists):
            provider.create_followup(followup())
        assert len(provider.list_followups()) == 1

    def test_update_moves_the_event(self, provider: Provider) -> None:
        stored = provider.create_followup(followup())
        later = START + dt.timedelta(days=2)
        moved = provider.update_followup(stored.remote_id, followup(start=later))
        assert moved.start == later
        assert provider.list_followups()["k1"].start == later

    def test_delete(self, provider: Provider) -> None:
        stored = provider.create_followup(followup())
        provider.create_followup(followup("k2"))
        provider.delete_followup(stored.remote_id)
        assert list(provider.list_followups()) == ["k2"]
        with pytest.raises(NotFound):
            provider.delete_followup(stored.remote_id)

    def test_update_of_a_missing_event_is_not_found(self, provider: Provider) -> None:
        with pytest.raises(NotFound):
            provider.update_followup("nothing-here", followup())

    def test_drafts(self, provider: Provider) -> None:
        if not provider.supports_drafts:
            pytest.skip("this provider has no mailbox")
        stored = provider.create_draft(draft())
        assert provider.find_draft("k1") == stored
        with pytest.raises(AlreadyExists):
            provider.create_draft(draft())
        provider.delete_draft(stored.remote_id)
        assert provider.find_draft("k1") is None
        with pytest.raises(NotFound):
            provider.delete_draft(stored.remote_id)

    def test_read_changes_gives_a_cursor_and_then_nothing_new(self, provider: Provider) -> None:
        now = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
        first = provider.read_changes(None, now)
        assert first.cursor and not first.unchanged
        again = provider.read_changes(first.cursor, now)
        assert again.unchanged or not again.events
