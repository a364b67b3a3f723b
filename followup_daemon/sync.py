"""One sync pass: for each account, read, plan, reconcile and write.

One failing account does not stop the others; each pass is recorded in the
state database for `status`.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from .across import Merged, merge
from .applications import applications, stored_events
from .boundary import Calendar, Changes, Inbox, Mailbox, ProviderContext, StoredFollowup
from .collector import fewer_collections
from .compose import draft, event_fingerprint, followup_event, thank_you_draft
from .config import Config
from .content import Templates
from .errors import FollowupError, ProviderError, UserError
from .event_codec import event_to_json
from .executor import Executor, read_draft_fates, resolve_pending
from .model import PlanEntry, Received
from .planner import plan
from .preview import Preview
from .quiet import Quiet, quiet_until
from .reconcile import Action, Wanted, actions_for
from .registry import Endpoints, open_account
from .rules.answered import from_employer
from .rules.detection import (
    KEEP_FILTER,
    may_be_interview,
    may_hold_interview,
    may_name_interview,
)
from .state import AccountRow, State
from .status_view import keep_applications, kept_applications

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
T = TypeVar("T")


@dataclass
class AccountResult:
    """How one account's pass went."""

    account: str
    ok: bool = True
    error: str = ""
    counts: Counter[str] = field(default_factory=Counter)
    user_error: bool = False  # the user can fix it (config, a path): exit status 2

    def summary(self) -> str:
        """One line for people; a failure's error has been logged once already."""
        if not self.ok:
            return f"{self.account}: failed (the error is logged above)"
        done = ", ".join(f"{n} {what}" for what, n in sorted(self.counts.items()) if n)
        return f"{self.account}: ok ({done or 'nothing to do'})"


@fewer_collections
def run_pass(config: Config, state: State, now: dt.datetime, templates: Templates,
             progress: Progress | None = None, providers: Providers | None = None,
             keep_going: Callable[[], bool] = lambda: True,
             only: frozenset[str] | None = None,
             preview: Callable[[str], None] | None = None) -> list[AccountResult]:
    """One pass over every account of the config (those named in `only`, when given:
    the others' interviews still count, as their last pass stored them); `providers`
    keeps them between passes; `keep_going` turning False stops the pass between two
    writes. With `preview`, the writes are said to it and not made (nor is an
    interrupted write settled): the caller rolls the state back (`sync --dry-run`)."""
    providers = providers or Providers()
    if state.reread_if_filter_changed(KEEP_FILTER):
        log.info("the interview vocabulary changed: every calendar is read in full once")
    # Every calendar is read before any is written: an interview several accounts see
    # is then planned once, whichever account comes first (`across`).
    opened = []
    for account in config.accounts:
        if not keep_going():
            break
        if only is not None and account["name"] not in only:
            continue
        result = AccountResult(str(account["name"]))
        endpoints = providers.get_or_fail(account, config, state.path.parent, result)
        read = None if endpoints is None else _guarded(result, partial(
            read_account, endpoints, result.account, state, now, progress, preview is None))
        opened.append((result, endpoints, read))
    if any(read is None or read.changed for _, _, read in opened):
        providers.quiet.clear()  # one account's change may change another's plan
    quiet_before = dict(providers.quiet)
    results = []
    for result, endpoints, read in opened:
        if not keep_going():
            break
        if endpoints is not None and read is not None:
            counts = _guarded(result, partial(write_account, endpoints, result.account, config,
                                              state, now, templates, read.fresh, progress,
                                              keep_going, providers.quiet, preview))
            result.counts = counts if counts is not None else result.counts
        _record(state, result, now)
        results.append(result)
    if preview is None and results:
        _keep_status_view(state, config, now, [r.account for r in results],
                          (quiet_before, providers.quiet))
    return results


def _keep_status_view(state: State, config: Config, now: dt.datetime, names: list[str],
                      memos: tuple[dict[str, Quiet], dict[str, Quiet]]) -> None:
    """Keep the applications as this pass leaves them, for `status`; not again on a
    pass where every account was quiet (nothing read, planned or written changed: its
    memo was kept as it was)."""
    before, after = memos
    quiet = all(name in before and after.get(name) is before[name] for name in names)
    if quiet and kept_applications(state, config.settings, now) is not None:
        return
    try:
        keep_applications(state, config.settings, now,
                          applications(state, config.settings, now))
    except FollowupError as error:  # a full disk: status then plans for itself
        log.warning("the applications could not be kept for `status`: %s", error)


