"""A TCP proxy on 127.0.0.1 in front of a real server (Radicale, Dovecot) that can
let a write through and then lose its answer: the connection closed (FIN) or reset
(RST) just after the server answered, as a flaky network does at the worst moment.

A write is recognised by the start of what the client sends: an HTTP request line
(`PUT `) or an IMAP command (`<tag> APPEND `). For IMAP the `+` continuation is let
through, so that the message itself reaches the server; only the tagged answer is
lost."""

from __future__ import annotations

import re
import select
import socket
import struct
import threading
from dataclasses import dataclass, field


@dataclass
class FaultProxy:
    """Forwards 127.0.0.1:port to the upstream port; `lose` arms the faults."""

    upstream: int
    port: int = 0
    lost: int = 0  # answers thrown away so far
    pending: list[tuple[bytes, str]] = field(default_factory=list)  # (pattern, close|reset)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> FaultProxy:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def lose(self, pattern: bytes, kind: str, times: int = 1) -> None:
        """Lose the answer to the next `times` writes whose first bytes match `pattern`
        (a regular expression), by `kind`: "close" or "reset"."""
        with self.lock:
            self.pending += [(pattern, kind)] * times

    def stop(self) -> None:
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream))
            threading.Thread(target=self._pipe, args=(client, server), daemon=True).start()

    def _take(self, data: bytes) -> tuple[str, bytes] | None:
        """The fault for a client's data, and the tag whose answer is to be lost."""
        with self.lock:
            for index, (pattern, kind) in enumerate(self.pending):
                match = re.match(pattern, data)
                if match:
                    del self.pending[index]
                    return kind, (match.groupdict().get("tag") or b"")
        return None

    def _pipe(self, client: socket.socket, server: socket.socket) -> None:
        armed: tuple[str, bytes] | None = None
        try:
            while True:
                ready, _, _ = select.select([client, server], [], [], 30)
                if not ready:
                    return
                if client in ready:
                    data = client.recv(65536)
                    if not data:
                        return
                    armed = armed or self._take(data)
                    server.sendall(data)
                if server in ready:
                    data = server.recv(65536)
                    if not data:
                        return
                    if armed and self._answered(data, armed[1]):
                        return self._drop(client, armed[0])
                    client.sendall(data)
        except OSError:
            return
        finally:
            server.close()
            client.close()

    def _answered(self, data: bytes, tag: bytes) -> bool:
        """Whether `data` is the answer to lose: any HTTP answer, or the IMAP tagged one."""
        return not tag or re.search(rb"(^|\r\n)" + re.escape(tag) + rb" ", data) is not None

    def _drop(self, client: socket.socket, kind: str) -> None:
        self.lost += 1
        if kind == "reset":  # a zero linger time makes close() send RST
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()


HTTP_PUT = rb"PUT "
IMAP_APPEND = rb"(?P<tag>[A-Z0-9]+) APPEND "
