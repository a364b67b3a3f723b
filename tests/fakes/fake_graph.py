"""A local fake of the Microsoft identity platform and Microsoft Graph, over HTTPS
on 127.0.0.1 (msal refuses http authorities).

Authority (`/{tenant}/...`): OIDC discovery, the device-code endpoint, and the
token endpoint for the device-code, authorization-code (PKCE) and refresh-token
grants. Refresh tokens rotate: each refresh answers a new one and the used one
dies, as a strict server may. Tokens carry an unsigned id_token whose `iss` is
the discovery issuer and `aud` the client id, a `client_info`, and the granted
scopes.

Graph (`/v1.0/...`): `calendarView/delta` (pages of `odata.maxpagesize`,
absolute `@odata.nextLink`/`@odata.deltaLink`, `@removed` entries, 410
`SyncStateNotFound` for an expired delta token, no `$filter`/`$select`/
`$expand` allowed), events list with the single-value extended-property
`$filter` (name part case-sensitive, value not) and `$expand`, create (with
`transactionId`: a retry returns the event created first), get, patch,
delete; messages (drafts) create (with a `changeKey`, new at every change),
filter, get (`$select`), patch, delete; the Inbox's messages delta
(`mailFolders/inbox/messages/delta`: `changeType=created`, `$select`, only
`$filter=receivedDateTime ge ...` on a first round, pages of `odata.maxpagesize`
(10 unless preferred), links that keep the query, 410 for an expired token; no
`internetMessageHeaders` in it, which a GET of one message with `$select` gives).
JSON batching (`$batch`, `graph_batch`). `deliver` puts a message in the Inbox as
Exchange's delivery would. `send`/
`sendMail` answer 403 and are logged. Times are stored in UTC and answered in UTC
(`Prefer: outlook.timezone="UTC"`); Windows zone names are understood.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.policy
import email.utils
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from typing import Any
from zoneinfo import ZoneInfo

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from .base import FakeHandler, FakeServer
from .graph_batch import GraphBatchRoutes

EXT_FILTER = re.compile(
    r"singleValueExtendedProperties/Any\(ep: ep/id eq '(?P<id>[^']+)' and "
    r"ep/value eq '(?P<value>[^']*)'\)")
SCOPE = "Calendars.ReadWrite Mail.ReadWrite openid profile offline_access"
DEFAULT_CALENDAR = "AAMkAGI2TGuLAAA" + "A" * 40 + "="  # ids are long base64


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _calendar_of(parts: list[str]) -> str | None:
    """The calendar a path names: me/calendar (the default), me/calendars/ID; None for
    paths of every calendar (me/events)."""
    if parts[:2] == ["me", "calendar"]:
        return DEFAULT_CALENDAR
    return parts[2] if parts[:2] == ["me", "calendars"] and len(parts) > 2 else None


def to_utc(value: dict[str, Any]) -> dt.datetime:
    """A Graph dateTimeTimeZone as an aware UTC datetime."""
    name = str(value.get("timeZone") or "UTC")
    zone = ZoneInfo(WINDOWS_TO_OLSON.get(name, name))
    text = re.sub(r"(\.\d{6})\d+", r"\1", str(value["dateTime"])).replace("Z", "")
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone).astimezone(dt.UTC)


def graph_time(moment: dt.datetime) -> dict[str, str]:
    return {"dateTime": moment.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"}


@dataclass
class FakeGraph(FakeServer):
    """The fake's data."""

    client_id: str = "00000000-aaaa-bbbb-cccc-000000000001"
    tenant_id: str = "11111111-2222-3333-4444-555555555555"
    user: str = "alex@contoso.com"
    refresh_tokens: set[str] = field(default_factory=set)
    access_tokens: set[str] = field(default_factory=set)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    calendar_names: dict[str, str] = field(default_factory=dict)  # id -> name; the first: default
    inbox: dict[str, dict[str, Any]] = field(default_factory=dict)
    transactions: dict[str, str] = field(default_factory=dict)
    device_codes: set[str] = field(default_factory=set)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    seq: int = 0
    token_floor: int = 0
    snapshots: dict[str, tuple[list[dict[str, Any]], int]] = field(default_factory=dict)
    ca_file: str = ""  # the self-signed certificate clients must trust

    def handler(self) -> type[FakeHandler]:
        return _Handler

    # what tests do, as the user would

    def put_event(self, body: dict[str, Any], event_id: str | None = None,
                  calendar: str = DEFAULT_CALENDAR) -> dict[str, Any]:
        """Add or replace an event (times in any zone Graph accepts) in a calendar."""
        with self.lock:
            event_id = event_id or "AAMk" + uuid.uuid4().hex
            event = {"id": event_id, "isCancelled": False, "type": "singleInstance",
                     "isAllDay": False, **body, "_calendar": calendar}
            for side in ("start", "end"):
                event[side] = graph_time(to_utc(event[side]))
            self._touch(event)
            self.events[event_id] = event
            return event

    def delete_event(self, event_id: str) -> None:
        """Delete an event as the user would."""
        with self.lock:
            self.events[event_id]["_deleted"] = True
            self._touch(self.events[event_id])

    def live_events(self) -> list[dict[str, Any]]:
        return [e for e in self.events.values() if not e.get("_deleted")]

    def deliver(self, raw: bytes) -> str:
        """A message arrives in the Inbox; its id."""
        headers = BytesHeaderParser(policy=email.policy.default).parsebytes(raw)
        name, address = email.utils.parseaddr(str(headers.get("From", "")))
        date = email.utils.parsedate_to_datetime(str(headers["Date"])).astimezone(dt.UTC)
        with self.lock:
            message_id = "AAMkinbox" + uuid.uuid4().hex
            self.inbox[message_id] = {
                "id": message_id, "isDraft": False, "subject": str(headers.get("Subject", "")),
                "from": {"emailAddress": {"name": name, "address": address}},
                "receivedDateTime": date.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "internetMessageHeaders": [{"name": k, "value": str(v)}
                                           for k, v in headers.items()]}
            self._touch(self.inbox[message_id])
            return message_id

    def edit_message(self, message_id: str, changes: dict[str, Any]) -> None:
        """The user edits a draft in Outlook: the same id, a new changeKey."""
        with self.lock:
            self.messages[message_id].update(changes)
            self._touch(self.messages[message_id])

    def expire_delta_tokens(self) -> None:
        with self.lock:
            self.seq += 1
            self.token_floor = self.seq

    def _touch(self, item: dict[str, Any]) -> None:
        """Every change, by anyone, gives a new changeKey, as Graph does."""
        self.seq += 1
        item["_seq"] = self.seq
        item["lastModifiedDateTime"] = dt.datetime.now(dt.UTC).isoformat()
        item["changeKey"] = f"ck{self.seq:08d}"

    # tokens

    def tokens(self, nonce: str | None = None) -> dict[str, Any]:
        """A token answer with a fresh access token and a new refresh token."""
        access, refresh = "eyJ.access." + uuid.uuid4().hex, "M.R3_" + uuid.uuid4().hex
        self.access_tokens.add(access)
        self.refresh_tokens.add(refresh)
        now = int(time.time())
        claims = {"iss": f"{self.url}/{self.tenant_id}/v2.0", "aud": self.client_id,
                  "exp": now + 3600, "iat": now, "nbf": now, "tid": self.tenant_id,
                  "oid": "oid-1", "sub": "sub-1", "preferred_username": self.user,
                  "name": "Alex Rivera"}
        if nonce:
            claims["nonce"] = nonce
        id_token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
        return {"token_type": "Bearer", "scope": SCOPE, "expires_in": 3600,
                "ext_expires_in": 3600, "access_token": access, "refresh_token": refresh,
                "id_token": id_token, "client_info": _b64({"uid": "oid-1",
                                                           "utid": self.tenant_id})}


