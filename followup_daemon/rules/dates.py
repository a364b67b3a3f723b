"""Date expressions in notes ("Dec 3rd", "12/3", "within 5 business days", "by Friday"),
found in text and resolved against the interview's date (the R3 table)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from .vocabulary import FLAGS
from .workdays import WorkCalendar

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
}
MONTHS["sept"] = 9
WEEKDAYS = {
    name: number
    for number in range(7)
    for name in (calendar.day_name[number].lower(), calendar.day_abbr[number].lower())
}
WEEKDAYS.update({"tues": 1, "wednes": 2, "thur": 3, "thurs": 3})
NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen", "twenty"]
    )
}
NUMBER_WORDS.update({"a": 1, "an": 1, "a couple of": 2, "a couple": 2, "couple of": 2})

_MON = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WD = r"(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
_NUM = r"(?:\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"

FORMS: dict[str, str] = {
    "iso": r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})",
    "numeric": r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})(?:[/.](?P<c>\d{4}|\d{2}))?(?![\d/])",
    "month_day": r"(?:" + _WD + r",?\s+)?" + _MON + r"\s+" + _DAY + _YEAR,
    "day_month": r"(?:" + _WD + r",?\s+)?(?:the\s+)?" + _DAY + r"\.?\s+(?:of\s+)?" + _MON + _YEAR,
    "span": r"(?:within|in)\s+(?:the\s+next\s+)?(?P<n>" + _NUM + r")"
    r"(?:\s*(?:-|–|to|or)\s*(?P<n2>" + _NUM + r"))?\s+"
    r"(?P<unit>(?:business|working|work)\s+days?|days?|weeks?)",
    "end_next_week": r"end\s+of\s+next\s+week",
    "end_week": r"end\s+of\s+(?:the\s+|this\s+)?week",
    "end_next_month": r"end\s+of\s+next\s+month",
    "end_month": r"end\s+of\s+(?:the\s+|this\s+)?month",
    "next_weekday": r"next\s+(?P<nwd>" + _WD + r")",
    # "by Thursday, December 3rd" is a date, not a weekday
    "by_weekday": r"(?:by|on|before|until|this)\s+(?:this\s+)?(?P<wd>" + _WD + r")"
    r"(?!,?\s+(?:the\s+)?(?:\d|" + _MON + r"))",
    "next_week": r"next\s+week",
    "tomorrow": r"tomorrow",
}
PATTERNS = {name: re.compile(r"(?<![\w/.])(?:" + form + r")(?!\w)", FLAGS)
            for name, form in FORMS.items()}


@dataclass(frozen=True)
class Context:
    """What an expression is resolved against."""

    interview: dt.date
    work: WorkCalendar
    date_order: str = "MDY"


@dataclass(frozen=True)
class Found:
    """A date expression found in text."""

    start: int
    end: int
    kind: str
    match: re.Match[str]


def find_expressions(text: str) -> list[Found]:
    """Every date expression in `text`, in order; of overlapping ones the longest."""
    candidates = sorted(
        (Found(m.start(), m.end(), kind, m)
         for kind, pattern in PATTERNS.items() for m in pattern.finditer(text)),
        key=lambda f: (f.start, f.start - f.end),
    )
    found: list[Found] = []
    for candidate in candidates:
        if not found or candidate.start >= found[-1].end:
            found.append(candidate)
    return found


def resolve(found: Found, ctx: Context) -> dt.date | None:
    """The date an expression means, or None when it names no valid date."""
    try:
        return RESOLVERS[found.kind](found.match, ctx)
    except (ValueError, OverflowError):
        return None


def _iso(m: re.Match[str], ctx: Context) -> dt.date | None:
    return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))


def _numeric(m: re.Match[str], ctx: Context) -> dt.date | None:
    first, second = int(m["a"]), int(m["b"])
    month, day = (first, second) if ctx.date_order == "MDY" else (second, first)
    return _with_year(month, day, m["c"], ctx)


def _month_day(m: re.Match[str], ctx: Context) -> dt.date | None:
    return _with_year(MONTHS[m["mon"].lower().rstrip(".")], int(m["day"]), m["year"], ctx)


def _with_year(month: int, day: int, year: str | None, ctx: Context) -> dt.date:
    """A date; without a year, the first such date on or after the interview."""
    if year:
        return dt.date(int(year) + (2000 if len(year) == 2 else 0), month, day)
    for candidate_year in range(ctx.interview.year, ctx.interview.year + 9):
        try:
            candidate = dt.date(candidate_year, month, day)
        except ValueError:  # 29 February outside a leap year
            continue
        if candidate >= ctx.interview:
            return candidate
    raise ValueError("no such date")


def number(text: str) -> int:
    """A numeral or a number word of the R3 table."""
    text = " ".join(text.lower().split())
    return int(text) if text.isdigit() else NUMBER_WORDS[text]


def _span(m: re.Match[str], ctx: Context) -> dt.date | None:
    count = number(m["n2"] or m["n"])  # "within 5-7 days": the employer's latest word
    unit = m["unit"].lower()
    if unit.startswith("week"):
        return ctx.interview + dt.timedelta(days=7 * count)
    if unit.startswith(("business", "working", "work ")):
        return ctx.work.add_working_days(ctx.interview, count)
    return ctx.interview + dt.timedelta(days=count)


def _friday(day: dt.date, weeks_later: int = 0) -> dt.date:
    return day + dt.timedelta(days=4 - day.weekday() + 7 * weeks_later)


def _last_of_month(day: dt.date, months_later: int = 0) -> dt.date:
    year, month = divmod(day.month - 1 + months_later, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _weekday_after(m: re.Match[str], ctx: Context) -> dt.date | None:
    target = WEEKDAYS[m["wd"].lower().rstrip(".")]
    ahead = (target - ctx.interview.weekday() - 1) % 7 + 1
    return ctx.interview + dt.timedelta(days=ahead)


def _weekday_next_week(m: re.Match[str], ctx: Context) -> dt.date | None:
    target = WEEKDAYS[m["nwd"].lower().rstrip(".")]
    monday = ctx.interview - dt.timedelta(days=ctx.interview.weekday())
    return monday + dt.timedelta(days=7 + target)


RESOLVERS: dict[str, Callable[[re.Match[str], Context], dt.date | None]] = {
    "iso": _iso,
    "numeric": _numeric,
    "month_day": _month_day,
    "day_month": _month_day,
    "span": _span,
    "end_next_week": lambda m, c: _friday(c.interview, 1),
    "end_week": lambda m, c: _friday(c.interview),
    "end_next_month": lambda m, c: _last_of_month(c.interview, 1),
    "end_month": lambda m, c: _last_of_month(c.interview),
    "next_weekday": _weekday_next_week,
    "by_weekday": _weekday_after,
    "next_week": lambda m, c: _friday(c.interview, 1),
    "tomorrow": lambda m, c: c.interview + dt.timedelta(days=1),
}
