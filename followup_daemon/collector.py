"""The cyclic garbage collector, run less often during a pass.

A first sync makes hundreds of thousands of containers (events, their JSON, drafts'
messages). At Python's default thresholds (700, 10, 10) the collector ran about 150
times in a first sync of 5,000 Google events, each time walking the young objects,
and a full collection walked them all: 60-140 ms a pass, about a tenth of its CPU
(docs/decisions.md, issue 15 part 10). Reference counting frees nearly all of it
anyway; the collector only finds cycles, and a pass's cycles can wait until it ends.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
DURING_A_PASS = (50_000, 20, 10)  # a young collection per 50,000 new containers


def fewer_collections(work: Callable[P, R]) -> Callable[P, R]:
    """`work` run with the collector's thresholds at DURING_A_PASS, then put back."""

    @functools.wraps(work)
    def deferred(*args: P.args, **kwargs: P.kwargs) -> R:
        before = gc.get_threshold()
        gc.set_threshold(*DURING_A_PASS)
        try:
            return work(*args, **kwargs)
        finally:
            gc.set_threshold(*before)

    return deferred
