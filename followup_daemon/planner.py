"""The plan: the timing rules R1-R9 applied to a list of events at a moment `now`.

Pure: the same events, settings, received mail and now always give the same plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .model import Answer, CalendarEvent, Followup, PlanEntry, Received, Skip, ThankYou
from .rules.answered import Interview, answers
from .rules.dates import Context
from .rules.decision import decision_date
from .rules.detection import detect
from .rules.facts import read_facts
from .rules.method import choose_method
from .rules.phones import region_of
from .rules.rounds import Round, RoundFollowup, application_groups, superseded
from .rules.timing import Planned, at_followup_time, followups, stale_reason
from .rules.workdays import WorkCalendar
from .settings import Settings

TOO_LATE_TO_THANK = dt.timedelta(hours=48)


@dataclass(frozen=True)
class _Draft:
    """An entry on its way through the rules, with its follow-ups before R5.3."""

    entry: PlanEntry
    planned: tuple[Planned, ...] = ()


@dataclass(frozen=True)
class _Verdicts:
    """What the rules across one application decided for each round."""

    dropped: set[tuple[int, int]]  # (index, n) of superseded follow-ups
    email_only: set[int]
    answered: dict[int, Answer]


def plan(events: Sequence[CalendarEvent], settings: Settings, now: dt.datetime,
         received: Sequence[Received] = ()) -> list[PlanEntry]:
    """One plan entry per event, in the order given; `received` is the user's mail
    (senders and dates) for R7."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    # Planning is pure: equal inputs give the last plan again (a pass plans, then plans
    # the same events once more for `status`), each entry holding the event given.
    inputs = (tuple(events), settings, now, now.tzinfo, tuple(received))
    if _last and _last[0][0] == inputs:
        return [replace(entry, event=event) for entry, event in zip(_last[0][1], events,
                                                                    strict=True)]
    entries = _plan(events, settings, now, received)
    _last[:] = [(inputs, entries)]
    return list(entries)


_last: list[tuple[tuple[object, ...], list[PlanEntry]]] = []  # the last plan's inputs and plan


def _plan(events: Sequence[CalendarEvent], settings: Settings, now: dt.datetime,
          received: Sequence[Received]) -> list[PlanEntry]:
    work = WorkCalendar.from_settings(settings.rules)
    drafts = [_plan_one(event, settings, now, work) for event in events]
    rounds = _rounds(drafts, settings)
    groups = list(application_groups(rounds).values())
    verdicts = _Verdicts(superseded(rounds), _email_only(groups, drafts),
                         _answers(groups, drafts, received, settings, now))
    return [_finish(i, d, settings, now, verdicts) for i, d in enumerate(drafts)]


def _email_only(groups: list[list[Round]], drafts: list[_Draft]) -> set[int]:
    """The interviews of applications where the employer asked for e-mail (R6)."""
    return {r.index for group in groups
            if any(drafts[r.index].entry.facts.email_only for r in group) for r in group}


def _answers(groups: list[list[Round]], drafts: list[_Draft], received: Sequence[Received],
             settings: Settings, now: dt.datetime) -> dict[int, Answer]:
    """R7 for every application."""
    zone = settings.rules.timezone
    found: dict[int, Answer] = {}
    for group in groups:
        events = [(r, drafts[r.index].entry) for r in group]
        interviews = [Interview(r.index, r.interview_start, e.event.ends_at(zone),
                                e.event.description) for r, e in events]
        addresses = {a for _, e in events for a in e.facts.draft_to}
        found |= answers(interviews, addresses, received, settings.me, now.astimezone(zone))
    return found


def _plan_one(event: CalendarEvent, settings: Settings, now: dt.datetime,
              work: WorkCalendar) -> _Draft:
    found = detect(event, settings.me)
    if not found.looks_like_interview:
        return _Draft(PlanEntry(event, False, found.reason, skipped=found.skip))
    rules = settings.rules
    interview = event.start.local_date(rules.timezone)
    decision = decision_date(event.description, Context(interview, work, rules.date_order))
    region = region_of(rules.holidays, rules.timezone)
    entry = PlanEntry(event, found.is_interview, found.reason,
                      read_facts(event, settings.me, region),
                      decision, skipped=found.skip, note=found.reason if found.skip else "")
    if found.skip is not None:
        return _Draft(entry)
    return _Draft(entry, tuple(followups(interview, decision, now, rules, work)))


def _rounds(drafts: list[_Draft], settings: Settings) -> list[Round]:
    zone = settings.rules.timezone
    return [
        Round(
            index=i,
            company=d.entry.facts.company,
            role=d.entry.facts.role,
            application_id=d.entry.facts.application,
            interview_start=d.entry.event.start.instant(zone),
            followups=tuple(_round_followup(p, settings) for p in d.planned),
        )
        for i, d in enumerate(drafts)
        if d.entry.is_interview
    ]


def _round_followup(planned: Planned, settings: Settings) -> RoundFollowup:
    if planned.slot is not None:
        return RoundFollowup(planned.n, planned.slot.start)
    return RoundFollowup(planned.n, at_followup_time(planned.day, settings.rules)[0], True)


def _finish(index: int, draft: _Draft, settings: Settings, now: dt.datetime,
            verdicts: _Verdicts) -> PlanEntry:
    answer = verdicts.answered.get(index)
    entry = replace(draft.entry, answered=answer,
                    thank_you=_thank_you(draft.entry, settings, now, answer))
    if not entry.is_interview:
        return entry
    if answer is not None:
        return replace(entry, skipped=Skip.ANSWERED, note=_answered_note(answer))
    kept = [p for p in draft.planned if p.slot and (index, p.n) not in verdicts.dropped]
    if kept:
        return replace(entry, followups=_followups(entry, kept, settings,
                                                   index in verdicts.email_only))
    if any((index, p.n) in verdicts.dropped for p in draft.planned):
        return replace(entry, skipped=Skip.SUPERSEDED,
                       note="a later round of this application comes before the follow-up")
    return replace(entry, skipped=Skip.STALE,
                   note=stale_reason(draft.planned[-1].day, settings.rules))


def _followups(entry: PlanEntry, kept: list[Planned], settings: Settings,
               email_only: bool) -> tuple[Followup, ...]:
    method = choose_method(entry.event, entry.facts, settings.rules.method_preference,
                           email_only)
    return tuple(Followup(p.slot.date, p.slot.start, p.slot.end, p.slot.rule, method,
                          entry.facts.draft_to, p.slot.why, p.n)
                 for p in kept if p.slot is not None)


def _thank_you(entry: PlanEntry, settings: Settings, now: dt.datetime,
               answer: Answer | None) -> ThankYou | None:
    """R9: a thank-you draft due some hours after the interview, unless it is too late
    or the employer answered first."""
    rules = settings.rules
    if not (rules.thank_you and entry.is_interview and entry.facts.draft_to):
        return None
    end = entry.event.ends_at(rules.timezone)
    if end < now - TOO_LATE_TO_THANK:
        return None
    delay = dt.timedelta(hours=rules.thank_you_delay_hours)
    due = (end.astimezone(dt.UTC) + delay).astimezone(rules.timezone)
    if answer is not None and answer.moment < due:
        return None
    return ThankYou(due, entry.facts.draft_to)


def _answered_note(answer: Answer) -> str:
    what = "" if answer.outcome.value == "answered" else f" ({answer.outcome.value})"
    who = f"a message from {answer.sender}" if answer.sender else "your note"
    return f"answered on {answer.date.isoformat()}{what}: {who}"
