"""The Gmail v1 part of the Google fake, as Google's reference describes it.

- Scopes, per access token: drafts need `gmail.compose`; `users.history.list`,
  `messages.list` and `messages.get` need `gmail.metadata` (or `readonly`); a
  token that holds `gmail.metadata` is refused any `q` (403 "Metadata scope does
  not support 'q' parameter") and `format=full`/`raw` (403), whatever else it
  holds.
- Drafts: create (JSON body with a base64url `raw`), list (pages of `maxResults`,
  `q=rfc822msgid:<id>`), get (`format=minimal|metadata|full|raw`), update (PUT:
  the draft keeps its id, its message gets a new id), delete. Creating a draft
  adds a `messageAdded` history record with the DRAFT label.
- Received mail: `deliver(raw)` puts a message in the INBOX as Gmail's delivery
  would (a new history record, ids that grow with gaps); `users.getProfile`
  answers the current `historyId`; `users.history.list` (`startHistoryId`
  required, `labelId`, `historyTypes`, pages of `maxResults` with
  `nextPageToken`, 404 for an id older than `history_floor`); `messages.list`
  (`labelIds`, newest first, pages); `messages.get(format=metadata,
  metadataHeaders=...)` with `payload.headers` and `internalDate` only.
"""

from __future__ import annotations

import base64
import email.utils
import itertools
import uuid
from email import message_from_bytes
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Any

from .base import FakeHandler

COMPOSE = "https://www.googleapis.com/auth/gmail.compose"
METADATA = "https://www.googleapis.com/auth/gmail.metadata"
READERS = (METADATA, "https://www.googleapis.com/auth/gmail.readonly",
           "https://www.googleapis.com/auth/gmail.modify", "https://mail.google.com/")
_ids = itertools.count(1000)


def error(code: int, reason: str, message: str) -> dict[str, Any]:
    """Google's error body."""
    return {"error": {"code": code, "message": message,
                      "errors": [{"domain": "global", "reason": reason, "message": message}]}}


class GmailData:
    """The mailbox's data: drafts, messages and their history (mixed into FakeGoogle)."""

    drafts: dict[str, dict[str, Any]]
    mail: dict[str, dict[str, Any]]
    history: list[dict[str, Any]]
    history_id: int
    history_floor: int
    owner: str
    lock: Any

    def deliver(self, raw: bytes, labels: tuple[str, ...] = ("INBOX", "UNREAD")) -> str:
        """A message arrives, as Gmail's delivery would; its id."""
        with self.lock:
            message_id = "m" + uuid.uuid4().hex[:15]
            date = BytesHeaderParser(policy=compat32).parsebytes(raw).get("Date", "")
            moment = email.utils.parsedate_to_datetime(date) if date else None
            self.mail[message_id] = {"id": message_id, "threadId": "t" + message_id[1:],
                                     "labelIds": list(labels), "raw": raw,
                                     "internalDate": str(int(moment.timestamp() * 1000))
                                     if moment else "0"}
            self.add_history(message_id)
            return message_id

    def add_history(self, message_id: str) -> None:
        """A messageAdded record; ids grow with gaps, as Gmail's do."""
        self.history_id += 7
        message = self.mail[message_id]
        message["historyId"] = str(self.history_id)
        self.history.append({"id": self.history_id, "message": message_id})

    def store_draft_message(self, draft: dict[str, Any], decoded: bytes) -> None:
        """A draft's (new) message: a new message id, a messageAdded record."""
        number = next(_ids)
        draft["message"] = {"id": f"m{number}", "threadId": f"t{draft['id']}",
                            "labelIds": ["DRAFT"]}
        draft["raw"] = decoded
        draft["message_id"] = message_from_bytes(decoded)["Message-ID"]
        self.mail[f"m{number}"] = {**draft["message"], "raw": decoded, "internalDate": "0"}
        self.add_history(f"m{number}")

    def update_draft(self, draft_id: str, raw: bytes) -> None:
        """The user edits a draft in Gmail: the same draft id, a new message."""
        with self.lock:
            draft = self.drafts[draft_id]
            self.mail.pop(draft["message"]["id"], None)
            self.store_draft_message(draft, raw)

    def expire_history(self) -> None:
        """Every history id given so far answers 404."""
        with self.lock:
            self.history_id += 7
            self.history_floor = self.history_id


