"""Gmail drafts of a Google account: saved with `drafts.create`, never sent,
found again by the Message-ID its key gives."""

from __future__ import annotations

import base64
from typing import Any

from followup_daemon.boundary import (
    Calendar,
    Draft,
    ProviderContext,
    StoredDraft,
    draft_bytes,
    message_id,
)
from followup_daemon.errors import AlreadyExists, UserError

from .calendar import GoogleCalendar


class GmailMailbox:
    """The Gmail drafts of the account whose calendar is Google's (one sign-in)."""

    name = "gmail"
    keys: tuple[str, ...] = ()

    @staticmethod
    def check_settings(account: dict[str, Any]) -> list[str]:
        """Gmail needs the account's Google sign-in, so a google calendar."""
        if account.get("provider") != "google":
            return ["drafts: \"gmail\" drafts need a google account (they share its "
                    "sign-in); use \"imap\" with Gmail's IMAP settings instead"]
        return []

    def __init__(self, account: dict[str, Any], context: ProviderContext,
                 calendar: Calendar) -> None:
        if not isinstance(calendar, GoogleCalendar):
            raise UserError(GmailMailbox.check_settings(account)[0])
        self.session = calendar.session

    @property
    def _drafts(self) -> Any:
        return self.session.services()[1].users().drafts()

    def find_draft(self, key: str) -> StoredDraft | None:
        """Look the draft up by its Message-ID, which derives from the key."""
        request = self._drafts.list(userId="me", q=f"rfc822msgid:{message_id(key)}")
        drafts = self.session.call(request, f"finding draft {key}").get("drafts", [])
        return StoredDraft(key, str(drafts[0]["id"])) if drafts else None

    def create_draft(self, draft: Draft) -> StoredDraft:
        """drafts.create with the raw message as a JSON body (never a send).
        AlreadyExists when a draft with the key's Message-ID is there."""
        if self.find_draft(draft.key) is not None:
            raise AlreadyExists(f"draft {draft.key} exists")
        raw = base64.urlsafe_b64encode(draft_bytes(draft.message))
        request = self._drafts.create(userId="me", body={"message": {"raw": raw.decode()}})
        answer = self.session.call(request, f"saving draft {draft.key}", replay_safe=False)
        return StoredDraft(draft.key, str(answer["id"]))

    def delete_draft(self, remote_id: str) -> None:
        """Delete one of the daemon's drafts."""
        self.session.call(self._drafts.delete(userId="me", id=remote_id),
                          f"deleting draft {remote_id}")
