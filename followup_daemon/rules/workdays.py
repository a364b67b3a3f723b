"""Working days: the configured weekdays less the public holidays of a country."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import holidays as holidays_lib

from ..settings import RuleSettings

ONE_DAY = dt.timedelta(days=1)


class WorkCalendar:
    """Tells working days from the rest, as R4.4 needs."""

    def __init__(self, workdays: frozenset[int], region: str | None = None) -> None:
        if not workdays:
            raise ValueError("at least one weekday must be a workday")
        self.workdays = workdays
        self.region = region

    @classmethod
    def from_settings(cls, rules: RuleSettings) -> WorkCalendar:
        """The calendar of `workdays` and `holidays` from the rules."""
        return cls(rules.workdays, rules.holidays)

    @cached_property
    def _holidays(self) -> holidays_lib.HolidayBase | None:
        return public_holidays(self.region) if self.region else None

    def is_working_day(self, day: dt.date) -> bool:
        """A configured weekday that is not a public holiday."""
        if day.weekday() not in self.workdays:
            return False
        return self._holidays is None or day not in self._holidays

    def holiday_name(self, day: dt.date) -> str | None:
        """The public holiday on `day`, if any."""
        return self._holidays.get(day) if self._holidays is not None else None

    def on_or_after(self, day: dt.date) -> dt.date:
        """`day` if it is a working day, else the next working day."""
        for _ in range(3660):  # a decade: holidays can't fill more than that
            if self.is_working_day(day):
                return day
            day += ONE_DAY
        raise ValueError("no working day within ten years")

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The `count`-th working day after `day`."""
        for _ in range(count):
            day = self.on_or_after(day + ONE_DAY)
        return day


def public_holidays(region: str) -> holidays_lib.HolidayBase:
    """The holidays of `US` or `US-CA`; raises ValueError for an unknown one."""
    country, _, subdiv = region.partition("-")
    try:
        return holidays_lib.country_holidays(country.upper(), subdiv=subdiv.upper() or None)
    except NotImplementedError as error:
        raise ValueError(str(error)) from None
