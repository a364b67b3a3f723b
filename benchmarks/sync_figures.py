"""What the provider benchmarks share: time a first pass and a no-change pass
against a fake (in a process of its own), counting the requests the fake logged."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.fake_process import Seen, Write
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
    writes: list[Write] = field(default_factory=list)  # the first sync's, for a bare twin

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


def time_passes(config: Config, state_dir: Path, log: Callable[[], list[Seen]]
                ) -> PassFigures:
    """Run a first pass, one that sees our own writes come back, and a no-change pass;
    `log` gives the fake's request log. Requests are counted as they go on the wire: a
    batch is one."""
    providers, templates, state = Providers(), Templates.load(), State(state_dir)
    seen = len(log())
    began = time.perf_counter()
    [first] = run_pass(config, state, NOW, templates, providers=providers)
    first_time, first_requests = time.perf_counter() - began, _on_wire(log()[seen:])
    run_pass(config, state, NOW, templates, providers=providers)
    seen = len(log())
    cpu = time.process_time()
    run_pass(config, state, NOW, templates, providers=providers)
    idle_cpu, idle_requests = time.process_time() - cpu, _on_wire(log()[seen:])
    state.close()
    kinds = Counter(f"{r.method} {r.path.rsplit('/', 1)[-1]}" for r in first_requests)
    return PassFigures(first_time, len(first_requests), dict(kinds), first.counts,
                       idle_cpu * 1000, [f"{r.method} {r.path}" for r in idle_requests])


def _on_wire(logged: list[Seen]) -> list[Seen]:
    """The requests as the wire saw them: a batch's calls left out."""
    return [r for r in logged if not r.batched]
