"""The state database: what the daemon knows and what it wrote, per account.

SQLite with a schema version, private to the user. Every write to a calendar
or mailbox is journalled: the intent before, the result after, so that a crash
anywhere is resolved on the next start by looking the key up.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UserError
from .files import make_private_dir

if TYPE_CHECKING:  # the model is loaded by what reads replies; `status` does not
    from .model import Received

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY, cursor TEXT, pass_started TEXT, pass_finished TEXT,
    result TEXT, error TEXT, counts TEXT);
CREATE TABLE IF NOT EXISTS events (
    account TEXT NOT NULL, event_id TEXT NOT NULL, payload TEXT NOT NULL,
    PRIMARY KEY (account, event_id));
CREATE TABLE IF NOT EXISTS followups (
    account TEXT NOT NULL, key TEXT NOT NULL, status TEXT NOT NULL, remote_id TEXT,
    start TEXT, end_ TEXT, fingerprint TEXT, title TEXT, updated TEXT NOT NULL,
    version TEXT, PRIMARY KEY (account, key));
CREATE TABLE IF NOT EXISTS drafts (
    account TEXT NOT NULL, key TEXT NOT NULL, status TEXT NOT NULL, remote_id TEXT,
    recipients TEXT, updated TEXT NOT NULL, PRIMARY KEY (account, key));
CREATE TABLE IF NOT EXISTS mail_cursors (account TEXT PRIMARY KEY, cursor TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mail_notes (account TEXT PRIMARY KEY, note TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS owners (identity TEXT PRIMARY KEY, account TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS replies (
    account TEXT NOT NULL, sender TEXT NOT NULL, moment TEXT NOT NULL,
    PRIMARY KEY (account, sender, moment));
"""

class Status(StrEnum):
    """Where a follow-up or a draft stands. *ing: an intent whose outcome is unknown
    (settled by looking the key up); user_*: the user's now, never touched again."""

    CREATING = "creating"
    UPDATING = "updating"
    DELETING = "deleting"
    CREATED = "created"
    DELETED = "deleted"
    USER_DELETED = "user_deleted"
    USER_MOVED = "user_moved"
    USER_EDITED = "user_edited"  # a draft the user changed: left to them
    SENT_OR_DELETED = "sent_or_deleted"  # a draft no longer in the mailbox



CREATING, UPDATING, DELETING = Status.CREATING, Status.UPDATING, Status.DELETING
CREATED, DELETED = Status.CREATED, Status.DELETED
USER_DELETED, USER_MOVED = Status.USER_DELETED, Status.USER_MOVED
USER_EDITED, SENT_OR_DELETED = Status.USER_EDITED, Status.SENT_OR_DELETED
PENDING = (CREATING, UPDATING, DELETING)
_PENDING = " AND status IN (?, ?, ?)"


@dataclass(frozen=True)
class FollowupRow:
    """The state of one follow-up event."""

    key: str
    status: Status
    remote_id: str | None
    start: dt.datetime | None
    end: dt.datetime | None
    fingerprint: str
    title: str
    version: str = ""  # the service's mark of the content the daemon last wrote


@dataclass(frozen=True)
class DraftRow:
    """The state of one draft."""

    key: str
    status: Status
    remote_id: str | None
    recipients: str
    updated: str = ""  # when the row was last written (or the draft last looked at)


@dataclass(frozen=True)
class AccountRow:
    """An account's cursor and last pass."""

    name: str
    cursor: str | None
    pass_started: str | None
    pass_finished: str | None
    result: str | None
    error: str | None
    counts: str | None


