"""The provider boundary: everything a calendar or a mailbox adapter needs, in one module.

An account has a **calendar** (the user's events in, the daemon's follow-ups out)
and, optionally, a **mailbox** (the daemon's drafts; never a send). They are two
interfaces, chosen separately: a CalDAV calendar with IMAP drafts, a local .ics
file with a Maildir, Google with Gmail.

An adapter imports this module, `followup_daemon.errors` and, where it reads or
writes iCalendar, `followup_daemon.ics`; nothing else of the core, and never
another adapter. The core names adapters in one place (`registry.py`).
Errors are the ones of `followup_daemon.errors`; each adapter maps its SDK's
exceptions into them in one place, keeping the cause (`raise ... from error`).
"""

from __future__ import annotations

import datetime as dt
import email.policy
import getpass
import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from email.header import Header
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

from .errors import FollowupError, RetryAlone, UserError
from .files import (
    flush_to_disk,
    maildir_files,
    make_private_dir,
    write_private,
    write_private_many,
)
from .model import CalendarEvent, EventTime, Person, PersonKind, Received, instance_id
from .retry import RetryPolicy
from .settings import Settings

__all__ = [  # what adapters take from here besides the classes defined below
    "KEY_HEADER",
    "CalendarEvent",
    "EventTime",
    "Person",
    "PersonKind",
    "Received",
    "RetryPolicy",
    "flush_to_disk",
    "instance_id",
    "maildir_files",
    "make_private_dir",
    "message_id",
    "write_private",
    "write_private_many",
]

T = TypeVar("T")
KEY_HEADER = "X-Followup-Daemon-Key"  # the draft header that carries an interview's key


def message_id(key: str) -> str:
    """A Message-ID derived from the key alone, so a saved draft can be found again."""
    return f"<followup.{key}@followup-daemon.invalid>"


# the headers every draft of a pass has alike: parsed once, folded once
SHARED_HEADERS = frozenset({"from", "date", "mime-version", "content-type",
                            "content-transfer-encoding"})


class _DraftPolicy(EmailPolicy):
    """SMTP's policy, folding each header shared by the drafts of a pass only once."""

    def fold_binary(self, name: str, value: Any) -> bytes:
        fold = partial(EmailPolicy.fold_binary, self, name, value)
        if name.lower() not in SHARED_HEADERS:
            return fold()
        return _kept(_FOLDED, (name, str(value), self.linesep, self.max_line_length,
                               self.utf8), fold)


