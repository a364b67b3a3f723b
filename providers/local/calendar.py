"""The `local` calendar: .ics files or vdirs in, a follow-up calendar (.ics or vdir) out."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from followup_daemon.boundary import (
    CalendarEvent,
    Changes,
    FollowupEvent,
    ProviderContext,
    StoredFollowup,
    WithoutDefaults,
    text_keys,
    text_list,
)
from followup_daemon.errors import CalendarError, UserError
from followup_daemon.ics.uids import is_followup_uid

if TYPE_CHECKING:  # the reader loads icalendar: not for checking settings
    from followup_daemon.ics.reader import ReadResult

log = logging.getLogger(__name__)
SETTINGS = ("calendars", "followups")


class LocalCalendar(WithoutDefaults):
    """Calendars on the local disk: .ics files or vdirs in, a follow-up calendar out."""

    name = "local"
    keys = SETTINGS

    @staticmethod
    def check_settings(account: dict[str, Any]) -> list[str]:
        """Problems with a `local` account's calendar settings."""
        problems = []
        if text_list(account.get("calendars")) is None:
            problems.append("calendars: give the .ics file(s) or vdir folder(s) to read, "
                            "e.g. calendars = [\"~/calendar.ics\"]")
        return problems + text_keys(account, ("followups",))

    def __init__(self, account: dict[str, Any], context: ProviderContext) -> None:
        base = context.base
        self.account = str(account["name"])
        self.may_hold = context.may_hold
        self.sources = [_resolve(p, base) for p in text_list(account["calendars"]) or []]
        default = platformdirs.user_data_path("followup-daemon") / f"{self.account}-followups.ics"
        self.target = _resolve(account["followups"], base) if "followups" in account else default
        _refuse_overlap(self.account, self.target, self.sources)
        from .followup_store import open_store  # icalendar: not for checking settings

        self.store = open_store(self.target)

    def read_changes(self, cursor: str | None, now: dt.datetime) -> Changes:
        """The whole listing when a source file changed (or a day passed, which moves
        the window recurring events are expanded in); `unchanged` otherwise."""
        files = self.source_files()
        new_cursor = _fingerprint(files, now.date())
        if cursor == new_cursor:
            return Changes(cursor, unchanged=True)
        events: list[CalendarEvent] = []
        unreadable: list[str] = []
        passed_over: list[str] = []
        for file in files:
            try:
                result = self._read(file, now)
            except CalendarError as error:
                if file in self.sources:
                    raise  # a calendar file of its own: the user must hear of it
                log.warning("account %s: skipped %s (what was read from it before is "
                            "kept)", self.account, error)
                unreadable.append(str(file))
                continue
            if result is None:
                passed_over.append(str(file))
                continue
            for warning in result.warnings:
                log.warning("account %s: %s", self.account, warning)
            events += [e for e in result.events if not is_followup_uid(e.uid)]
        return Changes(new_cursor, tuple(events), full=True, unreadable=tuple(unreadable),
                       passed_over=tuple(passed_over))

    def _read(self, file: Path, now: dt.datetime) -> ReadResult | None:
        """A calendar file's events; None for a vdir's file the context's `may_hold`
        rejects (names no interview): its events would not be kept, so it is not
        parsed (most files of a vdir)."""
        from followup_daemon.ics.reader import (  # as open_store
            decode,
            file_bytes,
            read_calendar_bytes,
        )
        data = file_bytes(file)
        if file not in self.sources and not self.may_hold(decode(data)):
            return None
        return read_calendar_bytes(data, str(file), now)

    def calendar_list(self) -> list[tuple[str, str]]:
        """(name, path) of the calendars the account reads, then the follow-ups' own;
        a file's name is its X-WR-CALNAME when it has one."""
        listed = [(_calendar_name(path), str(path)) for path in self.sources]
        return [*listed, (f"{_calendar_name(self.target)} (follow-ups)", str(self.target))]

    def source_files(self) -> list[Path]:
        """The .ics files to read: each file of `calendars`, and each .ics of a vdir
        among them. UserError for a calendar that does not exist."""
        files: list[Path] = []
        for source in self.sources:
            if source.is_dir():
                found = sorted(source.glob("*.ics"))
                if not found:
                    log.warning("account %s: calendar folder %s holds no .ics file; is it "
                                "the right folder?", self.account, source)
                files += found
            elif source.is_file():
                files.append(source)
            else:
                raise UserError(f"account {self.account}: calendar {source} does not exist; "
                                "fix `calendars` in the config")
        return files

    def list_followups(self) -> dict[str, StoredFollowup]:
        """The daemon's follow-ups in the target, by key."""
        return self.store.list()

    def find_followup(self, key: str) -> StoredFollowup | None:
        """The follow-up with `key`, or None."""
        return self.store.list().get(key)

    def create_followup(self, event: FollowupEvent) -> StoredFollowup:
        """Write a follow-up into the target."""
        return self.store.create(event, dt.datetime.now(dt.UTC))

    def update_followup(self, remote_id: str, event: FollowupEvent, version: str = ""
                        ) -> StoredFollowup:
        """Rewrite a follow-up in the target (Conflict when the user edited it)."""
        return self.store.update(remote_id, event, dt.datetime.now(dt.UTC), version)

    def delete_followup(self, remote_id: str, version: str = "") -> None:
        """Delete a follow-up from the target (Conflict when the user edited it)."""
        self.store.delete(remote_id, version)

    def hold_writes(self) -> None:
        """Keep the writes in memory until `flush` (a single-file target is then
        written once per pass, not once per follow-up)."""
        self.store.hold()

    def flush(self) -> None:
        """Write what `hold_writes` kept; the executor records the writes after it."""
        self.store.flush()


def _resolve(path: str, base: Path) -> Path:
    expanded = Path(path).expanduser()
    return expanded if expanded.is_absolute() else (base / expanded).resolve()


def _refuse_overlap(account: str, target: Path, sources: list[Path]) -> None:
    """The follow-up calendar must be none of the user's calendars, by any path to it
    (`cal/../cal.ics`, a symlink) and not a file inside one of their vdirs."""
    real = target.resolve()
    for source in (s.resolve() for s in sources):
        if real == source or source in real.parents or real in source.parents:
            raise UserError(f"account {account}: followups ({target}) is, or is inside, "
                            f"your calendar {source}; give it a file or folder of its own "
                            "(the daemon never writes into your own calendars)")


def _fingerprint(files: list[Path], day: dt.date) -> str:
    digest = hashlib.sha256(day.isoformat().encode())
    for file in files:
        info = file.stat()
        digest.update(f"{file}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]



def _calendar_name(path: Path) -> str:
    """X-WR-CALNAME from the first lines of a calendar file, else the file's name."""
    if path.is_file():
        with path.open("rb") as head:
            for line in head.read(8192).decode("utf-8", "replace").splitlines():
                if line.upper().startswith("X-WR-CALNAME:"):
                    return line.split(":", 1)[1].strip() or path.name
    return path.name
