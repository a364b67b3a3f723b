"""The provider-neutral model: calendar events as the rules see them, and plans.

Adapters (the .ics reader, later the Google/Graph/CalDAV providers) convert
their data into these types at the edge; nothing past that edge sees
iCalendar objects or API JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo

from .cleaning import clean_line as clean_line
from .cleaning import clean_text as clean_text
from .methods import Method as Method

MAX_ATTENDEES = 50  # a real interview has a handful; past this, a crowd is kept as 51


def _clean_optional(value: str | None) -> str | None:
    return None if value is None else clean_line(value)


def instance_id(uid: str, recurrence: str = "") -> str:
    """The identity of one event instance (`CalendarEvent.event_id`): what a provider
    names in `Changes.removed` (no recurrence: the whole single event)."""
    return f"{uid}\x00{recurrence}"


class TimeKind(StrEnum):
    """How an event's start was written down."""

    ALL_DAY = "all_day"  # a date without a time
    FLOATING = "floating"  # a wall-clock time with no zone: read in the user's zone
    ZONED = "zoned"  # an instant: a time with a zone or offset


@dataclass(frozen=True)
class EventTime:
    """An event's start, keeping the distinction the source made."""

    kind: TimeKind
    date: dt.date
    time: dt.datetime | None = None  # naive for FLOATING, aware for ZONED

    @classmethod
    def all_day(cls, day: dt.date) -> EventTime:
        """A start that is a whole day."""
        return cls(TimeKind.ALL_DAY, day)

    @classmethod
    def floating(cls, moment: dt.datetime) -> EventTime:
        """A wall-clock start with no zone."""
        return cls(TimeKind.FLOATING, moment.date(), moment.replace(tzinfo=None))

    @classmethod
    def zoned(cls, moment: dt.datetime) -> EventTime:
        """An aware start; `moment` must carry a tzinfo."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("a zoned start needs an aware datetime")
        return cls(TimeKind.ZONED, moment.date(), moment)

    def instant(self, zone: ZoneInfo) -> dt.datetime:
        """The start as an aware datetime; all-day and floating read in `zone`."""
        if self.kind is TimeKind.ZONED:
            assert self.time is not None
            return self.time.astimezone(zone)
        if self.kind is TimeKind.FLOATING:
            assert self.time is not None
            return self.time.replace(tzinfo=zone)
        return dt.datetime.combine(self.date, dt.time(0, 0), tzinfo=zone)

    def local_date(self, zone: ZoneInfo) -> dt.date:
        """The day the event starts on, in the user's zone."""
        if self.kind is TimeKind.ALL_DAY:
            return self.date
        return self.instant(zone).date()

    def key(self) -> str:
        """A form that does not depend on the user's zone, for identities."""
        if self.kind is TimeKind.ZONED:
            assert self.time is not None
            return self.time.astimezone(dt.UTC).isoformat()
        if self.kind is TimeKind.FLOATING:
            assert self.time is not None
            return self.time.isoformat()
        return self.date.isoformat()

    def isoformat(self, zone: ZoneInfo) -> str:
        """ISO 8601: a date for all-day starts, else a time with the user's offset."""
        if self.kind is TimeKind.ALL_DAY:
            return self.date.isoformat()
        return self.instant(zone).isoformat()


class PersonKind(StrEnum):
    """What an attendee is (iCalendar CUTYPE)."""

    PERSON = "person"
    ROOM = "room"
    RESOURCE = "resource"
    GROUP = "group"


@dataclass(frozen=True)
class Person:
    """The organizer or an attendee of an event."""

    email: str | None
    name: str | None = None
    kind: PersonKind = PersonKind.PERSON
    response: str | None = None  # PARTSTAT, upper case: ACCEPTED, DECLINED, ...
    is_organizer: bool = False

    def __post_init__(self) -> None:
        for name in ("email", "name", "response"):
            object.__setattr__(self, name, _clean_optional(getattr(self, name)))


