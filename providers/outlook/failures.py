"""Where the Outlook adapter turns what Microsoft answers into the core's errors: the
HTTP answers of Graph, and the sign-in service's failures."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import requests

from followup_daemon.errors import (
    AlreadyExists,
    AuthExpired,
    Conflict,
    NotFound,
    ProviderError,
    TransientError,
)
from providers.wire import Answer


class DeltaExpired(ProviderError):
    """410 or syncStateNotFound: the delta link is gone; a full sync is needed."""


@contextmanager
def sign_in_service() -> Iterator[None]:
    """The sign-in service (msal's requests) unreachable or answering nonsense."""
    try:
        yield
    except (ValueError, requests.RequestException) as error:
        raise TransientError(f"cannot reach the sign-in service: {error}") from error


def _error_code(answer: Answer) -> str:
    try:
        return str(answer.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return ""


def answer_error(answer: Answer, what: str) -> float | None:
    """None for success; raise for errors not worth retrying; else seconds to wait
    (-1 when the server named none)."""
    if answer.status_code < 400:
        return None  # not reading a success's JSON here: the caller reads it once
    return status_error(answer.status_code, _error_code(answer),
                        answer.headers.get("Retry-After", ""), what)


def status_error(status: int, code: str, retry_after: str, what: str) -> float | None:
    """`answer_error` for a status, an error code and a Retry-After header (a call
    of a batch has them in its JSON)."""
    if status < 400:
        return None
    if status == 410 or code.lower() == "syncstatenotfound":
        raise DeltaExpired(f"{what}: the delta link expired")
    if status == 404:
        raise NotFound(f"{what}: not found")
    if status == 409:
        raise AlreadyExists(f"{what}: already exists")
    if status == 412:
        raise Conflict(f"{what}: changed meanwhile")
    if status in (401, 403) and code != "ApplicationThrottled":
        raise AuthExpired(f"{what}: Microsoft refused the request ({code or status}); "
                          "authorise the account again")
    if status == 429 or status >= 500:
        return float(retry_after) if retry_after.isdigit() else -1
    raise ProviderError(f"{what}: HTTP {status} {code}".rstrip())
