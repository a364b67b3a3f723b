"""A command run in a pseudo-terminal, answered as a person would: wait for a prompt,
type the answer. Its stdin, stdout and stderr are the terminal (so `isatty` is true
and getpass reads from it)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path


def _controlling_terminal() -> None:
    """In the child, in its new session: the terminal (its stdin) becomes its
    controlling one, so Ctrl-C typed there is a SIGINT, as in a shell. A shell also
    gives a foreground job SIGINT's default action, which a test run started in the
    background (`make test &`) would otherwise pass on ignored."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class PtySession:
    """One process on a pseudo-terminal; `screen` holds all it wrote."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen([sys.executable, "-m", "followup_daemon", *args],
                                        stdin=slave, stdout=slave, stderr=slave, cwd=cwd,
                                        env={**env, "TERM": "xterm", "COLUMNS": "100"},
                                        close_fds=True, start_new_session=True,
                                        preexec_fn=_controlling_terminal)
        os.close(slave)
        self.screen = ""

    def expect(self, text: str, seconds: float = 30) -> None:
        """Read until `text` shows; AssertionError with the screen when it does not."""
        deadline = time.monotonic() + seconds
        while text not in self.screen:
            left = deadline - time.monotonic()
            assert left > 0, f"waited for {text!r}; the screen:\n{self.screen}"
            if not self._read(left):
                assert text in self.screen, f"ended before {text!r}:\n{self.screen}"

    def answer(self, prompt: str, reply: str) -> None:
        """Wait for `prompt`, then type `reply` and Enter."""
        self.expect(prompt)
        os.write(self.master, reply.encode() + b"\r")

    def finish(self, seconds: float = 60) -> int:
        """Read to the end; the exit status."""
        deadline = time.monotonic() + seconds
        while self._read(max(0.1, deadline - time.monotonic())):
            assert time.monotonic() < deadline, f"still running:\n{self.screen}"
        status = self.process.wait(timeout=10)
        os.close(self.master)
        return status

    def _read(self, seconds: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], min(seconds, 1.0))
        if not ready:
            return self.process.poll() is None
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # the other side closed: EIO on Linux
            return False
        self.screen += chunk.decode(errors="replace").replace("\r\n", "\n")
        return bool(chunk)
