"""The contract of the pass, run for every kind of calendar: subclass `SyncContract`
and give the account's settings and the hands of the user and of the employer
(adding an interview, deleting or moving a follow-up in the calendar program)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from followup_daemon.config import Config, parse_config
from followup_daemon.content import Templates
from followup_daemon.state import CREATED, FollowupRow, State
from followup_daemon.sync import AccountResult, Providers, run_pass

NY = dt.timezone(dt.timedelta(hours=-5))
MONDAY = "2026-11-16T14:00"  # the interview; the follow-up is planned on a later day


class Crash(BaseException):
    """The process dies: nothing after this point runs (not even `except Exception`)."""


class SyncContract:
    """Passes over one account; the subclass's `ready` fixture sets the service up."""

    root: Path

    # The subclass's part

    def account(self) -> dict[str, Any]:
        """The [[accounts]] table of the account (named as the helpers name it)."""
        raise NotImplementedError

    def add_interview(self, uid: str, title: str, start: str = MONDAY) -> None:
        """The employer's invitation lands in the user's calendar (`start` in New York)."""
        raise NotImplementedError

    def remove_all_user_events(self) -> None:
        """Every event of the user's disappears at once (a broken export, a wrong URL)."""
        raise NotImplementedError

    def followups(self) -> dict[str, dt.datetime]:
        """The daemon's follow-ups in the service, by key, with their start."""
        raise NotImplementedError

    def delete_followup_as_user(self, key: str) -> None:
        raise NotImplementedError

    def move_followup_as_user(self, key: str) -> None:
        """An hour later, as the user would drag it."""
        raise NotImplementedError

    # The engine's part

    def config(self) -> Config:
        config = parse_config({"rules": {"timezone": "America/New_York"},
                               "me": {"name": "Alex Rivera", "emails": ["alex@gmail.com"]},
                               "sync": {"draft_when": "planned"},
                               "accounts": [self.account()]}, "t.toml")
        config.path = self.root / "config.toml"
        return config

    def sync(self, providers: Providers | None = None, now: str = "2026-11-10T09:00"
             ) -> AccountResult:
        state = State(self.root / "state")
        try:
            moment = dt.datetime.fromisoformat(now).replace(tzinfo=NY)
            [result] = run_pass(self.config(), state, moment, Templates.load(),
                                providers=providers or Providers())
            return result
        finally:
            state.close()

    def test_a_followup_the_user_deleted_is_never_written_again(self, ready: None) -> None:
        self.add_interview("acme-1@example.com", "Interview with Acme")
        assert self.sync().ok
        [key] = self.followups()
        self.delete_followup_as_user(key)
        assert self.sync().ok
        self.add_interview("acme-1@example.com", "Interview with Acme (2nd round)",
                           "2026-11-17T14:00")  # a change that would move it
        assert self.sync(now="2026-11-11T09:00").ok
        assert self.followups() == {}

    def test_a_followup_the_user_moved_is_never_moved_back(self, ready: None) -> None:
        self.add_interview("acme-1@example.com", "Interview with Acme")
        assert self.sync().ok
        [(key, planned)] = self.followups().items()
        self.move_followup_as_user(key)
        assert self.sync().ok
        self.add_interview("acme-1@example.com", "Interview with Acme", "2026-11-17T14:00")
        assert self.sync(now="2026-11-11T09:00").ok
        assert self.followups() == {key: planned + dt.timedelta(hours=1)}

    def test_a_crash_between_the_write_and_the_state_commit_gives_no_duplicate(
            self, ready: None, monkeypatch: pytest.MonkeyPatch) -> None:
        self.add_interview("acme-1@example.com", "Interview with Acme")
        put = State.put_followup

        def dies_after_the_write(state: State, account: str, row: FollowupRow,
                                 now: dt.datetime) -> None:
            if row.status == CREATED:
                raise Crash  # the follow-up is in the calendar; the state never hears
            put(state, account, row, now)

        monkeypatch.setattr(State, "put_followup", dies_after_the_write)
        with pytest.raises(Crash):
            self.sync()
        assert len(self.followups()) == 1  # the write landed
        monkeypatch.setattr(State, "put_followup", put)
        assert self.sync().ok  # a new process: the journal's intent is settled by the key
        assert self.sync().ok
        assert len(self.followups()) == 1

    def test_a_calendar_suddenly_empty_deletes_nothing(self, ready: None) -> None:
        self.add_interview("acme-1@example.com", "Interview with Acme")
        assert self.sync().ok
        before = self.followups()
        self.remove_all_user_events()
        state = State(self.root / "state")
        state.db.execute("UPDATE accounts SET cursor = NULL")  # a full listing, as after
        state.close()                                        # an expired sync position
        result = self.sync()
        assert not result.ok and "suddenly lists no events" in result.error
        assert self.followups() == before
