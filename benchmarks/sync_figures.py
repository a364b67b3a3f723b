"""What the provider benchmarks share: time a first pass and a no-change pass
against a fake, counting the requests the fake logged."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from followup_daemon.config import Config
from followup_daemon.content import Templates
from followup_daemon.state import State
from followup_daemon.sync import Providers, run_pass

NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


@dataclass
class PassFigures:
    """A first sync and a no-change pass (inside one `run`, providers kept)."""

    first_seconds: float
    first_requests: int
    first_kinds: dict[str, int]
    counts: Counter[str]
    idle_cpu_ms: float
    idle_requests: list[str]

    def show(self, count: int) -> None:
        """The figures, for a benchmark run alone."""
        print(f"events                     {count:>8,}")
        print(f"first sync: wall time      {self.first_seconds:>8.2f} s   {dict(self.counts)}")
        print(f"first sync: requests       {self.first_requests:>8,}   {self.first_kinds}")
        print(f"no-change pass: CPU time   {self.idle_cpu_ms:>8.1f} ms")
        print(f"no-change pass: requests   {len(self.idle_requests):>8,}   "
              f"{self.idle_requests}")


@contextmanager
def batches(batched: bool, *adapters: Any) -> Iterator[None]:
    """The adapters' writes in batches as shipped, or (`batched` False) one by one,
    as a batch size of 1 makes the executor send them."""
    sizes = [adapter.batch_size for adapter in adapters]
    try:
        if not batched:
            for adapter in adapters:
                adapter.batch_size = 1
        yield
    finally:
        for adapter, size in zip(adapters, sizes, strict=True):
            adapter.batch_size = size


def time_passes(config: Config, state_dir: Path, logged: list[Any]) -> PassFigures:
    """Run a first pass, one that sees our own writes come back, and a no-change pass.
    Requests are counted as they go on the wire: a batch is one."""
    requests = _Wire(logged)
    providers, templates, state = Providers(), Templates.load(), State(state_dir)
    began, seen = time.perf_counter(), len(requests)
    [first] = run_pass(config, state, NOW, templates, providers=providers)
    first_time, first_requests = time.perf_counter() - began, requests[seen:]
    run_pass(config, state, NOW, templates, providers=providers)
    cpu, seen = time.process_time(), len(requests)
    run_pass(config, state, NOW, templates, providers=providers)
    idle_cpu, idle_requests = time.process_time() - cpu, requests[seen:]
    state.close()
    kinds = Counter(f"{r.method} {r.path.rsplit('/', 1)[-1]}" for r in first_requests)
    return PassFigures(first_time, len(first_requests), dict(kinds), first.counts,
                       idle_cpu * 1000, [f"{r.method} {r.path}" for r in idle_requests])


class _Wire:
    """The fake's log as the wire saw it (a batch's calls left out), read as a list."""

    def __init__(self, logged: list[Any]) -> None:
        self.logged = logged

    def __len__(self) -> int:
        return len(self.logged)

    def __getitem__(self, part: slice) -> list[Any]:
        return [r for r in self.logged[part] if not getattr(r, "batched", False)]