def _guarded(result: AccountResult, work: Callable[[], T]) -> T | None:
    """Run one account's work; every failure becomes the result's one-line error."""
    try:
        return work()
    except FollowupError as error:
        result.ok, result.error = False, str(error)
        result.user_error = isinstance(error, UserError)
        log.error("%s: %s", result.account, error)
        log.debug("%s: what the service or library said", result.account, exc_info=True)
    except OSError as error:  # a full disk, a read-only folder
        result.ok, result.error = False, os_error_line(error)
        log.error("%s: %s", result.account, result.error)
    except Exception as error:  # one account's bug must not stop the others
        result.ok, result.error = False, f"unexpected {type(error).__name__}: {error}"
        log.exception("%s: unexpected error", result.account)
    return None


def os_error_line(error: OSError) -> str:
    """One line for a failed file operation, with the hint that fits its cause."""
    what = f"cannot write {error.filename or 'a file'}: {error.strerror or error}"
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return f"{what}; free some disk space"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{what}; fix the folder's permissions (or mount it writable)"
    return what


class Providers:
    """The accounts' calendars and mailboxes, kept from pass to pass (their clients and
    tokens with them)."""

    def __init__(self) -> None:
        self.open: dict[str, tuple[Any, Endpoints]] = {}
        self.quiet: dict[str, Quiet] = {}  # accounts whose last pass wrote nothing

    def get(self, account: dict[str, Any], config: Config, state_dir: Path) -> Endpoints:
        """The calendar and mailbox of `account`, made anew when its settings changed."""
        name = str(account["name"])
        kept = self.open.get(name)
        made_from = (dict(account), config.settings, config.base)
        if kept is None or kept[0] != made_from:
            context = ProviderContext(config.base, state_dir, config.settings,
                                      may_hold_interview, may_name_interview)
            self.open[name] = (made_from, open_account(account, context))
            self.quiet.clear()
        return self.open[name][1]

    def get_or_fail(self, account: dict[str, Any], config: Config, state_dir: Path,
                    result: AccountResult) -> Endpoints | None:
        """`get`, with a failure made the result's error (None then)."""
        return _guarded(result, partial(self.get, account, config, state_dir))


@dataclass(frozen=True)
class Read:
    """What reading an account found: whether it starts afresh (no sync position, no
    follow-ups), and whether anything of the user's changed or a crash was settled."""

    fresh: bool
    changed: bool


def read_account(endpoints: Endpoints, account: str, state: State, now: dt.datetime,
                 progress: Progress | None = None, settle: bool = True) -> Read:
    """Settle what a crash left open (unless `settle` is False: that may write), then
    read the calendar's changes into the state."""
    settled = resolve_pending(endpoints, state, account, now) if settle else 0
    if progress:
        progress(account, 0, 0)
    cursor = state.account(account).cursor
    fresh = cursor is None and not state.followups(account)
    changes = endpoints.calendar.read_changes(cursor, now)
    _store_changes(state, account, changes)
    return Read(fresh, bool(settled or changes.full or changes.events or changes.removed
                            or changes.unreadable or changes.passed_over))


