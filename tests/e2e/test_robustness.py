"""Failures of the machine: a read-only state folder and a full disk end the pass
with one clear line and leave the database whole."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ..process_helpers import ROOT
from ..sync_helpers import Sandbox, vevent

CONFIG = """[rules]
max_followups = 1
thank_you = false
timezone = "America/New_York"
[sync]
draft_when = "planned"
[[accounts]]
name = "main"
provider = "local"
calendars = ["calendar.ics"]
followups = "out/followups.ics"
maildir = "Mail"
"""


def sync(tmp_path: Path, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail (EFBIG)
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "followup_daemon", "sync", "--once", "--config",
         str(tmp_path / "config.toml"), "--state-dir", str(tmp_path / "state"),
         "--now", "2026-11-10T09:00"], cwd=ROOT, capture_output=True, text=True, timeout=120,
        preexec_fn=small_disk, check=False)


def integrity(tmp_path: Path) -> str:
    with sqlite3.connect(tmp_path / "state" / "state.sqlite3") as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.fixture
def box(tmp_path: Path) -> Sandbox:
    sandbox = Sandbox(tmp_path)
    sandbox.write(*(vevent(f"{n}@x", f"Interview with Company{n}", "20261116T140000",
                           f"Decision by Friday. {'x' * 3000}", f"hr@company{n}.com")
                    for n in range(60)))
    (tmp_path / "config.toml").write_text(CONFIG)
    return sandbox


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make `folder` unwritable: a read-only tmpfs as root (modes do not stop root),
    else file modes."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        (folder / "state.sqlite3").chmod(0o400)
        try:
            yield
        finally:
            folder.chmod(0o700)
            (folder / "state.sqlite3").chmod(0o600)
        return
    copy = folder.with_name("state-copy")
    shutil.copytree(folder, copy)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
                      capture_output=True, check=False).returncode != 0:
        pytest.skip("cannot mount a tmpfs here: the read-only test was not run")
    try:
        shutil.copytree(copy, folder, dirs_exist_ok=True)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_read_only_state_folder_is_one_clear_line(box: Sandbox, tmp_path: Path) -> None:
    assert sync(tmp_path).returncode == 0
    box.write(vevent("new@x", "Interview with Initech", "20261117T100000"))
    with read_only(tmp_path / "state"):
        result = sync(tmp_path)
    assert integrity(tmp_path) == "ok"  # opening a WAL database needs a writable folder
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output, output
    assert "cannot be written" in output and len(result.stderr.splitlines()) == 1


def test_a_full_disk_ends_the_pass_cleanly(box: Sandbox, tmp_path: Path) -> None:
    result = sync(tmp_path, limit=64 * 1024)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output, output
    assert "File too large" in output or "disk" in output
    assert len([line for line in result.stdout.splitlines() if line.strip()]) <= 1
    assert integrity(tmp_path) == "ok"
    again = sync(tmp_path)  # with room again, the pass converges with no duplicates
    assert again.returncode == 0, again.stderr
    assert len(box.followups()) == 60 and len(box.messages()) == 60
