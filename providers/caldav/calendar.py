"""The `caldav` calendar: a CalDAV calendar (iCloud, Fastmail, Nextcloud, Radicale,
any standards server) for interviews and follow-ups. (Its drafts go to the `imap`
mailbox: a preset names the service's IMAP server too.)

Reading uses RFC 6578 sync tokens (the library's silent fallback disabled: an
invalid token restarts a full sync explicitly), or the CTag and a full listing
where the server has no sync tokens. Follow-ups are written with conditional
PUTs: If-None-Match to create, If-Match on the ETag to change or delete, so a
concurrent edit by the user is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from caldav.collection import Calendar as DAVCalendar
from caldav.davclient import DAVClient
from caldav.lib import error as dav_error

from followup_daemon.boundary import (
    CalendarEvent,
    Changes,
    FollowupEvent,
    ProviderContext,
    StoredFollowup,
    load_secret,
    text_keys,
)
from followup_daemon.errors import (
    AlreadyExists,
    Conflict,
    NotAsExpected,
    NotFound,
    ProviderError,
    TransientError,
    UserError,
)
from followup_daemon.ics.reader import parse, read_calendar_bytes
from followup_daemon.ics.writer import (
    KEY_PROPERTY,
    content_version,
    followup_vevent,
    new_calendar,
    stored,
    to_ical,
)

from .dav import GetCTag, TokenRefused, by_token, check_status, dav_errors, etag_of, stored_from
from .presets import apply_preset

SETTINGS = ("preset", "url", "username", "calendar", "target_calendar", "sync", "ca_bundle",
            "timeout_seconds")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
NO_TOKENS = "-"  # the cursor's note that a calendar's server has no sync tokens
log = logging.getLogger(__name__)


class CalDAVCalendar:
    """One CalDAV account's calendars."""

    name = "caldav"
    keys = SETTINGS

    @staticmethod
    def with_defaults(account: dict[str, Any]) -> dict[str, Any]:
        """The account's settings over its preset's (which name the IMAP server too)."""
        return apply_preset(account)

    @staticmethod
    def check_settings(account: dict[str, Any]) -> list[str]:
        """Problems with a `caldav` account's calendar settings."""
        problems: list[str] = []
        try:
            merged = apply_preset(account)
        except UserError as error:
            return [*problems, f"preset: {error}"]
        for key in ("url", "username"):
            if not merged.get(key):
                problems.append(f"{key}: required (or a preset that sets it)")
        problems += text_keys(merged, ("url", "username", "calendar", "target_calendar"))
        url = str(merged.get("url", ""))
        if _password_in(url):
            problems.append("url: holds a password; remove it from the URL and run "
                            f"`followup-daemon auth caldav --account {account.get('name')}` "
                            "to keep it in your keyring")
        if url.startswith("http://") and url.split("/")[2].split(":")[0] not in LOCAL_HOSTS:
            problems.append("url: use https (plain http only to 127.0.0.1)")
        if merged.get("sync", "auto") not in ("auto", "token", "ctag"):
            problems.append("sync: auto, token or ctag")
        return problems

    def __init__(self, account: dict[str, Any], context: ProviderContext) -> None:
        settings = apply_preset(account)
        self.account = str(account["name"])
        self.settings = settings
        self.grace_days = context.settings.rules.grace_days
        self._client: Any = None
        self._calendars: dict[str, Any] = {}
        self._known: dict[str, str] = {}  # calendars' addresses kept in the cursor
        self._state: dict[str, Any] = {}
        self._ours: dict[str, StoredFollowup] = {}
        self._etags: dict[str, str] = {}

    # connection

    def _secret(self) -> dict[str, Any]:
        secret = load_secret(self.account)
        if not secret or not secret.get("password"):
            raise UserError(f"account {self.account} has no password: run `followup-daemon "
                            f"auth caldav --account {self.account}`")
        return secret

    def client(self) -> Any:
        """The DAV client, made on first use."""
        if self._client is None:
            url = str(self.settings["url"])
            self._client = DAVClient(
                url=url, username=str(self.settings["username"]),
                password=str(self._secret()["password"]),
                timeout=int(self.settings.get("timeout_seconds", 30)),
                ssl_verify_cert=self.settings.get("ca_bundle") or True,
                require_tls=not url.startswith("http://"))
        return self._client

    def make_calendar(self, name: str) -> tuple[str, str]:
        """A new calendar (MKCALENDAR) named `name`: its name and URL."""
        with dav_errors(f"making the calendar {name}"):
            made = self.client().principal().make_calendar(name=name)
        return name, str(made.url)

    def calendar_list(self) -> list[tuple[str, str]]:
        """(display name, URL) of every calendar the server offers the user."""
        with dav_errors("listing calendars"):
            return [(c.get_display_name() or "", str(c.url))
                    for c in self.client().principal().calendars()]

    def _calendar(self, wanted: str | None) -> Any:
        key = wanted or ""
        if key not in self._calendars and key in self._known:
            self._calendars[key] = DAVCalendar(client=self.client(), url=self._known[key])
        if key not in self._calendars:
            with dav_errors("finding the calendar"):
                found = self.client().principal().calendars()
                match = [c for c in found if not wanted or str(c.url).rstrip("/") ==
                         wanted.rstrip("/") or c.get_display_name() == wanted]
            if not match:
                raise UserError(f"account {self.account}: no calendar {wanted!r}; see "
                                f"`followup-daemon calendars --account {self.account}`")
            self._calendars[key] = match[0]
        return self._calendars[key]

    def _source(self) -> Any:
        return self._calendar(self.settings.get("calendar"))

    def _target(self) -> Any:
        return self._calendar(self.settings.get("target_calendar") or
                              self.settings.get("calendar"))

    # reading

    def read_changes(self, cursor: str | None, now: dt.datetime) -> Changes:
        """Changes by sync token (or CTag); a fresh full listing when the token fails.
        The calendars' addresses come from the cursor: a calendar that is no longer
        there is looked for again, once."""
        saved = json.loads(cursor) if cursor else {}
        self._load_ours(saved.get("ours", {}))
        self._known = {} if self._calendars else saved.get("calendars", {})
        try:
            return self._read_all(saved, cursor, now)
        except (NotFound, TransientError):
            if not self._known:
                raise
            log.info("%s: a calendar's address changed; looking it up again", self.account)
            self._known, self._calendars = {}, {}
            return self._read_all(saved, cursor, now)

    def _read_all(self, saved: dict[str, Any], cursor: str | None, now: dt.datetime
                  ) -> Changes:
        calendars = {str(c.url): c for c in (self._source(), self._target())}
        state = {"tokens": saved.get("tokens", {}), "urls": saved.get("urls", {}),
                 "ctags": saved.get("ctags", {})}
        mode = self.settings.get("sync", "auto")
        events: list[CalendarEvent] = []
        removed: list[str] = []
        full = False
        for url, calendar in calendars.items():
            is_source = url == str(self._source().url)
            full |= self._read(calendar, state, mode, now, events if is_source else None,
                               removed if is_source else None)
        self._state = state
        unchanged = not full and not events and not removed
        return Changes(self.cursor_after_writes(), tuple(events), tuple(removed), full=full,
                       unchanged=unchanged and cursor is not None)

    def cursor_after_writes(self) -> str:
        """The last read's sync position with the ETags of what was written since:
        those writes come back in the next listing and need not be fetched."""
        state = dict(self._state)
        state["ours"] = {k: [v.remote_id, self._etags.get(v.remote_id, ""),
                             v.start.isoformat(), v.end.isoformat(), v.version]
                         for k, v in self._ours.items()}
        state["calendars"] = {k: str(c.url) for k, c in self._calendars.items()}
        return json.dumps(state)

    def _read(self, calendar: Any, state: dict[str, Any], mode: str,
              now: dt.datetime, events: list[CalendarEvent] | None,
              removed: list[str] | None) -> bool:
        """Read one calendar; True when it was a full listing."""
        url = str(calendar.url)
        if mode == "ctag" or state["tokens"].get(url) == NO_TOKENS:
            return self._read_by_ctag(calendar, state, now, events, removed)
        token = state["tokens"].get(url)
        try:
            collection = by_token(calendar, token)
        except TokenRefused:
            token, collection = None, by_token(calendar, None)
        except ProviderError:
            if token is not None or mode == "token":
                raise
            log.info("%s: the server has no sync tokens; comparing CTags", self.account)
            state["tokens"][url] = NO_TOKENS  # "auto": remember, and use the CTag from now on
            return self._read_by_ctag(calendar, state, now, events, removed)
        state["tokens"][url] = str(collection.sync_token)
        self._apply(collection, state["urls"], now, events, removed, full=token is None)
        return token is None

    def _read_by_ctag(self, calendar: Any, state: dict[str, Any],
                      now: dt.datetime, events: list[CalendarEvent] | None,
                      removed: list[str] | None) -> bool:
        url = str(calendar.url)
        with dav_errors("reading the CTag"):
            ctag = str(calendar.get_property(GetCTag()) or "")
        if ctag and state["ctags"].get(url) == ctag:
            return False
        with dav_errors("listing the calendar"):
            collection = calendar.get_objects_by_sync_token(load_objects=True,
                                                            disable_fallback=False)
        state["ctags"][url] = ctag
        self._apply(collection, state["urls"], now, events, removed, full=True)
        return True

    def _apply(self, collection: Any, urls: dict[str, list[str]], now: dt.datetime,
               events: list[CalendarEvent] | None, removed: list[str] | None,
               full: bool) -> None:
        """Turn a listing into events, removals, and the daemon's own follow-ups."""
        deleted = {str(u) for u in getattr(collection, "deleted_urls", set())}
        if full and events is not None:
            urls.clear()
        for item in collection:
            url = str(item.url)
            if url in deleted or not self._loaded(item, url):
                self._forget(url, urls, removed)
                continue
            if item.data is None:  # the daemon's own write, as it left it
                continue
            self._etags[url] = etag_of(item)
            self._take(url, item.data, urls, now, events)

    def _loaded(self, item: Any, url: str) -> bool:
        """Fetch an object the listing named, unless it is a follow-up the daemon
        wrote with this very ETag; False when it is gone meanwhile."""
        if item.data is not None:
            return bool(item.data)
        ours = any(f.remote_id == url for f in self._ours.values())
        if ours and self._etags.get(url) and self._etags[url] == etag_of(item):
            return True
        with dav_errors(f"reading {url}"):
            try:
                item.load()
            except dav_error.NotFoundError:
                return False
        return bool(item.data)

    def _forget(self, url: str, urls: dict[str, list[str]], removed: list[str] | None) -> None:
        self._ours = {k: v for k, v in self._ours.items() if v.remote_id != url}
        if removed is not None:
            removed.extend(urls.pop(url, []))

    def _take(self, url: str, data: str, urls: dict[str, list[str]], now: dt.datetime,
              events: list[CalendarEvent] | None) -> None:
        if KEY_PROPERTY in data:
            for component in parse(data.encode(), url)[0].walk("VEVENT"):
                found = stored(component, url)
                if found is not None:
                    self._ours[found.key] = found
            return
        if events is None:
            return
        result = read_calendar_bytes(data.encode(), url, now)
        events.extend(result.events)
        urls[url] = [e.event_id for e in result.events]

    def _load_ours(self, saved: dict[str, list[str]]) -> None:
        if self._ours:
            return
        for key, (url, etag, start, end, *version) in saved.items():
            self._ours[key] = StoredFollowup(key, url, dt.datetime.fromisoformat(start),
                                             dt.datetime.fromisoformat(end),
                                             version[0] if version else "")
            self._etags[url] = etag

    # follow-ups

    def list_followups(self) -> dict[str, StoredFollowup]:
        """The daemon's follow-ups, from the sync stream and its own writes."""
        return dict(self._ours)

    def _url(self, key: str) -> str:
        return f"{str(self._target().url).rstrip('/')}/followup-{key}.ics"

    def find_followup(self, key: str) -> StoredFollowup | None:
        """GET the follow-up at its deterministic URL."""
        url = self._url(key)
        with dav_errors(f"finding follow-up {key}"):
            answer = self.client().request(url, "GET")
        if answer.status == 404:
            return None
        found = stored_from(str(answer.raw), url)
        if found is not None:
            self._keep(found, str(answer.headers.get("etag", "")))
        return found

    def create_followup(self, event: FollowupEvent) -> StoredFollowup:
        """PUT with If-None-Match: * (AlreadyExists when the key's event is there)."""
        return self._put(event, {"If-None-Match": "*"}, 0)

    def _absolute(self, remote_id: str) -> str:
        if remote_id.startswith(("http://", "https://")):
            return remote_id
        return f"{str(self._target().url).rstrip('/')}/{remote_id}"

    def update_followup(self, remote_id: str, event: FollowupEvent, version: str = ""
                        ) -> StoredFollowup:
        """PUT with If-Match on the ETag last seen: a concurrent edit wins (Conflict)."""
        remote_id = self._absolute(remote_id)
        etag = self._expected_etag(remote_id, version)
        with self._which(remote_id):
            return self._put(event, {"If-Match": etag}, 1)

    def delete_followup(self, remote_id: str, version: str = "") -> None:
        """DELETE with If-Match: never a follow-up the user changed meanwhile."""
        remote_id = self._absolute(remote_id)
        etag = self._expected_etag(remote_id, version)
        with dav_errors(f"deleting {remote_id}", write=True):
            answer = self.client().request(remote_id, "DELETE", "", {"If-Match": etag})
        with self._which(remote_id):
            check_status(answer.status, remote_id)
        self._ours = {k: v for k, v in self._ours.items() if v.remote_id != remote_id}

    def _expected_etag(self, url: str, version: str) -> str:
        """The ETag to write over: the one last seen, once the content seen with it is
        `version` (a sync may have brought the user's edit in already)."""
        seen = [f for f in self._ours.values() if f.remote_id == url]
        if version and seen and seen[0].version and seen[0].version != version:
            raise Conflict(f"{url} was changed meanwhile; it is left as it is")
        return self._etags.get(url) or self._current_etag(url)

    @contextmanager
    def _which(self, url: str) -> Iterator[None]:
        """A 412 says "gone or changed"; one GET says which."""
        try:
            yield
        except NotAsExpected as error:
            if type(error) is not NotAsExpected:
                raise
            with dav_errors(f"reading {url}"):
                gone = self.client().request(url, "GET").status in (404, 410)
            if gone:
                raise NotFound(f"{url} is gone") from error
            raise Conflict(f"{url} was changed meanwhile; it is left as it is") from error

    def _current_etag(self, url: str) -> str:
        with dav_errors(f"reading {url}"):
            answer = self.client().request(url, "GET")
        check_status(answer.status, url)
        return str(answer.headers.get("etag", ""))

    def _put(self, event: FollowupEvent, condition: dict[str, str], sequence: int
             ) -> StoredFollowup:
        url = self._url(event.key)
        calendar = new_calendar()
        vevent = followup_vevent(event, dt.datetime.now(dt.UTC), sequence)
        calendar.add_component(vevent)
        headers = {"Content-Type": "text/calendar; charset=utf-8", **condition}
        with dav_errors(f"writing follow-up {event.key}", write=True):
            answer = self.client().put(url, to_ical(calendar).decode(), headers)
        if answer.status == 412 and "If-None-Match" in condition:
            raise AlreadyExists(f"follow-up {event.key} exists at {url}")
        check_status(answer.status, url)
        found = StoredFollowup(event.key, url, event.start, event.end, content_version(vevent))
        self._keep(found, str(answer.headers.get("etag", "")))
        return found

    def _keep(self, found: StoredFollowup, etag: str) -> None:
        self._ours[found.key] = found
        self._etags[found.remote_id] = etag


def _password_in(url: str) -> bool:
    try:
        return bool(urlsplit(url).password)
    except ValueError:  # a port that is no number: the URL check says so
        return False
