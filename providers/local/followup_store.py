"""Where the local provider writes follow-up events: one .ics file, or a vdir
(a folder with one .ics file per event, as khal and vdirsyncer use)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Protocol

from icalendar import Calendar, Component

from followup_daemon.boundary import FollowupEvent, StoredFollowup, write_private
from followup_daemon.errors import AlreadyExists, CalendarError, Conflict, NotFound
from followup_daemon.ics.reader import parse
from followup_daemon.ics.writer import (
    content_version,
    followup_uid,
    followup_vevent,
    key_of,
    new_calendar,
    sequence_of,
    stored,
)


class FollowupStore(Protocol):
    """Follow-up events in a local target, by key."""

    def list(self) -> dict[str, StoredFollowup]: ...
    def create(self, event: FollowupEvent, now: dt.datetime) -> StoredFollowup: ...
    def update(self, remote_id: str, event: FollowupEvent, now: dt.datetime,
               version: str = "") -> StoredFollowup: ...
    def delete(self, remote_id: str, version: str = "") -> None: ...


def open_store(path: Path) -> FollowupStore:
    """A vdir store for a folder (or a path without .ics), else a single-file store."""
    if path.is_dir() or (not path.exists() and path.suffix.lower() != ".ics"):
        return VdirStore(path)
    return FileStore(path)


def _unchanged(old: Component | None, remote_id: str, version: str, where: Path) -> Component:
    """The follow-up as the daemon last saw it: NotFound when it is gone, Conflict when
    its content is no longer `version` (the user edited it)."""
    if old is None:
        raise NotFound(f"follow-up {remote_id} is not in {where}")
    if version and content_version(old) != version:
        raise Conflict(f"follow-up {remote_id} in {where} was changed meanwhile; it is left "
                       "as it is")
    return old


def _serialise(calendar: Calendar) -> bytes:
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _stored(component: Component, remote_id: str) -> StoredFollowup:
    found = stored(component, remote_id)
    if found is None:
        raise CalendarError(remote_id, "a follow-up event without a start; delete it")
    return found


class FileStore:
    """All follow-ups in one .ics file the user can subscribe to or import."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> Calendar:
        if not self.path.exists():
            return new_calendar()
        calendar = parse(self.path.read_bytes(), str(self.path))[0]
        assert isinstance(calendar, Calendar)
        return calendar

    def _ours(self, calendar: Calendar) -> dict[str, Component]:
        return {str(c.get("UID")): c for c in calendar.subcomponents
                if c.name == "VEVENT" and key_of(c)}

    def list(self) -> dict[str, StoredFollowup]:
        """Every follow-up in the file, by key."""
        found = (stored(c, uid) for uid, c in self._ours(self._load()).items())
        return {f.key: f for f in found if f is not None}

    def create(self, event: FollowupEvent, now: dt.datetime) -> StoredFollowup:
        """Add a follow-up; AlreadyExists when its key is in the file."""
        calendar = self._load()
        if any(key_of(c) == event.key for c in self._ours(calendar).values()):
            raise AlreadyExists(f"follow-up {event.key} exists in {self.path}")
        vevent = followup_vevent(event, now)
        calendar.add_component(vevent)
        write_private(self.path, _serialise(calendar))
        return _stored(vevent, followup_uid(event.key))

    def update(self, remote_id: str, event: FollowupEvent, now: dt.datetime,
               version: str = "") -> StoredFollowup:
        """Rewrite a follow-up in place, with a higher SEQUENCE."""
        calendar = self._load()
        old = _unchanged(self._ours(calendar).get(remote_id), remote_id, version, self.path)
        vevent = followup_vevent(event, now, sequence_of(old) + 1)
        index = calendar.subcomponents.index(old)
        calendar.subcomponents[index] = vevent
        write_private(self.path, _serialise(calendar))
        return _stored(vevent, remote_id)

    def delete(self, remote_id: str, version: str = "") -> None:
        """Remove a follow-up; the file's other events stay as they are."""
        calendar = self._load()
        old = _unchanged(self._ours(calendar).get(remote_id), remote_id, version, self.path)
        calendar.subcomponents.remove(old)
        write_private(self.path, _serialise(calendar))


class VdirStore:
    """One .ics file per follow-up in a folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _file(self, key: str) -> Path:
        return self.path / f"followup-{key}.ics"

    def _read(self, file: Path) -> Component | None:
        try:
            calendars = parse(file.read_bytes(), str(file))
        except (CalendarError, OSError):
            return None  # not ours to judge: a user's broken file stays as it is
        events = [c for c in calendars[0].subcomponents if c.name == "VEVENT"]
        return events[0] if events and key_of(events[0]) else None

    def list(self) -> dict[str, StoredFollowup]:
        """Every follow-up file in the folder, by key."""
        found: dict[str, StoredFollowup] = {}
        for file in sorted(self.path.glob("*.ics")) if self.path.is_dir() else []:
            component = self._read(file)
            item = stored(component, file.name) if component is not None else None
            if item is not None:
                found[item.key] = item
        return found

    def create(self, event: FollowupEvent, now: dt.datetime) -> StoredFollowup:
        """Write a new file; AlreadyExists when the key's file is there."""
        file = self._file(event.key)
        if file.exists():
            raise AlreadyExists(f"follow-up {event.key} exists at {file}")
        return self._write(file, event, now, 0)

    def update(self, remote_id: str, event: FollowupEvent, now: dt.datetime,
               version: str = "") -> StoredFollowup:
        """Rewrite a follow-up file, with a higher SEQUENCE."""
        file = self.path / remote_id
        old = _unchanged(self._read(file) if file.exists() else None, remote_id, version,
                         self.path)
        return self._write(file, event, now, sequence_of(old) + 1)

    def delete(self, remote_id: str, version: str = "") -> None:
        """Delete a follow-up file."""
        file = self.path / remote_id
        _unchanged(self._read(file) if file.exists() else None, remote_id, version, self.path)
        file.unlink()

    def _write(self, file: Path, event: FollowupEvent, now: dt.datetime,
               sequence: int) -> StoredFollowup:
        calendar = new_calendar()
        vevent = followup_vevent(event, now, sequence)
        calendar.add_component(vevent)
        write_private(file, _serialise(calendar))
        return _stored(vevent, file.name)
