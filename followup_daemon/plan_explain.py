"""`plan --explain UID`: every rule's verdict for one event, in full, for people.

The table of `plan` cuts its "Why" to fit; this prints each verdict on lines of
its own: detection (R1), what was read off the event (R2), the decision date, each
follow-up's date, rule and method, the thank-you, an answer, and why nothing is
planned when nothing is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from .errors import UserError
from .model import PlanEntry, clean_line

LABEL = 15  # the width of the labels' column


def explain(entries: Sequence[PlanEntry], uid: str, zone: ZoneInfo, source: str) -> str:
    """The verdicts for every instance of the event `uid` (a recurring event has
    several), each a block of labelled lines."""
    chosen = [e for e in entries if e.event.uid == uid]
    if not chosen:
        raise UserError(f"{source}: no event with UID {clean_line(uid)!r}; `plan --json` "
                        "lists every event's uid")
    return "\n\n".join("\n".join(_block(entry, zone)) for entry in chosen)


def _line(label: str, text: str) -> str:
    return f"{label:<{LABEL}}{clean_line(text)}"


def _block(entry: PlanEntry, zone: ZoneInfo) -> list[str]:
    event = entry.event
    lines = [_line("Event", f"{event.summary or '(no title)'} ({event.uid})"),
             _line("Starts", _local(event.start.instant(zone)))]
    if event.recurrence_id is not None:
        lines.append(_line("Occurrence", event.recurrence_id.isoformat(zone)))
    lines.append(_line("Interview?", ("yes: " if entry.is_interview else "no: ")
                       + entry.reason))
    lines += _facts(entry) if entry.is_interview else []
    lines += [_line(f"Follow-up {f.n}", f"{_local(f.start)}, rule {f.rule.value}: {f.why}")
              + "\n" + _line("", _method(entry, f.method.value, f.draft_to))
              for f in entry.followups]
    return lines + _outcome(entry)


def _facts(entry: PlanEntry) -> list[str]:
    facts = entry.facts
    read = [f"company {facts.company or 'unknown'}", f"role {facts.role or 'unknown'}"]
    read += [f"phone {facts.phone}"] if facts.phone else []
    read += ["the employer asked for e-mail"] if facts.email_only else []
    decision = entry.decision_date.isoformat() if entry.decision_date else \
        "none found (the default delay applies)"
    return [_line("Read", "; ".join(read)), _line("Decision date", decision)]


def _method(entry: PlanEntry, method: str, draft_to: tuple[str, ...]) -> str:
    how = method.replace("_", " ")
    return f"by {how}" + (f"; a draft to {', '.join(draft_to)}" if draft_to
                          else "; no draft (no address to write to)")


def _outcome(entry: PlanEntry) -> list[str]:
    lines = []
    if entry.thank_you is not None:
        lines.append(_line("Thank-you", f"a draft due {_local(entry.thank_you.due)} to "
                                        f"{', '.join(entry.thank_you.draft_to)}"))
    if entry.answered is not None:
        answer = entry.answered
        lines.append(_line("Answered", f"{answer.date.isoformat()} by {answer.by} "
                                       f"({answer.outcome.value})"
                                       + (f" from {answer.sender}" if answer.sender else "")))
    if entry.skipped is not None:
        lines.append(_line("No follow-up", f"{entry.skipped.value}: "
                                           f"{entry.note or entry.reason}"))
    return lines


def _local(moment: dt.datetime) -> str:
    return f"{moment:%a %Y-%m-%d %H:%M} {moment.tzname()}"
