"""The httplib2 interface the Google client library calls, carried by requests; and
batches sent on the shared wire (`providers.wire`), whose answer is read later.

httplib2 sends a request a second time when its connection closes without an
answer, POST included, and on a first try whatever its `RETRIES` says (it takes
the close for a stale keep-alive connection). Against a server that applied an
insert and then lost the answer, that second send is a second event or draft.
requests (urllib3 with no retries) never resends; the caller decides.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import httplib2
import requests
from google.auth.transport.requests import AuthorizedSession, Request
from google.oauth2.credentials import Credentials

from providers.wire import Sent, Wire

Answered = Callable[[], tuple[httplib2.Response, bytes]]


class _TokenRequest(Request):
    """google-auth's token transport, minus a `__del__` that closes its session and,
    run at interpreter exit, prints "Exception ignored ... Python is likely shutting
    down" after every command."""

    def __del__(self) -> None:
        pass


class RequestsHttp:
    """An `httplib2.Http` look-alike: `request()` answers (response, content)."""

    def __init__(self, credentials: Credentials, timeout: float) -> None:
        self.credentials = credentials
        self._token = _TokenRequest(requests.Session())
        self.session = AuthorizedSession(credentials, auth_request=self._token)
        self.timeout = timeout
        self.wire = Wire(None, timeout)

    def request(self, uri: str, method: str = "GET", body: Any = None,
                headers: dict[str, str] | None = None, **_: Any
                ) -> tuple[httplib2.Response, bytes]:
        """Send once; redirects are not followed (the APIs answer none)."""
        answer = self.session.request(method, uri, data=body, headers=headers,
                                      timeout=self.timeout, allow_redirects=False)
        return _response(answer.status_code, answer.reason, answer.headers), answer.content

    def post_later(self, uri: str, body: bytes, headers: dict[str, str]) -> Answered:
        """Send a POST and give what reads its answer, so that work can be done while
        the server works: on the wire, or (through an https:// proxy, which the wire
        cannot take) by requests, answered at once. A 401 is answered as
        AuthorizedSession answers it: with a new token, sent once more."""
        if not self.wire.reaches(uri):
            answered = self.request(uri, "POST", body, headers)
            return lambda: answered
        return partial(self._answer, uri, body, headers, self._begin(uri, body, headers))

    def _begin(self, uri: str, body: bytes, headers: dict[str, str]) -> Sent:
        signed = dict(headers)
        self.credentials.before_request(self._token, "POST", uri, signed)
        return self.wire.begin("POST", uri, signed, body)

    def _answer(self, uri: str, body: bytes, headers: dict[str, str], sent: Sent
                ) -> tuple[httplib2.Response, bytes]:
        answer = sent.answer()
        if answer.status_code == 401:
            self.credentials.refresh(self._token)
            answer = self._begin(uri, body, headers).answer()
        return _response(answer.status_code, answer.reason, answer.headers), answer.content

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()


def _response(status: int, reason: str, headers: Any) -> httplib2.Response:
    """httplib2's answer: the headers by lower-case name, with the status."""
    info = {name.lower(): value for name, value in headers.items()}
    info["status"] = str(status)
    response = httplib2.Response(info)
    response.reason = reason
    return response
