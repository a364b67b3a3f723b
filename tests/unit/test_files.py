"""Writing files the safe way: `write_private` and `write_private_many`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from followup_daemon.files import write_private, write_private_many


def test_many_files_are_written_private_and_whole(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "old.ics").write_bytes(b"before")
    wanted = {tmp_path / "a" / "old.ics": b"after", tmp_path / "a" / "new.ics": b"one",
              tmp_path / "b" / "deep" / "x.ics": b"two"}
    write_private_many(wanted)
    for path, data in wanted.items():
        assert path.read_bytes() == data and path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "b").stat().st_mode & 0o777 == 0o700
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_every_file_is_on_disk_before_any_has_its_name(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    steps: list[str] = []
    fsync, replace = os.fsync, os.replace

    def synced(fd: int) -> None:
        steps.append("fsync")
        fsync(fd)

    def renamed(old: str, new: Path) -> None:
        steps.append("rename")
        replace(old, new)
    monkeypatch.setattr(os, "fsync", synced)
    monkeypatch.setattr(os, "replace", renamed)
    write_private_many({tmp_path / f"{n}.ics": b"x" for n in range(3)})
    assert steps == ["fsync"] * 3 + ["rename"] * 3 + ["fsync"]  # the folder last


def test_a_file_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    (tmp_path / "taken.ics").mkdir()  # a folder where the file should go
    with pytest.raises(OSError) as raised:
        write_private_many({tmp_path / "fine.ics": b"x", tmp_path / "taken.ics": b"y"})
    assert raised.value.filename == str(tmp_path / "taken.ics")
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_one_file_is_written_through_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "real.ics").write_bytes(b"old")
    (tmp_path / "link.ics").symlink_to(tmp_path / "real.ics")
    write_private(tmp_path / "link.ics", "new")
    assert (tmp_path / "link.ics").is_symlink()
    assert (tmp_path / "real.ics").read_bytes() == b"new"
