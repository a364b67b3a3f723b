"""Benchmark: the Google provider against the local fake Google (in a process of its
own).

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
from pathlib import Path

import keyring

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.fake_process import FakeProcess
from benchmarks.sync_figures import NOW, PassFigures, batches, time_passes
from followup_daemon.config import parse_config
from followup_daemon.secrets import save_secret
from providers.google.calendar import GoogleCalendar
from providers.google.gmail import GmailMailbox
from tests.fakes.fake_google import FakeGoogle
from tests.keyring_backends import MemoryKeyring


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


def started_fake(count: int) -> FakeProcess:
    """A fake Google of `count` events in a process of its own, with an in-memory
    keyring for the daemon's secret."""
    keyring.set_keyring(MemoryKeyring())
    return FakeProcess("google", count, Path(tempfile.gettempdir()))


def product_pass(count: int, batched: bool = True) -> tuple[PassFigures, int]:
    """The daemon's first and no-change passes; with the number of list pages read.
    `batched` False: the writes one by one, as before batching."""
    fake = started_fake(count)
    save_secret("g", {"client_id": fake.attribute("client_id"),
                      "client_secret": fake.attribute("client_secret"),
                      "refresh_token": next(iter(fake.attribute("refresh_tokens")))})
    config = parse_config({"rules": {"timezone": "America/New_York"},
                           "sync": {"draft_when": "planned"},
                           "accounts": [{"name": "g", "provider": "google",
                                         "api_endpoint": fake.url,
                                         "token_uri": fake.url + "/token"}]}, "bench.toml")
    with tempfile.TemporaryDirectory() as folder, \
            batches(batched, GoogleCalendar, GmailMailbox):
        figures = time_passes(config, Path(folder), fake.requests)
    figures.writes = fake.writes()
    fake.stop()
    return figures, figures.first_kinds.get("GET events", 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    count = parser.parse_args().events
    product_pass(count)[0].show(count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
