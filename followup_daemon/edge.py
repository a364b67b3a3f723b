"""Reading what services send: one malformed item is skipped with a warning, never
allowed to stop a pass (the services' JSON is outside data)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
MALFORMED = (KeyError, ValueError, TypeError, AttributeError, IndexError, OverflowError)


def or_skip(what: str, read: Callable[..., T], *args: Any) -> T | None:
    """`read(*args)`, or None (and one warning line) when the data is malformed."""
    try:
        return read(*args)
    except MALFORMED as error:
        log.warning("skipped %s: it cannot be read (%s: %s)", what, type(error).__name__,
                    " ".join(str(error).split())[:160])
        return None
