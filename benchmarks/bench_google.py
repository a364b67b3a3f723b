"""Benchmark: the Google provider against the local fake Google.

A calendar of N events (about 5% interviews) on the fake; prints the wall time
and request count of the first sync (which writes the follow-ups and drafts),
and the CPU time and requests of a pass with no changes.

    python benchmarks/bench_google.py [--events N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import keyring

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from followup_daemon.config import parse_config
from followup_daemon.content import Templates
from followup_daemon.secrets import save_secret
from followup_daemon.state import State
from followup_daemon.sync import Providers, run_pass
from tests.fakes.fake_google import FakeGoogle
from tests.keyring_backends import MemoryKeyring

NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


def fill(fake: FakeGoogle, count: int) -> None:
    """`count` events over two months around NOW, every 20th an interview."""
    for n in range(count):
        start = NOW + dt.timedelta(hours=(n * 7) % 1400 - 700)
        summary = f"Interview with Company{n}" if n % 20 == 0 else f"Meeting {n}"
        fake.put_event("primary", {
            "summary": summary, "description": "Decision by Friday." if n % 40 == 0 else "",
            "start": {"dateTime": start.isoformat()}, "end": {"dateTime": (
                start + dt.timedelta(hours=1)).isoformat()},
            "organizer": {"email": f"hr@company{n}.com"}})


def measure(count: int) -> None:
    """Run the first and a no-change pass; print the figures."""
    keyring.set_keyring(MemoryKeyring())
    fake = FakeGoogle().start()
    fill(fake, count)
    save_secret("g", {"client_id": fake.client_id, "client_secret": fake.client_secret,
                      "refresh_token": next(iter(fake.refresh_tokens))})
    config = parse_config({"rules": {"timezone": "America/New_York"},
                           "sync": {"draft_when": "planned"},
                           "accounts": [{"name": "g", "provider": "google",
                                         "api_endpoint": fake.url,
                                         "token_uri": fake.url + "/token"}]}, "bench.toml")
    providers, templates = Providers(), Templates.load()
    with tempfile.TemporaryDirectory() as folder:
        state = State(Path(folder))
        began, seen = time.perf_counter(), len(fake.requests)
        [first] = run_pass(config, state, NOW, templates, providers=providers)
        first_time, first_requests = time.perf_counter() - began, fake.requests[seen:]
        run_pass(config, state, NOW, templates, providers=providers)  # our writes come back
        cpu, seen = time.process_time(), len(fake.requests)
        run_pass(config, state, NOW, templates, providers=providers)
        idle_cpu, idle_requests = time.process_time() - cpu, fake.requests[seen:]
        state.close()
    fake.stop()
    kinds = Counter(f"{r.method} {r.path.rsplit('/', 1)[-1]}" for r in first_requests)
    print(f"events on the fake         {count:>8,}")
    print(f"first sync: wall time      {first_time:>8.2f} s   ({first.summary()})")
    print(f"first sync: requests       {len(first_requests):>8,}   {dict(kinds)}")
    print(f"no-change pass: CPU time   {idle_cpu * 1000:>8.1f} ms")
    print(f"no-change pass: requests   {len(idle_requests):>8,}   "
          f"{[f'{r.method} {r.path}' for r in idle_requests]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    measure(parser.parse_args().events)
    return 0


if __name__ == "__main__":
    sys.exit(main())