def write_account(endpoints: Endpoints, account: str, config: Config, state: State,
                  now: dt.datetime, templates: Templates, fresh: bool,
                  progress: Progress | None = None,
                  keep_going: Callable[[], bool] = lambda: True,
                  memo: dict[str, Quiet] | None = None,
                  preview: Callable[[str], None] | None = None) -> Counter[str]:
    """Plan (over every account's interviews), reconcile and write for one account;
    returns what was done. `memo` keeps what a pass that wrote nothing read (`quiet`);
    `preview` is told the writes instead (`run_pass`)."""
    memo = {} if memo is None else memo
    kept = memo.pop(account, None)
    merged = None if kept is not None else _across_accounts(state, config)
    # unchanged events (else no memo is kept) have the same addresses
    addresses = kept.addresses if kept is not None else _addresses(merged)
    received = _replies(endpoints.inbox, state, account, addresses, config)
    inputs = _inputs(endpoints, state, account, config, received)
    if kept is not None and kept.holds(inputs, now):
        memo[account] = kept
        return Counter(planned=kept.planned)
    merged = merged or _across_accounts(state, config)
    listing, _, others = inputs
    received += [r for replies in others for r in replies]
    entries = [e for e in plan(merged.events, config.settings, now, received)
               if merged.owner.get(e.event.event_id, account) == account]
    done = _write(endpoints, account, config, state, now, templates, fresh,
                  (progress, keep_going, preview), entries, listing)
    _position_after_writes(endpoints.calendar, state, account, done)
    looked = _draft_fates(endpoints.mailbox, state, account, now) \
        if endpoints.mailbox is not None and keep_going() else 0
    if not looked and set(done) <= {"planned"}:
        memo[account] = Quiet(inputs, addresses, now, quiet_until(
            entries, now, config.settings.rules.timezone), done["planned"])
    return done


def _position_after_writes(calendar: Calendar, state: State, account: str,
                           done: Counter[str]) -> None:
    """A calendar that can give its sync position with its own writes in it (CalDAV:
    their ETags) keeps it, so that the next process need not fetch them again."""
    position = getattr(calendar, "cursor_after_writes", None)
    if position is not None and set(+done) - {"planned", "failed"}:
        state.set_cursor(account, position())


def _addresses(merged: Merged | None) -> frozenset[str]:
    """The addresses of the interviews' people: mail from them may answer one."""
    events = merged.events if merged is not None else []
    return frozenset(p.email for e in events for p in e.people() if p.email)


def _inputs(endpoints: Endpoints, state: State, account: str, config: Config,
            received: list[Received]) -> tuple[Any, ...]:
    """What a pass reads besides the stored events: the daemon's follow-ups as
    listed, and every account's replies."""
    others = [state.replies(str(a["name"])) for a in config.accounts if a["name"] != account]
    return endpoints.calendar.list_followups(), tuple(received), tuple(map(tuple, others))


def _write(endpoints: Endpoints, account: str, config: Config, state: State,
           now: dt.datetime, templates: Templates, fresh: bool,
           how: tuple[Progress | None, Callable[[], bool], Callable[[str], None] | None],
           entries: list[PlanEntry], listing: dict[str, StoredFollowup]) -> Counter[str]:
    """Reconcile the plan's entries with the state and the listing, and write (or, with
    a preview, say the writes)."""
    progress, keep_going, preview = how
    wanted = _wanted(entries, config, templates, now, endpoints.mailbox is not None)
    actions = actions_for(wanted, state.followups(account), state.drafts(account),
                          listing, now, fresh)
    executor = Executor(endpoints, state, account, now) if preview is None else \
        Preview(endpoints, state, account, now, say=preview)
    try:
        _run_all(executor, actions, progress, keep_going)
    finally:
        executor.flush()
    executor.done["planned"] = sum(1 for want in wanted.values() if want.event is not None)
    return executor.done


def _run_all(executor: Executor, actions: list[Action], progress: Progress | None,
             keep_going: Callable[[], bool]) -> None:
    done, chunks = 0, executor.chunks(actions)
    for index, chunk in enumerate(chunks):
        if not keep_going():
            log.info("%s: stopping; %d write(s) left for the next pass", executor.account,
                     len(actions) - done)
            break
        executor.expect(chunks[index + 1] if index + 1 < len(chunks) else [])
        executor.run_chunk(chunk)
        done += len(chunk)
        if progress:
            progress(executor.account, done, len(actions))


def _draft_fates(mailbox: Mailbox, state: State, account: str, now: dt.datetime) -> int:
    """Look at the drafts whose day has come; a mailbox that fails is asked next pass.
    How many were looked at (or 1 after a failure, so that the next pass asks again)."""
    try:
        return read_draft_fates(mailbox, state, account, now)
    except (FollowupError, OSError) as error:
        log.warning("%s: whether your drafts were sent is not known this pass (%s)",
                    account, error)
        return 1


