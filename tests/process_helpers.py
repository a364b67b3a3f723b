"""Running the daemon as a process in tests, with a file keyring the child can read."""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .keyring_backends import FileKeyring

ROOT = Path(__file__).resolve().parents[1]
KILLS = 50  # SIGKILLs per provider in the crash-consistency tests
KILL_WINDOW = (0.4, 1.8)  # seconds after start: start-up, reading, planning and writes


def child_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, account: str,
              secret: dict[str, Any]) -> dict[str, str]:
    """Environment for a child whose keyring is a test file holding `secret`."""
    monkeypatch.setenv("FOLLOWUP_TEST_KEYRING_FILE", str(tmp_path / "keyring.json"))
    backend = FileKeyring()  # type: ignore[no-untyped-call]
    backend.set_password("followup-daemon", account, json.dumps(secret))
    return {**os.environ, "PYTHON_KEYRING_BACKEND": "tests.keyring_backends.FileKeyring"}


def start(command: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "followup_daemon", command, *args],
                            cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)


def sync_once(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "followup_daemon", "sync", "--once", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
                          check=False)


def wait_for(condition: Callable[[], bool], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def wait_for_line(daemon: subprocess.Popen[str], text: str, seconds: float = 60) -> bool:
    """Read the daemon's stderr until a line holds `text` (or it ends, or time is up)."""
    assert daemon.stderr is not None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([daemon.stderr], [], [], 0.1)
        if ready:
            line = daemon.stderr.readline()
            if text in line:
                return True
            if not line:
                return False
    return False


def stop(daemon: subprocess.Popen[str]) -> str:
    """SIGTERM, wait for a clean exit, and return its stderr."""
    daemon.send_signal(signal.SIGTERM)
    try:
        assert daemon.wait(timeout=10) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
    return daemon.communicate()[1]


def kill_during_passes(args: list[str], env: dict[str, str], count: Callable[[], int],
                       times: int = KILLS, between: tuple[float, float] = KILL_WINDOW
                       ) -> list[int]:
    """Start `run` and SIGKILL it `times` times at random moments; what `count` said after."""
    rng = random.Random(7)
    seen = []
    for kill in range(times):
        daemon = start("run", args, env)
        if kill % 2:  # every other kill is timed from the daemon's own "started" line, so
            wait_for_line(daemon, "started:")  # a slow machine still gets kills mid-pass
            time.sleep(rng.uniform(0, between[1] - between[0]))
        else:  # these may fall in start-up, wherever it is on this machine
            time.sleep(rng.uniform(*between))
        daemon.send_signal(signal.SIGKILL)
        daemon.wait(timeout=10)
        seen.append(count())
    return seen