def _message_view(item: dict[str, Any], query: dict[str, list[str]]) -> dict[str, Any]:
    """A message as Graph answers it: `internetMessageHeaders` only when selected."""
    view = {k: v for k, v in item.items()
            if not k.startswith("_") and k != "internetMessageHeaders"}
    if "$select" in query:
        wanted = query["$select"][0].split(",")
        view = {k: v for k, v in item.items() if k in wanted or k == "id"}
    return view


class _Handler(GraphBatchRoutes):
    fake: FakeGraph

    def error_body(self, status: int, reason: str, message: str) -> Any:
        return {"error": {"code": reason, "message": message}}

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> None:
        parts = [p for p in path.split("/") if p]
        if len(parts) >= 2 and parts[1] in ("v2.0", "oauth2"):
            return self._authority(parts, body or {})
        if parts[:1] != ["v1.0"]:
            return self.send(404, self.error_body(404, "NotFound", path))
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.fake.access_tokens:
            return self.send(401, self.error_body(401, "InvalidAuthenticationToken",
                                                  "Access token is empty or invalid."))
        if parts[1:] == ["$batch"] and method == "POST":
            return self.batch(body)
        if any(p in ("send", "sendMail") for p in parts):
            return self.send(403, self.error_body(403, "ErrorAccessDenied", "fake never sends"))
        with self.fake.lock:
            return self._graph(method, parts[1:], query, body)

    # authority

    def _authority(self, parts: list[str], form: dict[str, list[str]]) -> None:
        tenant, base = parts[0], f"{self.fake.url}/{parts[0]}"
        if parts[1:] == ["v2.0", ".well-known", "openid-configuration"]:
            return self.send(200, {
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
                "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
                "issuer": f"{self.fake.url}/{self.fake.tenant_id}/v2.0",
                "tenant_region_scope": None})
        fields = {k: v[0] for k, v in form.items()} if isinstance(form, dict) else {}
        if parts[-1] == "devicecode":
            code = uuid.uuid4().hex
            self.fake.device_codes.add(code)
            return self.send(200, {
                "device_code": code, "user_code": "FAKE-CODE", "expires_in": 900,
                "interval": 1, "verification_uri": "https://microsoft.com/devicelogin",
                "message": "To sign in, use a web browser to open the page "
                           "https://microsoft.com/devicelogin and enter the code FAKE-CODE."})
        if parts[-1] == "authorize":
            return self._authorize(fields or self._query_fields())
        if parts[-1] == "token":
            return self._token(tenant, fields)
        return self.send(404, self.error_body(404, "NotFound", "/".join(parts)))

    def _query_fields(self) -> dict[str, str]:
        from urllib.parse import parse_qs, urlparse
        return {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}

    def _authorize(self, fields: dict[str, str]) -> None:
        code = uuid.uuid4().hex
        self.fake.codes[code] = fields
        inputs = "".join(f'<input type="hidden" name="{n}" value="{v}">'
                         for n, v in (("code", code), ("state", fields.get("state", ""))))
        page = (f'<html><body><form method="post" action="{fields["redirect_uri"]}">'
                f"{inputs}</form></body></html>")
        return self.send(200, page, content_type="text/html")

    def _token(self, tenant: str, fields: dict[str, str]) -> None:
        if fields.get("client_id") != self.fake.client_id:
            return self.send(400, {"error": "unauthorized_client"})
        grant = fields.get("grant_type", "")
        if grant == "device_code" or grant.endswith(":device_code"):
            if fields.get("device_code") not in self.fake.device_codes:
                return self.send(400, {"error": "expired_token"})
            self.fake.device_codes.discard(fields["device_code"])
            return self.send(200, self.fake.tokens())
        if grant == "authorization_code":
            request = self.fake.codes.pop(fields.get("code", ""), None)
            if request is None:
                return self.send(400, {"error": "invalid_grant"})
            return self.send(200, self.fake.tokens(request.get("nonce")))
        if fields.get("refresh_token") not in self.fake.refresh_tokens:
            return self.send(400, {"error": "invalid_grant", "error_codes": [70008],
                                   "error_description": "AADSTS70008: The refresh token has "
                                                        "expired or been revoked."})
        self.fake.refresh_tokens.discard(fields["refresh_token"])  # rotation
        return self.send(200, self.fake.tokens())

    # Graph

    def _graph(self, method: str, parts: list[str], query: dict[str, list[str]],
               body: Any) -> None:
        if parts[-2:] == ["calendarView", "delta"]:
            return self._delta(query, _calendar_of(parts), "/".join(parts[:-2]))
        if parts == ["me", "mailFolders", "inbox", "messages", "delta"]:
            return self._inbox_delta(query)
        if parts == ["me", "calendars"] and method == "GET":
            return self._calendars(query)
        if parts == ["me", "calendars"] and method == "POST":
            return self._new_calendar(body or {})
        if parts[-1] == "events" and method == "GET":
            calendar = _calendar_of(parts)
            return self._list([e for e in self.fake.live_events() if calendar in (
                None, e.get("_calendar"))], query)
        if parts[-1] == "events" and method == "POST":
            return self._create(body or {}, query, _calendar_of(parts) or DEFAULT_CALENDAR)
        if parts[:2] == ["me", "events"] and len(parts) == 3:
            return self._one_event(method, parts[2], body or {}, query)
        if parts[:2] == ["me", "messages"]:
            return self._messages(method, parts[2:], body or {}, query)
        return self.send(404, self.error_body(404, "NotFound", "/".join(parts)))

    def _calendars(self, query: dict[str, list[str]]) -> None:
        """GET /me/calendars: the user's calendars (one page: the fake has few). The
        fake keeps one calendar's events; the others only have names."""
        names = self.fake.calendar_names or {DEFAULT_CALENDAR: "Calendar"}
        calendars = [{"id": i, "name": n, "isDefaultCalendar": i == next(iter(names)),
                      "canEdit": True} for i, n in names.items()]
        selected = query.get("$select", [""])[0].split(",")
        if selected != [""]:
            calendars = [{k: v for k, v in c.items() if k in selected} for c in calendars]
        return self.send(200, {"value": calendars})

    def _new_calendar(self, body: dict[str, Any]) -> None:
        """POST /me/calendars: a calendar of that name (409 when one has it)."""
        names = self.fake.calendar_names or {DEFAULT_CALENDAR: "Calendar"}
        if not body.get("name") or body["name"] in names.values():
            return self.send(409 if body.get("name") else 400, self.error_body(
                409, "ErrorFolderExists", "A folder with the specified name already exists."))
        made = "AAMkAG" + uuid.uuid4().hex + "A" * 20 + "="
        self.fake.calendar_names = {**names, made: str(body["name"])}
        return self.send(201, {"id": made, "name": body["name"], "canEdit": True,
                               "isDefaultCalendar": False})

    def _view(self, event: dict[str, Any], query: dict[str, list[str]]) -> dict[str, Any]:
        view = {k: v for k, v in event.items() if not k.startswith("_") and
                k != "singleValueExtendedProperties"}
        expand = query.get("$expand", [""])[0]
        match = re.search(r"\$filter=id eq '([^']+)'", expand)
        if match:
            view["singleValueExtendedProperties"] = [
                p for p in event.get("singleValueExtendedProperties", [])
                if p["id"] == match.group(1)]
        return view

    def _delta(self, query: dict[str, list[str]], calendar: str | None, path: str) -> None:
        """calendarView/delta of one calendar (me/calendar: the default one)."""
        if any(name in query for name in ("$filter", "$select", "$expand")):
            return self.send(400, self.error_body(400, "BadRequest",
                                                  "delta does not support query options"))
        size = int(re.search(r"odata\.maxpagesize=(\d+)",
                             self.headers.get("Prefer", "")
                             + " odata.maxpagesize=100").group(1))  # type: ignore[union-attr]
        if "$skiptoken" in query:
            snapshot = self.fake.snapshots.get(query["$skiptoken"][0])
            if snapshot is None:
                return self.send(400, self.error_body(400, "BadRequest", "bad skiptoken"))
            items, seq = snapshot
        else:
            selected = self._delta_items(query, calendar or DEFAULT_CALENDAR)
            if selected is None:
                return self.send(410, self.error_body(410, "SyncStateNotFound",
                                                      "The sync state generation is not found."))
            items, seq = selected, self.fake.seq
        return self._page(items, seq, size, path)

    def _delta_items(self, query: dict[str, list[str]], calendar: str
                     ) -> list[dict[str, Any]] | None:
        if "$deltatoken" in query:
            since = int(query["$deltatoken"][0])
            if since < self.fake.token_floor:
                return None
            changed = [e for e in self.fake.events.values() if e["_seq"] > since
                       and e.get("_calendar") == calendar]
            return [{"@odata.type": "#microsoft.graph.event", "id": e["id"],
                     "@removed": {"reason": "deleted"}} if e.get("_deleted")
                    else self._view(e, {}) for e in changed]
        start = dt.datetime.fromisoformat(query["startDateTime"][0].replace("Z", "+00:00"))
        end = dt.datetime.fromisoformat(query["endDateTime"][0].replace("Z", "+00:00"))
        return [self._view(e, {}) for e in self.fake.live_events()
                if to_utc(e["end"]) > start and to_utc(e["start"]) < end
                and e.get("_calendar") == calendar]

    def _page(self, items: list[dict[str, Any]], seq: int, size: int, path: str) -> None:
        # the default calendar's links are /me/calendarView/delta's, as Graph documents
        # it; another calendar's keep its own path
        base = f"{self.fake.url}/v1.0/{'me' if path == 'me/calendar' else path}/calendarView/delta"
        answer: dict[str, Any] = {"@odata.context": "fake", "value": items[:size]}
        if len(items) > size:
            token = uuid.uuid4().hex
            self.fake.snapshots[token] = (items[size:], seq)
            answer["@odata.nextLink"] = f"{base}?$skiptoken={token}"
        else:
            answer["@odata.deltaLink"] = f"{base}?$deltatoken={seq}"
        return self.send(200, answer)

    def _inbox_delta(self, query: dict[str, list[str]]) -> None:
        size = int(re.search(r"odata\.maxpagesize=(\d+)",
                             self.headers.get("Prefer", "")
                             + " odata.maxpagesize=10").group(1))  # type: ignore[union-attr]
        if "$skiptoken" in query:
            token, _, select = query["$skiptoken"][0].partition(".")
            snapshot = self.fake.snapshots.get(token)
            if snapshot is None:
                return self.send(400, self.error_body(400, "BadRequest", "bad skiptoken"))
            items, seq = snapshot
            return self._inbox_page(items, seq, size, select)
        if "$deltatoken" in query:
            since = int(query["$deltatoken"][0].partition(".")[0])
            if since < self.fake.token_floor:
                return self.send(410, self.error_body(410, "SyncStateNotFound",
                                                      "The sync state generation is not found."))
            select = query["$deltatoken"][0].partition(".")[2]
            chosen = [m for m in self.fake.inbox.values() if m["_seq"] > since]
        else:
            odata_filter = query.get("$filter", [""])[0]
            found = re.fullmatch(r"receivedDateTime (ge|gt) (\S+)", odata_filter)
            if odata_filter and not found:
                return self.send(400, self.error_body(400, "ErrorInvalidUrlQueryFilter",
                                                      "only receivedDateTime ge/gt"))
            select = query.get("$select", [""])[0]
            chosen = [m for m in self.fake.inbox.values()
                      if not found or m["receivedDateTime"] >= found[2]]
        fields = {"$select": [select.replace("internetMessageHeaders", "")]} if select else {}
        items = [_message_view(m, fields) for m in sorted(chosen, key=lambda m: m["_seq"])]
        return self._inbox_page(items, self.fake.seq, size, select)

    def _inbox_page(self, items: list[dict[str, Any]], seq: int, size: int,
                    select: str = "") -> None:
        base = f"{self.fake.url}/v1.0/me/mailFolders/inbox/messages/delta"
        answer: dict[str, Any] = {"@odata.context": "fake", "value": items[:size]}
        if len(items) > size:
            token = uuid.uuid4().hex
            self.fake.snapshots[token] = (items[size:], seq)
            answer["@odata.nextLink"] = f"{base}?$skiptoken={token}.{select}"
        else:  # the tokens keep the round's $select, as Graph encodes its options
            answer["@odata.deltaLink"] = f"{base}?$deltatoken={seq}.{select}"
        return self.send(200, answer)

    def _matches(self, item: dict[str, Any], odata_filter: str) -> bool:
        match = EXT_FILTER.fullmatch(odata_filter.strip())
        if match is None:
            raise ValueError(f"filter not supported by the fake: {odata_filter}")
        return any(p["id"] == match["id"] and str(p["value"]).lower() == match["value"].lower()
                   for p in item.get("singleValueExtendedProperties", []))

    def _list(self, items: list[dict[str, Any]], query: dict[str, list[str]]) -> None:
        odata_filter = query.get("$filter", [""])[0]
        if odata_filter:
            items = [e for e in items if self._matches(e, odata_filter)]
        size = int(query.get("$top", ["10"])[0])
        skip = int(query.get("$skip", ["0"])[0])
        answer: dict[str, Any] = {"value": [self._view(e, query)
                                            for e in items[skip:skip + size]]}
        if len(items) > skip + size:
            rest = {k: v[0] for k, v in query.items() if k != "$skip"}
            from urllib.parse import urlencode
            answer["@odata.nextLink"] = (f"{self.fake.url}{self.path.split('?')[0]}?"
                                         + urlencode({**rest, "$skip": skip + size}))
        return self.send(200, answer)

    def _create(self, body: dict[str, Any], query: dict[str, list[str]], calendar: str
                ) -> None:
        transaction = body.get("transactionId")
        if transaction and transaction in self.fake.transactions:
            existing = self.fake.events[self.fake.transactions[transaction]]
            return self.send(201, self._view(existing, query))
        event = self.fake.put_event({**body, "organizer": {"emailAddress": {
            "address": self.fake.user, "name": "Alex Rivera"}}, "isOrganizer": True},
            calendar=calendar)
        if transaction:
            self.fake.transactions[transaction] = event["id"]
        return self.send(201, self._view(event, query))

    def _one_event(self, method: str, event_id: str, body: dict[str, Any],
                   query: dict[str, list[str]]) -> None:
        event = self.fake.events.get(event_id)
        if event is None or event.get("_deleted"):
            return self.send(404, self.error_body(404, "ErrorItemNotFound",
                                                  "The specified object was not found."))
        if method == "DELETE":
            self.fake.delete_event(event_id)
            return self.send(204)
        if method == "PATCH":
            for side in ("start", "end"):
                if side in body:
                    body[side] = graph_time(to_utc(body[side]))
            event.update(body)
            self.fake._touch(event)
        return self.send(200, self._view(event, query))

    def _messages(self, method: str, rest: list[str], body: dict[str, Any],
                  query: dict[str, list[str]]) -> None:
        if not rest and method == "POST":
            message_id = "AAMkmsg" + uuid.uuid4().hex
            self.fake.messages[message_id] = {"id": message_id, "isDraft": True, **body}
            self.fake._touch(self.fake.messages[message_id])
            return self.send(201, _message_view(self.fake.messages[message_id], {}))
        if not rest and method == "GET":
            odata_filter = query.get("$filter", [""])[0]
            found = [m for m in self.fake.messages.values()
                     if not odata_filter or self._matches(m, odata_filter)]
            return self.send(200, {"value": [_message_view(m, query) for m in found]})
        message = (self.fake.messages.get(rest[0]) or self.fake.inbox.get(rest[0])) \
            if rest else None
        if message is None:
            return self.send(404, self.error_body(404, "ErrorItemNotFound", "not found"))
        if method == "DELETE":
            self.fake.messages.pop(rest[0], None)
            self.fake.inbox.pop(rest[0], None)
            return self.send(204)
        if method == "PATCH":
            self.fake.edit_message(rest[0], body)
        return self.send(200, _message_view(message, query))
