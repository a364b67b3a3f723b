"""Google API clients built from the bundled discovery documents, and one call
wrapper that retries what is worth retrying and maps errors to the core's tree.

The client library's own `num_retries` ignores Retry-After, so retries are
done here: 429, 403 rate-limit reasons, 5xx, timeouts and resets back off
exponentially with jitter, honouring Retry-After when the server sends it.
A write that is not safe to send twice (a draft; an insert without a chosen id)
is never retried once it may have reached the server: a lost answer, a reset or
a 5xx raises AnswerLost, which the executor settles by looking the key up.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import google.auth.exceptions
import httplib2
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import Resource, build
from googleapiclient.errors import HttpError

from followup_daemon.boundary import RetryPolicy
from followup_daemon.errors import (
    AlreadyExists,
    AnswerLost,
    AuthExpired,
    Conflict,
    NotFound,
    ProviderError,
    RateLimited,
    RetryAlone,
    TransientError,
)
from providers.wire import WIRE_ERRORS

from .batch import Batch
from .transport import RequestsHttp

GOOGLE_API = "https://www.googleapis.com"
RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"}
# Calendar takes 1000 calls a batch; Gmail 100, and advises against more than 50
BATCH_SIZE = 50


class SyncTokenExpired(ProviderError):
    """410: the sync token is no longer valid; a full sync is needed."""


def services(credentials: Credentials, api_endpoint: str | None, timeout: float
             ) -> tuple[Resource, Resource]:
    """(Calendar v3, Gmail v1) clients; offline, from the bundled discovery documents."""
    http = RequestsHttp(credentials, timeout)
    base = (api_endpoint or GOOGLE_API).rstrip("/")
    calendar = build("calendar", "v3", http=http, static_discovery=True,
                     cache_discovery=False,
                     client_options={"api_endpoint": base + "/calendar/v3/"})
    gmail = build("gmail", "v1", http=http, static_discovery=True, cache_discovery=False,
                  client_options={"api_endpoint": base})
    return calendar, gmail


def call(request: Any, policy: RetryPolicy, what: str, replay_safe: bool = True) -> Any:
    """Execute a request; retry transient failures; raise the core's errors.
    With `replay_safe` False, a failure after sending raises AnswerLost instead."""
    for attempt in range(policy.attempts):
        try:
            return _json(request.execute(num_retries=0))
        except HttpError as error:
            if not replay_safe and error.resp.status >= 500:
                raise AnswerLost(f"{what}: HTTP {error.resp.status}; it may have landed"
                                 ) from error
            retry_after = _fatal_or_wait(error, what)
        except google.auth.exceptions.RefreshError as error:
            raise AuthExpired(f"{what}: Google refused the refresh token ({_short(error)})"
                              ) from error
        except (google.auth.exceptions.TransportError, httplib2.HttpLib2Error,
                *WIRE_ERRORS) as error:  # timeouts, resets, cut-off answers or JSON
            retry_after = None
            if not replay_safe or (attempt == policy.attempts - 1 and request.method != "GET"):
                raise AnswerLost(f"{what}: {type(error).__name__}; it may have landed"
                                 ) from error
            if attempt == policy.attempts - 1:
                raise TransientError(f"{what}: {type(error).__name__}: {_short(error)}"
                                     ) from error
        if attempt < policy.attempts - 1:
            policy.sleep(policy.delay(attempt, retry_after))
    raise RateLimited(f"{what}: still rate-limited or failing after {policy.attempts} tries")


def batch_uri(api_endpoint: str | None, api: str) -> str:
    """Where a batch of "calendar/v3" or "gmail/v1" calls goes: /batch/API/VERSION, as
    both APIs' batch guides give it (the client's own batch URI ignores an endpoint
    override)."""
    return f"{(api_endpoint or GOOGLE_API).rstrip('/')}/batch/{api}"


def call_batch(uri: str, requests: list[Any], policy: RetryPolicy,
               what: list[str], replay_safe: bool = True,
               meanwhile: Callable[[], None] = lambda: None) -> list[Any]:
    """Send the requests as one batch (Google's `batchPath`, multipart/mixed), doing
    `meanwhile` while it is answered: each one's JSON answer, or the core's error for
    it (RetryAlone where sending it again alone may succeed). The whole batch is
    retried like one request; with `replay_safe` False, a batch whose answer was lost
    is AnswerLost for every call."""
    try:
        answers = call(Batch(uri, requests, meanwhile), policy,
                       f"{what[0]} and {len(requests) - 1} more", replay_safe)
    except AnswerLost as error:
        return [error] * len(requests)
    return [_item(answers.get(i), what[i], replay_safe) for i in range(len(requests))]


def _item(answer: Any, what: str, replay_safe: bool) -> Any:
    """One call's answer, or its error in the core's tree."""
    if isinstance(answer, ValueError):  # a 2xx whose body is not its JSON: it landed
        return RetryAlone(f"{what}: {answer}") if replay_safe else AnswerLost(
            f"{what}: its answer is cut off; it may have landed")
    if not isinstance(answer, HttpError):
        return ProviderError(f"{what}: no answer in the batch") if answer is None \
            else answer
    status = answer.resp.status
    if status == 401 or (status >= 500 and replay_safe):
        return RetryAlone(f"{what}: HTTP {status}")
    if status >= 500:
        return AnswerLost(f"{what}: HTTP {status}; it may have landed")
    try:
        _fatal_or_wait(answer, what)
    except ProviderError as error:
        return error
    return RetryAlone(f"{what}: HTTP {status}")


def _json(answer: Any) -> Any:
    """The client hands back a cut-off JSON answer as text: make that an error."""
    if isinstance(answer, str | bytes) and answer.strip():
        raise ValueError(f"the answer is not JSON ({len(answer)} bytes)")
    return answer


def _fatal_or_wait(error: HttpError, what: str) -> float | None:
    """Raise for errors not worth retrying; return Retry-After (or None) for the rest."""
    status, reason = error.resp.status, _reason(error)
    if status == 410 and reason == "fullSyncRequired":
        raise SyncTokenExpired(f"{what}: sync token expired")
    if status in (404, 410):
        raise NotFound(f"{what}: not found")
    if status == 409:
        raise AlreadyExists(f"{what}: already exists")
    if status == 412:
        raise Conflict(f"{what}: changed meanwhile")
    if status == 401:
        raise AuthExpired(f"{what}: Google no longer accepts the credentials")
    if status == 429 or status >= 500 or (status == 403 and reason in RATE_REASONS):
        header = error.resp.get("retry-after")
        return float(header) if header and header.isdigit() else None
    raise ProviderError(f"{what}: HTTP {status} {reason or ''}".rstrip())


def _reason(error: HttpError) -> str:
    try:
        body = json.loads(error.content)
        return str(body["error"]["errors"][0].get("reason", ""))
    except (ValueError, KeyError, IndexError, TypeError):
        return ""


def _short(error: BaseException) -> str:
    return " ".join(str(error).split())[:200]
