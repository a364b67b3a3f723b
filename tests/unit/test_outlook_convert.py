"""Graph's dateTimeTimeZone values read as the events' times."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from providers.outlook.convert import when


@pytest.mark.parametrize(("written", "zone", "expected"), [
    ("2026-11-10T09:00:00.0000000", "UTC", dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)),
    ("2026-11-10T09:30:15.1234567", "Pacific Standard Time",
     dt.datetime(2026, 11, 10, 9, 30, 15, 123456, tzinfo=ZoneInfo("America/Los_Angeles"))),
    ("2026-11-10T09:00:00Z", "UTC", dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)),
    ("2026-11-10T09:00:00", "W. Europe Standard Time",
     dt.datetime(2026, 11, 10, 9, tzinfo=ZoneInfo("Europe/Berlin"))),
])
def test_seven_fractional_digits_and_windows_zones(written: str, zone: str,
                                                  expected: dt.datetime) -> None:
    found = when({"dateTime": written, "timeZone": zone}, False)
    assert found is not None and found.time == expected
    assert found.time.utcoffset() == expected.utcoffset()


def test_an_all_day_value_is_its_date() -> None:
    found = when({"dateTime": "2026-11-10T00:00:00.0000000", "timeZone": "UTC"}, True)
    assert found is not None and found.date == dt.date(2026, 11, 10) and found.time is None
