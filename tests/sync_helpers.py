"""A local account in a temporary folder, to drive sync passes in tests."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from icalendar import Calendar, Component

from followup_daemon.config import Config, parse_config
from followup_daemon.content import Templates
from followup_daemon.state import State
from followup_daemon.sync import AccountResult, Providers, run_pass

ME = {"name": "Alex Rivera", "emails": ["alex@gmail.com"], "domains": ["initech.com"]}


def vevent(uid: str, summary: str, start: str, description: str = "",
           organizer: str = "jane@acme.com", extra: str = "") -> str:
    """One VEVENT; `start` is 'YYYYMMDDTHHMMSS' in New York."""
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTART;TZID=America/New_York:{start}",
             "DURATION:PT1H", f"SUMMARY:{summary}", "LOCATION:Zoom",
             f"ORGANIZER;CN=Jane Park:mailto:{organizer}"]
    if description:
        lines.append(f"DESCRIPTION:{description}")
    if extra:
        lines.append(extra)
    return "\n".join([*lines, "END:VEVENT"])


@dataclass
class Sandbox:
    """A calendar file, a follow-up target, a Maildir and a state folder."""

    root: Path
    draft_when: str = "planned"

    @property
    def calendar(self) -> Path:
        return self.root / "calendar.ics"

    @property
    def target(self) -> Path:
        return self.root / "out" / "followups.ics"

    @property
    def drafts(self) -> Path:
        return self.root / "Mail" / "Drafts"

    def write(self, *events: str) -> None:
        body = "\n".join(events)
        self.calendar.write_text(
            f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:t\n{body}\nEND:VCALENDAR\n")

    def config(self, **account: Any) -> Config:
        data: dict[str, Any] = {
            "rules": {"timezone": "America/New_York", "max_followups": 1, "thank_you": False},
            "me": ME,
            "sync": {"draft_when": self.draft_when},
            "accounts": [{"name": "main", "provider": "local", "calendars": ["calendar.ics"],
                          "followups": "out/followups.ics", "maildir": "Mail", **account}]}
        config = parse_config(data, "test.toml")
        config.path = self.root / "config.toml"
        return config

    def sync(self, now: str = "2026-11-10T09:00", config: Config | None = None
             ) -> list[AccountResult]:
        state = State(self.root / "state")
        try:
            moment = dt.datetime.fromisoformat(now + "-05:00")
            return run_pass(config or self.config(), state, moment, Templates.load())
        finally:
            state.close()

    def followups(self) -> list[Component]:
        if not self.target.exists():
            return []
        return list(Calendar.from_ical(self.target.read_bytes()).walk("VEVENT"))

    def starts(self) -> dict[str, str]:
        """Follow-up title -> start, in New York."""
        starts: dict[str, str] = {}
        for event in self.followups():
            start: Any = getattr(event.get("DTSTART"), "dt", None)
            starts[str(event["SUMMARY"])] = start.strftime("%Y-%m-%d %H:%M")
        return starts

    def messages(self) -> list[EmailMessage]:
        folder = self.drafts / "cur"
        files = sorted(folder.iterdir()) if folder.exists() else []
        return [email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
                for f in files]


def one_account_pass(config: Config, state_dir: Path, now: dt.datetime,
                     providers: Providers) -> AccountResult:
    """One pass of a config holding one account, with its own state opened and closed."""
    state = State(state_dir)
    try:
        [result] = run_pass(config, state, now, Templates.load(), providers=providers)
    finally:
        state.close()
    return result
