"""The `google` calendar: Google Calendar events in, the daemon's follow-ups out.

Reading is incremental with sync tokens, one per watched calendar; the
follow-ups the daemon wrote are tracked from the same stream, so a pass with
no changes costs one `events.list` per calendar and nothing else.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from functools import partial
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
    text_list,
)
from followup_daemon.errors import (
    AlreadyExists,
    Conflict,
    FollowupError,
    ProviderError,
    RetryAlone,
    UserError,
)

from . import convert
from .ahead import Ahead
from .client import BATCH_SIZE, SyncTokenExpired
from .session import LIST_SCOPE, MAKE_SCOPE, GoogleSession

SETTINGS = ("calendars", "target_calendar", "api_endpoint", "token_uri", "timeout_seconds")


class GoogleCalendar(WithoutDefaults):
    """One Google account's calendars and the target calendar of its follow-ups."""

    name = "google"
    keys = SETTINGS
    batch_size = BATCH_SIZE

    @staticmethod
    def check_settings(account: dict[str, Any]) -> list[str]:
        """Problems with a `google` account's calendar settings."""
        problems = []
        if text_list(account.get("calendars", ["primary"])) is None:
            problems.append("calendars: a list of calendar ids, e.g. [\"primary\"]")
        return problems + text_keys(account, ("target_calendar", "api_endpoint", "token_uri"))

    def __init__(self, account: dict[str, Any], context: ProviderContext,
                 retry: RetryPolicy | None = None) -> None:
        self.account = str(account["name"])
        self.calendars: list[str] = list(account.get("calendars", ["primary"]))
        self.target = str(account.get("target_calendar", self.calendars[0]))
        self.grace_days = context.settings.rules.grace_days
        self.may_name = context.may_name
        self.session = GoogleSession(account, retry)
        self._ours: dict[str, StoredFollowup] | None = None
        self._ahead: Ahead[FollowupEvent] = Ahead(self._new_insert)

    def _call(self, request: Any, what: str, replay_safe: bool = True) -> Any:
        return self.session.call(request, what, replay_safe)

    @property
    def _events(self) -> Any:
        return self.session.resource("events")

    # reading

    def _watched(self) -> list[str]:
        return list(dict.fromkeys([*self.calendars, self.target]))

    def read_changes(self, cursor: str | None, now: dt.datetime) -> Changes:
        """Changes since the cursor's sync tokens; a fresh full sync when a token is
        missing or expired (410)."""
        saved = json.loads(cursor) if cursor else {}
        tokens: dict[str, str] = saved.get("tokens", {})
        ours = {k: _follow(k, v) for k, v in saved.get("ours", {}).items()}
        full = any(c not in tokens for c in self._watched())
        try:
            pages = None if full else {c: self._list(c, {"syncToken": tokens[c]})
                                       for c in self._watched()}
        except SyncTokenExpired:
            pages, full = None, True
        if pages is None:
            ours, pages = {}, {c: self._list(c, self._full_query(now)) for c in self._watched()}
        return self._changes(pages, ours, full)

    def _full_query(self, now: dt.datetime) -> dict[str, Any]:
        since = now - dt.timedelta(days=self.grace_days + 31)
        return {"timeMin": since.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")}

    def _list(self, calendar: str, query: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
        """Every item of every page, and the sync token of the last page."""
        items: list[dict[str, Any]] = []
        page: str | None = None
        while True:
            request = self._events.list(calendarId=calendar, singleEvents=True,
                                        maxResults=250, pageToken=page, **query)
            answer = self._call(request, f"listing calendar {calendar}")
            items += answer.get("items", [])
            page = answer.get("nextPageToken")
            if not page:
                return items, str(answer.get("nextSyncToken", ""))

    def _changes(self, pages: dict[str, tuple[list[dict[str, Any]], str]],
                 ours: dict[str, StoredFollowup], full: bool) -> Changes:
        found = Listing()
        for calendar, (items, _) in pages.items():
            for item in items:
                or_skip(f"an event of calendar {calendar}", self._one, item, calendar, ours,
                        found)
        self._ours = ours
        cursor = json.dumps({"tokens": {c: token for c, (_, token) in pages.items()},
                             "ours": {k: _plain(v) for k, v in ours.items()}})
        return found.changes(cursor, full)

    def _one(self, item: dict[str, Any], calendar: str, ours: dict[str, StoredFollowup],
             found: Listing) -> None:
        self._track(item, ours)
        if calendar in self.calendars and convert.key_of(item) is None:
            _sort(item, calendar, found, self.may_name)

    def _track(self, item: dict[str, Any], ours: dict[str, StoredFollowup]) -> None:
        if item.get("status") == "cancelled":
            for key in [k for k, v in ours.items() if v.remote_id == item.get("id")]:
                del ours[key]
            return
        found = convert.stored(item)
        if found is not None:
            ours[found.key] = found

    def calendar_list(self) -> list[tuple[str, str]]:
        """(name, id) of every calendar in the user's list, the primary first."""
        self._allowed(LIST_SCOPE, "list your calendars")
        found: list[dict[str, Any]] = []
        page: str | None = None
        while True:
            request = self.session.resource("calendarList").list(pageToken=page)
            answer = self._call(request, "listing your calendars")
            found += answer.get("items", [])
            page = answer.get("nextPageToken")
            if not page:
                break
        found.sort(key=lambda c: not c.get("primary"))
        return [(str(c.get("summaryOverride") or c.get("summary") or ""), str(c["id"]))
                for c in found]

    def make_calendar(self, name: str) -> tuple[str, str]:
        """A secondary calendar named `name`, made by the app (calendars.insert): its
        name and id."""
        self._allowed(MAKE_SCOPE, "make a calendar")
        request = self.session.resource("calendars").insert(body={"summary": name})
        made = self._call(request, f"making the calendar {name}", replay_safe=False)
        return str(made.get("summary", name)), str(made["id"])

    def _allowed(self, scope: str, what: str) -> None:
        if not self.session.may(scope):
            raise UserError(f"account {self.account}: this sign-in may not {what}; sign in "
                            "again to allow it: `followup-daemon auth google --account "
                            f"{self.account} --client-secrets FILE`")

    # follow-ups

    def list_followups(self) -> dict[str, StoredFollowup]:
        """The daemon's follow-ups, from the sync stream (or one filtered list)."""
        if self._ours is None:
            items, _ = self._list(self.target, {"privateExtendedProperty": f"{convert.MARK}=1"})
            self._ours = {f.key: f for f in map(convert.stored, items) if f is not None}
        return dict(self._ours)

    def find_followup(self, key: str) -> StoredFollowup | None:
        """Look the key up with a private extended-property filter."""
        items, _ = self._list(self.target, {"privateExtendedProperty": f"{convert.KEY}={key}"})
        found = [f for f in map(convert.stored, items) if f is not None]
        return found[0] if found else None

    def create_followup(self, event: FollowupEvent) -> StoredFollowup:
        """Insert the follow-up under the id its key gives; nobody is invited (sendUpdates
        none, no attendees). The id makes a resent insert answer 409, so it may be
        retried, and no lookup is needed before it. AlreadyExists when an event with
        the key is there; one the daemon deleted earlier (a cancelled event keeps its
        id) is revived."""
        try:
            return self._keep(self._call(self._insert(event), f"creating follow-up {event.key}"))
        except AlreadyExists:
            return self._revive(convert.event_id(event.key), event)

    def create_followups(self, events: Sequence[FollowupEvent]
                         ) -> list[StoredFollowup | FollowupError]:
        """Insert the follow-ups in one batch, each as `create_followup` would; a call
        the batch answered with a retryable failure is sent again alone."""
        answers = self.session.batch("calendar/v3", [self._insert(e) for e in events],
                                     [f"creating follow-up {e.key}" for e in events])
        return [self._created(event, answer)
                for event, answer in zip(events, answers, strict=True)]

    def _created(self, event: FollowupEvent, answer: Any) -> StoredFollowup | FollowupError:
        if isinstance(answer, AlreadyExists):  # the id is taken: a cancelled one comes back
            return batch_answer(answer, partial(self._revive, convert.event_id(event.key),
                                                event), self._keep, (AlreadyExists,))
        return batch_answer(answer, partial(self.create_followup, event), self._keep)

    def prepare_followups(self, events: Sequence[FollowupEvent]) -> None:
        """These follow-ups are created next: their inserts are built while the batch
        before them is answered."""
        self._ahead.expect(events)
        self.session.meanwhile(self._ahead.get_ready)

    def _insert(self, event: FollowupEvent) -> Any:
        return self._ahead.request(event)

    def _new_insert(self, event: FollowupEvent) -> Any:
        return self._events.insert(calendarId=self.target, sendUpdates="none",
                                   body={**convert.body(event),
                                         "id": convert.event_id(event.key)})

    def _revive(self, chosen: str, event: FollowupEvent) -> StoredFollowup:
        """The id is taken: by a cancelled follow-up (bring it back) or a live one."""
        what = f"reviving follow-up {event.key}"
        item = self._call(self._events.get(calendarId=self.target, eventId=chosen), what)
        if item.get("status") != "cancelled":
            raise AlreadyExists(f"follow-up {event.key} exists in calendar {self.target}")
        request = self._events.update(calendarId=self.target, eventId=chosen,
                                      sendUpdates="none",
                                      body={**convert.body(event), "status": "confirmed"})
        return self._keep(self._call(request, what))

    def update_followup(self, remote_id: str, event: FollowupEvent, version: str = ""
                        ) -> StoredFollowup:
        """PATCH the follow-up, If-Match its etag: Google answers 412 (Conflict) when
        the user changed it."""
        what = f"moving follow-up {event.key}"
        try:
            return self._keep(self._call(self._patch(Rewrite(remote_id, event, version)), what))
        except Conflict:  # the user's edit, or this very write resent after a lost answer
            item = self._call(self._events.get(calendarId=self.target, eventId=remote_id), what)
            if not convert.written(item, event):
                raise
            return self._keep(item)

    def update_followups(self, moves: Sequence[Rewrite]
                         ) -> list[StoredFollowup | FollowupError]:
        """PATCH the follow-ups in one batch, each If-Match its etag; a call answered
        412 is sent again alone, which tells the user's edit from this very write."""
        answers = self.session.batch("calendar/v3", [self._patch(m) for m in moves],
                                     [f"moving follow-up {m.event.key}" for m in moves])
        return [batch_answer(answer, partial(self.update_followup, m.remote_id, m.event,
                                             m.version), self._keep, (RetryAlone, Conflict))
                for m, answer in zip(moves, answers, strict=True)]

    def _patch(self, move: Rewrite) -> Any:
        return _if_match(self._events.patch(calendarId=self.target, eventId=move.remote_id,
                                            body=convert.body(move.event), sendUpdates="none"),
                         move.version)

    def delete_followup(self, remote_id: str, version: str = "") -> None:
        """DELETE one of the daemon's follow-ups, If-Match its etag."""
        self._call(self._delete(Removal(remote_id, version)), f"deleting follow-up {remote_id}")
        self._forget({remote_id})

    def delete_followups(self, removals: Sequence[Removal]) -> list[FollowupError | None]:
        """DELETE the follow-ups in one batch, each If-Match its etag."""
        answers = self.session.batch("calendar/v3", [self._delete(r) for r in removals],
                                     [f"deleting follow-up {r.remote_id}" for r in removals])
        done = [batch_answer(answer, partial(self.delete_followup, r.remote_id, r.version),
                             lambda _: None) for r, answer in zip(removals, answers, strict=True)]
        self._forget({r.remote_id for r, error in zip(removals, done, strict=True)
                      if error is None})
        return done

    def _delete(self, removal: Removal) -> Any:
        return _if_match(self._events.delete(calendarId=self.target, eventId=removal.remote_id,
                                             sendUpdates="none"), removal.version)

    def _forget(self, remote_ids: set[str]) -> None:
        if self._ours is not None:
            self._ours = {k: v for k, v in self._ours.items() if v.remote_id not in remote_ids}

    def _keep(self, item: dict[str, Any]) -> StoredFollowup:
        found = convert.stored(item)
        if found is None:
            raise ProviderError("Google answered with an event without its key or times")
        if self._ours is not None:
            self._ours[found.key] = found
        return found


def _if_match(request: Any, version: str) -> Any:
    """The request made conditional on the event's etag (Google's "conditional
    modification"); `version` is the etag the daemon last saw."""
    if version:
        request.headers["If-Match"] = version
    return request


def _sort(item: dict[str, Any], calendar: str, found: Listing,
          may_name: Callable[[str], bool]) -> None:
    """A listed item is a change (an event), a removal (cancelled or deleted), or
    passed over: it cannot be an interview, so it is not converted."""
    if item.get("status") == "cancelled":
        found.removed.append(instance_id(str(item["id"])))
    elif not may_name(convert.words(item)):
        found.passed_over.append(instance_id(str(item["id"])))
    elif (event := convert.to_event(item, calendar)) is None:
        found.removed.append(instance_id(str(item["id"])))
    else:
        found.events.append(event)


def _plain(found: StoredFollowup) -> list[str]:
    return [found.remote_id, found.start.isoformat(), found.end.isoformat(), found.version]


def _follow(key: str, value: list[str]) -> StoredFollowup:
    return StoredFollowup(key, value[0], dt.datetime.fromisoformat(value[1]),
                          dt.datetime.fromisoformat(value[2]), value[3] if len(value) > 3 else "")

