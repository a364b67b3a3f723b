"""Benchmark: the Outlook provider against the local fake Graph (over HTTPS, with msal;
the fake in a process of its own).

A calendar of N events (about 5% interviews) on the fake; prints the wall time
and request count of the first sync (which writes the follow-ups and drafts),
and the CPU time and requests of a pass with no changes.

    python benchmarks/bench_graph.py [--events N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import keyring
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.fake_process import FakeProcess, Write
from benchmarks.sync_figures import NOW, PassFigures, batches, time_passes
from followup_daemon.config import parse_config
from providers.outlook.auth import authorise
from providers.outlook.calendar import OutlookCalendar
from providers.outlook.mailbox import OutlookMailbox
from tests.fakes.fake_graph import FakeGraph
from tests.keyring_backends import MemoryKeyring


def fill(fake: FakeGraph, count: int) -> None:
    """`count` events over two months around NOW, every 20th an interview."""
    for n in range(count):
        start = (NOW + dt.timedelta(hours=(n * 7) % 1400 - 700)).astimezone(dt.UTC)
        fake.put_event({
            "subject": f"Interview with Company{n}" if n % 20 == 0 else f"Meeting {n}",
            "body": {"contentType": "text", "content": "Decision by Friday." if n % 40 == 0
                     else ""},
            "start": {"dateTime": start.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"},
            "end": {"dateTime": (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S"),
                    "timeZone": "UTC"},
            "organizer": {"emailAddress": {"address": f"hr@company{n}.com"}}})


def signed_in_fake(folder: Path, count: int) -> FakeProcess:
    """A fake Graph of `count` events over TLS in a process of its own, signed in with
    its state in `folder`."""
    keyring.set_keyring(MemoryKeyring())
    fake = FakeProcess("graph", count, folder)
    authorise(account(fake, folder), folder / "state", fake.attribute("client_id"), "common",
              browser=False, say=lambda line: None)
    return fake


def account(fake: FakeProcess, folder: Path) -> dict[str, Any]:
    """The config's account for the fake."""
    return {"name": "o", "provider": "outlook", "authority": fake.url,
            "graph_endpoint": fake.url + "/v1.0", "ca_bundle": str(folder / "fake-ca.pem")}


def product_pass(count: int, batched: bool = True) -> PassFigures:
    """The daemon's first and no-change passes on a fake Graph of `count` events;
    `batched` False: the writes one by one, as before `$batch`."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        fake = signed_in_fake(folder, count)
        config = parse_config({"rules": {"timezone": "America/New_York"},
                               "sync": {"draft_when": "planned"},
                               "accounts": [account(fake, folder)]}, "bench.toml")
        with batches(batched, OutlookCalendar, OutlookMailbox):
            figures = time_passes(config, folder / "state", fake.requests)
        figures.writes = fake.writes()
        fake.stop()
    return figures


def bare_graph(count: int, writes: list[Write], batch: int = 1) -> float:
    """Seconds for plain requests doing the same work on a fresh fake: every page of
    the calendar's delta, then the daemon's own creates (`writes`), one by one or
    (`batch` > 1) in `$batch` requests of that many."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        fake = signed_in_fake(folder, count)
        token = next(iter(fake.attribute("access_tokens")))
        began = time.perf_counter()
        session = requests.Session()
        session.trust_env = False  # REQUESTS_CA_BUNDLE would override `verify`
        session.verify = str(folder / "fake-ca.pem")
        session.headers["Authorization"] = f"Bearer {token}"
        start, end = NOW - dt.timedelta(days=45), NOW + dt.timedelta(days=366)
        url: str | None = (f"{fake.url}/v1.0/me/calendarView/delta?startDateTime="
                           f"{start.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}&endDateTime="
                           f"{end.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}")
        while url:
            page = session.get(url, headers={"Prefer": "odata.maxpagesize=50"}).json()
            url = page.get("@odata.nextLink")
        for write in writes if batch == 1 else []:
            session.post(fake.url + write.path, params=write.query, json=write.body,
                         headers={"Prefer": write.prefer} if write.prefer else {}
                         ).raise_for_status()
        for first in range(0, len(writes), batch) if batch > 1 else []:
            calls = writes[first:first + batch]
            session.post(f"{fake.url}/v1.0/$batch", json={"requests": [
                _entry(index, write) for index, write in enumerate(calls)]}).raise_for_status()
        elapsed = time.perf_counter() - began
        fake.stop()
    return elapsed


def _entry(index: int, write: Write) -> dict[str, Any]:
    """A create as one request of a `$batch`: its URL relative to the version."""
    query = f"?{urlencode(write.query)}" if write.query else ""
    headers = {"Content-Type": "application/json"}
    if write.prefer:
        headers["Prefer"] = write.prefer
    return {"id": str(index), "method": "POST", "headers": headers, "body": write.body,
            "url": write.path.removeprefix("/v1.0") + query}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    count = parser.parse_args().events
    product_pass(count).show(count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
