"""Requests on the wire: one kept-alive `http.client` connection per host, shared
by the adapters that speak HTTP (no adapter of its own).

Graph's calls and Google's batches go through the standard library's HTTP client
rather than requests or urllib3: caldav's niquests brings urllib3-future, which
installs itself over urllib3 for every package at interpreter start, and its
pure-Python HTTP layers cost about twice the CPU of `http.client` a request
(docs/decisions.md, issue 15 part 9). And a request can be sent and its answer
read later (`begin`), so that work is done while the server works. What requests
did for us is kept: the certifi CA bundle unless the account names one,
REQUESTS_CA_BUNDLE and the HTTPS proxy of the environment (with NO_PROXY, through
a CONNECT tunnel), compressed answers, and a timeout on connecting and on each
read. msal and google-auth keep their requests sessions for signing in.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import select
import ssl
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import SplitResult, unquote, urlencode, urlsplit

import certifi

from followup_daemon.errors import UserError

__all__ = ["WIRE_ERRORS", "Answer", "Sent", "Wire"]

# what a request can raise: a broken or timed-out connection or TLS (OSError), a
# malformed or cut-off answer (HTTPException, a bad compressed body, cut-off JSON)
WIRE_ERRORS = (http.client.HTTPException, OSError, ValueError, zlib.error)


@dataclass(frozen=True)
class Answer:
    """An HTTP answer, read whole."""

    status_code: int
    headers: http.client.HTTPMessage
    content: bytes
    reason: str = ""

    def json(self) -> Any:
        """The body as JSON; ValueError when it is not (a cut-off answer)."""
        return json.loads(self.content)


@dataclass(frozen=True)
class Sent:
    """A request on its way: `answer()` waits for its answer and reads it whole."""

    answer: Callable[[], Answer]


class Wire:
    """Kept-alive connections, verified with `ca_bundle` (a test server's or a
    proxy's CA) or, without one, as requests would verify them."""

    def __init__(self, ca_bundle: str | None, timeout_seconds: float) -> None:
        self._ca = ca_bundle or _environment_bundle() or certifi.where()
        self._explicit = bool(ca_bundle)
        self._timeout = timeout_seconds
        self._context: ssl.SSLContext | None = None
        self._open: dict[tuple[str, str, int], http.client.HTTPConnection] = {}

    def request(self, method: str, url: str, headers: dict[str, str], body: Any = None,
                params: dict[str, str] | None = None) -> Answer:
        """One request, its body JSON (None: no body), its answer read whole; raises one
        of WIRE_ERRORS when the connection fails or the answer is cut off (the
        connection is then dropped, and the next request opens another)."""
        if params:
            url = f"{url}{'&' if urlsplit(url).query else '?'}{urlencode(params)}"
        data = None if body is None else json.dumps(body).encode()
        typed = headers if data is None else {**headers, "Content-Type": "application/json"}
        return self.begin(method, url, typed, data).answer()

    def begin(self, method: str, url: str, headers: dict[str, str], data: bytes | None
              ) -> Sent:
        """Send a request whose body is `data`, without waiting for its answer: the
        caller reads it with `answer()` before sending another. Raises as `request`."""
        place = urlsplit(url)
        target = place.path + (f"?{place.query}" if place.query else "")
        connection = self._connection(place)
        try:
            connection.request(method, target, body=data,
                               headers={"Accept-Encoding": "gzip, deflate", **headers})
        except BaseException:
            self._drop(place)
            raise
        return Sent(partial(self._answer, place, connection))

    def _answer(self, place: SplitResult, connection: http.client.HTTPConnection) -> Answer:
        try:
            answer = connection.getresponse()
            return Answer(answer.status, answer.headers, _decoded(answer), answer.reason)
        except BaseException:
            self._drop(place)
            raise

    def reaches(self, url: str) -> bool:
        """Whether the wire can carry requests to `url`: not through an https://
        proxy (TLS to the proxy itself, which `http.client` cannot tunnel through)."""
        place = urlsplit(url)
        proxy = _proxy_for(place.hostname or "") \
            if place.scheme == "https" and not self._explicit else ""
        return not proxy or urlsplit(proxy).scheme in ("http", "")

    def _connection(self, place: SplitResult) -> http.client.HTTPConnection:
        """The host's kept connection, unless the server has closed it meanwhile."""
        key = _key(place)
        kept = self._open.get(key)
        if kept is not None and kept.sock is not None and _closed_by_peer(kept):
            self._drop(place)
            kept = None
        if kept is None:
            kept = self._open[key] = self._opened(place)
        return kept

    def _opened(self, place: SplitResult) -> http.client.HTTPConnection:
        """A new connection: direct, or through the environment's HTTPS proxy (none
        when the account names its own CA: a test server or a proxy of its own)."""
        host, port = place.hostname or "", place.port
        if place.scheme != "https":
            return http.client.HTTPConnection(host, port, timeout=self._timeout)
        proxy = "" if self._explicit else _proxy_for(host)
        if not proxy:
            return http.client.HTTPSConnection(host, port, timeout=self._timeout,
                                               context=self.context())
        return self._tunnel(urlsplit(proxy), host, port or 443)

    def _tunnel(self, proxy: SplitResult, host: str, port: int) -> http.client.HTTPConnection:
        if proxy.scheme not in ("http", ""):
            raise UserError(f"the HTTPS proxy {proxy.hostname} is {proxy.scheme}://; the "
                            "daemon's requests take an http:// proxy (set HTTPS_PROXY to one)")
        connection = http.client.HTTPSConnection(proxy.hostname or "", proxy.port or 8080,
                                                 timeout=self._timeout, context=self.context())
        connection.set_tunnel(host, port, headers=_proxy_login(proxy))
        return connection

    def context(self) -> ssl.SSLContext:
        """The TLS settings: certificates checked against the chosen CA bundle."""
        if self._context is None:
            self._context = ssl.create_default_context(cafile=self._ca)
        return self._context

    def _drop(self, place: SplitResult) -> None:
        dropped = self._open.pop(_key(place), None)
        if dropped is not None:
            dropped.close()


def _key(place: SplitResult) -> tuple[str, str, int]:
    return place.scheme, place.hostname or "", place.port or 0


def _closed_by_peer(connection: http.client.HTTPConnection) -> bool:
    """Whether an idle kept-alive connection has something to read: the server's close
    (or stray bytes), either way not a connection to send on."""
    readable, _, _ = select.select([connection.sock], [], [], 0)
    return bool(readable)


def _decoded(answer: http.client.HTTPResponse) -> bytes:
    """The body read whole, gzip or deflate undone."""
    body = answer.read()
    coding = (answer.headers.get("Content-Encoding") or "").strip().lower()
    if coding == "gzip":
        return zlib.decompress(body, 16 + zlib.MAX_WBITS)
    if coding == "deflate":
        try:
            return zlib.decompress(body)
        except zlib.error:  # some servers send raw deflate, without zlib's header
            return zlib.decompress(body, -zlib.MAX_WBITS)
    return body


def _environment_bundle() -> str:
    """The CA bundle the environment names for requests, as requests reads it."""
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or ""


def _proxy_for(host: str) -> str:
    """The environment's HTTPS proxy for `host` ("" for none or NO_PROXY); one given
    without a scheme is http://, as requests reads it."""
    proxy = urllib.request.getproxies().get("https", "")
    if not proxy or urllib.request.proxy_bypass(host):
        return ""
    return proxy if "://" in proxy else f"http://{proxy}"


def _proxy_login(proxy: SplitResult) -> dict[str, str]:
    """The Proxy-Authorization header for a proxy URL with a user and password."""
    if proxy.username is None:
        return {}
    pair = f"{unquote(proxy.username)}:{unquote(proxy.password or '')}"
    return {"Proxy-Authorization": f"Basic {base64.b64encode(pair.encode()).decode()}"}
