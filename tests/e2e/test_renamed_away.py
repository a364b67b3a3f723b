"""An interview renamed into an ordinary event (read as a change, not a full listing)
is no longer an interview: its follow-up goes."""

from __future__ import annotations

from pathlib import Path

from ..fakes.fake_google import FakeGoogle
from ..google_helpers import Runner, interview


def test_an_interview_renamed_away_loses_its_follow_up(fake_google: FakeGoogle,
                                                       tmp_path: Path) -> None:
    runner = Runner(fake_google, tmp_path)
    event = fake_google.put_event("primary", interview())
    assert runner.sync().ok and len(runner.followups()) == 1
    fake_google.put_event("primary", {**event, "summary": "Coffee with Jane"}, event["id"])
    result = runner.sync(now="2026-11-11T09:00")
    assert result.ok and result.counts["removed"] == 1, result.counts
    assert runner.followups() == []
