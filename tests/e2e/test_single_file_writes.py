"""A single-file follow-up calendar is written once per pass, and only after a flush
are the writes recorded: a crash or a user's edit in between loses nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from followup_daemon.content import Templates
from followup_daemon.errors import TransientError
from followup_daemon.files import write_private
from followup_daemon.state import CREATED, CREATING, State
from followup_daemon.sync import run_pass
from providers.local import followup_store

from ..sync_helpers import Sandbox, vevent


def interviews(count: int) -> list[str]:
    return [vevent(f"i{n}@x", f"Interview {n}", "20261116T140000",
                   organizer=f"jane@employer{n}.com") for n in range(count)]


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every whole-file write of the follow-up calendar."""
    written: list[Path] = []

    def counted(path: Path, data: Any) -> None:
        written.append(path)
        write_private(path, data)

    monkeypatch.setattr(followup_store, "write_private", counted)
    return written


def test_forty_follow_ups_are_one_write_of_the_file(tmp_path: Path,
                                                    writes: list[Path]) -> None:
    box = Sandbox(tmp_path)
    box.write(*interviews(40))
    [result] = box.sync()
    assert result.ok, result.error
    assert result.counts["created"] == 40
    assert len(box.followups()) == 40
    assert writes == [box.target]
    [result] = box.sync()
    assert result.counts["created"] == 0 and writes == [box.target]


def test_a_flush_that_fails_records_nothing_and_the_next_pass_writes_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    box = Sandbox(tmp_path)
    box.write(*interviews(3))

    def full_disk(path: Path, data: Any) -> None:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(followup_store, "write_private", full_disk)
    [result] = box.sync()
    assert not result.ok and "free some disk space" in result.error
    state = State(box.root / "state")
    try:
        assert {r.status for r in state.followups("main").values()} == {CREATING}
    finally:
        state.close()
    monkeypatch.setattr(followup_store, "write_private", write_private)
    [result] = box.sync()
    assert result.ok, result.error
    assert len(box.followups()) == 3
    state = State(box.root / "state")
    try:
        assert {r.status for r in state.followups("main").values()} == {CREATED}
    finally:
        state.close()


def test_the_users_edit_during_a_pass_is_never_overwritten(tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    box.write(*interviews(1))
    assert box.sync()[0].ok
    store = followup_store.FileStore(box.target)
    [(key, old)] = store.list().items()
    store.hold()
    store.delete(old.remote_id)
    mine = box.target.read_bytes().replace(b"END:VCALENDAR", b"X-MINE:1\r\nEND:VCALENDAR")
    box.target.write_bytes(mine)  # the user's edit lands before the daemon's flush
    with pytest.raises(TransientError):
        store.flush()
    assert box.target.read_bytes() == mine
    assert key in store.list()  # read again as the user left it


def test_a_crash_before_the_flush_is_settled_by_the_journal(tmp_path: Path) -> None:
    """A killed pass leaves intents; the next pass finds no follow-up and writes it."""
    box = Sandbox(tmp_path)
    box.write(*interviews(2))
    config = box.config()
    state = State(box.root / "state")
    try:
        original = followup_store.FileStore.flush

        def killed(self: followup_store.FileStore) -> None:
            raise KeyboardInterrupt  # stands for SIGKILL between the writes and the flush

        followup_store.FileStore.flush = killed  # type: ignore[method-assign]
        try:
            with pytest.raises(KeyboardInterrupt):
                run_pass(config, state, dt.datetime.fromisoformat("2026-11-10T09:00-05:00"),
                         Templates.load())
        finally:
            followup_store.FileStore.flush = original  # type: ignore[method-assign]
        assert not box.target.exists()
    finally:
        state.close()
    [result] = box.sync()
    assert result.ok and result.counts["created"] == 2
    assert len(box.followups()) == 2
