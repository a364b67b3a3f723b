"""Graph's requests on the wire: one urllib3 connection pool per account.

Graph calls go through urllib3 itself rather than a requests session: requests'
per-request layers (settings merged, hooks, cookies, a body read in 10 kB chunks)
cost about 0.7 ms of CPU a request here, a quarter of a first sync's listing
(docs/decisions.md, issue 15 part 8). What requests did for us is kept: the
certifi CA bundle unless the account names one, REQUESTS_CA_BUNDLE and the
HTTPS proxy of the environment (with NO_PROXY), compressed answers, and a
connect and a read timeout. msal keeps its requests session for signing in.
"""

from __future__ import annotations

import json
import os
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import certifi
import urllib3

__all__ = ["WIRE_ERRORS", "Answer", "Wire"]

# what a request can raise: urllib3 wraps socket and TLS failures in its HTTPError,
# OSError covers what it lets through, ValueError is a cut-off JSON answer
WIRE_ERRORS = (urllib3.exceptions.HTTPError, OSError, ValueError)


@dataclass(frozen=True)
class Answer:
    """An HTTP answer, read whole."""

    status_code: int
    headers: urllib3.HTTPHeaderDict
    content: bytes

    def json(self) -> Any:
        """The body as JSON; ValueError when it is not (a cut-off answer)."""
        return json.loads(self.content)


class Wire:
    """A pool of kept-alive connections, verified with `ca_bundle` (a test server's
    or a proxy's CA) or, without one, as requests would verify them."""

    def __init__(self, ca_bundle: str | None, timeout_seconds: float) -> None:
        certificates = ca_bundle or _environment_bundle() or certifi.where()
        self._pools: dict[str, urllib3.PoolManager] = {}  # by host: the proxy read once
        self._ca, self._explicit = certificates, bool(ca_bundle)
        self._timeout = urllib3.Timeout(connect=timeout_seconds, read=timeout_seconds)

    def request(self, method: str, url: str, headers: dict[str, str], body: Any = None,
                params: dict[str, str] | None = None) -> Answer:
        """One request, its body JSON (None: no body), its answer read whole; raises one
        of WIRE_ERRORS when the connection fails or the answer is cut off."""
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
        sent = {"Accept-Encoding": "gzip, deflate", **headers}
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            sent["Content-Type"] = "application/json"
        answer = self._pool(url).request(method, url, body=data, headers=sent,
                                         timeout=self._timeout, retries=False)
        return Answer(answer.status, answer.headers, answer.data)

    def _pool(self, url: str) -> urllib3.PoolManager:
        """The direct pool, or the environment's HTTPS proxy for this host (none when
        the account names its own CA: a test server or a proxy of its own)."""
        host = urlsplit(url).hostname or ""
        if host not in self._pools:
            proxy = "" if self._explicit else _proxy_for(host)
            self._pools[host] = (
                urllib3.ProxyManager(proxy, ca_certs=self._ca) if proxy
                else urllib3.PoolManager(ca_certs=self._ca))
        return self._pools[host]


def _environment_bundle() -> str:
    """The CA bundle the environment names for requests, as requests reads it."""
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or ""


def _proxy_for(host: str) -> str:
    """The environment's HTTPS proxy for `host` ("" for none or NO_PROXY)."""
    proxy = urllib.request.getproxies().get("https", "")
    return "" if not proxy or urllib.request.proxy_bypass(host) else proxy
