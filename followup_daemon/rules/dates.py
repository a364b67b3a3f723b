"""Date expressions in notes ("Dec 3rd", "12/3", "within 5 business days", "by Friday"),
found in text and resolved against the interview's date (the R3 table)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

from .languages import fold, folded, merged
from .workdays import WorkCalendar

# Every language's words, folded (rules/languages): the text is folded before matching.
# The patterns match any word where a name or a number word goes, and the word is
# looked up afterwards: a pattern listing every name of seven languages takes long
# to compile, and each process compiles it.
MONTHS = merged("months")
WEEKDAYS = merged("weekdays")
NUMBER_WORDS = merged("numbers")
IDIOMS = merged("idioms")


def _any(group: str) -> str:
    return "|".join(folded(group))


_WORD = r"[^\W\d_]+(?:-[^\W\d_]+)*\.?"  # "sexta-feira", "déc."
_PHRASES = "|".join(re.escape(w).replace(r"\ ", r"\s+")
                    for w in sorted(NUMBER_WORDS, key=len, reverse=True) if " " in w)
_NUM = r"(?:\d{1,3}|" + _PHRASES + r"|[^\W\d_]+(?:-[^\W\d_]+)*)"
_DAY = r"(?P<day>\d{1,2})(?:" + _any("ordinals") + r")?"
_OF = r"(?:(?:" + _any("of") + r")\s+)?"
_ART = r"(?:(?:" + _any("day_articles") + r")\s+)?"
_YEAR = r"(?:,?\s+" + _OF + r"(?P<year>\d{4}))?"
_BY = r"(?:" + _any("by") + r")"
_NEXT_AFTER = r"(?:" + _any("next_after") + r")"
_UNITS = {group: _any(group) for group in ("business_days", "weeks", "days")}
_UNIT_OF = {group: re.compile(r"(?:" + words + r")") for group, words in _UNITS.items()}
# "by Thursday, December 3rd" is a date, not a weekday
_DATE_AFTER = re.compile(r",?\s+" + _ART + r"(?:\d|(?P<mon>" + _WORD + r"))")

FORMS: dict[str, str] = {
    "iso": r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})",
    "numeric": r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})(?:[/.](?P<c>\d{4}|\d{2}))?\.?(?![\d/])",
    "month_day": r"(?P<mon>" + _WORD + r")\s+" + _DAY + _YEAR,
    "day_month": _ART + _DAY + r"\.?\s+" + _OF + r"(?P<mon>" + _WORD + r")" + _YEAR,
    "span": r"(?:" + _any("within") + r")\s+(?P<n>" + _NUM + r")"
    r"(?:(?:\s*[-–]\s*|\s+(?:" + _any("range_words") + r")\s+)(?P<n2>" + _NUM + r"))?\s+"
    r"(?P<unit>" + "|".join(_UNITS.values()) + r")",
    "end_next_week": _any("end_next_week"),
    "end_week": _any("end_week"),
    "end_next_month": _any("end_next_month"),
    "end_month": _any("end_month"),
    "next_weekday": r"(?:" + _any("next_before") + r")\s+(?P<nwd>" + _WORD + r")",
    "weekday_next": r"(?P<nwd>" + _WORD + r")\s+" + _NEXT_AFTER,
    "by_weekday": _BY + r"(?:\s+" + _BY + r")?\s+(?P<wd>" + _WORD + r")(?!\s+" + _NEXT_AFTER + ")",
    "next_week": _any("next_week"),
    "tomorrow": _any("tomorrow"),
}


@cache
def patterns() -> dict[str, re.Pattern[str]]:
    """The compiled forms, compiled when first needed: only notes with a decision word."""
    return {name: re.compile(r"(?<![\w/.])(?:" + form + r")(?!\w)")
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
    """Every date expression in folded `text`, in order; of overlapping ones the longest."""
    candidates = sorted(
        (Found(m.start(), m.end(), kind, m)
         for kind, pattern in patterns().items() for m in pattern.finditer(text)
         if VALID.get(kind, _always)(m)),
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
    return _with_year(_named(MONTHS, m["mon"]), int(m["day"]), m["year"], ctx)


def _named(names: Mapping[str, int], text: str) -> int:
    """The number of a month or weekday name as matched; some need their full stop."""
    name = text.rstrip(".")
    if name in names:
        return names[name]
    if text.endswith(".") and name + "." in names:
        return names[name + "."]
    raise ValueError(f"no such name: {text}")


def _is(names: Mapping[str, int], text: str | None) -> bool:
    if text is None:
        return True
    try:
        _named(names, text)
    except ValueError:
        return False
    return True


def _is_number(text: str | None) -> bool:
    return text is None or text.isdigit() or " ".join(text.split()) in NUMBER_WORDS


def _weekday_alone(m: re.Match[str]) -> bool:
    date_after = _DATE_AFTER.match(m.string, m.end())
    return _is(WEEKDAYS, m["wd"]) and not (
        date_after and (date_after["mon"] is None or _is(MONTHS, date_after["mon"])))


def _always(m: re.Match[str]) -> bool:
    return True


# Which matches name a real month, weekday or number.
VALID: dict[str, Callable[[re.Match[str]], bool]] = {
    "month_day": lambda m: _is(MONTHS, m["mon"]),
    "day_month": lambda m: _is(MONTHS, m["mon"]),
    "span": lambda m: _is_number(m["n"]) and _is_number(m["n2"]),
    "next_weekday": lambda m: _is(WEEKDAYS, m["nwd"]),
    "weekday_next": lambda m: _is(WEEKDAYS, m["nwd"]),
    "by_weekday": _weekday_alone,
}


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
    """A numeral or a number word of the R3 table, in any language."""
    text = " ".join(fold(text).split())
    return int(text) if text.isdigit() else NUMBER_WORDS[text]


def _span(m: re.Match[str], ctx: Context) -> dt.date | None:
    unit = " ".join(m["unit"].split())
    idiom = None if m["n2"] else IDIOMS.get(" ".join(f"{m['n']} {unit}".split()))
    if idiom is not None:  # "quinze jours" is two weeks
        return ctx.interview + dt.timedelta(days=idiom)
    count = number(m["n2"] or m["n"])  # "within 5-7 days": the employer's latest word
    if _UNIT_OF["business_days"].fullmatch(unit):
        return ctx.work.add_working_days(ctx.interview, count)
    if _UNIT_OF["weeks"].fullmatch(unit):
        return ctx.interview + dt.timedelta(days=7 * count)
    return ctx.interview + dt.timedelta(days=count)


def _friday(day: dt.date, weeks_later: int = 0) -> dt.date:
    return day + dt.timedelta(days=4 - day.weekday() + 7 * weeks_later)


def _last_of_month(day: dt.date, months_later: int = 0) -> dt.date:
    year, month = divmod(day.month - 1 + months_later, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _weekday_after(m: re.Match[str], ctx: Context) -> dt.date | None:
    target = _named(WEEKDAYS, m["wd"])
    ahead = (target - ctx.interview.weekday() - 1) % 7 + 1
    return ctx.interview + dt.timedelta(days=ahead)


def _weekday_next_week(m: re.Match[str], ctx: Context) -> dt.date | None:
    target = _named(WEEKDAYS, m["nwd"])
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
    "weekday_next": _weekday_next_week,
    "by_weekday": _weekday_after,
    "next_week": lambda m, c: _friday(c.interview, 1),
    "tomorrow": lambda m, c: c.interview + dt.timedelta(days=1),
}
