"""A fake service in a process of its own, as the issue measured it: the fake's
objects, garbage collections and threads are then not the measured process's.

The benchmark talks to the fake over HTTP only; a pipe carries what a test would
read off the fake object (its URL, client id, tokens) and its request log.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

CREATES = ("/events", "/messages", "/drafts")  # the paths of the writes a first sync makes


@dataclass(frozen=True)
class Write:
    """One create the fake was sent (alone or in a batch): what a bare client sends
    to do the same write."""

    path: str
    query: dict[str, str]
    body: Any
    prefer: str = ""


@dataclass(frozen=True)
class Seen:
    """One request as the fake logged it: enough to count requests on the wire."""

    method: str
    path: str
    batched: bool  # one call of a batch (the batch itself is logged too)


class FakeProcess:
    """A fake Google (`kind` "google") or Graph ("graph", over TLS with its CA in
    `folder`) holding `count` events, served from a child process."""

    def __init__(self, kind: str, count: int, folder: Path) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(kind, count, str(folder), child),
                                        daemon=True)
        self._process.start()
        self.url: str = self._pipe.recv()

    def attribute(self, name: str) -> Any:
        """An attribute of the fake object, as it is now (tokens change at sign-in)."""
        self._pipe.send(("attribute", name))
        return self._pipe.recv()

    def requests(self) -> list[Seen]:
        """The fake's request log so far."""
        self._pipe.send(("requests", ""))
        seen: list[Seen] = self._pipe.recv()
        return seen

    def writes(self) -> list[Write]:
        """Every create the fake was sent so far, batched or not."""
        self._pipe.send(("writes", ""))
        made: list[Write] = self._pipe.recv()
        return made

    def stop(self) -> None:
        """Stop serving and end the process."""
        self._pipe.send(("stop", ""))
        self._pipe.recv()
        self._process.join(timeout=10)


def _serve(kind: str, count: int, folder: str, pipe: Connection) -> None:
    fake = _started(kind, count, Path(folder))
    pipe.send(fake.url)
    while True:
        command, name = pipe.recv()
        if command == "attribute":
            pipe.send(getattr(fake, name))
        elif command == "requests":
            pipe.send([Seen(r.method, r.path, r.batched) for r in list(fake.requests)])
        elif command == "writes":
            pipe.send([Write(r.path, {k: v[0] for k, v in r.query.items()}, r.body,
                             r.headers.get("Prefer", ""))
                       for r in list(fake.requests) if r.method == "POST"
                       and r.path.endswith(CREATES)])
        else:
            fake.stop()
            pipe.send(None)
            return


def _started(kind: str, count: int, folder: Path) -> Any:
    if kind == "google":
        from benchmarks.bench_google import fill as fill_google
        from tests.fakes.fake_google import FakeGoogle

        google = FakeGoogle().start()
        fill_google(google, count)
        return google
    from benchmarks.bench_graph import fill as fill_graph
    from tests.fakes.fake_graph import FakeGraph
    from tests.fakes.tls import self_signed

    graph = FakeGraph()
    graph.start(tls=self_signed(folder))
    graph.ca_file = str(folder / "fake-ca.pem")
    fill_graph(graph, count)
    return graph
