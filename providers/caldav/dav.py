"""The caldav library and plain HTTP answers, mapped to the core's errors at the boundary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from caldav.elements.base import ValuedBaseElement
from caldav.lib import error as dav_error

from followup_daemon.boundary import StoredFollowup
from followup_daemon.errors import (
    AnswerLost,
    AuthExpired,
    NotAsExpected,
    NotFound,
    ProviderError,
    TransientError,
    UserError,
)
from followup_daemon.ics.reader import parse
from followup_daemon.ics.writer import stored


class GetCTag(ValuedBaseElement):
    """The calendar's CTag (calendarserver.org), which changes with any content."""

    tag: ClassVar[str] = "{http://calendarserver.org/ns/}getctag"


class TokenRefused(Exception):
    """The server refused the sync token (403 on Radicale, 412 on others)."""


def by_token(calendar: Any, token: str | None) -> Any:
    try:
        # unloaded: an object whose ETag the daemon wrote itself is not fetched again
        return calendar.get_objects_by_sync_token(sync_token=token, load_objects=False,
                                                  disable_fallback=True)
    except (dav_error.AuthorizationError, dav_error.ReportError, dav_error.DAVError) as error:
        text = str(error)
        if token and ("Forbidden" in text or "412" in text or "403" in text
                      or "Precondition" in text):
            raise TokenRefused(text) from error
        raise mapped(error, "reading the calendar") from error


def etag_of(item: Any) -> str:
    props = getattr(item, "props", None) or {}
    return str(props.get("{DAV:}getetag", ""))


def stored_from(data: str, url: str) -> StoredFollowup | None:
    for component in parse(data.encode(), url)[0].walk("VEVENT"):
        found = stored(component, url)
        if found is not None:
            return found
    return None


def check_status(status: int, url: str) -> None:
    if status == 404 or status == 410:
        raise NotFound(f"{url} is gone")
    if status == 412:  # a conditional write refused: the object is gone or changed
        raise NotAsExpected(f"{url} is not as last seen (gone or changed)")
    if status in (401, 403):
        raise AuthExpired(f"the server refused {url} ({status}); check the password")
    if status >= 500:
        raise TransientError(f"the server failed on {url} ({status})")
    if status >= 400:
        raise ProviderError(f"the server answered {status} for {url}")


def mapped(error: Exception, what: str) -> Exception:
    text = str(error)
    if "Unauthorized" in text or "401" in text:
        return AuthExpired(f"{what}: the server refused the password; run `followup-daemon "
                           "auth caldav` again")
    if isinstance(error, dav_error.NotFoundError):
        return NotFound(f"{what}: not found")
    return TransientError(f"{what}: {type(error).__name__}: {' '.join(text.split())[:200]}")


@contextmanager
def dav_errors(what: str, write: bool = False) -> Iterator[None]:
    """Map the caldav library's and the network's errors at the boundary. For a `write`,
    a lost connection is AnswerLost: the PUT may have landed, so it is looked up."""
    try:
        yield
    except (UserError, ProviderError):
        raise
    except dav_error.DAVError as error:
        raise mapped(error, what) from error
    except Exception as error:  # niquests raises its own connection and timeout types
        if isinstance(error, OSError) or any(word in type(error).__name__
                                             for word in ("Connection", "Timeout")):
            lost = AnswerLost if write else TransientError
            raise lost(f"{what}: {type(error).__name__}") from error
        raise
