"""Settings of the timing rules and the user's identity, with the spec's defaults."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .methods import Method

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def system_zone() -> ZoneInfo:
    """The machine's IANA zone, or UTC when it cannot be told."""
    import tzlocal

    try:
        return ZoneInfo(tzlocal.get_localzone_name() or "UTC")
    except Exception:  # tzlocal raises several types on odd systems
        return ZoneInfo("UTC")


@dataclass(frozen=True)
class RuleSettings:
    """The `[rules]` table: every setting of the timing rules."""

    timezone: ZoneInfo = field(default_factory=system_zone)
    delay_days: int = 10
    followup_time: dt.time = dt.time(10, 0)
    followup_minutes: int = 15
    workdays: frozenset[int] = frozenset(range(5))  # date.weekday(): 0 is Monday
    holidays: str | None = None  # "US" or "US-CA"
    date_order: str = "MDY"
    grace_days: int = 14
    method_preference: tuple[Method, ...] = (Method.PHONE, Method.IN_PERSON, Method.EMAIL)
    max_followups: int = 2  # R8; 1 is v1
    followup_gap_days: int = 7
    thank_you: bool = True  # R9
    thank_you_delay_hours: int = 2


@dataclass(frozen=True)
class Identity:
    """The `[me]` table: who the user is, to tell them apart from others."""

    name: str = ""
    emails: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()

    def owns_email(self, email: str | None) -> bool:
        """True for one of the user's own addresses."""
        return email is not None and email.lower() in {e.lower() for e in self.emails}

    def owns_domain(self, domain: str | None) -> bool:
        """True for one of the user's own domains, a subdomain of one, or a domain of
        the same organisation (the same registrable domain: hr.acme.com, acme.com)."""
        if not domain:
            return False
        from .rules.addresses import same_employer

        domain = domain.lower()
        return any(domain == d.lower() or domain.endswith("." + d.lower()) or
                   same_employer(domain, d) for d in self.domains)


@dataclass(frozen=True)
class SyncSettings:
    """The `[sync]` table: how the daemon runs and writes."""

    interval_seconds: int = 300
    draft_when: str = "due"  # "due": on the follow-up's day; "planned": at once
    reminder_minutes: int = 10
    log_level: str = "info"


@dataclass(frozen=True)
class Settings:
    """Everything the planner needs."""

    rules: RuleSettings = field(default_factory=RuleSettings)
    me: Identity = field(default_factory=Identity)
