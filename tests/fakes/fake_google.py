"""A local fake of the Google APIs the daemon uses, on 127.0.0.1.

It implements the documented wire behaviour of the subset in use, so that the
real client library (built from its bundled discovery documents) can be tested
against it:

- OAuth: `/auth` (authorisation, redirects with a code), `/token` (the
  authorization_code grant with PKCE S256 and the refresh_token grant;
  `invalid_grant` for a dead token), `/revoke`.
- Calendar v3 events: list (paging with `pageToken`/`nextPageToken`,
  `nextSyncToken` on the last page only, `syncToken` refused with `timeMin`,
  `timeMax`, `q`, `orderBy`, `iCalUID`, `updatedMin` and the extended-property
  filters, 410 `fullSyncRequired` for an expired token, deleted events
  returned as `status: cancelled` in incremental results and with
  `showDeleted`, `privateExtendedProperty` filters ANDed), insert, get,
  patch, delete (410 for a deleted event, 404 for an unknown one).
- Gmail v1 (`fake_gmail`): drafts, received mail and its history, by the scopes
  each access token holds. Any send endpoint answers 403 and is logged.
- calendarList.list (the user's calendars) and calendars.insert, each with a scope
  that covers it.
- The batch endpoint of both APIs (`google_batch`).
- Every request needs a valid bearer token (401 otherwise), carries `alt=json`
  as the client sends it, and is recorded in `requests`.
- Faults: `fail(...)` makes matching requests answer an HTTP status (with or
  without Retry-After), hang past the client's timeout, reset the connection,
  or send truncated JSON.

Recurring masters are not modelled: the daemon always lists with
`singleEvents=true`, so tests add instances (with `recurringEventId` and
`originalStartTime`) directly.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode

from .base import FakeHandler, FakeServer
from .fake_gmail import GmailData, GmailRoutes, error
from .google_batch import BatchRoutes

SYNC_INCOMPATIBLE = ("timeMin", "timeMax", "q", "orderBy", "iCalUID", "updatedMin",
                     "privateExtendedProperty", "sharedExtendedProperty")


@dataclass
class FakeGoogle(GmailData, FakeServer):
    """The fake's data; `url` once started."""

    client_id: str = "test-client.apps.googleusercontent.com"
    client_secret: str = "test-client-secret-XYZ"
    refresh_tokens: set[str] = field(default_factory=lambda: {"1//test-refresh-token"})
    access_tokens: set[str] = field(default_factory=set)
    calendars: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {"primary": {}})
    drafts: dict[str, dict[str, Any]] = field(default_factory=dict)
    mail: dict[str, dict[str, Any]] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    history_id: int = 41000
    history_floor: int = 0  # history ids below this answer 404
    scopes_of: dict[str, str] = field(default_factory=dict)  # access token -> its scopes
    unticked: set[str] = field(default_factory=set)  # scopes the user unticks at consent
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    owner: str = "alex@gmail.com"
    seq: int = 0
    token_floor: int = 0  # sync tokens below this answer 410
    granted: str = ""  # the scope a refresh says the token holds ("": the daemon's two)
    snapshots: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    calendar_names: dict[str, str] = field(default_factory=dict)  # id -> summary
    refresh_scopes: dict[str, str] = field(default_factory=dict)  # what a consent granted

    def handler(self) -> type[FakeHandler]:
        return _Handler

    # what tests do to the data, as the user or Google would

    def put_event(self, calendar: str, body: dict[str, Any], event_id: str | None = None
                  ) -> dict[str, Any]:
        """Add or replace an event as the user would."""
        with self.lock:
            event_id = event_id or uuid.uuid4().hex[:26]
            event = {"kind": "calendar#event", "id": event_id, "status": "confirmed",
                     "iCalUID": f"{event_id}@google.com", "sequence": 0, **body}
            self._touch(event)
            self.calendars.setdefault(calendar, {})[event_id] = event
            return event

    def delete_event(self, calendar: str, event_id: str) -> None:
        """Delete an event as the user would."""
        with self.lock:
            event = self.calendars[calendar][event_id]
            event["status"] = "cancelled"
            event["_deleted"] = True
            self._touch(event)

    def live_events(self, calendar: str = "primary") -> list[dict[str, Any]]:
        """Events not deleted."""
        return [e for e in self.calendars.get(calendar, {}).values() if not e.get("_deleted")]

    def expire_sync_tokens(self) -> None:
        """Make every sync token issued so far answer 410."""
        with self.lock:
            self.seq += 1
            self.token_floor = self.seq

    def _touch(self, event: dict[str, Any]) -> None:
        self.seq += 1
        event["_seq"] = self.seq
        event["etag"] = f'"{self.seq}"'
        event["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


_error = error


def _public(event: dict[str, Any]) -> dict[str, Any]:
    if event.get("_deleted"):
        return {"kind": "calendar#event", "etag": event["etag"], "id": event["id"],
                "status": "cancelled"}
    return {k: v for k, v in event.items() if not k.startswith("_")}


def _time_of(value: dict[str, Any] | None) -> str:
    if not value:
        return ""
    return str(value.get("dateTime") or value.get("date") or "")


class _Handler(GmailRoutes, BatchRoutes):
    fake: FakeGoogle

    def error_body(self, status: int, reason: str, message: str) -> Any:
        return _error(status, reason, message)

    def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None
              ) -> None:
        self.send(status, body, headers)

    # routing

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> None:
        if path == "/auth":
            return self._authorize(query)
        if path == "/token":
            return self._token(body or {})
        if path == "/revoke":
            return self._send(200, {})
        if not self._authorised():
            return self._send(401, _error(401, "authError", "Invalid Credentials"))
        if method == "POST" and path in ("/batch/calendar/v3", "/batch/gmail/v1"):
            return self.batch(path.removeprefix("/batch/"), body)
        parts = [p for p in path.split("/") if p]
        if parts == ["calendar", "v3", "users", "me", "calendarList"] and method == "GET":
            return self._calendar_list(query)
        if parts == ["calendar", "v3", "calendars"] and method == "POST":
            return self._new_calendar(body or {})
        if parts[:2] == ["calendar", "v3"] and len(parts) >= 5 and parts[2] == "calendars":
            return self._calendar(method, parts[3], parts[5:] if len(parts) > 5 else [],
                                  query, body)
        if parts[:4] == ["gmail", "v1", "users", "me"]:
            return self.gmail(method, parts[4:], query, body)
        return self._send(404, _error(404, "notFound", f"no route {path}"))

    def token_scopes(self) -> set[str]:
        """The scopes the request's access token was granted."""
        token = self.headers.get("Authorization", "")[7:]
        return set(self.fake.scopes_of.get(token, "").split())

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        return header.startswith("Bearer ") and header[7:] in self.fake.access_tokens

    # OAuth

    def _authorize(self, query: dict[str, list[str]]) -> None:
        first = {k: v[0] for k, v in query.items()}
        if first.get("client_id") != self.fake.client_id:
            return self._send(400, {"error": "invalid_client"})
        code = uuid.uuid4().hex
        self.fake.codes[code] = first
        target = first["redirect_uri"] + "?" + urlencode(
            {"code": code, "state": first.get("state", ""), "scope": first.get("scope", "")})
        self._send(302, None, {"Location": target})

    def _client_ok(self, form: dict[str, str]) -> bool:
        basic = self.headers.get("Authorization", "")
        if basic.startswith("Basic "):
            user, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
            form = {**form, "client_id": user, "client_secret": secret}
        return (form.get("client_id") == self.fake.client_id
                and form.get("client_secret") == self.fake.client_secret)

    def _token(self, body: dict[str, list[str]]) -> None:
        form = {k: v[0] for k, v in body.items()}
        if not self._client_ok(form):
            return self._send(401, {"error": "invalid_client"})
        if form.get("grant_type") == "authorization_code":
            return self._exchange(form)
        if form.get("refresh_token") not in self.fake.refresh_tokens:
            return self._send(400, {"error": "invalid_grant",
                                    "error_description": "Token has been expired or revoked."})
        scope = self.fake.refresh_scopes.get(form["refresh_token"], "")
        return self._send(200, self._new_access_token(None, scope))

    def _exchange(self, form: dict[str, str]) -> None:
        request = self.fake.codes.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        if request is None or request.get("code_challenge") != challenge.decode().rstrip("="):
            return self._send(400, {"error": "invalid_grant"})
        refresh = "1//" + uuid.uuid4().hex
        self.fake.refresh_tokens.add(refresh)
        granted = [s for s in request.get("scope", "").split() if s not in self.fake.unticked]
        self.fake.refresh_scopes[refresh] = " ".join(granted)  # a refresh grants them again
        return self._send(200, self._new_access_token(refresh, " ".join(granted)))

    def _new_access_token(self, refresh: str | None, scope: str = "") -> dict[str, Any]:
        token = "ya29." + uuid.uuid4().hex
        self.fake.access_tokens.add(token)
        granted = scope or self.fake.granted or ("https://www.googleapis.com/auth/"
                                                 "calendar.events https://www.googleapis.com"
                                                 "/auth/gmail.compose")
        answer: dict[str, Any] = {"access_token": token, "expires_in": 3599,
                                  "token_type": "Bearer", "scope": granted}
        self.fake.scopes_of[token] = granted
        if refresh:
            answer["refresh_token"] = refresh
        return answer

    # Calendar

    def _calendar_list(self, query: dict[str, list[str]]) -> None:
        """calendarList.list: the user's calendars, the primary one marked, in pages of
        `maxResults` (100 by default); it needs a scope that covers the list."""
        allowed = {"calendar", "calendar.readonly", "calendar.calendarlist",
                   "calendar.calendarlist.readonly"}
        if not {s.rsplit("/", 1)[-1] for s in self.token_scopes()} & allowed:
            return self._send(403, _error(403, "insufficientPermissions",
                                          "Request had insufficient authentication scopes."))
        # the primary calendar's id is the owner's address ("primary" names it too)
        items = [{"kind": "calendar#calendarListEntry", "id": self.fake.owner if
                  c == "primary" else c,
                  "summary": self.fake.calendar_names.get(c, self.fake.owner if
                                                          c == "primary" else c),
                  "accessRole": "owner", **({"primary": True} if c == "primary" else {})}
                 for c in self.fake.calendars]
        start = int(query.get("pageToken", ["0"])[0])
        size = int(query.get("maxResults", ["100"])[0])
        answer: dict[str, Any] = {"kind": "calendar#calendarList",
                                  "items": items[start:start + size]}
        if start + size < len(items):
            answer["nextPageToken"] = str(start + size)
        return self._send(200, answer)

    def _new_calendar(self, body: dict[str, Any]) -> None:
        """calendars.insert: a secondary calendar (with a scope that may make one)."""
        allowed = {"calendar", "calendar.app.created", "calendar.calendars"}
        if not {s.rsplit("/", 1)[-1] for s in self.token_scopes()} & allowed:
            return self._send(403, _error(403, "insufficientPermissions",
                                          "Request had insufficient authentication scopes."))
        if not body.get("summary"):
            return self._send(400, _error(400, "required", "Missing title."))
        made = f"{uuid.uuid4().hex[:26]}@group.calendar.google.com"
        with self.fake.lock:
            self.fake.calendars[made] = {}
            self.fake.calendar_names[made] = str(body["summary"])
        return self._send(200, {"kind": "calendar#calendar", "id": made,
                                "summary": body["summary"], "timeZone": "UTC"})

    def _calendar(self, method: str, calendar: str, rest: list[str],
                  query: dict[str, list[str]], body: Any) -> None:
        with self.fake.lock:
            calendar = unquote(calendar)
            calendar = "primary" if calendar == self.fake.owner else calendar
            events = self.fake.calendars.get(calendar)
            if events is None:
                return self._send(404, _error(404, "notFound", "Not Found"))
            if not rest and method == "GET":
                return self._list(calendar, events, query)
            if not rest and method == "POST":
                return self._insert(calendar, body or {})
            event = events.get(rest[0]) if rest else None
            if event is None:
                return self._send(404, _error(404, "notFound", "Not Found"))
            if method == "GET":  # "the get method always returns" cancelled events
                return self._send(200, _public(event))
            if method in ("PUT", "PATCH", "DELETE") and \
                    self.headers.get("If-Match", event["etag"]) != event["etag"]:
                return self._send(412, _error(412, "conditionNotMet", "Precondition Failed"))
            if method == "PUT":
                return self._update(event, body or {})
            if event.get("_deleted"):
                return self._send(410, _error(410, "deleted", "Resource has been deleted"))
            if method == "PATCH":
                return self._patch(event, body or {})
            if method == "DELETE":
                self.fake.delete_event(calendar, event["id"])
                return self._send(204)
        return self._send(405, _error(405, "methodNotAllowed", method))

    def _list(self, calendar: str, events: dict[str, dict[str, Any]],
              query: dict[str, list[str]]) -> None:
        page_token = query.get("pageToken", [None])[0]
        sync_token = query.get("syncToken", [None])[0]
        if sync_token and any(name in query for name in SYNC_INCOMPATIBLE):
            return self._send(400, _error(400, "invalid",
                                          "syncToken cannot be used with these parameters"))
        if page_token:
            snapshot = self.fake.snapshots.get(page_token)
            if snapshot is None:
                return self._send(400, _error(400, "invalid", "Invalid page token"))
        else:
            selected = self._select(events, query, sync_token)
            if selected is None:
                return self._send(410, _error(410, "fullSyncRequired",
                                              "Sync token is no longer valid, a full sync is "
                                              "required."))
            snapshot = [*selected, {"_sync": f"sync-{self.fake.seq}"}]
        size = min(int(query.get("maxResults", ["250"])[0]), 2500)
        items, rest = [e for e in snapshot[:size] if "_sync" not in e], snapshot[size:]
        answer: dict[str, Any] = {"kind": "calendar#events", "timeZone": "UTC", "items": items}
        if rest and not (len(rest) == 1 and "_sync" in rest[0]):
            token = uuid.uuid4().hex
            self.fake.snapshots[token] = rest
            answer["nextPageToken"] = token
        else:
            answer["nextSyncToken"] = snapshot[-1]["_sync"]
        return self._send(200, answer)

    def _select(self, events: dict[str, dict[str, Any]], query: dict[str, list[str]],
                sync_token: str | None) -> list[dict[str, Any]] | None:
        if sync_token:
            try:
                since = int(sync_token.removeprefix("sync-"))
            except ValueError:
                return None
            if since < self.fake.token_floor:
                return None
            return [_public(e) for e in events.values() if e["_seq"] > since]
        show_deleted = query.get("showDeleted", ["false"])[0] == "true"
        wanted = [p.partition("=") for p in query.get("privateExtendedProperty", [])]
        time_min = query.get("timeMin", [""])[0]
        chosen = []
        for event in events.values():
            if event.get("_deleted") and not show_deleted:
                continue
            private = event.get("extendedProperties", {}).get("private", {})
            if any(private.get(k) != v for k, _, v in wanted):
                continue
            if time_min and _time_of(event.get("end")) and _time_of(event.get("end")) < time_min:
                continue
            chosen.append(_public(event))
        return chosen

    def _insert(self, calendar: str, body: dict[str, Any]) -> None:
        if "start" not in body or "end" not in body:
            return self._send(400, _error(400, "required", "Missing end time."))
        chosen = body.pop("id", None)
        if chosen is not None and not EVENT_ID.fullmatch(str(chosen)):
            return self._send(400, _error(400, "invalid", "Invalid resource id value."))
        if chosen is not None and chosen in self.fake.calendars[calendar]:  # deleted ones too
            return self._send(409, _error(409, "duplicate",
                                          "The requested identifier already exists."))
        event = self.fake.put_event(calendar, {
            **body, "organizer": {"email": self.fake.owner, "self": True},
            "creator": {"email": self.fake.owner, "self": True}}, chosen)
        return self._send(200, _public(event))

    def _update(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """PUT replaces the event's writable fields; a cancelled one comes back unless
        the body keeps it cancelled."""
        kept: dict[str, Any] = {k: event[k] for k in ("kind", "id", "iCalUID", "organizer",
                                                      "creator") if k in event}
        event.clear()
        event.update({"status": "confirmed", **body, **kept})
        event["sequence"] = int(event.get("sequence", 0)) + 1
        self.fake._touch(event)
        return self._send(200, _public(event))

    def _patch(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        for key, value in body.items():
            if key == "extendedProperties":
                for scope, values in value.items():
                    event.setdefault(key, {}).setdefault(scope, {}).update(values)
            else:
                event[key] = value
        event["sequence"] = int(event.get("sequence", 0)) + 1
        self.fake._touch(event)
        return self._send(200, _public(event))


EVENT_ID = re.compile(r"[a-v0-9]{5,1024}")
