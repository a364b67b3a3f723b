"""The provider interface: what the sync engine asks of a calendar and mail service.

A provider reads the user's events (changes since a cursor), and writes the
daemon's own follow-up events and drafts, each marked with the interview's key.
It never touches anything it did not create. Errors are the ones of
`followup_daemon.errors`; adapters translate their SDK's exceptions into them.
"""

from __future__ import annotations

import datetime as dt
import email.policy
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol, runtime_checkable

from .model import CalendarEvent, instance_id

__all__ = ["KEY_HEADER", "instance_id", "message_id"]  # what adapters take from here

KEY_HEADER = "X-Followup-Daemon-Key"  # the draft header that carries an interview's key


def message_id(key: str) -> str:
    """A Message-ID derived from the key alone, so a saved draft can be found again."""
    return f"<followup.{key}@followup-daemon.invalid>"

# RFC 5322's hard line limit: folding at 78 can break right after "Subject:", and
# strict readers then see a leading space ("Re:  ...").
DRAFT_POLICY = email.policy.SMTP.clone(max_line_length=998)


def draft_bytes(message: EmailMessage, linesep: str = "\r\n") -> bytes:
    """A draft as bytes to save: CRLF (SMTP, IMAP, Gmail) or `linesep` (a Maildir)."""
    return message.as_bytes(policy=DRAFT_POLICY.clone(linesep=linesep))


@dataclass(frozen=True)
class Changes:
    """What changed in the user's calendars since a cursor.

    With `full` set, `events` is the whole listing and anything not in it is
    gone; otherwise `events` were added or changed and `removed` (event ids)
    were deleted. `unchanged` says nothing changed at all. `unreadable` names
    sources (an event's `source`) that could not be read this time: what was
    stored from them stays as it was, even in a full listing."""

    cursor: str | None
    events: tuple[CalendarEvent, ...] = ()
    removed: tuple[str, ...] = ()
    full: bool = False
    unchanged: bool = False
    unreadable: tuple[str, ...] = ()


@dataclass(frozen=True)
class FollowupEvent:
    """A follow-up event to write."""

    key: str
    title: str
    description: str
    start: dt.datetime
    end: dt.datetime
    reminder_minutes: int = 10
    interview_uid: str = ""


@dataclass(frozen=True)
class StoredFollowup:
    """A follow-up event as it is in the target calendar."""

    key: str
    remote_id: str
    start: dt.datetime
    end: dt.datetime
    # The service's mark of this exact content (an ETag, a changeKey, a hash of the
    # iCalendar properties): it changes whenever anyone edits the event. "": unknown.
    version: str = ""


@dataclass(frozen=True)
class Draft:
    """A draft to save: its message carries the key in `KEY_HEADER` and a
    Message-ID made by `message_id(key)`, by which providers find it again."""

    key: str
    message: EmailMessage


@dataclass(frozen=True)
class StoredDraft:
    """A draft as it is in the mailbox."""

    key: str
    remote_id: str


@runtime_checkable
class Provider(Protocol):
    """One account of a calendar (and mail) service.

    Optional abilities are attributes: `supports_drafts` is False for a
    provider without a mailbox (then the draft methods raise NotImplementedError).
    """

    name: str
    supports_drafts: bool

    def read_changes(self, cursor: str | None, now: dt.datetime) -> Changes:
        """The user's events changed since `cursor` (None: everything); `now` bounds
        the window in which recurring events are expanded.

        Raises TransientError (retry later), AuthExpired, or UserError for a
        source that cannot be read (a missing file)."""
        ...

    def list_followups(self) -> dict[str, StoredFollowup]:
        """Every follow-up event the daemon wrote in the target, by key."""
        ...

    def find_followup(self, key: str) -> StoredFollowup | None:
        """The follow-up event carrying `key`, or None."""
        ...

    def create_followup(self, event: FollowupEvent) -> StoredFollowup:
        """Write a new follow-up event. Raises AlreadyExists when `key` is there."""
        ...

    def update_followup(self, remote_id: str, event: FollowupEvent) -> StoredFollowup:
        """Rewrite the daemon's follow-up `remote_id`. Raises NotFound when it is gone."""
        ...

    def delete_followup(self, remote_id: str) -> None:
        """Delete the daemon's follow-up `remote_id`. Raises NotFound when it is gone."""
        ...

    def find_draft(self, key: str) -> StoredDraft | None:
        """The draft carrying `key`, or None."""
        ...

    def create_draft(self, draft: Draft) -> StoredDraft:
        """Save a draft (never send it). Raises AlreadyExists when `key` is there."""
        ...

    def delete_draft(self, remote_id: str) -> None:
        """Delete the daemon's draft `remote_id`. Raises NotFound when it is gone."""
        ...