def _store_changes(state: State, account: str, changes: Changes) -> None:
    if changes.unchanged:  # nothing of the user's changed; the sync position may have
        if changes.cursor and changes.cursor != state.account(account).cursor:
            state.store_events(account, False, {}, [], changes.cursor)
        return
    kept = {e.event_id: event_to_json(e) for e in changes.events if may_be_interview(e)}
    if changes.unreadable:
        kept |= {event_id: payload for event_id, payload in state.events(account).items()
                 if json.loads(payload).get("source") in changes.unreadable
                 and event_id not in kept}
    if changes.full and not changes.events and not changes.passed_over and \
            state.events(account):
        raise ProviderError(
            "the calendar suddenly lists no events where it had interviews; nothing was "
            "deleted: check the calendar source")
    # an event read again that is no interview now (renamed, its notes cleared) goes
    dropped = [e.event_id for e in changes.events if e.event_id not in kept]
    state.store_events(account, changes.full, kept,
                       [*changes.removed, *changes.passed_over, *dropped], changes.cursor)


def _across_accounts(state: State, config: Config) -> Merged:
    """The interviews of every account, one copy each with its owner (`across`); with
    one account, its own events."""
    names = [str(a["name"]) for a in config.accounts]
    by_account = {name: stored_events(state, name) for name in names}
    primary = next((str(a["name"]) for a in config.accounts if a.get("primary") is True), None)
    settings = config.settings
    merged = merge(by_account, state.owners(), primary, settings.rules.timezone, settings.me)
    state.set_owners({merged.identity[i]: owner for i, owner in merged.owner.items()
                      if i in merged.identity})
    return merged


def _replies(inbox: Inbox | None, state: State, account: str, addresses: frozenset[str],
             config: Config) -> list[Received]:
    """R7.2: the account's received mail since the last pass, of which only what may
    answer a stored interview (one of whose `addresses`) is kept, as a sender and a
    date."""
    if inbox is None or _replies_off(inbox, state, account):
        return [] if inbox is None else state.replies(account)

    def may_answer(sender: str) -> bool:
        return from_employer(sender, addresses, config.settings.me)

    cursor = state.mail_cursor(account)
    try:
        received, new_cursor = inbox.received_since(cursor, may_answer)
    except (FollowupError, OSError) as error:
        log.warning("%s: received mail not read this pass (%s)", account, error)
        return state.replies(account)
    keep = [r for r in received if not r.automatic and may_answer(r.sender)]
    if keep or new_cursor != cursor:
        state.store_replies(account, keep, new_cursor)
    return state.replies(account)


def _replies_off(inbox: Inbox, state: State, account: str) -> bool:
    """Whether the account's mail cannot be read; said once in the log, and kept for
    `status` and `doctor`, until it can."""
    try:
        off = inbox.replies_off()
    except FollowupError as error:
        off = f"replies are off: {error}"
    if off != state.mail_note(account):
        state.set_mail_note(account, off)
        if off:
            log.warning("%s: %s", account, off)
    return off is not None


def _wanted(entries: Sequence[PlanEntry], config: Config, templates: Templates,
            now: dt.datetime, drafts: bool) -> dict[str, Wanted]:
    wanted: dict[str, Wanted] = {}
    zone = config.settings.rules.timezone
    for entry in entries:
        for followup in entry.followups:
            event = followup_event(entry, config.settings, templates,
                                   config.sync.reminder_minutes, followup)
            due = config.sync.draft_when == "planned" or \
                now.astimezone(zone).date() >= followup.date
            mail = draft(entry, config.settings, templates, now, followup) \
                if drafts and due else None
            wanted[event.key] = Wanted(event, event_fingerprint(event), mail)
        if drafts and entry.thank_you is not None and now >= entry.thank_you.due:
            thanks = thank_you_draft(entry, config.settings, templates, now)
            if thanks is not None:
                wanted[thanks.key] = Wanted(None, "", thanks)
    return wanted


def _record(state: State, result: AccountResult, now: dt.datetime) -> None:
    try:
        _write_record(state, result, now)
    except FollowupError as error:  # a full disk: the pass's own error says more
        log.error("%s: the pass could not be recorded: %s", result.account, error)


def _write_record(state: State, result: AccountResult, now: dt.datetime) -> None:
    row = state.account(result.account)
    state.record_pass(AccountRow(
        result.account, row.cursor, now.isoformat(timespec="seconds"),
        dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "ok" if result.ok else "failed", result.error or None, json.dumps(result.counts)))