def _kept(cache: dict[Any, T], key: Any, make: Callable[[], T]) -> T:
    """`cache[key]`, made once; the cache is emptied when it holds 256 (a daemon that
    runs for months meets many dates)."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= 256:
            cache.clear()
        found = cache[key] = make()
    return found


_FOLDED: dict[tuple[str, str, str, int | None, bool], bytes] = {}
# RFC 5322's hard line limit: folding at 78 can break right after "Subject:", and
# strict readers then see a leading space ("Re:  ...").
DRAFT_POLICIES = {linesep: _DraftPolicy(linesep=linesep, max_line_length=998)
                  for linesep in ("\r\n", "\n")}


def draft_bytes(message: EmailMessage, linesep: str = "\r\n") -> bytes:
    """A draft as bytes to save: CRLF (SMTP, IMAP, Gmail) or `linesep` (a Maildir)."""
    policy = DRAFT_POLICIES.get(linesep) or DRAFT_POLICIES["\r\n"].clone(linesep=linesep)
    return message.as_bytes(policy=policy)


# The values the core and the adapters exchange


@dataclass(frozen=True)
class Changes:
    """What changed in the user's calendars since a cursor.

    With `full` set, `events` is the whole listing and anything not in it is
    gone; otherwise `events` were added or changed and `removed` (event ids)
    were deleted. `unchanged` says nothing changed at all. `unreadable` names
    sources (an event's `source`) that could not be read this time: what was
    stored from them stays as it was, even in a full listing. `passed_over` names
    what was listed but not read, as the context's `may_hold` or `may_name` showed
    it could not be an interview: event ids, or a file's path for a file left
    unparsed. They are gone from what is stored, as `removed` are, but they show
    the calendar is not empty."""

    cursor: str | None
    events: tuple[CalendarEvent, ...] = ()
    removed: tuple[str, ...] = ()
    full: bool = False
    unchanged: bool = False
    unreadable: tuple[str, ...] = ()
    passed_over: tuple[str, ...] = ()


@dataclass
class Listing:
    """A calendar's items as a read sorts them: the user's events, the ids of those
    removed, and those passed over (see `Changes`)."""

    events: list[CalendarEvent] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    passed_over: list[str] = field(default_factory=list)

    def changes(self, cursor: str | None, full: bool) -> Changes:
        """The read's Changes, with its new cursor."""
        return Changes(cursor, tuple(self.events), tuple(self.removed), full=full,
                       passed_over=tuple(self.passed_over))


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
class Rewrite:
    """A follow-up to move: its event id, its new form, and the version the daemon
    last saw of it ("": unknown)."""

    remote_id: str
    event: FollowupEvent
    version: str = ""


@dataclass(frozen=True)
class Removal:
    """A follow-up to delete: its event id and the version the daemon last saw."""

    remote_id: str
    version: str = ""


@dataclass(frozen=True)
class Letter:
    """What a draft says: its recipients (already validated as addresses), one-line
    subject, body and, optionally, sender and date."""

    to: tuple[Address, ...]
    subject: str
    body: str
    sender: Address | None = None
    date: dt.datetime | None = None


class Draft:
    """A draft to save: a letter and its interview's key. As a message, the key is in
    `KEY_HEADER` and the Message-ID is `message_id(key)`, by which mailboxes find it
    again.

    The message is made only when a mailbox asks for it: one that takes the letter's
    parts (Graph's JSON) never needs it, and building one is costly."""

    def __init__(self, key: str, letter: Letter) -> None:
        self.key = key
        self.letter = letter
        self._message: EmailMessage | None = None

    @property
    def recipients(self) -> str:
        """The To header's value, as the message has it."""
        return ", ".join(str(address) for address in self.letter.to)

    @property
    def message(self) -> EmailMessage:
        """The letter as an e-mail message, made on first use."""
        if self._message is None:
            self._message = letter_message(self.key, self.letter)
        return self._message

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Draft) and (self.key, self.letter) == (other.key,
                                                                        other.letter)

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"Draft({self.key!r})"


class _HeaderClasses(HeaderRegistry):
    """The email package's header classes, each made once: its registry makes a new
    class for every header set or read (half the cost of building a draft). And the
    headers every draft of a pass has alike (From, Date, the MIME ones) are parsed
    once: a parsed header is an immutable string, so one may serve every message."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}
        self._parsed: dict[tuple[str, str], BaseHeader] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        made = self._made.get(name)
        if made is None:
            made = self._made[name] = super().__getitem__(name)
        return made

    def __call__(self, name: str, value: Any) -> BaseHeader:
        parse = partial(self[name], name, value)
        if not isinstance(value, str) or name.lower() not in SHARED_HEADERS:
            return parse()
        return _kept(self._parsed, (name, value), parse)


LETTER_POLICY = email.policy.default.clone(header_factory=_HeaderClasses())


def letter_message(key: str, letter: Letter) -> EmailMessage:
    """The message of a draft: headers set from `Address` objects and one-line values,
    never joined as strings."""
    message = EmailMessage(policy=LETTER_POLICY)
    if letter.sender is not None:
        message["From"] = str(letter.sender)
    message["To"] = letter.to
    message["Subject"] = letter.subject
    if letter.date is not None:
        message["Date"] = format_datetime(letter.date)
    message["Message-ID"] = message_id(key)
    message[KEY_HEADER] = key
    message.set_content(letter.body + "\n")
    return message


@dataclass(frozen=True)
class StoredDraft:
    """A draft as it is in the mailbox."""

    key: str
    remote_id: str


@dataclass(frozen=True)
class ProviderContext:
    """What an adapter may need besides its account's settings."""

    base: Path  # relative paths in the config are read from here
    state_dir: Path  # the adapter's own private files (token caches) go here
    settings: Settings = field(default_factory=Settings)
    # A look at a calendar file's raw text: False when it cannot hold an event a pass
    # keeps, so it need not be parsed (sync gives the interview filter's own).
    may_hold: Callable[[str], bool] = field(default=lambda text: True)
    # The same for an event's title and notes as plain text (joined by a line break):
    # False when the event cannot be one a pass keeps, so it need not be converted.
    may_name: Callable[[str], bool] = field(default=lambda text: True)


