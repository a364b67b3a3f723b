"""The executor: the only writer. It carries out reconciliation's actions on the
calendar, the mailbox and the state's records, journalling each write.

Before a write the intent goes into the state database; after it, the server's
id. `resolve_pending` settles intents a crash left open by looking the key up,
so a crash at any point neither duplicates nor loses a follow-up.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, TypeVar

from .boundary import (
    BatchesDrafts,
    BatchesFollowups,
    Calendar,
    DraftFate,
    FollowupEvent,
    HoldsWrites,
    ListsDrafts,
    Mailbox,
    PreparesDrafts,
    PreparesFollowups,
    Removal,
    Rewrite,
    StoredDraft,
    StoredFollowup,
)
from .errors import (
    AlreadyExists,
    AnswerLost,
    AuthExpired,
    Conflict,
    FollowupError,
    NotAsExpected,
    NotFound,
    ProviderError,
    TransientError,
)
from .reconcile import (
    Action,
    Adopt,
    CreateDraft,
    CreateFollowup,
    DeleteDraft,
    DeleteFollowup,
    MoveFollowup,
    Observed,
)
from .registry import Endpoints
from .state import (
    CREATED,
    CREATING,
    DELETED,
    DELETING,
    SENT_OR_DELETED,
    UPDATING,
    USER_DELETED,
    USER_EDITED,
    USER_MOVED,
    DraftRow,
    FollowupRow,
    State,
    Status,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
A = TypeVar("A", bound=Action)


@dataclass
class Executor:
    """Writes for one account, with the state journal."""

    endpoints: Endpoints
    state: State
    account: str
    now: dt.datetime
    done: Counter[str] = field(default_factory=Counter)
    waiting: list[Callable[[], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.held = isinstance(self.calendar, HoldsWrites)
        if isinstance(self.calendar, HoldsWrites):
            self.calendar.hold_writes()

    def _after_write(self, record: Callable[[], None]) -> None:
        """Record a write now, or, for a calendar that holds its writes, once they are
        flushed: a record must never say written what a crash could still lose."""
        if self.held:
            self.waiting.append(record)
        else:
            record()

    def flush(self) -> None:
        """Have the calendar write what it held, then record it all in one transaction.
        A flush that fails records nothing: the open intents are settled next pass."""
        if not self.held:
            return
        self.held = False
        waiting, self.waiting = self.waiting, []
        assert isinstance(self.calendar, HoldsWrites)
        self.calendar.flush()
        with self.state.transaction():
            for record in waiting:
                record()

    @property
    def calendar(self) -> Calendar:
        """The account's calendar."""
        return self.endpoints.calendar

    @property
    def mailbox(self) -> Mailbox:
        """The account's mailbox (reconciliation asks for drafts only when there is one)."""
        if self.endpoints.mailbox is None:
            raise ProviderError(f"account {self.account} has no mailbox for drafts")
        return self.endpoints.mailbox

    def chunks(self, actions: list[Action]) -> list[list[Action]]:
        """The actions grouped as they go out: one by one, in order, where neither the
        calendar nor the mailbox batches; else the others one by one, then the moves,
        the deletions, the new follow-ups and the new drafts, each kind in batches as
        large as the service takes."""
        follow = self.calendar.batch_size if isinstance(self.calendar, BatchesFollowups) \
            else 1
        mailbox = self.endpoints.mailbox
        draft = mailbox.batch_size if isinstance(mailbox, BatchesDrafts) else 1
        if follow == draft == 1:
            return [[action] for action in actions]
        alone: list[list[Action]] = [[a] for a in actions if not isinstance(a, BATCHED)]
        return alone + [chunk for kind in BATCHED for chunk in _split(
            [a for a in actions if isinstance(a, kind)],
            draft if kind is CreateDraft else follow)]

    def expect(self, chunk: list[Action]) -> None:
        """Name the chunk that comes after the one about to run: an adapter able to
        builds that chunk's requests while it waits for this one's answer."""
        mailbox = self.endpoints.mailbox
        if chunk and isinstance(chunk[0], CreateFollowup) and \
                isinstance(self.calendar, PreparesFollowups):
            self.calendar.prepare_followups([a.event for a in chunk
                                             if isinstance(a, CreateFollowup)])
        elif chunk and isinstance(chunk[0], CreateDraft) and \
                isinstance(mailbox, PreparesDrafts):
            mailbox.prepare_drafts([a.draft for a in chunk if isinstance(a, CreateDraft)])

    def run_chunk(self, chunk: list[Action]) -> None:
        """One of `chunks`: an action alone, or a batch of actions of one kind."""
        if len(chunk) == 1:
            self.attempt(chunk[0], partial(self.run, chunk[0]))
        else:
            self.attempt(chunk[0], partial(self.in_batches[type(chunk[0])], chunk))

    @property
    def in_batches(self) -> dict[type[Action], Callable[[Any], None]]:
        """What sends a batch of each kind of action."""
        return {CreateFollowup: self.create_followups, MoveFollowup: self.move_followups,
                DeleteFollowup: self.delete_followups, CreateDraft: self.create_drafts}

    def attempt(self, action: Action, work: Callable[[], None]) -> None:
        """Do an action's work; its own failure is logged and the others go on. A
        service that is down, throttling or no longer signed in stops the account's
        pass instead."""
        try:
            work()
        except (TransientError, AuthExpired):
            raise
        except FollowupError as error:
            self.done["failed"] += 1
            log.warning("%s: %s for %s failed, the others go on: %s", self.account,
                        type(action).__name__, action.key, error)
            log.debug("%s: what the service or library said", self.account, exc_info=True)

    def run(self, action: Action) -> None:
        """Carry out one action."""
        if isinstance(action, Observed):
            self.record(action)
        elif isinstance(action, Adopt):
            self.adopt(action)
        elif isinstance(action, CreateFollowup):
            self.create_followup(action)
        elif isinstance(action, MoveFollowup):
            self.move_followup(action)
        elif isinstance(action, DeleteFollowup):
            self.delete_followup(action)
        elif isinstance(action, CreateDraft):
            self.create_draft(action)
        else:
            self.delete_draft(action)

    def record(self, action: Observed) -> None:
        """What the calendar shows of a follow-up: the user's change, or its version."""
        self.state.put_followup(self.account, action.row, self.now)
        if action.user:
            log.info("%s: you %s the follow-up %r; it is yours now", self.account,
                     "deleted" if action.row.status == USER_DELETED else "moved or edited",
                     action.row.title)

    def adopt(self, action: Adopt) -> None:
        """Re-learn a lost state from the daemon's marks instead of writing again."""
        found = action.recovery
        for row in found.followups.values():
            self.state.put_followup(self.account, row, self.now)
        for draft_row in found.drafts.values():
            self.state.put_draft(self.account, draft_row, self.now)
        log.warning("%s: the state database is new, but your calendar holds %d follow-up(s) "
                    "of the daemon: they were adopted as they are. %d interview(s) have none "
                    "and %d draft(s) were due: whether you deleted or sent them cannot be "
                    "known now, so none of them is written again", self.account,
                    action.listed, found.missing, found.unknown_drafts)

    def _row(self, key: str, status: Status, event: FollowupEvent, fingerprint: str,
             stored: StoredFollowup | None = None) -> FollowupRow:
        start, end = (stored.start, stored.end) if stored else (event.start, event.end)
        return FollowupRow(key, status, stored.remote_id if stored else None, start, end,
                           fingerprint, event.title, stored.version if stored else "")

    def create_followup(self, action: CreateFollowup) -> None:
        """Journal, write, record; adopt an existing event with the same key."""
        self._intend(action)
        self._land(action, partial(self.calendar.create_followup, action.event))

    def create_followups(self, actions: list[CreateFollowup]) -> None:
        """Many follow-ups in one request: their intents in one transaction before it,
        the answers in one transaction after it. One action's failure is its own (as
        `attempt` has it); a service that is down still stops the pass, once the
        answers that came are recorded."""
        calendar = self._batching()
        self._in_one_request(actions, self._intend, self._land, lambda: list(
            calendar.create_followups([action.event for action in actions])))

    def _batching(self) -> BatchesFollowups:
        calendar = self.calendar
        assert isinstance(calendar, BatchesFollowups)
        return calendar

    def _in_one_request(self, actions: list[A], intend: Callable[[A], None],
                        land: Callable[[A, Callable[[], Any]], None],
                        send: Callable[[], list[Any]], durable: bool = False) -> None:
        """The intents in one transaction, one request, the answers in another."""
        with self.state.transaction(durable):
            for action in actions:
                intend(action)
        answers = send()
        self._settle_all([partial(land, action, partial(_given, answer))
                          for action, answer in zip(actions, answers, strict=True)], actions)

    def _settle_all(self, lands: list[Callable[[], None]], actions: Sequence[Action]) -> None:
        stop: FollowupError | None = None
        with self.state.transaction():
            for land, action in zip(lands, actions, strict=True):
                try:
                    self.attempt(action, land)
                except (TransientError, AuthExpired) as error:
                    stop = stop or error
        if stop is not None:
            raise stop

    def _intend(self, action: CreateFollowup) -> None:
        self.state.put_followup(self.account, self._row(
            action.key, CREATING, action.event, action.fingerprint), self.now)

    def _land(self, action: CreateFollowup, write: Callable[[], StoredFollowup]) -> None:
        """Record a create, or settle a create that met an existing key or lost its
        answer by looking the key up."""
        try:
            stored = write()
        except (AlreadyExists, AnswerLost) as error:
            found = self.calendar.find_followup(action.key)
            if found is None and isinstance(error, AnswerLost):
                return self._lost(error, lambda: self.state.forget_followup(
                    self.account, action.key))
            if found is None:  # e.g. a file of the user's where the daemon's would go
                raise ProviderError(f"{error}, but it is none the daemon wrote (no follow-up "
                                    "carries its key there); move it away") from None
            stored = found
        self._after_write(partial(self._written, action, stored, "created"))

    def _written(self, action: CreateFollowup | MoveFollowup, stored: StoredFollowup,
                 what: str) -> None:
        self.state.put_followup(self.account, self._row(
            action.key, CREATED, action.event, action.fingerprint, stored), self.now)
        self.done[what] += 1
        log.info(WRITTEN[what], self.account, action.event.title,
                 local_time(stored.start, action.event))

    def move_followup(self, action: MoveFollowup) -> None:
        """Journal, rewrite, record; a follow-up the user deleted meanwhile stays deleted."""
        self._intend_move(action)
        self._land_move(action, partial(self.calendar.update_followup, action.remote_id,
                                        action.event, action.version))

    def move_followups(self, actions: list[MoveFollowup]) -> None:
        """Many moves in one request, journalled and recorded as `create_followups`."""
        calendar = self._batching()
        self._in_one_request(actions, self._intend_move, self._land_move, lambda: list(
            calendar.update_followups([Rewrite(a.remote_id, a.event, a.version)
                                       for a in actions])))

    def _intend_move(self, action: MoveFollowup) -> None:
        self.state.put_followup(self.account, self._row(
            action.key, UPDATING, action.event, action.fingerprint), self.now)

    def _land_move(self, action: MoveFollowup, write: Callable[[], StoredFollowup]) -> None:
        try:
            stored = write()
        except NotAsExpected as error:  # the user deleted or changed it meanwhile
            self._users(action.key, self._which(action.key, error))
            return
        except AnswerLost as error:  # settled as after a crash: the next pass redoes it
            log.warning("%s: %s; settling it by its key", self.account, error)
            _resolve_followup(self.calendar, self.state, self.account,
                              self.state.followup(self.account, action.key), self.now)
            return
        self._after_write(partial(self._written, action, stored, "moved"))

    def delete_followup(self, action: DeleteFollowup) -> None:
        """Journal, delete, record."""
        self._intend_delete(action)
        self._land_delete(action, partial(self.calendar.delete_followup, action.remote_id,
                                          action.version))

    def delete_followups(self, actions: list[DeleteFollowup]) -> None:
        """Many deletions in one request, journalled and recorded as `create_followups`."""
        calendar = self._batching()
        self._in_one_request(actions, self._intend_delete, self._land_delete, lambda: list(
            calendar.delete_followups([Removal(a.remote_id, a.version) for a in actions])))

    def _intend_delete(self, action: DeleteFollowup) -> None:
        row = self.state.followup(self.account, action.key)
        self.state.put_followup(self.account, _status(row, DELETING), self.now)

    def _land_delete(self, action: DeleteFollowup, write: Callable[[], None]) -> None:
        try:
            write()
        except NotFound:
            pass  # gone already: the outcome we wanted
        except NotAsExpected as error:  # the user changed it meanwhile: it is theirs now
            if self._which(action.key, error) == USER_MOVED:
                self._users(action.key, USER_MOVED)
                return
        except AnswerLost as error:
            if self.calendar.find_followup(action.key) is not None:
                raise  # still there: the journal's DELETING is settled on the next pass
            log.warning("%s: %s; it is gone, as wanted", self.account, error)
        self._after_write(partial(self._deleted, self.state.followup(self.account, action.key)))

    def _deleted(self, row: FollowupRow) -> None:
        self.state.put_followup(self.account, _status(row, DELETED), self.now)
        self.done["removed"] += 1
        log.info("%s: removed follow-up %r (its interview went)", self.account, row.title)

    def _which(self, key: str, error: NotAsExpected) -> Status:
        """Deleted or changed by the user: the error says, or a lookup does."""
        if isinstance(error, NotFound | Conflict):
            return USER_DELETED if isinstance(error, NotFound) else USER_MOVED
        return USER_DELETED if self.calendar.find_followup(key) is None else USER_MOVED

    def _users(self, key: str, status: Status) -> None:
        """The user deleted or changed the follow-up meanwhile: leave it to them."""
        row = self.state.followup(self.account, key)
        self.state.put_followup(self.account, _status(row, status), self.now)
        log.info("%s: the follow-up %r was %s by you meanwhile; left alone", self.account,
                 row.title, "deleted" if status == USER_DELETED else "changed")

    def create_draft(self, action: CreateDraft) -> None:
        """Journal (durably: a draft has no id of the daemon's, so only the journal
        tells a second save from a first), save the draft, record; adopt a draft
        already saved with the key."""
        with self.state.transaction(durable=True):
            self._intend_draft(action)
        self._land_draft(action, partial(self.mailbox.create_draft, action.draft))

    def create_drafts(self, actions: list[CreateDraft]) -> None:
        """Many drafts in one request, journalled (durably, as `create_draft`) and
        recorded as `create_followups`."""
        mailbox = self.mailbox
        assert isinstance(mailbox, BatchesDrafts)
        self._in_one_request(actions, self._intend_draft, self._land_draft, lambda: list(
            mailbox.create_drafts([action.draft for action in actions])), durable=True)

    def _intend_draft(self, action: CreateDraft) -> None:
        self.state.put_draft(self.account, DraftRow(action.key, CREATING, None,
                                                    action.draft.recipients), self.now)

    def _land_draft(self, action: CreateDraft, write: Callable[[], StoredDraft]) -> None:
        try:
            stored = write()
        except (AlreadyExists, AnswerLost) as error:
            found = self.mailbox.find_draft(action.key)
            if found is None and isinstance(error, AnswerLost):
                return self._lost(error, lambda: self.state.forget_draft(
                    self.account, action.key))
            if found is None:
                raise ProviderError(f"draft {action.key} exists but cannot be found") from None
            stored = found
        self.state.put_draft(self.account, DraftRow(action.key, CREATED, stored.remote_id,
                                                    action.draft.recipients), self.now)
        self.done["drafts"] += 1
        log.info("%s: draft to %d recipient(s) saved", self.account,
                 len(action.draft.letter.to))

    def _lost(self, error: AnswerLost, forget: Callable[[], None]) -> None:
        """A create whose answer was lost did not land after all (its key is not there):
        forget the intent, so the next pass writes it, as after a crash."""
        forget()
        self.done["retry next pass"] += 1
        log.warning("%s: %s; it is not there, so it is written on the next pass",
                    self.account, error)

    def delete_draft(self, action: DeleteDraft) -> None:
        """Journal, delete the draft, record; a draft the user edited, sent or deleted
        is theirs, and is left alone."""
        row = self.state.drafts(self.account)[action.key]
        fate = self.mailbox.draft_fate(action.remote_id)
        if fate != DraftFate.SAVED:
            self.state.put_draft(self.account, replace(row, status=FATE_STATUS[fate]), self.now)
            self.done["drafts left to you"] += 1
            log.info("%s: a draft no longer wanted was %s by you; left alone", self.account,
                     "edited" if fate == DraftFate.EDITED else "sent or deleted")
            return
        self.state.put_draft(self.account, DraftRow(row.key, DELETING, row.remote_id,
                                                    row.recipients), self.now)
        with suppress(NotFound):
            self.mailbox.delete_draft(action.remote_id)
        self.state.put_draft(self.account, DraftRow(row.key, DELETED, None, row.recipients),
                             self.now)
        self.done["drafts removed"] += 1
        log.info("%s: removed a draft (its interview went)", self.account)


