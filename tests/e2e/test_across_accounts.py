"""One interview seen in several accounts gets one set of follow-ups and drafts,
written in the account that saw it first (or the primary one), and R5.3 holds
across accounts: two local accounts, and a local account beside a Google one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from followup_daemon.config import Config, parse_config
from followup_daemon.content import Templates
from followup_daemon.state import State
from followup_daemon.sync import AccountResult, Providers, run_pass

from ..fakes.fake_google import FakeGoogle
from ..google_helpers import account as google_account
from ..google_helpers import authorise, interview
from ..sync_helpers import ME, Sandbox, vevent

NY = dt.timezone(dt.timedelta(hours=-5))
SIX = [vevent(f"{name}-1@example.com", f"Interview with {name.title()}",
              f"202611{16 + i}T140000", organizer=f"jane@{name}.com")
       for i, name in enumerate(("acme", "globex", "initrode", "umbrella", "hooli", "wonka"))]


def local(name: str, folder: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "provider": "local", "calendars": [f"{folder}/calendar.ics"],
            "followups": f"{folder}/out/followups.ics", "maildir": f"{folder}/Mail", **extra}


def passes(root: Path, accounts: list[dict[str, Any]], now: str = "2026-11-10T09:00",
           providers: Providers | None = None) -> list[AccountResult]:
    config: Config = parse_config({
        "rules": {"timezone": "America/New_York", "max_followups": 1, "thank_you": False},
        "me": ME, "sync": {"draft_when": "planned"}, "accounts": accounts}, "t.toml")
    config.path = root / "config.toml"
    state = State(root / "state")
    try:
        moment = dt.datetime.fromisoformat(now).replace(tzinfo=NY)
        return run_pass(config, state, moment, Templates.load(), providers=providers)
    finally:
        state.close()


def writes(results: list[AccountResult]) -> int:
    return sum(n for r in results for what, n in r.counts.items() if what != "planned")


def boxes(root: Path) -> tuple[Sandbox, Sandbox]:
    return Sandbox(root / "a"), Sandbox(root / "b")


def test_the_same_invitations_in_two_accounts_give_one_set(tmp_path: Path) -> None:
    a, b = boxes(tmp_path)
    for box in (a, b):
        box.root.mkdir()
        box.write(*SIX)
    accounts = [local("a", "a"), local("b", "b")]
    first = passes(tmp_path, accounts)
    assert all(r.ok for r in first)
    assert len(a.followups()) == 6 and len(a.messages()) == 6  # seen first in a
    assert b.followups() == [] and b.messages() == []
    again = passes(tmp_path, list(reversed(accounts)))  # b comes first now: a keeps them
    assert all(r.ok for r in again) and writes(again) == 0
    assert len(a.followups()) == 6 and b.followups() == []


def test_the_primary_account_writes_them(tmp_path: Path) -> None:
    a, b = boxes(tmp_path)
    for box in (a, b):
        box.root.mkdir()
        box.write(*SIX[:2])
    assert all(r.ok for r in passes(tmp_path, [local("a", "a"), local("b", "b", primary=True)]))
    assert a.followups() == [] and len(b.followups()) == 2 and len(b.messages()) == 2


def test_an_interview_the_owner_loses_moves_to_the_other_account(tmp_path: Path) -> None:
    a, b = boxes(tmp_path)
    for box in (a, b):
        box.root.mkdir()
        box.write(*SIX[:2])
    accounts = [local("a", "a"), local("b", "b")]
    passes(tmp_path, accounts)
    a.write(SIX[1])  # acme's invitation is gone from a, still in b
    assert all(r.ok for r in passes(tmp_path, accounts))
    [acme] = b.followups()
    assert "Acme" in str(acme["SUMMARY"]) and len(b.messages()) == 1
    [globex] = a.followups()
    assert "Globex" in str(globex["SUMMARY"])


def test_a_later_round_in_another_account_supersedes_the_first(tmp_path: Path) -> None:
    a, b = boxes(tmp_path)
    a.root.mkdir()
    b.root.mkdir()
    a.write(vevent("r1@acme.com", "Phone screen: Acme - Data Engineer", "20261116T140000"))
    b.write(vevent("r2@acme.com", "Onsite: Acme - Data Engineer", "20261118T140000"))
    assert all(r.ok for r in passes(tmp_path, [local("a", "a"), local("b", "b")]))
    assert a.followups() == [] and len(b.followups()) == 1  # R5.3: the latest round's


@pytest.fixture
def google_beside_local(fake_google: FakeGoogle, tmp_path: Path) -> tuple[FakeGoogle, Sandbox]:
    authorise(fake_google)
    box = Sandbox(tmp_path / "a")
    box.root.mkdir()
    box.write(*SIX)
    for index, name in enumerate(("acme", "globex", "initrode", "umbrella", "hooli", "wonka")):
        start = f"2026-11-{16 + index}T14:00:00-05:00"
        body = interview(f"Interview with {name.title()}", start, iCalUID=f"{name}-1@example.com")
        body["organizer"]["email"] = f"jane@{name}.com"
        body["attendees"][1]["email"] = f"jane@{name}.com"
        fake_google.put_event("primary", body)
    return fake_google, box


def test_a_google_and_a_local_account_with_the_same_invitations(
        google_beside_local: tuple[FakeGoogle, Sandbox], tmp_path: Path) -> None:
    fake, box = google_beside_local
    accounts = [google_account(fake, timeout_seconds=2), local("a", "a")]
    providers = Providers()
    results = passes(tmp_path, accounts, providers=providers)
    assert all(r.ok for r in results), results
    ours = [e for e in fake.live_events() if "extendedProperties" in e]
    assert len(ours) == 6 and len(fake.drafts) == 6  # the Google account saw them first
    assert box.followups() == [] and box.messages() == []
    assert all(r.ok for r in passes(tmp_path, accounts, providers=providers))
    assert len([e for e in fake.live_events() if "extendedProperties" in e]) == 6


def test_duplicates_written_before_are_removed_from_the_other_account(tmp_path: Path) -> None:
    a, b = boxes(tmp_path)
    for box in (a, b):
        box.root.mkdir()
        box.write(*SIX[:2])
    for alone in ([local("a", "a")], [local("b", "b")]):  # as accounts synced one by one did
        passes(tmp_path, alone)
    assert len(a.followups()) == 2 and len(b.followups()) == 2
    results = passes(tmp_path, [local("a", "a"), local("b", "b")])
    assert all(r.ok for r in results)
    assert len(a.followups()) == 2 and b.followups() == [] and b.messages() == []
