"""Outlook mail of a Microsoft account: `POST /me/messages` saves a draft and never
sends it; drafts are found again by their key's extended property. Received mail
is the Inbox's messages delta, by sender and date; the few messages whose sender
may answer an interview have their Internet headers read, to tell an automatic
reply."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from followup_daemon.boundary import (
    Calendar,
    Draft,
    DraftFate,
    ProviderContext,
    Received,
    StoredDraft,
    batch_answer,
    received_from_pairs,
)
from followup_daemon.errors import FollowupError, NotFound, UserError

from . import convert
from .calendar import OutlookCalendar
from .graph import BATCH_SIZE, Call, DeltaExpired, Graph

INBOX_DELTA = "me/mailFolders/inbox/messages/delta"
SELECT = "from,receivedDateTime,subject"
LOOK_BACK_DAYS = 60
PAGE = "odata.maxpagesize=100"


class OutlookMailbox:
    """The drafts and Inbox of the account whose calendar is Outlook's (one sign-in)."""

    name = "outlook"
    batch_size = BATCH_SIZE
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

    # drafts

    def find_draft(self, key: str) -> StoredDraft | None:
        """The draft with `key`, found by its extended property."""
        page = self.graph.request("GET", "me/messages", f"finding draft {key}",
                                  params={"$filter": convert.key_filter(key),
                                          "$select": "id,changeKey"})
        drafts = page.get("value", [])
        return StoredDraft(key, _remote(drafts[0])) if drafts else None

    def create_draft(self, draft: Draft) -> StoredDraft:
        """POST /me/messages: saved in Drafts, never sent; no lookup first (the
        executor's journal settles an interrupted save)."""
        return StoredDraft(draft.key, _remote(self.graph.one(_save(draft))))

    def create_drafts(self, drafts: Sequence[Draft]) -> list[StoredDraft | FollowupError]:
        """Save the drafts in one `$batch`. A batch whose answer was lost is AnswerLost
        for each draft (the executor looks each up); a call refused before it was done
        (throttled) is sent again alone."""
        answers = self.graph.batch([_save(draft) for draft in drafts], replay_safe=False)
        return [_landed(self.graph, draft, answer)
                for draft, answer in zip(drafts, answers, strict=True)]

    def draft_fate(self, remote_id: str) -> DraftFate:
        """As saved, edited (a new changeKey) or gone (sent, deleted or moved)."""
        message_id, _, change_key = remote_id.partition(" ")
        try:
            item = self.graph.request("GET", f"me/messages/{message_id}",
                                      f"reading draft {message_id}",
                                      params={"$select": "isDraft,changeKey"})
        except NotFound:
            return DraftFate.GONE
        if item.get("isDraft") is False:
            return DraftFate.GONE
        return DraftFate.EDITED if change_key and item.get("changeKey") != change_key \
            else DraftFate.SAVED

    def delete_draft(self, remote_id: str) -> None:
        """Delete one of the daemon's drafts."""
        message_id = remote_id.partition(" ")[0]
        self.graph.request("DELETE", f"me/messages/{message_id}",
                           f"deleting draft {message_id}")

    # received mail

    def replies_off(self) -> str | None:
        """Never: the account's Mail.ReadWrite reads the Inbox."""
        return None

    def received_since(self, cursor: str | None, may_answer: Callable[[str], bool]
                       ) -> tuple[list[Received], str]:
        """The Inbox's messages created since the delta link `cursor` (a first round
        reaches `LOOK_BACK_DAYS` days back); the Internet headers only of those whose
        sender `may_answer`."""
        if cursor:
            try:
                return self._round(cursor, may_answer)
            except DeltaExpired:
                pass
        return self._round(self._first_link(), may_answer)

    def _first_link(self) -> str:
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=LOOK_BACK_DAYS)
        query = urlencode({"changeType": "created", "$select": SELECT,
                           "$filter": f"receivedDateTime ge {since:%Y-%m-%dT%H:%M:%SZ}"})
        return self.graph.url(f"{INBOX_DELTA}?{query}")

    def _round(self, url: str, may_answer: Callable[[str], bool]
               ) -> tuple[list[Received], str]:
        received: list[Received] = []
        while True:
            page = self.graph.request("GET", url, "reading the inbox", prefer=PAGE)
            for item in page.get("value", []):
                found = self._received(item, may_answer)
                if found is not None:
                    received.append(found)
            if "@odata.nextLink" not in page:
                return received, str(page.get("@odata.deltaLink") or "")
            url = str(page["@odata.nextLink"])

    def _received(self, item: dict[str, Any], may_answer: Callable[[str], bool]
                  ) -> Received | None:
        if "@removed" in item:
            return None
        sender = str(((item.get("from") or {}).get("emailAddress") or {}).get("address", ""))
        moment = str(item.get("receivedDateTime") or "")
        pairs = [("From", sender), ("Date", _rfc2822(moment)),
                 ("Subject", str(item.get("subject") or ""))]
        if may_answer(sender.lower()):
            pairs += self._internet_headers(str(item.get("id", "")))
        return received_from_pairs(pairs)

    def _internet_headers(self, message_id: str) -> list[tuple[str, str]]:
        try:
            item = self.graph.request("GET", f"me/messages/{message_id}",
                                      "reading a message's headers",
                                      params={"$select": "internetMessageHeaders"})
        except NotFound:
            return []
        wanted = ("auto-submitted", "precedence", "x-autoreply", "x-autorespond")
        return [(str(h.get("name", "")), str(h.get("value", "")))
                for h in item.get("internetMessageHeaders") or []
                if str(h.get("name", "")).lower() in wanted]


def _remote(item: dict[str, Any]) -> str:
    """A draft's id and its changeKey (an edit changes the second, not the first)."""
    change = str(item.get("changeKey") or "")
    return f"{item['id']} {change}" if change else str(item["id"])


def _rfc2822(moment: str) -> str:
    """Graph's ISO time as a Date header value ("" when unreadable)."""
    import email.utils

    try:
        return email.utils.format_datetime(dt.datetime.fromisoformat(moment.replace("Z",
                                                                                    "+00:00")))
    except ValueError:
        return ""


def _save(draft: Draft) -> Call:
    return Call("POST", "me/messages", f"saving draft {draft.key}",
                convert.message_body(draft))


def _landed(graph: Graph, draft: Draft, answer: Any) -> StoredDraft | FollowupError:
    def stored(item: dict[str, Any]) -> StoredDraft:
        return StoredDraft(draft.key, _remote(item))
    return batch_answer(answer, lambda: stored(graph.one(_save(draft))), stored)
