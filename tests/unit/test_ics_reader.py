"""Reading .ics files: zones, all-day, floating, recurrence, odd files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from followup_daemon.errors import CalendarError
from followup_daemon.ics.reader import read_calendar_bytes, read_calendar_file
from followup_daemon.model import TimeKind

from ..helpers import NY, at

NOW = at("2026-11-27 09:00")


def ics(*events: str, extra: str = "") -> bytes:
    body = "\n".join(f"BEGIN:VEVENT\n{e.strip()}\nEND:VEVENT" for e in events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:t\n{extra}{body}\nEND:VCALENDAR\n".encode()


def read(data: bytes) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    result = read_calendar_bytes(data, "test.ics", NOW)
    return result.events, result.warnings


def test_zoned_floating_and_all_day_starts_are_kept_apart() -> None:
    events, _ = read(ics("UID:z\nDTSTART;TZID=Europe/Paris:20261116T140000",
                         "UID:u\nDTSTART:20261116T140000Z",
                         "UID:f\nDTSTART:20261116T140000",
                         "UID:d\nDTSTART;VALUE=DATE:20261116"))
    kinds = [e.start.kind for e in events]
    assert kinds == [TimeKind.ZONED, TimeKind.ZONED, TimeKind.FLOATING, TimeKind.ALL_DAY]
    assert events[0].start.instant(NY).isoformat() == "2026-11-16T08:00:00-05:00"
    assert events[2].start.instant(NY).isoformat() == "2026-11-16T14:00:00-05:00"
    assert events[3].start.isoformat(NY) == "2026-11-16"


def test_custom_vtimezone() -> None:
    tz = ("BEGIN:VTIMEZONE\nTZID:Custom Zone\nBEGIN:STANDARD\nDTSTART:19700101T000000\n"
          "TZOFFSETFROM:+0300\nTZOFFSETTO:+0300\nEND:STANDARD\nEND:VTIMEZONE\n")
    events, _ = read(ics("UID:c\nDTSTART;TZID=Custom Zone:20261116T140000", extra=tz))
    assert events[0].start.instant(NY).isoformat() == "2026-11-16T06:00:00-05:00"


@pytest.mark.parametrize("tzid", ["W. Europe Standard Time",
                                  "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"])
def test_windows_zone_names(tzid: str) -> None:
    events, warnings = read(ics(f'UID:w\nDTSTART;TZID="{tzid}":20261116T140000'))
    assert warnings == []
    assert events[0].start.instant(NY).isoformat() == "2026-11-16T08:00:00-05:00"


def test_unknown_tzid_is_reported_not_silent() -> None:
    events, warnings = read(ics("UID:x\nDTSTART;TZID=Mars/Olympus:20261116T140000"))
    assert len(events) == 1
    assert len(warnings) == 1 and "Mars/Olympus" in warnings[0] and "event x" in warnings[0]


def test_recurrence_with_exceptions_in_time_order() -> None:
    events, _ = read(ics(
        "UID:r\nDTSTART;TZID=America/New_York:20261102T100000\nRRULE:FREQ=WEEKLY;COUNT=4\n"
        "EXDATE;TZID=America/New_York:20261109T100000\nSUMMARY:Weekly",
        "UID:r\nRECURRENCE-ID;TZID=America/New_York:20261116T100000\n"
        "DTSTART;TZID=America/New_York:20261117T150000\nSUMMARY:Moved",
    ))
    assert [e.start.instant(NY).isoformat() for e in events] == [
        "2026-11-02T10:00:00-05:00", "2026-11-17T15:00:00-05:00", "2026-11-23T10:00:00-05:00"]
    assert events[1].summary == "Moved"
    assert events[1].recurrence_id is not None
    assert events[1].recurrence_id.isoformat(NY) == "2026-11-16T10:00:00-05:00"


def test_recurrence_is_expanded_within_a_year_of_now() -> None:
    events, _ = read(ics("UID:d\nDTSTART:20200101T100000Z\nRRULE:FREQ=MONTHLY"))
    starts = [e.start.date for e in events]
    assert min(starts) >= (NOW - dt.timedelta(days=366)).date()
    assert max(starts) <= (NOW + dt.timedelta(days=366)).date()
    assert len(events) in (24, 25)


def test_bare_vevent_file() -> None:
    events, _ = read(b"BEGIN:VEVENT\nUID:b\nDTSTART:20261116T140000Z\nSUMMARY:x\nEND:VEVENT\n")
    assert [e.uid for e in events] == ["b"]


def test_several_calendars_in_one_file_keep_file_order() -> None:
    two = ics("UID:1\nDTSTART:20261116T140000Z") + ics("UID:2\nDTSTART:20261101T100000Z")
    events, _ = read(two)
    assert [e.uid for e in events] == ["1", "2"]


def test_non_utf8_input() -> None:
    data = ics("UID:l\nDTSTART:20261116T140000Z\nSUMMARY:Entretien chez Société Générale")
    events, _ = read(data.decode().encode("latin-1"))
    assert events[0].summary == "Entretien chez Société Générale"


def test_cancelled_status_and_cancel_method() -> None:
    events, _ = read(ics("UID:c\nDTSTART:20261116T140000Z\nSTATUS:CANCELLED"))
    assert events[0].cancelled
    events, _ = read(ics("UID:m\nDTSTART:20261116T140000Z", extra="METHOD:CANCEL\n"))
    assert events[0].cancelled


def test_attendees_rooms_and_online_meetings() -> None:
    events, _ = read(ics(
        "UID:a\nDTSTART:20261116T140000Z\nORGANIZER;CN=Jane:mailto:jane@acme.com\n"
        "ATTENDEE;CUTYPE=ROOM;CN=Board:mailto:board@acme.com\n"
        "ATTENDEE;PARTSTAT=DECLINED:mailto:me@x.org\nX-GOOGLE-CONFERENCE:https://meet.google.com/a"))
    ev = events[0]
    assert ev.organizer is not None and ev.organizer.email == "jane@acme.com"
    assert [p.kind.value for p in ev.attendees] == ["room", "person"]
    assert ev.attendees[1].response == "DECLINED"
    assert ev.online_meeting


def test_an_event_without_a_start_is_skipped_with_a_warning() -> None:
    events, warnings = read(ics("UID:ok\nDTSTART:20261116T140000Z", "UID:nostart\nSUMMARY:x"))
    assert [e.uid for e in events] == ["ok"]
    assert len(warnings) == 1 and "nostart" in warnings[0] and "DTSTART" in warnings[0]


@pytest.mark.parametrize("data", [b"", b"   \n", b"hello world", b"BEGIN:VCALENDAR\nX"])
def test_files_that_are_not_icalendar_are_rejected(data: bytes) -> None:
    with pytest.raises(CalendarError) as error:
        read(data)
    assert "test.ics" in str(error.value) and "\n" not in str(error.value)


def test_a_missing_file_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="cannot read"):
        read_calendar_file(tmp_path / "missing.ics", NOW)