# The two interfaces


@runtime_checkable
class Calendar(Protocol):
    """The calendar of one account: the user's events in, the daemon's follow-ups out.

    It never touches an event it did not write; the daemon's own events carry
    their interview's key and never come back from `read_changes`."""

    name: str

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

    def update_followup(self, remote_id: str, event: FollowupEvent, version: str = ""
                        ) -> StoredFollowup:
        """Rewrite the daemon's follow-up `remote_id`. Raises NotFound when it is gone,
        Conflict when it is no longer at `version` (someone changed it; "": unknown)."""
        ...

    def delete_followup(self, remote_id: str, version: str = "") -> None:
        """Delete the daemon's follow-up `remote_id`. Raises NotFound when it is gone,
        Conflict when it is no longer at `version`."""
        ...


@runtime_checkable
class HoldsWrites(Protocol):
    """A calendar whose writes are cheaper together (a single .ics file): the executor
    has it hold them, and records them only once `flush` wrote them."""

    def hold_writes(self) -> None:
        """Keep the next writes in memory."""
        ...

    def flush(self) -> None:
        """Write what was held; raises (and writes nothing) when that cannot be done."""
        ...


@runtime_checkable
class ListsCalendars(Protocol):
    """A calendar that can list the calendars of its account (`calendars`, `setup`)."""

    def calendar_list(self) -> list[tuple[str, str]]:
        """(name, id) of each calendar: the id is what the account's settings take."""
        ...


@runtime_checkable
class BatchesFollowups(Protocol):
    """A calendar that creates, moves or deletes many follow-ups in one request
    (Google's batch endpoint, Graph's `$batch`): the executor journals them together,
    sends them together and records the answers together."""

    batch_size: int  # the most one request takes, by the service's documented limit

    def create_followups(self, events: Sequence[FollowupEvent]
                         ) -> list[StoredFollowup | FollowupError]:
        """Each event's stored follow-up, or the error (of the core's tree) that one
        event met, in the events' order; what a retry could settle is retried alone."""
        ...

    def update_followups(self, moves: Sequence[Rewrite]
                         ) -> list[StoredFollowup | FollowupError]:
        """Each move as `update_followup` makes it (NotFound, Conflict as there), or the
        error that one move met, in order."""
        ...

    def delete_followups(self, removals: Sequence[Removal]) -> list[FollowupError | None]:
        """None for each follow-up deleted, else the error `delete_followup` would
        raise for it, in order."""
        ...


def batch_answer(answer: Any, alone: Callable[[], T], keep: Callable[[Any], T],
                 alone_for: tuple[type[FollowupError], ...] = (RetryAlone,)
                 ) -> T | FollowupError:
    """One call's answer in a batch, as `create_followups`/`create_drafts` return it:
    `keep` of what the service answered; `alone()` when the batch's error for it is one
    of `alone_for` (by default one worth sending again on its own); or the error.
    An error of either is returned, not raised: the other calls go on."""
    try:
        if isinstance(answer, alone_for):
            return alone()
        return answer if isinstance(answer, FollowupError) else keep(answer)
    except FollowupError as error:
        return error


@runtime_checkable
class ListsDrafts(Protocol):
    """A mailbox that finds all its drafts as cheaply as one (a folder it reads whole
    to find any): the drafts a crash left unsettled are looked up in one listing."""

    def list_drafts(self) -> dict[str, StoredDraft]:
        """Every draft with the key header, by key."""
        ...


