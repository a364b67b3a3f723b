"""Requests built ahead: the next batch's, made while the session waits for the
answer to the one before (`GoogleSession.meanwhile`), so that the daemon's work and
Google's overlap instead of taking turns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Ahead(Generic[T]):
    """The requests of the items named next (`expect`), built by `get_ready`; each is
    handed out once, for the very item it was built for, and only the last named
    batch's are kept."""

    def __init__(self, build: Callable[[T], Any]) -> None:
        self._build = build
        self._coming: dict[int, T] = {}
        self._ready: dict[int, tuple[T, Any]] = {}

    def expect(self, items: Sequence[T]) -> None:
        """These items are written next (the ones named before are not, or were)."""
        self._coming = {id(item): item for item in items}

    def get_ready(self) -> None:
        """Build the requests of the items named and not yet written; what was built
        before and not handed out is dropped (its batch went, or never will). With
        nothing named since, what was built stays."""
        if not self._coming:
            return
        coming, self._coming, self._ready = self._coming, {}, {}
        for ident, item in coming.items():
            try:
                self._ready[ident] = (item, self._build(item))
            except Exception:  # met again, and reported, when the item is written
                continue

    def request(self, item: T) -> Any:
        """The item's request: the one built ahead, or a new one."""
        self._coming.pop(id(item), None)
        built = self._ready.pop(id(item), None)
        return built[1] if built is not None and built[0] is item else self._build(item)