@dataclass(frozen=True)
class CalendarEvent:
    """One event instance, as any provider reports it."""

    uid: str
    summary: str
    start: EventTime
    description: str = ""
    location: str = ""
    recurrence_id: EventTime | None = None
    cancelled: bool = False
    organizer: Person | None = None
    attendees: tuple[Person, ...] = ()
    online_meeting: bool = False  # a conference link is attached to the event
    self_response: str | None = None  # the user's own answer when the service says it
    source: str = ""  # where it came from, for messages: a file, an account
    end: EventTime | None = None  # DTEND (or start + DURATION) when the source gives one
    ical_uid: str = ""  # the invitation's iCalendar UID where `uid` is a service's own id

    def __post_init__(self) -> None:
        """Outside text is made safe here, where it enters the model, for every provider;
        a crowd of attendees is cut to MAX_ATTENDEES + 1 (enough to tell it is one)."""
        for name in ("uid", "summary", "location", "source", "ical_uid"):
            object.__setattr__(self, name, clean_line(getattr(self, name)))
        object.__setattr__(self, "description", clean_text(self.description))
        object.__setattr__(self, "self_response", _clean_optional(self.self_response))
        if len(self.attendees) > MAX_ATTENDEES + 1:
            object.__setattr__(self, "attendees", tuple(self.attendees[:MAX_ATTENDEES + 1]))

    @property
    def crowded(self) -> bool:
        """More attendees than any personal interview has."""
        return len(self.attendees) > MAX_ATTENDEES

    def ends_at(self, zone: ZoneInfo) -> dt.datetime:
        """When the event ends (R9): its end; else an all-day event at 00:00 after its
        day, any other an hour (elapsed) after its start."""
        start = self.start.instant(zone)
        if self.end is not None and self.end.instant(zone) > start:
            return self.end.instant(zone)
        if self.start.kind is TimeKind.ALL_DAY:
            return dt.datetime.combine(self.start.date + dt.timedelta(days=1), dt.time(0),
                                       tzinfo=zone)
        return (start.astimezone(dt.UTC) + dt.timedelta(hours=1)).astimezone(zone)

    @property
    def event_id(self) -> str:
        """The identity of this instance: its UID and, for a recurrence, its original start."""
        return instance_id(self.uid, self.recurrence_id.key() if self.recurrence_id else "")

    def people(self) -> tuple[Person, ...]:
        """The organizer (first) and the attendees."""
        if self.organizer is None:
            return self.attendees
        return (self.organizer, *self.attendees)


class Rule(StrEnum):
    """Which rule set the follow-up date (R4/R5)."""

    DECISION = "decision"
    DEFAULT = "default"
    CATCH_UP = "catch-up"


class Skip(StrEnum):
    """Why no follow-up is planned."""

    NOT_INTERVIEW = "not_interview"
    CANCELLED = "cancelled"
    DECLINED = "declined"
    STALE = "stale"
    SUPERSEDED = "superseded"
    ANSWERED = "answered"


class Outcome(StrEnum):
    """What an answer said (R7): a reply is always `answered`, bodies are never read."""

    ANSWERED = "answered"
    OFFER = "offer"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Received:
    """A message in the user's mailbox, as R7.2 needs it: its sender and its Date.
    Nothing else of it (no subject, no body) is kept."""

    sender: str
    moment: dt.datetime  # its Date header, aware
    automatic: bool = False  # an auto-reply, a list or bulk message (R7.2)


@dataclass(frozen=True)
class Answer:
    """When an interview was answered (R7), and by what."""

    moment: dt.datetime
    date: dt.date
    by: str  # "note" or "reply"
    outcome: Outcome
    sender: str | None = None


@dataclass(frozen=True)
class ThankYou:
    """The thank-you draft of an interview (R9): when it is due, and to whom."""

    due: dt.datetime
    draft_to: tuple[str, ...]


@dataclass(frozen=True)
class Contact:
    """Someone (or a number) to follow up with."""

    email: str | None = None
    name: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class InterviewFacts:
    """What R2 reads off an interview: who, for what, and how to reach them."""

    company: str | None = None
    role: str | None = None
    contacts: tuple[Contact, ...] = ()
    draft_to: tuple[str, ...] = ()
    phone: str | None = None
    application: str = ""
    email_only: bool = False  # the employer asked for e-mail (R6)


@dataclass(frozen=True)
class Followup:
    """A planned follow-up."""

    date: dt.date
    start: dt.datetime
    end: dt.datetime
    rule: Rule
    method: Method
    draft_to: tuple[str, ...]
    why: str
    n: int = 1  # which follow-up of the interview (R8)


@dataclass(frozen=True)
class PlanEntry:
    """The plan for one event instance: the answer of the `plan` contract."""

    event: CalendarEvent
    is_interview: bool
    reason: str
    facts: InterviewFacts = field(default_factory=InterviewFacts)
    decision_date: dt.date | None = None
    followups: tuple[Followup, ...] = ()
    skipped: Skip | None = None
    note: str = ""  # why it was skipped, for people
    answered: Answer | None = None
    thank_you: ThankYou | None = None

    @property
    def followup(self) -> Followup | None:
        """The first follow-up planned, if any."""
        return self.followups[0] if self.followups else None