@runtime_checkable
class BatchesDrafts(Protocol):
    """A mailbox that saves many drafts in one request."""

    batch_size: int

    def create_drafts(self, drafts: Sequence[Draft]) -> list[StoredDraft | FollowupError]:
        """Each draft's stored form, or the error that one draft met, in order."""
        ...


# An adapter that can get the next batch ready while it awaits the answer to the one
# before (Google's batches) is told what comes next, and builds its requests in that
# wait rather than after it: the server's work and the daemon's overlap.


@runtime_checkable
class PreparesFollowups(Protocol):
    """A calendar that builds the next batch's requests while it waits."""

    def prepare_followups(self, events: Sequence[FollowupEvent]) -> None:
        """These follow-ups are created next; build their requests when idle, or not."""
        ...


@runtime_checkable
class PreparesDrafts(Protocol):
    """A mailbox that builds the next batch's requests while it waits."""

    def prepare_drafts(self, drafts: Sequence[Draft]) -> None:
        """These drafts are saved next; build their requests when idle, or not."""
        ...


@runtime_checkable
class Mailbox(Protocol):
    """The mailbox of one account: the daemon's drafts, each marked with its key.

    A mailbox saves drafts and never sends anything. One that can also read received
    mail, by headers only, is an `Inbox` too."""

    name: str

    def find_draft(self, key: str) -> StoredDraft | None:
        """The draft carrying `key`, or None."""
        ...

    def create_draft(self, draft: Draft) -> StoredDraft:
        """Save a draft (never send it). Raises AlreadyExists when `key` is there."""
        ...

    def draft_fate(self, remote_id: str) -> DraftFate:
        """What became of the daemon's draft `remote_id`: still as saved, edited by
        the user, or gone (sent or deleted). One cheap request at most."""
        ...

    def delete_draft(self, remote_id: str) -> None:
        """Delete the daemon's draft `remote_id`. Raises NotFound when it is gone."""
        ...


class DraftFate(StrEnum):
    """What the user made of a draft the daemon saved."""

    SAVED = "saved"
    EDITED = "edited"
    GONE = "gone"  # sent or deleted: a mailbox cannot always tell which


def anyone(sender: str) -> bool:
    """A `may_answer` that keeps every sender."""
    return True


@runtime_checkable
class Inbox(Protocol):
    """A mailbox whose received mail R7.2 reads: senders and dates, by headers only
    (never a body; a subject only to tell an automatic reply, then dropped)."""

    def replies_off(self) -> str | None:
        """Why received mail cannot be read, with the command that fixes it; None
        when it can. Asked before every read, so it costs no request."""
        ...

    def received_since(self, cursor: str | None, may_answer: Callable[[str], bool]
                       ) -> tuple[list[Received], str]:
        """The messages received since `cursor` (None: all there are), and the cursor
        to give next time. `may_answer(sender)` tells the senders worth a closer look
        (an adapter that must ask more to tell an automatic reply asks only for them)."""
        ...


def received_from(readline: Callable[[], bytes]) -> Received | None:
    """A message's sender and Date from its header lines, read up to the first empty
    line (never the body); None when it has no readable sender or Date."""
    from .received_mail import header_block, received_from_headers

    found = received_from_headers(header_block(readline))
    return None if isinstance(found, str) else found


def received_from_pairs(pairs: Iterable[tuple[str, str]]) -> Received | None:
    """A message's sender and Date from (name, value) header pairs, as a service's
    API lists them; None when it has no readable sender or Date."""
    lines = []
    for name, value in pairs:
        if name and name.isascii() and name.isprintable() and ":" not in name:
            flat = " ".join(value.split())
            lines.append(f"{name}: {flat if flat.isascii() else Header(flat, 'utf-8').encode()}")
    block = "".join(f"{line}\r\n" for line in lines).encode("ascii", "replace")
    return received_from(iter([*block.splitlines(keepends=True), b""]).__next__)


