"""Outlook drafts of a Microsoft account: `POST /me/messages` saves a draft and never
sends it; drafts are found again by their key's extended property."""

from __future__ import annotations

from typing import Any

from followup_daemon.boundary import Calendar, Draft, ProviderContext, StoredDraft
from followup_daemon.errors import AlreadyExists, UserError

from . import convert
from .calendar import OutlookCalendar


class OutlookMailbox:
    """The drafts of the account whose calendar is Outlook's (one sign-in)."""

    name = "outlook"
    keys: tuple[str, ...] = ()

    @staticmethod
    def check_settings(account: dict[str, Any]) -> list[str]:
        """Outlook drafts need the account's Microsoft sign-in, so an outlook calendar."""
        if account.get("provider") != "outlook":
            return ["drafts: \"outlook\" drafts need an outlook account (they share its "
                    "sign-in); use \"imap\" instead"]
        return []

    def __init__(self, account: dict[str, Any], context: ProviderContext,
                 calendar: Calendar) -> None:
        if not isinstance(calendar, OutlookCalendar):
            raise UserError(OutlookMailbox.check_settings(account)[0])
        self.graph = calendar.graph

    def find_draft(self, key: str) -> StoredDraft | None:
        """The draft with `key`, found by its extended property."""
        page = self.graph.request("GET", "me/messages", f"finding draft {key}",
                                  params={"$filter": convert.key_filter(key), "$select": "id"})
        drafts = page.get("value", [])
        return StoredDraft(key, str(drafts[0]["id"])) if drafts else None

    def create_draft(self, draft: Draft) -> StoredDraft:
        """POST /me/messages: saved in Drafts, never sent."""
        if self.find_draft(draft.key) is not None:
            raise AlreadyExists(f"draft {draft.key} exists")
        item = self.graph.request("POST", "me/messages", f"saving draft {draft.key}",
                                  json=convert.message_body(draft.message, draft.key))
        return StoredDraft(draft.key, str(item["id"]))

    def delete_draft(self, remote_id: str) -> None:
        """Delete one of the daemon's drafts."""
        self.graph.request("DELETE", f"me/messages/{remote_id}", f"deleting draft {remote_id}")
