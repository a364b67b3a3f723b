"""R4 and R5.2: the follow-up's date and time, then catch-up or stale against now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Rule
from ..settings import RuleSettings
from .workdays import ONE_DAY, WorkCalendar


@dataclass(frozen=True)
class Slot:
    """When a follow-up falls, and which rule put it there."""

    date: dt.date
    start: dt.datetime
    end: dt.datetime
    rule: Rule
    why: str


def followup_date(interview: dt.date, decision: dt.date | None, rules: RuleSettings,
                  work: WorkCalendar) -> tuple[dt.date, Rule, str]:
    """R4.1-R4.4: F from the decision date or the delay, never before the day after,
    moved forward to a working day."""
    if decision is not None:
        day, rule = decision + ONE_DAY, Rule.DECISION
        why = f"a day after the decision date {decision.isoformat()}"
    else:
        day, rule = interview + dt.timedelta(days=rules.delay_days), Rule.DEFAULT
        why = f"{rules.delay_days} days after the interview"
    if day < interview + ONE_DAY:
        day, why = interview + ONE_DAY, f"{why}, but not before the day after the interview"
    working = work.on_or_after(day)
    if working != day:
        why = f"{why}, moved from {_not_working(day, work)} to the next working day"
    return working, rule, why


def _not_working(day: dt.date, work: WorkCalendar) -> str:
    holiday = work.holiday_name(day)
    label = f"{day:%a} {day.isoformat()}"
    return f"{label} ({holiday})" if holiday else label


def at_followup_time(day: dt.date, rules: RuleSettings) -> tuple[dt.datetime, dt.datetime]:
    """R4.5: start and end of the follow-up event on `day` in the user's zone.

    A wall time that a DST change skips is read as the time after the gap."""
    naive = dt.datetime.combine(day, rules.followup_time)
    start = naive.replace(tzinfo=rules.timezone)
    start = start.astimezone(dt.UTC).astimezone(rules.timezone)
    end = (start.astimezone(dt.UTC) + dt.timedelta(minutes=rules.followup_minutes))
    return start, end.astimezone(rules.timezone)


@dataclass(frozen=True)
class Planned:
    """Follow-up `n` of an interview: its slot, or None when it is stale (R5.2)."""

    n: int
    day: dt.date  # the day R4 or R8 gives, before any catch-up
    slot: Slot | None

    @property
    def due(self) -> dt.date:
        """The day it falls on: the slot's (after catch-up), else the day it was due."""
        return self.slot.date if self.slot else self.day


def followups(interview: dt.date, decision: dt.date | None, now: dt.datetime,
              rules: RuleSettings, work: WorkCalendar) -> list[Planned]:
    """R4, R5.2 and R8: the interview's follow-ups, `followup_gap_days` apart."""
    day, rule, why = followup_date(interview, decision, rules, work)
    planned = [Planned(1, day, schedule(day, rule, why, now, rules, work))]
    while len(planned) < rules.max_followups:
        last = planned[-1]
        gap = last.due + dt.timedelta(days=rules.followup_gap_days)
        day = work.on_or_after(gap)
        why = (f"follow-up {last.n + 1}: {rules.followup_gap_days} days after follow-up "
               f"{last.n} ({last.due.isoformat()})")
        if day != gap:
            why = f"{why}, moved from {_not_working(gap, work)} to the next working day"
        planned.append(Planned(last.n + 1, day,
                               schedule(day, Rule.DEFAULT, why, now, rules, work)))
    return planned


def schedule(day: dt.date, rule: Rule, why: str, now: dt.datetime, rules: RuleSettings,
             work: WorkCalendar) -> Slot | None:
    """The slot of a follow-up due on `day` at `now`: that day, a catch-up, or None when
    it is stale (R5.2)."""
    start, end = at_followup_time(day, rules)
    if start >= now:
        return Slot(day, start, end, rule, why)
    if now - start > dt.timedelta(days=rules.grace_days):
        return None
    return catch_up(start, now, rules, work)


def catch_up(missed: dt.datetime, now: dt.datetime, rules: RuleSettings,
             work: WorkCalendar) -> Slot:
    """R5.2: the next working day's follow-up time after `now`."""
    day = now.astimezone(rules.timezone).date()
    while True:
        day = work.on_or_after(day)
        start, end = at_followup_time(day, rules)
        if start > now:
            why = f"catch-up: the follow-up was due {missed.date().isoformat()}"
            return Slot(day, start, end, Rule.CATCH_UP, why)
        day += ONE_DAY


def stale_reason(day: dt.date, rules: RuleSettings) -> str:
    """Why a follow-up that was due on `day` is stale, for people."""
    return f"was due {day.isoformat()}, more than {rules.grace_days} days ago"
