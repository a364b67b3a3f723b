"""What the fakes share: a threaded HTTP(S) server on 127.0.0.1, a request log and
fault injection (an HTTP status with or without Retry-After, a hang past the
client's timeout, a connection reset, truncated JSON, and the worst one: the
request applied, then its answer lost to a closed or reset connection)."""

from __future__ import annotations

import io
import json
import socket
import ssl
import struct
import threading
import time
from dataclasses import dataclass, field
from http.client import HTTPMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from followup_daemon.retry import RetryPolicy

INCOMPLETE = object()


@dataclass
class Fault:
    """A fault for requests whose method and path match."""

    method: str
    path_part: str
    # status, timeout, slow (done, answered too late), reset, truncated,
    # applied_close / applied_reset (done, then the connection closed or reset unanswered)
    kind: str = "status"
    status: int = 500
    retry_after: str | None = None
    reason: str = "backendError"
    times: int = 1


@dataclass
class Logged:
    """One request as the fake saw it."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    batched: bool = False  # one call of a batch (the batch itself is logged too)


@dataclass
class FakeServer:
    """Serving, logging and faults; subclasses route requests."""

    requests: list[Logged] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    timeout_seconds: float = 3.0
    latency_seconds: float = 0.0  # added to every answer, to stretch a pass out
    lock: threading.RLock = field(default_factory=threading.RLock)
    url: str = ""
    server: ThreadingHTTPServer | None = None

    def handler(self) -> type[FakeHandler]:
        """The handler class of this fake."""
        raise NotImplementedError

    def start(self, tls: tuple[Path, Path] | None = None) -> Any:
        """Serve on a free port of 127.0.0.1 in a thread; HTTPS with `tls` (cert, key)."""
        handler = type("Handler", (self.handler(),), {"fake": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        scheme = "http"
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def quick_retries(self, sleeps: list[float] | None = None) -> RetryPolicy:
        """A retry policy for tests: a 1 s timeout (this fake's too) and no real waits;
        the waits asked for are appended to `sleeps`."""
        self.timeout_seconds = 1.0
        return RetryPolicy(base_seconds=0.01, timeout_seconds=1.0,
                           sleep=sleeps.append if sleeps is not None else lambda s: None)

    def fail(self, method: str, path_part: str, **fault: Any) -> None:
        """Inject a fault for the next matching request(s)."""
        self.faults.append(Fault(method, path_part, **fault))

    def count(self, method: str, path_part: str) -> int:
        """How many logged calls match, whether sent alone or in a batch."""
        return sum(1 for r in self.requests if r.method == method and path_part in r.path)

    def sent(self) -> list[Logged]:
        """The HTTP requests on the wire: a batch is one, its calls are not counted."""
        return [r for r in self.requests if not r.batched]

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first matching fault, used once."""
        with self.lock:
            for fault in self.faults:
                if fault.method == method and fault.path_part in path and fault.times > 0:
                    fault.times -= 1
                    if fault.times == 0:
                        self.faults.remove(fault)
                    return fault
        return None


def merged_headers(outer: Any, inner: Any) -> HTTPMessage:
    """The headers of one call in a batch: the outer request's, but for its Content-
    headers, under the call's own."""
    merged = HTTPMessage()
    for name, value in outer.items():
        if not name.lower().startswith("content-") and name not in inner:
            merged[name] = value
    for name, value in inner.items():
        merged[name] = value
    return merged


class FakeHandler(BaseHTTPRequestHandler):
    """Parses, logs, injects faults, then calls `route`."""

    fake: FakeServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> None:
        raise NotImplementedError

    def error_body(self, status: int, reason: str, message: str) -> Any:
        return {"error": {"code": status, "message": message}}

    def send(self, status: int, body: Any = None, headers: dict[str, str] | None = None,
             content_type: str = "application/json; charset=UTF-8") -> None:
        payload = b"" if body is None else (
            body.encode() if isinstance(body, str) else json.dumps(body).encode())
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _body(self) -> Any:
        """The request's body; INCOMPLETE when the client died while sending it."""
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if len(raw) < length:
            return INCOMPLETE
        if not raw:
            return None
        if self.headers.get("Content-Type", "").startswith("multipart/"):
            return raw
        if "json" in self.headers.get("Content-Type", ""):
            try:
                return json.loads(raw)
            except ValueError:
                return INCOMPLETE
        return parse_qs(raw.decode(errors="replace"))

    def _handle(self, method: str) -> None:
        parsed = urlparse(self.path)
        query = parse_qs(parsed.query, keep_blank_values=True)
        body = self._body()
        if body is INCOMPLETE:  # a real server acts on no half-received request either
            self.close_connection = True
            return
        self.fake.requests.append(Logged(method, parsed.path, query, body, dict(self.headers)))
        time.sleep(self.fake.latency_seconds)
        fault = self.fake.take_fault(method, parsed.path)
        if fault is not None and fault.kind.startswith("applied_"):
            return self._applied_then_lost(method, parsed.path, query, body, fault.kind)
        if fault is not None and fault.kind != "slow":
            return self._inject(fault)
        if fault is not None:
            time.sleep(self.fake.timeout_seconds + 1)  # the client has given up by now
        try:
            self.route(method, parsed.path, query, body)
        except OSError:
            pass  # the client went away
        except Exception as error:  # a bug in the fake must show, not hang the client
            self.send(500, self.error_body(500, "backendError", f"fake: {error!r}"))

    def _applied_then_lost(self, method: str, path: str, query: dict[str, list[str]],
                           body: Any, kind: str) -> None:
        """Do the request, throw its answer away, and close (FIN) or reset (RST)."""
        answer, self.wfile = self.wfile, io.BytesIO()
        try:
            self.route(method, path, query, body)
        finally:
            self.wfile = answer
        self._drop_connection(reset=kind == "applied_reset")

    def _drop_connection(self, reset: bool) -> None:
        self.close_connection = True
        if reset:  # a zero linger time makes close() send RST
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
        self.connection.close()

    def _inject(self, fault: Fault) -> None:
        if fault.kind == "timeout":
            time.sleep(self.fake.timeout_seconds + 1)
        elif fault.kind == "reset":
            self._drop_connection(reset=True)
        elif fault.kind == "truncated":
            self.send(200, '{"value": [{"id": "x')
        else:
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            self.send(fault.status, self.error_body(fault.status, fault.reason,
                                                    "injected fault"), headers)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")
