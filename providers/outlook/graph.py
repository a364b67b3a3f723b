"""One small wrapper around Graph's connection pool (`wire.py`): the bearer token,
the Prefer headers, retries that honour Retry-After, and the mapping of HTTP answers
to the core's errors (`failures.py`).

A POST without an idempotency key (a draft: `/me/messages` has none) is never
sent twice once it may have reached Graph: a lost answer, a cut-off body or a
5xx raises AnswerLost, which the executor settles by looking the key up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from followup_daemon.boundary import RetryPolicy
from followup_daemon.errors import (
    AnswerLost,
    FollowupError,
    ProviderError,
    RateLimited,
    RetryAlone,
    TransientError,
)
from providers.wire import WIRE_ERRORS, Answer, Wire

from .failures import DeltaExpired, answer_error, status_error
from .tokens import TokenStore

__all__ = ["BATCH_SIZE", "Call", "DeltaExpired", "Graph"]

GRAPH = "https://graph.microsoft.com/v1.0"
BATCH_SIZE = 20  # JSON batching takes at most 20 requests


@dataclass(frozen=True)
class Call:
    """One request of a JSON batch: a path under the endpoint, a JSON body."""

    method: str
    path: str
    what: str
    json: Any = None
    params: dict[str, str] | None = None
    prefer: str = ""

    def entry(self, index: int) -> dict[str, Any]:
        """The request as `$batch` takes it: an id, and a URL relative to the version."""
        query = f"?{urlencode(self.params)}" if self.params else ""
        headers = {"Content-Type": "application/json"} if self.json is not None else {}
        if self.prefer:
            headers["Prefer"] = self.prefer
        entry = {"id": str(index), "method": self.method, "url": f"/{self.path}{query}",
                 "headers": headers}
        return entry if self.json is None else {**entry, "body": self.json}


class Graph:
    """Graph requests for one account."""

    def __init__(self, tokens: TokenStore, endpoint: str | None, retry: RetryPolicy) -> None:
        self.tokens = tokens
        self.endpoint = (endpoint or GRAPH).rstrip("/")
        self.retry = retry
        self.wire = Wire(tokens.connection.ca_bundle, retry.timeout_seconds)

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
            except WIRE_ERRORS as error:
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

    def one(self, call: Call, replay_safe: bool | None = None) -> Any:
        """One call on its own, as `request` sends it."""
        return self.request(call.method, call.path, call.what, call.json, call.params,
                            call.prefer, replay_safe)

    def batch(self, calls: list[Call], replay_safe: bool) -> list[Any]:
        """The calls as one `$batch` request: each one's JSON answer, or the core's
        error for it (RetryAlone where sending it alone may succeed). The batch is
        retried as one request; when it is not safe to resend (`replay_safe` False)
        and its answer was lost, every call is AnswerLost."""
        what = f"{calls[0].what} and {len(calls) - 1} more"
        try:
            answer = self.request("POST", "$batch", what, replay_safe=replay_safe,
                                  json={"requests": [c.entry(i) for i, c in enumerate(calls)]})
        except AnswerLost as error:
            return [error] * len(calls)
        by_id = {str(item.get("id")): item for item in answer.get("responses", [])}
        return [_item(by_id.get(str(i)), call.what, replay_safe)
                for i, call in enumerate(calls)]

    def _send(self, method: str, path: str, json: Any, params: dict[str, str] | None,
              prefer: str, force_refresh: bool) -> Answer:
        headers = {"Authorization": f"Bearer {self.tokens.access_token(force_refresh)}"}
        if prefer:
            headers["Prefer"] = prefer
        return self.wire.request(method, self.url(path), headers, json, params)


def _body(answer: Answer) -> Any:
    """The JSON of an answer ({} when empty); ValueError when it is cut off."""
    if answer.status_code == 204 or not answer.content:
        return {}
    return answer.json()


def _item(answer: dict[str, Any] | None, what: str, replay_safe: bool) -> Any:
    """One call's answer in a batch (responses come in any order, by id)."""
    if answer is None:
        return ProviderError(f"{what}: no answer in the batch")
    status, body = int(answer.get("status", 0)), answer.get("body") or {}
    if status >= 500 and not replay_safe:
        return AnswerLost(f"{what}: HTTP {status}; it may have landed")
    error = body.get("error") if isinstance(body, dict) else None
    code = str(error.get("code", "")) if isinstance(error, dict) else ""
    try:
        wait = None if status == 401 else status_error(status, code, "", what)
    except FollowupError as failure:
        return failure
    return RetryAlone(f"{what}: HTTP {status}") if status == 401 or wait is not None else body
