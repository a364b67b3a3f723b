"""The foreground daemon: a pass now, then one every interval, until a signal.

Signal handlers only record the signal; the loop acts on it. Between passes
the loop sleeps on an Event, so it neither busy-waits nor misses a stop.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import schedule

from .errors import UserError
from .files import make_private_dir

log = logging.getLogger(__name__)


@contextmanager
def state_lock(state_dir: Path) -> Iterator[None]:
    """Hold the state directory's lock: one daemon (or pass) per state at a time."""
    make_private_dir(state_dir)
    fd = os.open(state_dir / "lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(f"{state_dir}: another followup-daemon is using this state "
                            "directory; stop it first (or use --state-dir)") from None
        yield
    finally:
        os.close(fd)


class StopFlag:
    """Set by SIGTERM or SIGINT; the loop checks it."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def install(self) -> None:
        """Route SIGTERM and SIGINT to this flag."""
        signal.signal(signal.SIGTERM, self._handle)
        signal.signal(signal.SIGINT, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.event.set()


def run_forever(do_pass: Callable[[], None], interval_seconds: int, stop: StopFlag) -> None:
    """Run `do_pass` now and then every `interval_seconds` until `stop` is set."""
    scheduler = schedule.Scheduler()
    scheduler.every(interval_seconds).seconds.do(do_pass)
    do_pass()
    while not stop.event.is_set():
        idle = scheduler.idle_seconds
        stop.event.wait(timeout=max(0.0, idle if idle is not None else interval_seconds))
        if not stop.event.is_set():
            scheduler.run_pending()
    log.info("stopping")