BATCHED = (MoveFollowup, DeleteFollowup, CreateFollowup, CreateDraft)  # in this order


def _split(actions: list[A], size: int) -> list[list[Action]]:
    return [list(actions[start:start + size]) for start in range(0, len(actions), size)]


def _given(answer: T | FollowupError) -> T:
    """A batch's answer for one write, as the single write would have it."""
    if isinstance(answer, FollowupError):
        raise answer
    return answer


WRITTEN = {"created": "%s: follow-up %r on %s", "moved": "%s: moved follow-up %r to %s"}
FATE_STATUS = {DraftFate.SAVED: CREATED, DraftFate.EDITED: USER_EDITED,
               DraftFate.GONE: SENT_OR_DELETED}


def read_draft_fates(mailbox: Mailbox, state: State, account: str, now: dt.datetime) -> int:
    """What the user made of the daemon's drafts whose day has come (a follow-up's on
    its day, a thank-you from the day after it was saved), each looked at once a day
    at most: so `status` can tell a sent draft from one still waiting. Returns how
    many were looked at."""
    followups = state.followups(account)
    looked = 0
    for row in state.drafts(account).values():
        if not _fate_due(row, followups.get(row.key), now):
            continue
        fate = mailbox.draft_fate(str(row.remote_id))
        state.put_draft(account, replace(row, status=FATE_STATUS[fate]), now)
        looked += 1
    return looked


