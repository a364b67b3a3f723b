"""The contract every mailbox adapter passes: subclass `MailboxContract`, give a
`mailbox` fixture (an adapter whose drafts folder starts empty) and `saved`, which
looks at the service itself."""

from __future__ import annotations

import pytest

from followup_daemon.boundary import Mailbox, StoredDraft
from followup_daemon.errors import NotFound

from .calendar_contract import draft


class MailboxContract:
    """Tests of the Mailbox interface."""

    def saved(self, mailbox: Mailbox) -> list[str]:
        """The keys of the drafts the service holds, as drafts (never sent), read from
        the service itself rather than through the adapter."""
        raise NotImplementedError

    def sent(self, mailbox: Mailbox) -> int:
        """How many times anything asked the service to send (0 for a mailbox without
        a way to send at all)."""
        return 0

    def test_is_a_mailbox(self, mailbox: Mailbox) -> None:
        assert isinstance(mailbox, Mailbox)

    def test_create_find_and_delete(self, mailbox: Mailbox) -> None:
        stored = mailbox.create_draft(draft())
        assert isinstance(stored, StoredDraft) and stored.key == "k1" and stored.remote_id
        assert mailbox.find_draft("k1") == stored
        assert mailbox.find_draft("k2") is None
        assert self.saved(mailbox) == ["k1"]
        mailbox.delete_draft(stored.remote_id)
        assert mailbox.find_draft("k1") is None and self.saved(mailbox) == []

    def test_a_save_is_one_write_without_a_lookup(self, mailbox: Mailbox) -> None:
        # The executor's journal keeps drafts single (and settles an interrupted save
        # with find_draft): saving never looks up first, so a second save is a second
        # draft, and the lookup it would cost is saved on every draft.
        first = mailbox.create_draft(draft())
        second = mailbox.create_draft(draft())
        assert first.remote_id != second.remote_id
        assert self.saved(mailbox) == ["k1", "k1"]

    def test_delete_of_a_missing_draft_is_not_found(self, mailbox: Mailbox) -> None:
        stored = mailbox.create_draft(draft())
        mailbox.delete_draft(stored.remote_id)
        with pytest.raises(NotFound):
            mailbox.delete_draft(stored.remote_id)

    def test_a_key_is_found_exactly_not_as_a_part(self, mailbox: Mailbox) -> None:
        mailbox.create_draft(draft("k1-longer"))
        assert mailbox.find_draft("k1") is None
        assert mailbox.create_draft(draft("k1")) == mailbox.find_draft("k1")

    def test_drafts_are_saved_never_sent(self, mailbox: Mailbox) -> None:
        mailbox.create_draft(draft("k1"))
        mailbox.create_draft(draft("k2"))
        assert sorted(self.saved(mailbox)) == ["k1", "k2"]
        assert self.sent(mailbox) == 0
        assert not any(hasattr(mailbox, name) for name in ("send", "send_draft", "send_mail"))
