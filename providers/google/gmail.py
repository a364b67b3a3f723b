"""Gmail of a Google account: drafts saved with `drafts.create`, never sent, found
again by the Message-ID their key gives; and, with the `gmail.metadata` scope, the
senders and dates of received mail from the mailbox's history, headers only."""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import Any

from followup_daemon.boundary import (
    Calendar,
    Draft,
    DraftFate,
    ProviderContext,
    Received,
    StoredDraft,
    batch_answer,
    draft_bytes,
    message_id,
    received_from_pairs,
)
from followup_daemon.errors import FollowupError, NotFound, UserError

from .ahead import Ahead
from .calendar import GoogleCalendar
from .client import BATCH_SIZE

log = logging.getLogger(__name__)
R7_HEADERS = ["From", "Date", "Subject", "Auto-Submitted", "X-Autoreply", "X-Autorespond",
              "Precedence"]
LOOK_BACK_MESSAGES = 100  # a first read, or one after an expired history id
LOOK_BACK_DAYS = 60


class GmailMailbox:
    """The Gmail drafts and inbox of the account whose calendar is Google's (one
    sign-in)."""

    name = "gmail"
    keys: tuple[str, ...] = ()
    batch_size = BATCH_SIZE

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
        self._message_ids: dict[str, str] = {}  # a draft's message id -> its Message-ID
        self._ahead: Ahead[Draft] = Ahead(self._new_create)

    @property
    def _users(self) -> Any:
        return self.session.resource("users")

    @property
    def _drafts(self) -> Any:
        return self.session.resource("users.drafts")

    @property
    def _messages(self) -> Any:
        return self.session.resource("users.messages")

    def _call(self, request: Any, what: str, replay_safe: bool = True) -> Any:
        return self.session.call(request, what, replay_safe)

    # drafts

    def find_draft(self, key: str) -> StoredDraft | None:
        """The draft whose Message-ID derives from `key`: asked with `q` where the
        token allows it; a token that may read metadata is refused any `q`, so then
        the drafts are listed and each one's Message-ID read once."""
        wanted = message_id(key)
        if not self.session.may_read_metadata():
            request = self._drafts.list(userId="me", q=f"rfc822msgid:{wanted}")
            drafts = self._call(request, f"finding draft {key}").get("drafts", [])
            return StoredDraft(key, _remote(drafts[0])) if drafts else None
        for draft in self._all_drafts(key):
            if self._message_id_of(draft) == wanted:
                return StoredDraft(key, _remote(draft))
        return None

    def _all_drafts(self, key: str) -> Iterator[dict[str, Any]]:
        token = None
        while True:
            request = self._drafts.list(userId="me", maxResults=500, pageToken=token)
            page = self._call(request, f"finding draft {key}")
            yield from page.get("drafts", [])
            token = page.get("nextPageToken")
            if not token:
                return

    def _message_id_of(self, draft: dict[str, Any]) -> str:
        message = str(draft.get("message", {}).get("id", ""))
        if message not in self._message_ids:
            request = self._drafts.get(userId="me", id=draft["id"], format="metadata")
            try:
                found = self._call(request, f"reading draft {draft['id']}")
            except NotFound:
                return ""  # sent or deleted meanwhile
            headers = found.get("message", {}).get("payload", {}).get("headers", [])
            self._message_ids[message] = next(
                (str(h.get("value", "")).strip() for h in headers
                 if str(h.get("name", "")).lower() == "message-id"), "")
        return self._message_ids[message]

    def create_draft(self, draft: Draft) -> StoredDraft:
        """drafts.create with the raw message as a JSON body (never a send); no lookup
        first: the executor's journal settles an interrupted save by `find_draft`."""
        answer = self._call(self._create(draft), f"saving draft {draft.key}",
                            replay_safe=False)
        return self._saved(draft, answer)

    def create_drafts(self, drafts: Sequence[Draft]) -> list[StoredDraft | FollowupError]:
        """Save the drafts in one batch, each as `create_draft` would. A batch whose
        answer was lost is AnswerLost for each draft (the executor looks each up); a
        call that was refused before it was done (throttled) is sent again alone."""
        answers = self.session.batch("gmail/v1", [self._create(d) for d in drafts],
                                     [f"saving draft {d.key}" for d in drafts],
                                     replay_safe=False)
        return [self._landed(draft, answer)
                for draft, answer in zip(drafts, answers, strict=True)]

    def _landed(self, draft: Draft, answer: Any) -> StoredDraft | FollowupError:
        return batch_answer(answer, partial(self.create_draft, draft),
                            partial(self._saved, draft))

    def prepare_drafts(self, drafts: Sequence[Draft]) -> None:
        """These drafts are saved next: their messages and requests are built while
        the batch before them is answered."""
        self._ahead.expect(drafts)
        self.session.meanwhile(self._ahead.get_ready)

    def _create(self, draft: Draft) -> Any:
        return self._ahead.request(draft)

    def _new_create(self, draft: Draft) -> Any:
        raw = base64.urlsafe_b64encode(draft_bytes(draft.message))
        return self._drafts.create(userId="me", body={"message": {"raw": raw.decode()}})

    def _saved(self, draft: Draft, answer: dict[str, Any]) -> StoredDraft:
        self._message_ids[str(answer.get("message", {}).get("id", ""))] = message_id(draft.key)
        return StoredDraft(draft.key, _remote(answer))

    def draft_fate(self, remote_id: str) -> DraftFate:
        """Whether the draft is as saved, edited (Gmail gives an edited draft's
        message a new id) or gone (sent or deleted)."""
        draft_id, _, saved_message = remote_id.partition("/")
        request = self._drafts.get(userId="me", id=draft_id, format="minimal")
        try:
            found = self._call(request, f"reading draft {draft_id}")
        except NotFound:
            return DraftFate.GONE
        message = str(found.get("message", {}).get("id", ""))
        return DraftFate.EDITED if saved_message and message != saved_message \
            else DraftFate.SAVED

    def delete_draft(self, remote_id: str) -> None:
        """Delete one of the daemon's drafts."""
        draft_id = remote_id.partition("/")[0]
        self._call(self._drafts.delete(userId="me", id=draft_id),
                   f"deleting draft {draft_id}")

    # received mail

    def replies_off(self) -> str | None:
        """Why received mail cannot be read (the sign-in lacks `gmail.metadata`),
        with the command that allows it; None when it can."""
        if self.session.may_read_metadata():
            return None
        return ("replies are off: the Google sign-in does not allow reading who wrote "
                f"(gmail.metadata); allow it with `followup-daemon auth google --account "
                f"{self.session.account} --client-secrets FILE`")

    def received_since(self, cursor: str | None, may_answer: Callable[[str], bool]
                       ) -> tuple[list[Received], str]:
        """The INBOX's messages added since the history id `cursor`, by their
        metadata headers; with no cursor or an expired one (404), the profile's
        current history id and the latest messages of the last `LOOK_BACK_DAYS` days."""
        if cursor:
            try:
                added, newest = self._history(cursor)
                return self._metadata(added), newest
            except NotFound:
                log.info("%s: Gmail's history id expired; reading the inbox's latest "
                         "messages again", self.session.account)
        return self._look_back()

    def _history(self, start: str) -> tuple[list[str], str]:
        added: list[str] = []
        token = None
        while True:
            request = self.session.resource("users.history").list(
                userId="me", startHistoryId=start, historyTypes="messageAdded",
                labelId="INBOX", maxResults=500, pageToken=token)
            page = self._call(request, "reading the inbox's history")
            added += [str(item["message"]["id"]) for record in page.get("history", [])
                      for item in record.get("messagesAdded", [])]
            token = page.get("nextPageToken")
            if not token:
                return list(dict.fromkeys(added)), str(page["historyId"])

    def _look_back(self) -> tuple[list[Received], str]:
        profile = self._call(self._users.getProfile(userId="me"), "reading the profile")
        request = self._messages.list(userId="me", labelIds=["INBOX"],
                                              maxResults=LOOK_BACK_MESSAGES)
        listed = self._call(request, "listing the inbox").get("messages", [])
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=LOOK_BACK_DAYS)
        found = self._metadata(str(m["id"]) for m in listed)
        return [r for r in found if r.moment >= since], str(profile["historyId"])

    def _metadata(self, ids: Iterable[str]) -> list[Received]:
        received = []
        for message in ids:
            request = self._messages.get(userId="me", id=message, format="metadata",
                                         metadataHeaders=R7_HEADERS)
            try:
                answer = self._call(request, f"reading message {message}'s headers")
            except NotFound:
                continue  # deleted meanwhile
            headers = answer.get("payload", {}).get("headers", [])
            found = received_from_pairs((str(h.get("name", "")), str(h.get("value", "")))
                                        for h in headers)
            if found is not None:
                received.append(found)
        return received


def _remote(draft: dict[str, Any]) -> str:
    """A draft's id and its message's id: an edit keeps the first, not the second."""
    message = str(draft.get("message", {}).get("id", ""))
    return f"{draft['id']}/{message}" if message else str(draft["id"])
