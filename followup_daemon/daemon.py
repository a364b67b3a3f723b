"""The foreground daemon: a pass now, then one every interval, until a signal.

Signal handlers only record what was asked and wake the loop; the loop acts:
SIGTERM/SIGINT stop (a pass in flight stops between two writes, each of which
is journalled), SIGHUP re-reads the config and swaps it in only when valid.
The loop never sleeps long in one go, so that it notices a resume from
suspend or a jump of the wall clock and passes at once, and keeps systemd's
watchdog fed.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType

import schedule

from .config import Config
from .errors import ConfigError
from .retry import STOPPING
from .service.notify import notify, watchdog_seconds

log = logging.getLogger(__name__)
LONGEST_NAP = 15.0  # seconds: how late a resume or a clock jump may be noticed
JUMP = 60.0  # seconds of disagreement between wall clock and monotonic clock


@dataclass
class Signals:
    """What the signal handlers recorded."""

    wake: threading.Event = field(default_factory=threading.Event)
    stop: bool = False
    reload: bool = False

    def install(self) -> None:
        """SIGTERM/SIGINT ask to stop, SIGHUP to reload."""
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGHUP, self._reload)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stop = True
        STOPPING.set()
        self.wake.set()

    def _reload(self, signum: int, frame: FrameType | None) -> None:
        self.reload = True
        self.wake.set()


PassFunction = Callable[[Config, Callable[[], bool]], str]


class Daemon:
    """Passes on a schedule, with reload, watchdog, and clock-jump handling."""

    def __init__(self, config: Config, do_pass: PassFunction,
                 reload_config: Callable[[], Config], signals: Signals | None = None) -> None:
        self.config = config
        self.do_pass = do_pass
        self.reload_config = reload_config
        self.signals = signals or Signals()
        self.scheduler = schedule.Scheduler()
        self.watchdog = watchdog_seconds()
        self._clocks = (time.time(), time.monotonic())
        self._last_ping = 0.0

    def run(self) -> None:
        """Until SIGTERM/SIGINT."""
        self._reschedule()
        notify("READY=1", "STATUS=first pass")
        self.pass_now("the first pass")
        while not self.signals.stop:
            self.signals.wake.wait(self._nap())
            self.signals.wake.clear()
            self.ping()
            self._step()
        notify("STOPPING=1", "STATUS=stopping")
        log.info("stopped")

    def _step(self) -> None:
        if self.signals.stop:
            return
        if self.signals.reload:
            self.reload()
        if self._clock_jumped():
            self.pass_now("the clock jumped or the machine woke from sleep")
        else:
            self.scheduler.run_pending()

    def _reschedule(self) -> None:
        self.scheduler.clear()
        self.scheduler.every(self.config.sync.interval_seconds).seconds.do(self._scheduled)

    def _scheduled(self) -> None:
        self.pass_now("")

    def pass_now(self, why: str) -> None:
        """One pass; then STATUS says how it went and when the next one is."""
        if why:
            log.info("passing now: %s", why)
        log.debug("pass starting")
        summary = self.do_pass(self.config, self._keep_going)
        log.debug("pass finished")
        if why:  # a pass out of turn restarts the interval
            self._reschedule()
        following = self.scheduler.next_run
        when = following.strftime("%H:%M:%S") if following else "?"
        notify(f"STATUS=last pass {dt.datetime.now():%H:%M:%S}: {summary}; next at {when}")

    def _keep_going(self) -> bool:
        self.ping()
        return not self.signals.stop

    def ping(self) -> None:
        """WATCHDOG=1, at most once a second."""
        if self.watchdog and time.monotonic() - self._last_ping >= 1.0:
            notify("WATCHDOG=1")
            self._last_ping = time.monotonic()

    def reload(self) -> None:
        """Swap in the config file's current content, only when it is valid."""
        self.signals.reload = False
        notify("RELOADING=1", f"MONOTONIC_USEC={time.monotonic_ns() // 1000}")
        try:
            fresh = self.reload_config()
        except ConfigError as error:
            log.error("config not reloaded, the old one stays: %s", error)
        else:
            interval_changed = fresh.sync.interval_seconds != self.config.sync.interval_seconds
            self.config = fresh
            if interval_changed:
                self._reschedule()
            log.info("config reloaded: %d account(s), a pass every %d s",
                     len(fresh.accounts), fresh.sync.interval_seconds)
        notify("READY=1")

    def _nap(self) -> float:
        idle = self.scheduler.idle_seconds
        nap = min(LONGEST_NAP, max(0.0, idle if idle is not None else LONGEST_NAP))
        return min(nap, self.watchdog) if self.watchdog else nap

    def _clock_jumped(self) -> bool:
        wall, mono = time.time(), time.monotonic()
        before_wall, before_mono = self._clocks
        self._clocks = (wall, mono)
        return abs((wall - before_wall) - (mono - before_mono)) > JUMP
