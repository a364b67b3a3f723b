"""Windows display names of time zones ("(UTC-05:00) Eastern Time (US & Canada)"),
which Outlook writes as TZIDs, matched to IANA zones.

icalendar already maps the Windows standard names ("W. Europe Standard Time");
this covers the display names it does not know.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

_DISPLAY = re.compile(
    r"^\((?:UTC|GMT)(?:(?P<sign>[+-])(?P<h>\d{1,2}):?(?P<m>\d{2}))?\)\s*(?P<rest>.+)$")
_JANUARY = dt.datetime(2026, 1, 15)


@lru_cache(maxsize=256)
def zone_for_display_name(tzid: str) -> ZoneInfo | None:
    """The IANA zone of a Windows display name, or None when none fits."""
    match = _DISPLAY.match(tzid.strip())
    if not match:
        return None
    offset = _offset(match)
    words = {w.lower() for w in re.findall(r"[A-Za-z]{4,}", match["rest"])} - {"time", "standard"}
    for windows_name, olson in WINDOWS_TO_OLSON.items():
        haystack = f"{windows_name} {olson}".lower().replace("_", " ")
        if any(w in haystack for w in words) and _winter_offset(olson) == offset:
            return ZoneInfo(olson)
    return None


def _offset(match: re.Match[str]) -> dt.timedelta:
    if not match["sign"]:
        return dt.timedelta(0)
    minutes = int(match["h"]) * 60 + int(match["m"])
    return dt.timedelta(minutes=minutes if match["sign"] == "+" else -minutes)


def _winter_offset(olson: str) -> dt.timedelta | None:
    """The zone's standard offset (the smaller of January's and July's)."""
    try:
        zone = ZoneInfo(olson)
    except (KeyError, ValueError):
        return None
    offsets = [d.replace(tzinfo=zone).utcoffset() for d in (_JANUARY, _JANUARY.replace(month=7))]
    return min(o for o in offsets if o is not None)
