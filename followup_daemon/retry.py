"""Retry timing shared by the network providers: Retry-After when the server
names it, else exponential back-off with full jitter."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import TransientError

# Set when the daemon is asked to stop: a back-off in progress ends at once, so
# that a pass is abandoned within the service manager's stop timeout.
STOPPING = threading.Event()


def interruptible_sleep(seconds: float) -> None:
    """Sleep, unless the daemon is stopping (then TransientError ends the pass)."""
    if STOPPING.wait(seconds):
        raise TransientError("stopping: the retry was abandoned")


@dataclass
class RetryPolicy:
    """How often and how long to wait; `sleep` is replaceable in tests."""

    attempts: int = 5
    base_seconds: float = 1.0
    cap_seconds: float = 60.0
    timeout_seconds: float = 30.0
    sleep: Callable[[float], None] = field(default=interruptible_sleep)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Retry-After when given, else full-jitter exponential back-off."""
        if retry_after is not None:
            return min(retry_after, self.cap_seconds)
        return random.uniform(0, min(self.cap_seconds, self.base_seconds * 2 ** attempt))