def _fate_due(row: DraftRow, followup: FollowupRow | None, now: dt.datetime) -> bool:
    if row.status not in (CREATED, USER_EDITED) or not row.remote_id:
        return False
    if followup is not None and (followup.start is None or followup.start > now):
        return False
    try:
        looked = dt.datetime.fromisoformat(row.updated)
    except ValueError:
        return True
    return looked.astimezone(now.tzinfo).date() < now.date()


def local_time(moment: dt.datetime, event: FollowupEvent) -> str:
    """A time for a log line in the user's zone (the one the follow-up was planned in),
    whatever zone the service answered in, with the zone named."""
    local = moment.astimezone(event.start.tzinfo)
    return f"{local:%a %Y-%m-%d %H:%M} {local.tzname()}"


def _status(row: FollowupRow, status: Status) -> FollowupRow:
    return replace(row, status=status)


def resolve_pending(endpoints: Endpoints, state: State, account: str, now: dt.datetime
                    ) -> int:
    """Settle the intents a crash left open; returns how many there were. (Drafts of
    an account that no longer has a mailbox stay open until it has one again.)"""
    rows = list(state.followups(account, pending=True).values())
    for row in rows:
        _resolve_followup(endpoints.calendar, state, account, row, now)
    drafts = list(state.drafts(account, pending=True).values())
    if drafts and endpoints.mailbox is not None:
        find = _finder(endpoints.mailbox, len(drafts))
        for draft in drafts:
            _resolve_draft(endpoints.mailbox, state, account, draft, now, find(draft.key))
    if rows or drafts:
        log.info("%s: settled %d unfinished write(s) from an earlier run", account,
                 len(rows) + len(drafts))
    return len(rows) + len(drafts)