def _when(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


_FOLLOWUP_COLUMNS = "key, status, remote_id, start, end_, fingerprint, title, version"


def _followup_row(r: tuple[Any, ...]) -> FollowupRow:
    return FollowupRow(r[0], Status(r[1]), r[2], _when(r[3]), _when(r[4]), r[5] or "",
                       r[6] or "", r[7] or "")


class State:
    """The database of one state directory."""

    def __init__(self, directory: Path) -> None:
        make_private_dir(directory)
        self.path = directory / "state.sqlite3"
        if not self.path.exists():
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            # WAL: a commit appends to the log instead of rewriting pages; NORMAL syncs it
            # at checkpoints only. A killed process loses no commit; a power cut may lose
            # the last ones (see docs/decisions.md for what that can cost).
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
            self._check_version()
        except sqlite3.DatabaseError as error:
            raise UserError(f"{self.path}: the state database cannot be opened ({error}); "
                            "keep it and run `followup-daemon doctor`; to go on without "
                            "it, move it aside: the next pass re-learns from the follow-ups "
                            "in your calendar and writes nothing it cannot be sure of") from None

    def _check_version(self) -> None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        elif int(row[0]) > SCHEMA_VERSION:
            raise UserError(f"{self.path}: written by a newer followup-daemon "
                            f"(schema {row[0]}); upgrade followup-daemon")
        elif int(row[0]) < SCHEMA_VERSION:
            self._migrate(int(row[0]))

    def _migrate(self, version: int) -> None:
        """Each step N -> N+1 in one transaction with the new version: all or nothing."""
        with self.transaction() as db:
            for step in range(version, SCHEMA_VERSION):
                MIGRATIONS[step](db)
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                       (str(SCHEMA_VERSION),))

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    @contextmanager
    def transaction(self, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """A write transaction: everything in it lands, or nothing does. One opened
        inside another is part of it. `durable`: its commit is synced to disk at once
        (synchronous=FULL, one sync of the log), so that not even a power cut rolls it
        back: an intent whose write nothing else could tell from a second one."""
        if self.db.in_transaction:
            yield self.db
            return
        try:
            if durable:
                self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.OperationalError as error:
            raise UserError(f"{self.path}: the state database cannot be written ({error}); "
                            "free some disk space or make the folder writable") from None
        finally:
            if durable:
                self.db.execute("PRAGMA synchronous=NORMAL")

    @contextmanager
    def rolled_back(self) -> Iterator[None]:
        """Everything done inside is undone at the end (`sync --dry-run`): the
        transactions opened inside are part of this one."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            self.db.execute("ROLLBACK")

    # accounts

    def account(self, name: str) -> AccountRow:
        """The account's row (empty for a new account)."""
        row = self.db.execute("SELECT * FROM accounts WHERE name = ?", (name,)).fetchone()
        return AccountRow(*row) if row else AccountRow(name, None, None, None, None, None, None)

    def accounts(self) -> list[AccountRow]:
        """Every account that ever ran a pass."""
        return [AccountRow(*r) for r in self.db.execute("SELECT * FROM accounts ORDER BY name")]

    def record_pass(self, row: AccountRow) -> None:
        """Store an account's last pass (and cursor)."""
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO accounts VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (row.name, row.cursor, row.pass_started, row.pass_finished, row.result,
                        row.error, row.counts))

    def set_cursor(self, account: str, cursor: str | None) -> None:
        """Keep an account's sync position."""
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO accounts (name) VALUES (?)", (account,))
            db.execute("UPDATE accounts SET cursor = ? WHERE name = ?", (cursor, account))

    def reread_if_filter_changed(self, version: str) -> bool:
        """Only events the interview filter keeps are stored; when the filter is not the
        one they were kept under (a word was added in an update), forget every account's
        cursor so that the next pass reads each calendar in full. Whether it did."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'keep_filter'").fetchone()
        if row is not None and row[0] == version:
            return False
        with self.transaction() as db:
            db.execute("UPDATE accounts SET cursor = NULL")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('keep_filter', ?)", (version,))
        return row is not None or bool(self.accounts())

    def view(self, name: str) -> str | None:
        """A view a pass computed for `status` (its JSON), if one was kept."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?",
                              (f"view:{name}",)).fetchone()
        return str(row[0]) if row else None

    def set_view(self, name: str, payload: str) -> None:
        """Keep a view a pass computed (`status` shows it instead of computing it)."""
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"view:{name}", payload))

    # the user's events

    def events(self, account: str) -> dict[str, str]:
        """The stored events of an account: event id -> JSON."""
        rows = self.db.execute("SELECT event_id, payload FROM events WHERE account = ?",
                               (account,))
        return dict(rows.fetchall())

    def mail_cursor(self, account: str) -> str | None:
        """Where the account's received mail was read up to."""
        row = self.db.execute("SELECT cursor FROM mail_cursors WHERE account = ?",
                              (account,)).fetchone()
        return str(row[0]) if row else None

    def store_replies(self, account: str, replies: Iterable[Received], cursor: str) -> None:
        """Messages that may answer an interview (their sender and date, nothing else)
        and the mail cursor after them, in one transaction."""
        with self.transaction() as db:
            db.executemany("INSERT OR IGNORE INTO replies VALUES (?, ?, ?)",
                           [(account, r.sender, r.moment.isoformat()) for r in replies])
            db.execute("INSERT OR REPLACE INTO mail_cursors VALUES (?, ?)", (account, cursor))

    def mail_note(self, account: str) -> str | None:
        """Why the account's received mail is not read (replies off), if it is not."""
        row = self.db.execute("SELECT note FROM mail_notes WHERE account = ?",
                              (account,)).fetchone()
        return str(row[0]) if row else None

    def set_mail_note(self, account: str, note: str | None) -> None:
        """Keep (or, with None, clear) why the account's received mail is not read."""
        with self.transaction() as db:
            if note is None:
                db.execute("DELETE FROM mail_notes WHERE account = ?", (account,))
            else:
                db.execute("INSERT OR REPLACE INTO mail_notes VALUES (?, ?)", (account, note))

    def owners(self) -> dict[str, str]:
        """The account that owns each interview seen in several accounts, by identity."""
        return dict(self.db.execute("SELECT identity, account FROM owners").fetchall())

    def set_owners(self, owners: dict[str, str]) -> None:
        """Record owners that are new or changed (one transaction; none when none)."""
        known = self.owners()
        changed = [(i, a) for i, a in owners.items() if known.get(i) != a]
        if changed:
            with self.transaction() as db:
                db.executemany("INSERT OR REPLACE INTO owners VALUES (?, ?)", changed)

    def replies(self, account: str) -> list[Received]:
        """The account's messages that may answer an interview, oldest first."""
        rows = self.db.execute("SELECT sender, moment FROM replies WHERE account = ? "
                               "ORDER BY moment", (account,)).fetchall()
        from .model import Received

        return [Received(sender, dt.datetime.fromisoformat(moment)) for sender, moment in rows]

    def store_events(self, account: str, replace_all: bool, upserts: dict[str, str],
                     removed: list[str], cursor: str | None) -> None:
        """Apply a read's changes and its new cursor in one transaction."""
        with self.transaction() as db:
            if replace_all:
                db.execute("DELETE FROM events WHERE account = ?", (account,))
            db.executemany("DELETE FROM events WHERE account = ? AND event_id = ?",
                           [(account, r) for r in removed])
            db.executemany("INSERT OR REPLACE INTO events VALUES (?, ?, ?)",
                           [(account, k, v) for k, v in upserts.items()])
            db.execute("INSERT OR IGNORE INTO accounts (name) VALUES (?)", (account,))
            db.execute("UPDATE accounts SET cursor = ? WHERE name = ?", (cursor, account))

    # follow-ups and drafts

    def followups(self, account: str, pending: bool = False) -> dict[str, FollowupRow]:
        """Every follow-up row of an account (or only its open intents), by key."""
        rows = self.db.execute(
            f"SELECT {_FOLLOWUP_COLUMNS} FROM followups WHERE account = ?" + _PENDING * pending,
            (account, *PENDING * pending))
        return {r[0]: _followup_row(r) for r in rows}

    def followup(self, account: str, key: str) -> FollowupRow:
        """One follow-up row, which must be there (KeyError otherwise)."""
        row = self.db.execute(
            f"SELECT {_FOLLOWUP_COLUMNS} FROM followups WHERE account = ? AND key = ?",
            (account, key)).fetchone()
        if row is None:
            raise KeyError(key)
        return _followup_row(row)

    def put_followup(self, account: str, row: FollowupRow, now: dt.datetime) -> None:
        """Insert or replace a follow-up row (its own transaction)."""
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO followups (account, key, status, remote_id, start, "
                "end_, fingerprint, title, updated, version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (account, row.key, row.status, row.remote_id,
                 row.start.isoformat() if row.start else None,
                 row.end.isoformat() if row.end else None, row.fingerprint, row.title,
                 now.isoformat(), row.version))

    def forget_followup(self, account: str, key: str) -> None:
        """Drop a follow-up row (an intent that never reached the server)."""
        with self.transaction() as db:
            db.execute("DELETE FROM followups WHERE account = ? AND key = ?", (account, key))

    def drafts(self, account: str, pending: bool = False) -> dict[str, DraftRow]:
        """Every draft row of an account (or only its open intents), by key."""
        rows = self.db.execute(
            "SELECT key, status, remote_id, recipients, updated FROM drafts WHERE account = ?"
            + _PENDING * pending, (account, *PENDING * pending))
        return {r[0]: DraftRow(r[0], Status(r[1]), r[2], r[3] or "", r[4]) for r in rows}

    def put_draft(self, account: str, row: DraftRow, now: dt.datetime) -> None:
        """Insert or replace a draft row (its own transaction)."""
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO drafts VALUES (?, ?, ?, ?, ?, ?)",
                       (account, row.key, row.status, row.remote_id, row.recipients,
                        now.isoformat()))

    def forget_draft(self, account: str, key: str) -> None:
        """Drop a draft row (an intent that never reached the mailbox)."""
        with self.transaction() as db:
            db.execute("DELETE FROM drafts WHERE account = ? AND key = ?", (account, key))


def _add_followup_versions(db: sqlite3.Connection) -> None:
    """1 -> 2: the version of each follow-up as the daemon wrote it, so that any change
    the user makes (notes, title, time) makes the follow-up theirs."""
    db.execute("ALTER TABLE followups ADD COLUMN version TEXT")


MIGRATIONS = {1: _add_followup_versions}
