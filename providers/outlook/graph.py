"""One small wrapper around a requests session for Microsoft Graph: the bearer
token, the Prefer headers, retries that honour Retry-After, and the mapping of
HTTP answers to the core's errors (`failures.py`).

A POST without an idempotency key (a draft: `/me/messages` has none) is never
sent twice once it may have reached Graph: a lost answer, a cut-off body or a
5xx raises AnswerLost, which the executor settles by looking the key up."""

from __future__ import annotations

from typing import Any

import requests

from followup_daemon.boundary import RetryPolicy
from followup_daemon.errors import AnswerLost, RateLimited, TransientError

from .failures import DeltaExpired, answer_error
from .tokens import TokenStore

__all__ = ["DeltaExpired", "Graph"]

GRAPH = "https://graph.microsoft.com/v1.0"


class Graph:
    """Graph requests for one account."""

    def __init__(self, tokens: TokenStore, endpoint: str | None, retry: RetryPolicy) -> None:
        self.tokens = tokens
        self.endpoint = (endpoint or GRAPH).rstrip("/")
        self.retry = retry
        self.session = tokens.connection.session()

    def url(self, path: str) -> str:
        """An absolute URL for a path under the endpoint (links are used verbatim)."""
        return path if path.startswith("https://") else f"{self.endpoint}/{path.lstrip('/')}"

    def request(self, method: str, path: str, what: str, json: Any = None,
                params: dict[str, str] | None = None, prefer: str = "",
                replay_safe: bool | None = None) -> Any:
        """Send a request; retry transient failures; raise the core's errors.
        `replay_safe` (default: anything but POST) says a second send does no harm;
        when it does, a failure after sending raises AnswerLost instead."""
        safe = method != "POST" if replay_safe is None else replay_safe
        refreshed, failure = False, "rate-limited or failing"
        for attempt in range(self.retry.attempts):
            try:
                answer = self._send(method, path, json, params, prefer, refreshed)
                if answer.status_code == 401 and not refreshed:
                    refreshed = True  # an access token revoked early: get a fresh one once
                    continue
                if not safe and answer.status_code >= 500:
                    raise AnswerLost(f"{what}: HTTP {answer.status_code}; it may have landed")
                wait = answer_error(answer, what)
                if wait is None:
                    return _body(answer)
            except (requests.ConnectionError, requests.Timeout, ValueError) as error:
                if not safe:  # ValueError: a cut-off JSON answer, so it did land
                    raise AnswerLost(f"{what}: {type(error).__name__}; it may have landed"
                                     ) from error
                wait, failure = -1, type(error).__name__
            if attempt < self.retry.attempts - 1:
                self.retry.sleep(self.retry.delay(attempt, wait if wait >= 0 else None))
        if failure != "rate-limited or failing" and method != "GET":
            raise AnswerLost(f"{what}: {failure} after {self.retry.attempts} tries; "
                             "it may have landed")
        if failure != "rate-limited or failing":
            raise TransientError(f"{what}: {failure} after {self.retry.attempts} tries")
        raise RateLimited(f"{what}: still {failure} after {self.retry.attempts} tries")

    def _send(self, method: str, path: str, json: Any, params: dict[str, str] | None,
              prefer: str, force_refresh: bool) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.tokens.access_token(force_refresh)}"}
        if prefer:
            headers["Prefer"] = prefer
        return self.session.request(method, self.url(path), json=json, params=params,
                                    headers=headers, timeout=self.retry.timeout_seconds)


def _body(answer: requests.Response) -> Any:
    """The JSON of an answer ({} when empty); ValueError when it is cut off."""
    if answer.status_code == 204 or not answer.content:
        return {}
    return answer.json()