def _resolve_followup(calendar: Calendar, state: State, account: str, row: FollowupRow,
                      now: dt.datetime) -> None:
    found = calendar.find_followup(row.key)
    if row.status == CREATING:
        if found is None:
            state.forget_followup(account, row.key)  # never written: reconcile will redo it
            return
        state.put_followup(account, FollowupRow(row.key, CREATED, found.remote_id, found.start,
                                                found.end, row.fingerprint, row.title,
                                                found.version), now)
    elif row.status == UPDATING:
        if found is None:
            state.put_followup(account, _status(row, USER_DELETED), now)
            return
        # whether the rewrite landed is unknown: an empty fingerprint makes it happen again
        state.put_followup(account, FollowupRow(row.key, CREATED, found.remote_id, found.start,
                                                found.end, "", row.title, found.version), now)
    else:
        try:
            if found is not None:
                calendar.delete_followup(found.remote_id, row.version)
        except NotFound:
            pass
        except NotAsExpected:  # the user changed it while the daemon was away: theirs now
            state.put_followup(account, _status(row, USER_MOVED), now)
            return
        state.put_followup(account, _status(row, DELETED), now)


def _finder(mailbox: Mailbox, pending: int) -> Callable[[str], StoredDraft | None]:
    """How to find each pending draft: one by one, or (a mailbox that reads a whole
    folder to find one, a batch of them open) in one listing."""
    if pending > 1 and isinstance(mailbox, ListsDrafts):
        return mailbox.list_drafts().get
    return mailbox.find_draft


def _resolve_draft(mailbox: Mailbox, state: State, account: str, row: DraftRow,
                   now: dt.datetime, found: StoredDraft | None) -> None:
    if row.status == CREATING:
        if found is None:
            state.forget_draft(account, row.key)
        else:
            state.put_draft(account, DraftRow(row.key, CREATED, found.remote_id,
                                              row.recipients), now)
        return
    if found is not None:
        mailbox.delete_draft(found.remote_id)
    state.put_draft(account, DraftRow(row.key, DELETED, None, row.recipients), now)
