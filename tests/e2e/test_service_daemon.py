"""The daemon under a service manager: sd_notify, watchdog, SIGHUP reload, SIGTERM,
journal-style logs, clock jumps, and stopping a pass between two writes."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from followup_daemon.config import Config
from followup_daemon.content import Templates
from followup_daemon.daemon import Daemon, Signals
from followup_daemon.errors import TransientError
from followup_daemon.retry import STOPPING, RetryPolicy
from followup_daemon.service import notify as notify_module
from followup_daemon.service.notify import notify, watchdog_seconds
from followup_daemon.state import State
from followup_daemon.sync import run_pass

from ..sync_helpers import Sandbox, vevent

ROOT = Path(__file__).resolve().parents[2]
CONFIG = """[rules]
max_followups = 1
thank_you = false
timezone = "America/New_York"
[sync]
interval_seconds = {interval}
[[accounts]]
name = "main"
provider = "local"
calendars = ["calendar.ics"]
followups = "out/followups.ics"
"""


def listener(address: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(address)
    sock.settimeout(0.2)
    return sock


def received(sock: socket.socket, until: str, seconds: float = 15) -> list[str]:
    """Datagrams until one contains `until`."""
    messages: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            messages.append(sock.recv(4096).decode())
        except TimeoutError:
            continue
        if until in messages[-1]:
            return messages
    raise AssertionError(f"never got {until!r}; got {messages}")


def test_notify_reaches_path_and_abstract_sockets(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert notify("READY=1") is False
    with listener(str(tmp_path / "notify")) as sock:
        monkeypatch.setenv("NOTIFY_SOCKET", str(tmp_path / "notify"))
        assert notify("READY=1", "STATUS=ok")
        assert sock.recv(100) == b"READY=1\nSTATUS=ok"
    name = f"followup-test-{os.getpid()}"
    with listener("\0" + name) as sock:
        monkeypatch.setenv("NOTIFY_SOCKET", "@" + name)
        assert notify("WATCHDOG=1")
        assert sock.recv(100) == b"WATCHDOG=1"


def test_watchdog_interval_is_half_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHDOG_USEC", "10000000")
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    assert watchdog_seconds() == 5.0
    monkeypatch.setenv("WATCHDOG_PID", "1")
    assert notify_module.watchdog_seconds() is None


def test_run_under_a_service_manager(tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    box.write(vevent("a@x", "Interview with Acme", "20271116T140000"))
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.format(interval=300))
    env = {**os.environ, "NOTIFY_SOCKET": str(tmp_path / "notify"), "WATCHDOG_USEC": "2000000",
           "JOURNAL_STREAM": "8:1234"}
    with listener(str(tmp_path / "notify")) as sock:
        daemon = subprocess.Popen(
            [sys.executable, "-m", "followup_daemon", "run", "--config", str(config),
             "--state-dir", str(tmp_path / "state")], cwd=ROOT, env=env,
            stderr=subprocess.PIPE, text=True)
        try:
            assert "READY=1" in received(sock, "READY=1")[0]
            assert any("STATUS=last pass" in m for m in received(sock, "STATUS=last pass"))
            received(sock, "WATCHDOG=1", 5)  # fed at least every second of the 2 s timeout
            config.write_text(CONFIG.format(interval=7))
            daemon.send_signal(signal.SIGHUP)
            assert any("RELOADING=1" in m for m in received(sock, "READY=1"))
            config.write_text("[rules]\ndelay_days = -3\n")
            daemon.send_signal(signal.SIGHUP)
            received(sock, "READY=1")
            assert daemon.poll() is None  # a bad config is refused, the daemon goes on
            daemon.send_signal(signal.SIGTERM)
            received(sock, "STOPPING=1")
            assert daemon.wait(timeout=10) == 0
        finally:
            if daemon.poll() is None:
                daemon.kill()
        err = daemon.communicate()[1]
    lines = err.splitlines()
    assert all(re.match(r"<[2-7]>", line) for line in lines), lines  # journal priorities
    assert "<6>config reloaded: 1 account(s), a pass every 7 s" in lines
    assert any(line.startswith("<3>config not reloaded") and "rules.delay_days" in line
               for line in lines)
    assert not any(re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", line) for line in lines)


def test_a_clock_jump_or_resume_passes_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    passes: list[str] = []

    def one_pass(config: Config, keep_going: object) -> str:
        passes.append("p")
        return "ok"

    daemon = Daemon(Config(), one_pass, lambda: Config(), Signals())
    daemon._reschedule()
    daemon._step()
    assert passes == []  # nothing due, no jump
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3 * 3600)  # woke after three hours
    daemon._step()
    assert passes == ["p"]
    daemon._step()
    assert passes == ["p"]  # the jump is noticed once


def test_sigterm_stops_a_pass_between_two_writes(tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    box.write(*(vevent(f"{n}@x", f"Interview with Company{n}", "20261116T140000",
                       organizer=f"hr@company{n}.com") for n in range(5)))
    now = dt.datetime.fromisoformat("2026-11-10T09:00-05:00")
    answers = iter([True, True, True, True, False])  # read, write, two writes, stop
    state = State(tmp_path / "state")
    [result] = run_pass(box.config(), state, now, Templates.load(),
                        keep_going=lambda: next(answers, False))
    # stopped cleanly after two writes: the follow-ups go one by one, and the drafts
    # after them in one batch (the Maildir's), which never began
    assert result.ok
    assert (len(box.followups()), len(box.messages())) == (2, 0)
    [result] = run_pass(box.config(), state, now, Templates.load())
    assert len(box.followups()) == 5 and len(box.messages()) == 5
    state.close()


def test_sigterm_ends_a_back_off_at_once() -> None:
    signals = Signals()
    timer = threading.Timer(0.2, signals._stop, (signal.SIGTERM, None))
    began = time.monotonic()
    timer.start()
    try:
        with pytest.raises(TransientError, match="stopping"):
            RetryPolicy().sleep(60)
    finally:
        STOPPING.clear()
    assert time.monotonic() - began < 5
