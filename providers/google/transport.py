"""The httplib2 interface the Google client library calls, carried by requests.

httplib2 sends a request a second time when its connection closes without an
answer, POST included, and on a first try whatever its `RETRIES` says (it takes
the close for a stale keep-alive connection). Against a server that applied an
insert and then lost the answer, that second send is a second event or draft.
requests (urllib3 with no retries) never resends; the caller decides.
"""

from __future__ import annotations

from typing import Any

import httplib2
import requests
from google.auth.transport.requests import AuthorizedSession, Request
from google.oauth2.credentials import Credentials


class _TokenRequest(Request):
    """google-auth's token transport, minus a `__del__` that closes its session and,
    run at interpreter exit, prints "Exception ignored ... Python is likely shutting
    down" after every command."""

    def __del__(self) -> None:
        pass


class RequestsHttp:
    """An `httplib2.Http` look-alike: `request()` answers (response, content)."""

    def __init__(self, credentials: Credentials, timeout: float) -> None:
        self.session = AuthorizedSession(credentials,
                                         auth_request=_TokenRequest(requests.Session()))
        self.timeout = timeout

    def request(self, uri: str, method: str = "GET", body: Any = None,
                headers: dict[str, str] | None = None, **_: Any
                ) -> tuple[httplib2.Response, bytes]:
        """Send once; redirects are not followed (the APIs answer none)."""
        answer = self.session.request(method, uri, data=body, headers=headers,
                                      timeout=self.timeout, allow_redirects=False)
        info = {name.lower(): value for name, value in answer.headers.items()}
        info["status"] = str(answer.status_code)
        response = httplib2.Response(info)
        response.reason = answer.reason
        return response, answer.content

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()
