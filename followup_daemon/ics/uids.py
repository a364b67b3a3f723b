"""What marks the daemon's own follow-ups in an .ics calendar, without icalendar: the
settings check of the local calendar needs it, and `status` should not load the
iCalendar libraries for that."""

from __future__ import annotations


def is_followup_uid(uid: str) -> bool:
    """Whether a UID is one `followup_uid` made."""
    return uid.startswith("followup-") and uid.endswith("@followup-daemon")
