"""Where the local provider writes follow-up events: one .ics file, or a vdir
(a folder with one .ics file per event, as khal and vdirsyncer use)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Protocol

from icalendar import Calendar, Component

from followup_daemon.boundary import (
    FollowupEvent,
    StoredFollowup,
    write_private,
    write_private_many,
)
from followup_daemon.errors import (
    AlreadyExists,
    CalendarError,
    Conflict,
    NotFound,
    TransientError,
)
from followup_daemon.ics.reader import parse
from followup_daemon.ics.writer import (
    content_version,
    followup_uid,
    followup_vevent,
    key_of,
    new_calendar,
    sequence_of,
    stored,
    to_ical,
)


class FollowupStore(Protocol):
    """Follow-up events in a local target, by key."""

    def list(self) -> dict[str, StoredFollowup]: ...
    def create(self, event: FollowupEvent, now: dt.datetime) -> StoredFollowup: ...
    def update(self, remote_id: str, event: FollowupEvent, now: dt.datetime,
               version: str = "") -> StoredFollowup: ...
    def delete(self, remote_id: str, version: str = "") -> None: ...
    def hold(self) -> None: ...
    def flush(self) -> None: ...


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
    return to_ical(calendar)


def _stored(component: Component, remote_id: str) -> StoredFollowup:
    found = stored(component, remote_id)
    if found is None:
        raise CalendarError(remote_id, "a follow-up event without a start; delete it")
    return found


class FileStore:
    """All follow-ups in one .ics file the user can subscribe to or import.

    The parsed file is kept while the file stays as it was. Writes a pass holds
    (`hold`) are made in memory and written out once by `flush`: rewriting the whole
    file for each follow-up made a first sync quadratic."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._calendar: Calendar | None = None
        self._ours_by_uid: dict[str, Component] = {}
        self._stamp: tuple[int, ...] | None = None
        self._holding = False
        self._dirty = False

    def _load(self) -> Calendar:
        stamp = _stamp(self.path)
        if self._calendar is None or (not self._dirty and stamp != self._stamp):
            loaded = parse(self.path.read_bytes(), str(self.path))[0] \
                if stamp else new_calendar()
            assert isinstance(loaded, Calendar)
            self._ours_by_uid = {str(c.get("UID")): c for c in loaded.subcomponents
                                 if c.name == "VEVENT" and key_of(c)}
            self._calendar, self._stamp = loaded, stamp
        return self._calendar

    def _ours(self) -> dict[str, Component]:
        self._load()
        return self._ours_by_uid

    def list(self) -> dict[str, StoredFollowup]:
        """Every follow-up in the file, by key."""
        found = (stored(c, uid) for uid, c in self._ours().items())
        return {f.key: f for f in found if f is not None}

    def create(self, event: FollowupEvent, now: dt.datetime) -> StoredFollowup:
        """Add a follow-up; AlreadyExists when its key is in the file."""
        uid = followup_uid(event.key)
        if uid in self._ours():
            raise AlreadyExists(f"follow-up {event.key} exists in {self.path}")
        vevent = followup_vevent(event, now)
        self._load().add_component(vevent)
        self._ours_by_uid[uid] = vevent
        self._save()
        return _stored(vevent, uid)

    def update(self, remote_id: str, event: FollowupEvent, now: dt.datetime,
               version: str = "") -> StoredFollowup:
        """Rewrite a follow-up in place, with a higher SEQUENCE."""
        old = _unchanged(self._ours().get(remote_id), remote_id, version, self.path)
        vevent = followup_vevent(event, now, sequence_of(old) + 1)
        components = self._load().subcomponents
        components[components.index(old)] = vevent
        self._ours_by_uid[remote_id] = vevent
        self._save()
        return _stored(vevent, remote_id)

    def delete(self, remote_id: str, version: str = "") -> None:
        """Remove a follow-up; the file's other events stay as they are."""
        old = _unchanged(self._ours().get(remote_id), remote_id, version, self.path)
        self._load().subcomponents.remove(old)
        del self._ours_by_uid[remote_id]
        self._save()

    def hold(self) -> None:
        """Keep the next writes in memory until `flush`."""
        self._holding = True

    def flush(self) -> None:
        """Write what was held, once. When the file changed meanwhile (the user edited
        it), nothing is written: the held writes are dropped and the journal has them
        redone on the next pass over the file as it is now."""
        self._holding = False
        if not self._dirty:
            return
        self._dirty = False
        if _stamp(self.path) != self._stamp:
            self._calendar = None
            raise TransientError(f"{self.path} changed while follow-ups were being "
                                 "written; they are written on the next pass")
        self._save()

    def _save(self) -> None:
        if self._holding:
            self._dirty = True
            return
        assert self._calendar is not None
        write_private(self.path, _serialise(self._calendar))
        self._stamp = _stamp(self.path)


