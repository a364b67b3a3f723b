"""The state database's migrations: each step in one transaction, all or nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from followup_daemon import state as state_module
from followup_daemon.errors import UserError
from followup_daemon.state import MIGRATIONS, SCHEMA_VERSION, State, Status

V1_SCHEMA = (Path(__file__).parents[1] / "data" / "state-v1.sql").read_text()


def v1_database(folder: Path) -> Path:
    folder.mkdir()
    path = folder / "state.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(V1_SCHEMA)
    old.close()
    return path


def test_every_version_has_its_step() -> None:
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION))


def test_a_failing_step_leaves_the_database_as_it_was(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = v1_database(tmp_path / "state")

    def half_done(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE followups ADD COLUMN version TEXT")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setitem(state_module.MIGRATIONS, 1, half_done)
    with pytest.raises(UserError, match="cannot be"):
        State(tmp_path / "state")
    db = sqlite3.connect(path)
    columns = [row[1] for row in db.execute("PRAGMA table_info(followups)")]
    assert "version" not in columns
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
    db.close()
    monkeypatch.undo()
    assert State(tmp_path / "state").followups("main")["k2"].status is Status.CREATED


def test_statuses_are_an_enum_read_back_as_such(tmp_path: Path) -> None:
    v1_database(tmp_path / "state")
    rows = State(tmp_path / "state").followups("main")
    assert rows["k1"].status is Status.USER_DELETED
    assert f"{rows['k1'].status}" == "user_deleted"  # stored and shown as plain text
