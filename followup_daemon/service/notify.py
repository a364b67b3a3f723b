"""sd_notify with the standard library: tell systemd how the daemon is doing.

Does nothing when NOTIFY_SOCKET is unset (not under systemd, or Type is not
notify); handles abstract socket addresses ("@name")."""

from __future__ import annotations

import os
import socket


def notify(*states: str) -> bool:
    """Send `READY=1`, `STATUS=...`, `WATCHDOG=1`, ...; False when nobody listens."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall("\n".join(states).encode())
    except OSError:
        return False
    return True


def watchdog_seconds() -> float | None:
    """How often systemd expects WATCHDOG=1 (half its timeout), or None."""
    usec = os.environ.get("WATCHDOG_USEC")
    pid = os.environ.get("WATCHDOG_PID")
    if not usec or not usec.isdigit() or (pid and pid != str(os.getpid())):
        return None
    return int(usec) / 2_000_000
