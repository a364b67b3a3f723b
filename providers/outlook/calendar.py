"""The `outlook` calendar: Outlook / Microsoft 365 events in, follow-ups out, via Graph.

Reading is `calendarView/delta` over a window (past grace to a year ahead),
links followed verbatim, the delta link stored only after the last page.
Follow-ups carry the interview's key in a single-value extended property.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from followup_daemon.boundary import (
    Changes,
    FollowupEvent,
    Listing,
    ProviderContext,
    Removal,
    RetryPolicy,
    Rewrite,
    StoredFollowup,
    WithoutDefaults,
    batch_answer,
    instance_id,
    or_skip,
    text_keys,
    write_private,
)
from followup_daemon.errors import Conflict, FollowupError, UserError

from . import convert
from .graph import BATCH_SIZE, Call, DeltaExpired, Graph
from .tokens import TokenStore, connection

# A Graph calendar id (base64, 100-odd characters); any other `calendar` is a name
GRAPH_ID = re.compile(r"[A-Za-z0-9+/=_-]{40,}")
SETTINGS = ("calendar", "target_calendar", "authority", "graph_endpoint", "ca_bundle",
            "timeout_seconds", "page_size")
PREFER_UTC = 'outlook.timezone="UTC"'


class OutlookCalendar(WithoutDefaults):
    """One Microsoft account's calendar."""

    name = "outlook"
    keys = SETTINGS
    batch_size = BATCH_SIZE

    @staticmethod
    def check_settings(account: dict[str, Any]) -> list[str]:
        """Problems with an `outlook` account's calendar settings."""
        return text_keys(account, ("calendar", "target_calendar", "authority",
                                   "graph_endpoint", "ca_bundle"))

    def __init__(self, account: dict[str, Any], context: ProviderContext,
                 retry: RetryPolicy | None = None) -> None:
        self.account = str(account["name"])
        self.calendar = account.get("calendar")
        self.target = account.get("target_calendar")
        self._paths: dict[str, str] = {}
        self.grace_days = context.settings.rules.grace_days
        self.may_name = context.may_name
        self.page_size = int(account.get("page_size", 50))
        self.tokens = TokenStore(connection(account, context.state_dir))
        retry = retry or RetryPolicy(timeout_seconds=float(account.get("timeout_seconds", 30)))
        self.graph = Graph(self.tokens, account.get("graph_endpoint"), retry)
        self.ours = OwnEvents(context.state_dir / f"{self.account}.outlook-followups.json")

    @property
    def calendar_path(self) -> str:
        """The watched calendar's path: me/calendar, or me/calendars/ID."""
        return self._path_of(self.calendar)

    @property
    def target_path(self) -> str:
        """Where follow-ups go: `target_calendar`, else the watched calendar."""
        return self._path_of(self.target) if self.target else self.calendar_path

    def _apart(self) -> bool:
        """Whether follow-ups go into a calendar of their own (read as well)."""
        return bool(self.target) and self.target_path != self.calendar_path

    def _path_of(self, setting: Any) -> str:
        """A setting's path. It is an id, or a calendar's name, looked up once per
        process, only when a path is needed (a delta link holds it already)."""
        wanted = str(setting or "")
        if wanted not in self._paths:
            known = wanted if not wanted or GRAPH_ID.fullmatch(wanted) else \
                self._id_named(wanted)
            self._paths[wanted] = f"me/calendars/{known}" if known else "me/calendar"
        return self._paths[wanted]

    def _id_named(self, name: str) -> str:
        found = self.calendar_list()
        match = [i for n, i in found if n.casefold() == name.casefold()]
        if not match:
            raise UserError(f"account {self.account}: no calendar named {name!r} (yours: "
                            f"{', '.join(n for n, _ in found)}); `followup-daemon calendars "
                            f"--account {self.account}` lists them")
        return match[0]

    def make_calendar(self, name: str) -> tuple[str, str]:
        """A new calendar of the user named `name`: its name and id."""
        made = self.graph.request("POST", "me/calendars", f"making the calendar {name}",
                                  json={"name": name}, replay_safe=False)
        return str(made.get("name", name)), str(made["id"])

    def calendar_list(self) -> list[tuple[str, str]]:
        """(name, id) of every calendar of the user, the default first."""
        found: list[dict[str, Any]] = []
        url = "me/calendars"
        params: dict[str, str] | None = {"$select": "id,name,isDefaultCalendar"}
        while url:
            page = self.graph.request("GET", url, "listing your calendars", params=params)
            found += page.get("value", [])
            url, params = str(page.get("@odata.nextLink") or ""), None
        found.sort(key=lambda c: not c.get("isDefaultCalendar"))
        return [(str(c.get("name") or ""), str(c["id"])) for c in found]

    # reading

    def read_changes(self, cursor: str | None, now: dt.datetime) -> Changes:
        """Changes since the stored delta links (the watched calendar's, and the
        follow-ups' own calendar's when it is another); a fresh round when there are
        none or one expired (410, syncStateNotFound)."""
        links: dict[str, Any] = json.loads(cursor) if cursor else {}
        if links.get("delta") and links.get("for", self._for()[:1]) == self._for():
            try:
                return self._rounds(links, now, full=False)
            except DeltaExpired:
                pass
        self.ours.replace(self._query(convert.mark_filter()))
        return self._rounds({}, now, full=True)

    def _for(self) -> list[str]:
        """The settings the stored delta links were made for: others need new ones."""
        return [str(self.calendar or "")] + ([str(self.target)] if self.target else [])

    def _rounds(self, links: dict[str, Any], now: dt.datetime, full: bool) -> Changes:
        found = Listing()
        kept = {"for": self._for(), "delta": self._round(
            links.get("delta") or self._first_link(now, self.calendar_path), found)}
        if links.get("target") or (not links and self._apart()):
            # the follow-ups' own calendar: only the daemon's events are read there
            kept["target"] = self._round(links.get("target") or self._first_link(
                now, self.target_path), None)
        self.ours.save()
        return found.changes(json.dumps(kept), full)

    def _first_link(self, now: dt.datetime, path: str) -> str:
        start = (now - dt.timedelta(days=self.grace_days + 31)).astimezone(dt.UTC)
        end = (now + dt.timedelta(days=366)).astimezone(dt.UTC)
        query = (f"startDateTime={start:%Y-%m-%dT%H:%M:%SZ}"
                 f"&endDateTime={end:%Y-%m-%dT%H:%M:%SZ}")
        return self.graph.url(f"{path}/calendarView/delta?{query}")

    def _round(self, url: str, into: Listing | None) -> str:
        """Every page of a delta round from `url`, the user's events into `into` (None:
        only the daemon's are taken); the delta link of the last page."""
        prefer = f"{PREFER_UTC}, odata.maxpagesize={self.page_size}"
        while True:
            page = self.graph.request("GET", url, "reading the calendar", prefer=prefer)
            for item in page.get("value", []):
                or_skip("an event of the calendar", self._one, item, into)
            if "@odata.nextLink" not in page:
                return str(page.get("@odata.deltaLink"))
            url = str(page["@odata.nextLink"])

    def _one(self, item: dict[str, Any], into: Listing | None) -> None:
        if not self.ours.absorb(item) and into is not None:
            _sort(item, into, self.may_name)

    # follow-ups

    def _events_url(self) -> str:
        return f"{self.target_path}/events"

    def _query(self, odata_filter: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        url = self._events_url()
        params: dict[str, str] | None = {"$filter": odata_filter,
                                         "$expand": convert.expand_key(), "$top": "100"}
        while True:
            page = self.graph.request("GET", url, "finding follow-ups", params=params,
                                      prefer=PREFER_UTC)
            items += page.get("value", [])
            if "@odata.nextLink" not in page:
                return items
            url, params = str(page["@odata.nextLink"]), None

    def list_followups(self) -> dict[str, StoredFollowup]:
        """The daemon's follow-ups, kept from its own writes and the delta stream."""
        if not self.ours.known():
            self.ours.replace(self._query(convert.mark_filter()))
        return self.ours.by_key()

    def find_followup(self, key: str) -> StoredFollowup | None:
        """The follow-up with `key`, found by its extended property."""
        found = [f for f in map(convert.stored, self._query(convert.key_filter(key))) if f]
        if found:
            self.ours.keep(found[0])
        return found[0] if found else None

    def create_followup(self, event: FollowupEvent) -> StoredFollowup:
        """POST the follow-up (no attendees; a transactionId makes a retry harmless);
        no lookup first: the executor's journal settles an interrupted write."""
        return self._stored(self.graph.one(self._insert(event), replay_safe=True), event)

    def create_followups(self, events: Sequence[FollowupEvent]
                         ) -> list[StoredFollowup | FollowupError]:
        """POST the follow-ups in one `$batch`; a call it answered with a retryable
        failure is sent again alone, with the same transactionId."""
        calls = [self._insert(event) for event in events]
        answers = self.graph.batch(calls, replay_safe=True)  # the transactionIds
        return [self._created(call, event, answer)
                for call, event, answer in zip(calls, events, answers, strict=True)]

    def _created(self, call: Call, event: FollowupEvent, answer: Any
                 ) -> StoredFollowup | FollowupError:
        def stored(item: dict[str, Any]) -> StoredFollowup:
            return self._stored(item, event)
        return batch_answer(answer, lambda: stored(self.graph.one(call, replay_safe=True)),
                            stored)

    def _insert(self, event: FollowupEvent) -> Call:
        # One transactionId per write: Graph answers a resent POST with the first event,
        # but one derived from the key alone would also give back a follow-up deleted long
        # ago when its interview comes back. (A crash between two tries is settled by
        # the executor looking the key up.)
        body = {**convert.event_body(event), "transactionId": str(uuid.uuid4())}
        return Call("POST", self._events_url(), f"creating follow-up {event.key}", body,
                    {"$expand": convert.expand_key()}, PREFER_UTC)

    def update_followup(self, remote_id: str, event: FollowupEvent, version: str = ""
                        ) -> StoredFollowup:
        """PATCH the follow-up, once its changeKey is still `version`."""
        self._unchanged(remote_id, version)
        return self._stored(self.graph.one(self._patch(remote_id, event)), event)

    def update_followups(self, moves: Sequence[Rewrite]
                         ) -> list[StoredFollowup | FollowupError]:
        """Check the changeKeys in one `$batch`, then PATCH the unchanged in another; a
        PATCH answered with a retryable failure is sent again alone."""
        calls = [self._patch(m.remote_id, m.event) for m in moves]
        answers = self._where_unchanged([(m.remote_id, m.version) for m in moves], calls)
        return [batch_answer(answer, partial(self._patched, call, m.event),
                             partial(self._stored_as, m.event))
                for m, call, answer in zip(moves, calls, answers, strict=True)]

    def _patch(self, remote_id: str, event: FollowupEvent) -> Call:
        return Call("PATCH", f"me/events/{remote_id}", f"moving follow-up {event.key}",
                    convert.event_body(event), {"$expand": convert.expand_key()}, PREFER_UTC)

    def _patched(self, call: Call, event: FollowupEvent) -> StoredFollowup:
        return self._stored(self.graph.one(call), event)

    def _stored_as(self, event: FollowupEvent, item: dict[str, Any]) -> StoredFollowup:
        return self._stored(item, event)

    def delete_followup(self, remote_id: str, version: str = "") -> None:
        """DELETE one of the daemon's follow-ups, once its changeKey is still `version`."""
        self._unchanged(remote_id, version)
        self.graph.one(_delete(remote_id))
        self.ours.drop(remote_id)

    def delete_followups(self, removals: Sequence[Removal]) -> list[FollowupError | None]:
        """Check the changeKeys in one `$batch`, then DELETE the unchanged in another."""
        calls = [_delete(r.remote_id) for r in removals]
        answers = self._where_unchanged([(r.remote_id, r.version) for r in removals], calls)
        done = [batch_answer(answer, partial(self._deleted_alone, call), lambda _: None)
                for call, answer in zip(calls, answers, strict=True)]
        for removal, error in zip(removals, done, strict=True):
            if error is None:
                self.ours.drop(removal.remote_id)
        return done

    def _deleted_alone(self, call: Call) -> None:
        self.graph.one(call)

    def _where_unchanged(self, versions: list[tuple[str, str]], calls: list[Call]
                         ) -> list[Any]:
        """Each call's batch answer, where the event is still at its version; else the
        check's error (Conflict, NotFound), the call unsent."""
        checks = [(i, *pair) for i, pair in enumerate(versions) if pair[1]]
        failed: dict[int, Any] = {}
        if checks:
            answers = self.graph.batch([_check(rid) for _, rid, _ in checks], replay_safe=True)
            for (i, rid, version), answer in zip(checks, answers, strict=True):
                failed[i] = batch_answer(answer, partial(self._unchanged, rid, version),
                                         partial(_same, rid, version))
        sent = [i for i in range(len(calls)) if failed.get(i) is None]
        answers = self.graph.batch([calls[i] for i in sent], replay_safe=True) if sent else []
        failed.update(zip(sent, answers, strict=True))
        return [failed[i] for i in range(len(calls))]

    def hold_writes(self) -> None:
        """Keep the record of the daemon's event ids in memory during a pass's writes;
        the executor records the writes only after `flush` saved it."""
        self.ours.hold()

    def flush(self) -> None:
        """Save the record of the daemon's event ids, once."""
        self.ours.flush()

    def _unchanged(self, remote_id: str, version: str) -> None:
        """Conflict when the event's changeKey is no longer `version`. (Graph documents
        no If-Match for events, so this is a read just before the write.)"""
        if version:
            _same(remote_id, version, self.graph.one(_check(remote_id)))

    def _stored(self, item: dict[str, Any], event: FollowupEvent) -> StoredFollowup:
        found = convert.stored(item) or StoredFollowup(event.key, str(item["id"]), event.start,
                                                       event.end, str(item.get("changeKey", "")))
        self.ours.keep(found)
        return found


class OwnEvents:
    """The daemon's follow-ups by event id, in a private file of the account.

    Delta results carry no extended properties, so the daemon's own events are
    known by the ids it wrote (or found by key); the delta stream then tells
    their moves and deletions without any further request."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._items: dict[str, StoredFollowup] | None = None
        self._holding = False
        self._dirty = False

    def hold(self) -> None:
        """Keep changes in memory until `flush` (written once per pass, not per write)."""
        self._holding = True

    def flush(self) -> None:
        """Write what was held."""
        self._holding = False
        if self._dirty:
            self.save()

    def _load(self) -> dict[str, StoredFollowup]:
        if self._items is None:
            self._items = {}
            if self.path.exists():
                saved = json.loads(self.path.read_text())
                for remote_id, (key, start, end, *version) in saved.items():
                    self._items[remote_id] = StoredFollowup(
                        key, remote_id, dt.datetime.fromisoformat(start),
                        dt.datetime.fromisoformat(end), version[0] if version else "")
        return self._items

    def known(self) -> bool:
        """Whether the file (or a listing) told us what is ours."""
        return self._items is not None or self.path.exists()

    def by_key(self) -> dict[str, StoredFollowup]:
        return {f.key: f for f in self._load().values()}

    def replace(self, items: list[dict[str, Any]]) -> None:
        """Start afresh from a listing of the daemon's events."""
        found = (convert.stored(item) for item in items)
        self._items = {f.remote_id: f for f in found if f is not None}
        self.save()

    def keep(self, found: StoredFollowup) -> None:
        self._load()[found.remote_id] = found
        self.save()

    def drop(self, remote_id: str) -> None:
        self._load().pop(remote_id, None)
        self.save()

    def absorb(self, item: dict[str, Any]) -> bool:
        """Take a delta item that is one of ours (moved or removed); False otherwise."""
        mine = self._load().get(str(item.get("id")))
        if mine is None:
            return convert.is_ours(item)
        start = convert.when(item.get("start"), False)
        end = convert.when(item.get("end"), False)
        if "@removed" in item or item.get("isCancelled") or start is None or end is None:
            del self._load()[mine.remote_id]
        elif start.time is not None and end.time is not None:
            self._load()[mine.remote_id] = StoredFollowup(
                mine.key, mine.remote_id, start.time, end.time,
                str(item.get("changeKey", mine.version)))
        return True

    def save(self) -> None:
        """Write the file (or, while held, note that it must be)."""
        if self._holding:
            self._dirty = True
            return
        self._dirty = False
        data = {f.remote_id: [f.key, f.start.isoformat(), f.end.isoformat(), f.version]
                for f in self._load().values()}
        write_private(self.path, json.dumps(data))


def _check(remote_id: str) -> Call:
    return Call("GET", f"me/events/{remote_id}", f"checking {remote_id}",
                params={"$select": "changeKey"})


def _same(remote_id: str, version: str, item: dict[str, Any]) -> None:
    if str(item.get("changeKey", "")) != version:
        raise Conflict(f"follow-up {remote_id} was changed meanwhile; it is left as it is")


def _delete(remote_id: str) -> Call:
    return Call("DELETE", f"me/events/{remote_id}", f"deleting follow-up {remote_id}")


def _sort(item: dict[str, Any], found: Listing, may_name: Callable[[str], bool]) -> None:
    """A delta item is a change, a removal (`@removed`, or cancelled), or passed over:
    it cannot be an interview, so it is not converted."""
    if "@removed" in item or item.get("isCancelled"):
        found.removed.append(instance_id(str(item["id"])))
    elif not may_name(convert.words(item)):
        found.passed_over.append(instance_id(str(item["id"])))
    elif (event := convert.to_event(item)) is not None:
        found.events.append(event)
