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
    # v1's rules, which the tests before v2 were written for; v2's tests set their own
    rules: dict[str, Any] = {"max_followups": 1, "thank_you": False}  # noqa: RUF012

    # The subclass's part

    def account(self) -> dict[str, Any]:
        """The [[accounts]] table of the account (named as the helpers name it)."""
        raise NotImplementedError

    def add_interview(self, uid: str, title: str, start: str = MONDAY, notes: str = "") -> None:
        """The employer's invitation lands in the user's calendar (`start` in New York),
        or changes there; `notes` is its description, as the user writes it."""
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
        config = parse_config({"rules": {"timezone": "America/New_York", **self.rules},
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

    # Rules v2 (R7-R9)

    def test_a_second_followup_of_its_own_and_an_upgrade_duplicates_nothing(
            self, ready: None) -> None:
        self.add_interview("acme-1@example.com", "Interview with Acme")
        assert self.sync().ok
        [first] = self.followups()
        self.rules = {"max_followups": 2, "thank_you": False}
        assert self.sync().ok
        found = self.followups()
        assert len(found) == 2 and first in found  # v1's follow-up is follow-up 1
        assert found[first] + dt.timedelta(days=7) in found.values()
        assert self.sync().ok and self.followups() == found

    def test_an_outcome_removes_the_future_followups_and_keeps_the_past(
            self, ready: None) -> None:
        made, first = self.two_followups()
        self.add_interview("acme-1@example.com", "Interview with Acme",
                           notes="Recruiter called.\nOutcome: rejected")
        after = self.sync(now="2026-11-30T09:00")  # after the first, before the second
        assert after.ok and self.followups() == dict([first])
        assert after.counts.get("drafts removed", 0) == made.counts.get("drafts", 0) // 2
        assert after.counts.get("removed", 0) == 1

    def two_followups(self) -> tuple[AccountResult, tuple[str, dt.datetime]]:
        """An interview synced with two follow-ups; the pass and the first follow-up."""
        self.rules = {"max_followups": 2, "thank_you": False}
        self.add_interview("acme-1@example.com", "Interview with Acme")
        made = self.sync()
        assert made.ok and len(self.followups()) == 2
        return made, min(self.followups().items(), key=lambda item: item[1])

    def test_the_thank_you_draft_is_saved_once_from_its_due_time(self, ready: None) -> None:
        self.rules = {"max_followups": 1, "thank_you": True}
        self.add_interview("acme-1@example.com", "Interview with Acme")  # ends at 15:00
        before = self.sync(now="2026-11-16T16:30")  # due at 17:00
        after = self.sync(now="2026-11-16T17:30")
        again = self.sync(now="2026-11-16T18:00")
        assert before.ok and after.ok and again.ok
        mailbox = before.counts.get("drafts", 0)  # the follow-up's (drafts are "planned")
        assert after.counts.get("drafts", 0) == mailbox  # one thank-you, where drafts go
        assert again.counts.get("drafts", 0) == 0
        assert len(self.followups()) == 1  # a thank-you is never a calendar event


class RepliesContract(SyncContract):
    """R7.2 in the pass, for a `SyncContract` whose mailbox receives mail: the subclass
    gives the hand of the employer who writes."""

    def deliver(self, sender: str, date: str, subject: str = "Re: your interview",
                headers: str = "", body: str = "Thanks for your time.") -> None:
        """A message arrives in the account's inbox."""
        raise NotImplementedError

    def edit_draft_as_user(self, key: str) -> None:
        """The user adds a line to the daemon's draft `key` in their mail program."""
        raise NotImplementedError

    def draft_keys(self) -> list[str]:
        """The keys of the drafts in the mailbox (an edited one keeps its key)."""
        raise NotImplementedError

    def test_a_draft_the_user_edited_stays_when_the_employer_answers(
            self, ready: None) -> None:
        _made, first = self.two_followups()
        [second] = [key for key in self.followups() if key != first[0]]
        self.edit_draft_as_user(second)
        self.deliver("Jane Park <jane@acme.com>", "Fri, 27 Nov 2026 10:00:00 -0500")
        after = self.sync(now="2026-11-30T09:00")
        assert after.ok and self.followups() == dict([first])
        assert after.counts.get("drafts removed", 0) == 0
        assert after.counts["drafts left to you"] == 1
        assert sorted(self.draft_keys()) == sorted([first[0], second])

    def test_an_employer_reply_removes_the_second_followup_keeps_the_first(
            self, ready: None) -> None:
        made, first = self.two_followups()
        self.deliver("Jane Park <jane@acme.com>", "Fri, 27 Nov 2026 10:00:00 -0500")
        after = self.sync(now="2026-11-30T09:00")
        assert after.ok and self.followups() == dict([first])
        assert after.counts["removed"] == 1
        assert after.counts["drafts removed"] == made.counts["drafts"] // 2

    @pytest.mark.parametrize(("sender", "subject", "headers"), [
        ("jane@acme.com", "Re: interview", "Auto-Submitted: auto-replied\r\n"),
        ("jane@acme.com", "Re: interview", "X-Autoreply: yes\r\n"),
        ("jane@acme.com", "Re: interview", "Precedence: bulk\r\n"),
        ("jane@acme.com", "Out of Office: back on Monday", ""),
        ("jane@acme.com", "Abwesenheitsnotiz: Ihr Interview", ""),
        ("someone@gmail.com", "Re: interview", ""),  # a stranger at a free-mail domain
    ])
    def test_what_does_not_answer(self, ready: None, sender: str, subject: str,
                                  headers: str) -> None:
        self.rules = {"max_followups": 2, "thank_you": False}
        self.add_interview("acme-1@example.com", "Interview with Acme")
        assert self.sync().ok
        self.deliver(sender, "Fri, 27 Nov 2026 10:00:00 -0500", subject, headers)
        assert self.sync(now="2026-11-30T09:00").ok
        assert len(self.followups()) == 2

    def test_nothing_but_a_sender_and_a_date_is_kept_or_logged(
            self, ready: None, caplog: pytest.LogCaptureFixture) -> None:
        self.rules = {"max_followups": 2, "thank_you": False}
        self.add_interview("acme-1@example.com", "Interview with Acme")
        self.deliver("jane@acme.com", "Fri, 27 Nov 2026 10:00:00 -0500",
                     "Subject-7f3a Offer", body="Body-9c2e we would like to offer")
        self.deliver("other@acme.com", "Fri, 27 Nov 2026 10:00:00 -0500",
                     "Subject-7f3a second", headers="Auto-Submitted: auto-replied\r\n")
        with caplog.at_level("DEBUG"):
            assert self.sync(now="2026-11-30T09:00").ok
        stored = b"".join(p.read_bytes() for p in (self.root / "state").iterdir())
        for secret in ("Subject-7f3a", "Body-9c2e"):
            assert secret not in caplog.text and secret.encode() not in stored
        assert b"jane@acme.com" in stored and b"other@acme.com" not in stored