def _stamp(path: Path) -> tuple[int, ...] | None:
    """What tells a file changed: its inode, size and modification time (None: absent)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


class VdirStore:
    """One .ics file per follow-up in a folder.

    Files a pass holds (`hold`) are kept in memory and written by `flush` together,
    flushed to disk once (`write_private_many`) instead of once per file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: dict[str, tuple[tuple[int, ...] | None, StoredFollowup | None]] = {}
        self._held: dict[Path, tuple[bytes, StoredFollowup]] | None = None

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
            item = self._listed(file)
            if item is not None:
                found[item.key] = item
        return found

    def _listed(self, file: Path) -> StoredFollowup | None:
        """The follow-up in `file`, parsed again only when the file changed."""
        stamp = _stamp(file)
        seen = self._seen.get(file.name)
        if seen is not None and seen[0] == stamp:
            return seen[1]
        component = self._read(file)
        item = stored(component, file.name) if component is not None else None
        self._seen[file.name] = (stamp, item)
        return item

    def create(self, event: FollowupEvent, now: dt.datetime) -> StoredFollowup:
        """Write a new file; AlreadyExists when the key's file is there."""
        file = self._file(event.key)
        if file.exists() or file in (self._held or {}):
            raise AlreadyExists(f"follow-up {event.key} exists at {file}")
        return self._write(file, event, now, 0)

    def update(self, remote_id: str, event: FollowupEvent, now: dt.datetime,
               version: str = "") -> StoredFollowup:
        """Rewrite a follow-up file, with a higher SEQUENCE."""
        self._write_held()
        file = self.path / remote_id
        old = _unchanged(self._read(file) if file.exists() else None, remote_id, version,
                         self.path)
        return self._write(file, event, now, sequence_of(old) + 1)

    def delete(self, remote_id: str, version: str = "") -> None:
        """Delete a follow-up file."""
        self._write_held()
        file = self.path / remote_id
        _unchanged(self._read(file) if file.exists() else None, remote_id, version, self.path)
        file.unlink()

    def hold(self) -> None:
        """Keep the next new files in memory until `flush`; first remove the temporary
        files a pass killed while flushing left behind."""
        for stale in self.path.glob(".followup-*.ics.*.tmp") if self.path.is_dir() else []:
            stale.unlink(missing_ok=True)
        self._held = {}

    def flush(self) -> None:
        """Write the held files, together."""
        self._write_held()
        self._held = None

    def _write_held(self) -> None:
        held = self._held
        if not held:
            return
        self._held = {}
        write_private_many({file: data for file, (data, _) in held.items()})
        for file, (_, found) in held.items():
            self._seen[file.name] = (_stamp(file), found)

    def _write(self, file: Path, event: FollowupEvent, now: dt.datetime,
               sequence: int) -> StoredFollowup:
        calendar = new_calendar()
        vevent = followup_vevent(event, now, sequence)
        calendar.add_component(vevent)
        found = _stored(vevent, file.name)
        if self._held is not None:
            self._held[file] = (_serialise(calendar), found)
            return found
        write_private(file, _serialise(calendar))
        self._seen[file.name] = (_stamp(file), found)
        return found