class GmailRoutes(FakeHandler):
    """The handler's Gmail routes (the Google fake's handler extends it)."""

    fake: Any

    def token_scopes(self) -> set[str]:
        """The scopes of the request's access token (the subclass knows them)."""
        raise NotImplementedError

    def gmail(self, method: str, rest: list[str], query: dict[str, list[str]],
              body: Any) -> None:
        if "send" in rest:
            return self.send(403, error(403, "forbidden", "the fake never sends"))
        refused = self._scope_refusal(rest, query)
        if refused:
            return self.send(403, error(403, "forbidden", refused))
        with self.fake.lock:
            if rest[:1] == ["drafts"]:
                return self._drafts(method, rest[1:], query, body)
            if rest == ["profile"]:
                return self.send(200, {"emailAddress": self.fake.owner,
                                       "messagesTotal": len(self.fake.mail),
                                       "historyId": str(self.fake.history_id)})
            if rest == ["history"]:
                return self._history(query)
            if rest[:1] == ["messages"]:
                return self._messages(rest[1:], query)
        return self.send(404, error(404, "notFound", "Not Found"))

    def _scope_refusal(self, rest: list[str], query: dict[str, list[str]]) -> str:
        scopes = self.token_scopes()
        if rest[:1] == ["drafts"] and COMPOSE not in scopes and not scopes & set(READERS[2:]):
            return "Request had insufficient authentication scopes."
        if rest[:1] in (["history"], ["messages"]) and not scopes & set(READERS):
            return "Request had insufficient authentication scopes."
        if METADATA in scopes and query.get("q"):
            return "Metadata scope does not support 'q' parameter"
        if METADATA in scopes and query.get("format", [""])[0] in ("full", "raw"):
            return "Metadata scope doesn't allow format FULL"
        return ""

    # drafts

    def _drafts(self, method: str, rest: list[str], query: dict[str, list[str]],
                body: Any) -> None:
        if not rest and method == "POST":
            return self._create_draft(body or {})
        if not rest and method == "GET":
            return self._list_drafts(query)
        draft = self.fake.drafts.get(rest[0]) if rest else None
        if draft is None:
            return self.send(404, error(404, "notFound", "Requested entity was not found."))
        if method == "DELETE":
            del self.fake.drafts[rest[0]]
            return self.send(204)
        if method == "PUT":
            return self._update_draft(draft, body or {})
        return self.send(200, {"id": draft["id"], "message": self._draft_message(draft, query)})

    def _raw_of(self, body: dict[str, Any]) -> bytes | None:
        raw = body.get("message", {}).get("raw")
        return base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)) if raw else None

    def _create_draft(self, body: dict[str, Any]) -> None:
        decoded = self._raw_of(body)
        if decoded is None:
            return self.send(400, error(400, "invalidArgument", "Missing draft message"))
        draft_id = "r" + str(next(_ids))
        self.fake.drafts[draft_id] = {"id": draft_id}
        self.fake.store_draft_message(self.fake.drafts[draft_id], decoded)
        draft = self.fake.drafts[draft_id]
        return self.send(200, {"id": draft_id, "message": draft["message"]})

    def _update_draft(self, draft: dict[str, Any], body: dict[str, Any]) -> None:
        decoded = self._raw_of(body)
        if decoded is None:
            return self.send(400, error(400, "invalidArgument", "Missing draft message"))
        self.fake.update_draft(draft["id"], decoded)
        return self.send(200, {"id": draft["id"], "message": draft["message"]})

    def _draft_message(self, draft: dict[str, Any], query: dict[str, list[str]]
                       ) -> dict[str, Any]:
        message = dict(draft["message"])
        form = query.get("format", ["full"])[0]
        if form in ("metadata", "full"):
            message["payload"] = {"headers": _headers(draft["raw"], None)}
        return message

    def _list_drafts(self, query: dict[str, list[str]]) -> None:
        q = query.get("q", [""])[0]
        wanted = q.removeprefix("rfc822msgid:").strip() if q.startswith("rfc822msgid:") else None
        found = [{"id": d["id"], "message": {"id": d["message"]["id"],
                                             "threadId": d["message"]["threadId"]}}
                 for d in self.fake.drafts.values()
                 if wanted is None or (d["message_id"] or "").strip() == wanted]
        page, token = _page(found, query, 100, 500)
        answer: dict[str, Any] = {"resultSizeEstimate": len(found)}
        if page:
            answer["drafts"] = page
        if token:
            answer["nextPageToken"] = token
        return self.send(200, answer)

    # received mail

    def _history(self, query: dict[str, list[str]]) -> None:
        start = query.get("startHistoryId", [""])[0]
        if not start.isdigit():
            return self.send(400, error(400, "invalidArgument", "Invalid startHistoryId"))
        if int(start) < self.fake.history_floor:
            return self.send(404, error(404, "notFound", "Requested entity was not found."))
        label = query.get("labelId", [None])[0]
        records = []
        for record in self.fake.history:
            message = self.fake.mail.get(record["message"])
            if record["id"] <= int(start) or message is None:
                continue
            if label and label not in message["labelIds"]:
                continue
            short = {"id": message["id"], "threadId": message["threadId"]}
            records.append({"id": str(record["id"]), "messages": [short],
                            "messagesAdded": [{"message": {
                                **short, "labelIds": message["labelIds"]}}]})
        page, token = _page(records, query, 100, 500)
        answer: dict[str, Any] = {"historyId": str(self.fake.history_id)}
        if page:
            answer["history"] = page
        if token:
            answer["nextPageToken"] = token
        return self.send(200, answer)

    def _messages(self, rest: list[str], query: dict[str, list[str]]) -> None:
        if not rest:
            labels = set(query.get("labelIds", []))
            found = sorted((m for m in self.fake.mail.values() if labels <= set(m["labelIds"])),
                           key=lambda m: int(m["internalDate"]), reverse=True)
            page, token = _page([{"id": m["id"], "threadId": m["threadId"]} for m in found],
                                query, 100, 500)
            answer: dict[str, Any] = {"resultSizeEstimate": len(found)}
            if page:
                answer["messages"] = page
            if token:
                answer["nextPageToken"] = token
            return self.send(200, answer)
        message = self.fake.mail.get(rest[0])
        if message is None:
            return self.send(404, error(404, "notFound", "Requested entity was not found."))
        answer = {k: message[k] for k in ("id", "threadId", "labelIds", "historyId",
                                          "internalDate") if k in message}
        if query.get("format", ["full"])[0] == "metadata":
            answer["payload"] = {"partId": "", "mimeType": "text/plain", "filename": "",
                                 "headers": _headers(message["raw"],
                                                     query.get("metadataHeaders"))}
        return self.send(200, answer)


def _headers(raw: bytes, wanted: list[str] | None) -> list[dict[str, str]]:
    parsed = BytesHeaderParser(policy=compat32).parsebytes(raw)
    names = {w.lower() for w in wanted} if wanted else None
    return [{"name": name, "value": str(value)} for name, value in parsed.items()
            if names is None or name.lower() in names]


def _page(items: list[Any], query: dict[str, list[str]], default: int, most: int
          ) -> tuple[list[Any], str]:
    """A page of `items` by `pageToken` (an offset here) and `maxResults`."""
    size = min(int(query.get("maxResults", [str(default)])[0]), most)
    offset = int(query.get("pageToken", ["0"])[0] or 0)
    rest = offset + size
    return items[offset:rest], str(rest) if rest < len(items) else ""
