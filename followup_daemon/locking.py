"""The state directory's lock: one daemon (or pass) per state at a time."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UserError
from .files import make_private_dir


@contextmanager
def state_lock(state_dir: Path) -> Iterator[None]:
    """Hold the state directory's lock: one daemon (or pass) per state at a time."""
    try:
        make_private_dir(state_dir)
        fd = os.open(state_dir / "lock", os.O_CREAT | os.O_RDWR, 0o600)
    except OSError as error:
        raise UserError(f"{state_dir}: the state folder cannot be written ({error.strerror}); "
                        "free some disk space or make it writable") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(f"{state_dir}: another followup-daemon is using this state "
                            "directory; stop it first (or use --state-dir)") from None
        yield
    finally:
        os.close(fd)
