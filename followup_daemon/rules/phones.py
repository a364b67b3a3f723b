"""R6's phone numbers: what libphonenumber (`phonenumbers`) finds in a text for the
user's region, formatted for dialling; never a dial-in, a meeting id, a passcode,
a date, a time or a postal code. The library loads on first use."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from importlib import resources
from pathlib import Path

from .vocabulary import DIAL_IN_CONTEXT

SYSTEM_ZONE_TABLE = Path("/usr/share/zoneinfo/zone.tab")
_BARE_NUMBER = re.compile(r"(?:tel:)?[+\d\s().\-/]{7,}")


def region_of(holidays: str | None, zone: dt.tzinfo) -> str | None:
    """The user's country: the `holidays` setting's, else the time zone's (None when
    neither says: then only numbers written with their +country code are found)."""
    if holidays:
        return holidays.partition("-")[0].upper()
    return _zone_countries().get(str(getattr(zone, "key", "")))


@cache
def _zone_countries() -> dict[str, str]:
    """zone.tab: each IANA zone's country, from the tzdata package or the system."""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, OSError):
        text = SYSTEM_ZONE_TABLE.read_text("utf-8") if SYSTEM_ZONE_TABLE.exists() else ""
    found = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and not line.startswith("#"):
            found[fields[2]] = fields[0]
    return found


def find_phone(text: str, region: str | None) -> str | None:
    """The first valid phone number of `text` for `region`, in international format
    ("+1 415-555-0142"), skipping lines of video dial-ins and links, and lines without
    a digit (no number can be there: the library need not load for them)."""
    lines = [line for line in text.splitlines() if any(map(str.isdigit, line))]
    if not lines:
        return None
    import phonenumbers

    for line in lines:
        if DIAL_IN_CONTEXT.search(line) or "://" in line:
            continue
        matches = phonenumbers.PhoneNumberMatcher(line, region or "ZZ",
                                                  leniency=phonenumbers.Leniency.VALID)
        for match in matches:
            return phonenumbers.format_number(
                match.number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return None


def is_bare_number(text: str) -> bool:
    """The text is a phone number and nothing else (a location that is no place)."""
    digits = sum(c.isdigit() for c in text)
    return 7 <= digits <= 15 and bool(_BARE_NUMBER.fullmatch(text.strip()))