class CalendarClass(Protocol):
    """What a calendar adapter offers before it has an instance; `keys` are the
    [[accounts]] settings it reads."""

    keys: tuple[str, ...]

    def __call__(self, account: dict[str, Any], context: ProviderContext) -> Calendar: ...

    @staticmethod
    def with_defaults(account: dict[str, Any]) -> dict[str, Any]:
        """The account's settings with the adapter's defaults under them (a preset's
        server names): what the account's mailbox is built from too."""
        ...

    @staticmethod
    def check_settings(account: dict[str, Any]) -> list[str]:
        """Problems with the account's calendar settings, each `key: what to do`."""
        ...


class WithoutDefaults:
    """For a calendar adapter whose settings have no defaults to add (no presets)."""

    @staticmethod
    def with_defaults(account: dict[str, Any]) -> dict[str, Any]:
        """The account's settings as they are."""
        return dict(account)


class MailboxClass(Protocol):
    """What a mailbox adapter offers before it has an instance. `calendar` is the
    account's calendar: an adapter of the same service shares its sign-in."""

    keys: tuple[str, ...]

    def __call__(self, account: dict[str, Any], context: ProviderContext,
                 calendar: Calendar) -> Mailbox: ...

    @staticmethod
    def check_settings(account: dict[str, Any]) -> list[str]:
        """Problems with the account's mailbox settings, each `key: what to do`."""
        ...


# Sign-in: each service's `auth` verb


class Auth(Protocol):
    """A service's sign-in, check and revoke, for `followup-daemon auth VERB`."""

    kind: str  # what it signs in: a calendar provider ("google") or a mailbox ("imap")
    verb: str  # the `auth` subcommand
    help: str

    def add_arguments(self, parser: Any) -> None:
        """The sign-in's own options (beside --account, --config, --state-dir)."""
        ...

    def sign_in(self, account: dict[str, Any], state_dir: Path, options: Any) -> str:
        """Authorise the account; one line to show on success."""
        ...

    def check(self, account: dict[str, Any], state_dir: Path) -> str:
        """One line: whether the stored credentials work."""
        ...

    def revoke(self, account: dict[str, Any], state_dir: Path) -> str:
        """Revoke where the service allows it, and forget; one line."""
        ...


# Helpers adapters share


def load_secret(account: str) -> dict[str, Any] | None:
    """The account's credentials from the OS keyring (imported when first needed)."""
    from . import secrets

    return secrets.load_secret(account)


def save_secret(account: str, secret: dict[str, Any]) -> None:
    """Keep the account's credentials in the OS keyring."""
    from . import secrets

    secrets.save_secret(account, secret)


def delete_secret(account: str) -> bool:
    """Forget the account's credentials; whether there were any."""
    from . import secrets

    return secrets.delete_secret(account)


def ask_password(prompt: str, from_stdin: bool) -> str:
    """A password typed without echo (or one line of standard input, for scripts)."""
    value = sys.stdin.readline().rstrip("\n") if from_stdin else getpass.getpass(prompt)
    if not value:
        raise UserError("no password given; nothing was stored")
    return value


MALFORMED = (KeyError, ValueError, TypeError, AttributeError, IndexError, OverflowError)
_log = logging.getLogger("followup_daemon.boundary")


def or_skip(what: str, read: Callable[..., T], *args: Any) -> T | None:
    """`read(*args)`, or None (and one warning line) when the service's data is
    malformed: one bad item never stops a pass."""
    try:
        return read(*args)
    except MALFORMED as error:
        _log.warning("skipped %s: it cannot be read (%s: %s)", what, type(error).__name__,
                     " ".join(str(error).split())[:160])
        return None


# Checks of [[accounts]] settings; each returns problems as `key: what to do` lines.


def text_keys(account: dict[str, Any], keys: Iterable[str]) -> list[str]:
    """A line per present key whose value is not non-empty text."""
    return [f"{key}: must be text in quotes" for key in keys
            if key in account and not (isinstance(account[key], str) and account[key])]


def bool_keys(account: dict[str, Any], keys: Iterable[str]) -> list[str]:
    """A line per present key whose value is not true or false."""
    return [f"{key}: true or false" for key in keys
            if key in account and not isinstance(account[key], bool)]


def text_list(value: Any) -> list[str] | None:
    """A non-empty list of non-empty texts (a single text counts as a list), else None."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return value
    return None
