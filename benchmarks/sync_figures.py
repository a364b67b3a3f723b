"""What the provider benchmarks share: time a first pass and a no-change pass
against a fake, counting the requests the fake logged, and print the figures."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from pathlib import Path
from typing import Any

from followup_daemon.config import Config
from followup_daemon.content import Templates
from followup_daemon.state import State
from followup_daemon.sync import Providers, run_pass

NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


def time_passes(config: Config, state_dir: Path, requests: list[Any], count: int) -> None:
    """Run a first pass, one that sees our own writes come back, and a no-change pass."""
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
    print(f"events on the fake         {count:>8,}")
    print(f"first sync: wall time      {first_time:>8.2f} s   ({first.summary()})")
    print(f"first sync: requests       {len(first_requests):>8,}   {dict(kinds)}")
    print(f"no-change pass: CPU time   {idle_cpu * 1000:>8.1f} ms")
    print(f"no-change pass: requests   {len(idle_requests):>8,}   "
          f"{[f'{r.method} {r.path}' for r in idle_requests]}")
