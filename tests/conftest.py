"""Shared fixtures: an in-memory keyring for every test, and the fake Google."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest

from .fakes.fake_google import FakeGoogle
from .fakes.fake_graph import FakeGraph
from .fakes.tls import self_signed
from .keyring_backends import MemoryKeyring


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """No test touches the real keyring unless it starts its own Secret Service."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def fake_google() -> Iterator[FakeGoogle]:
    fake = FakeGoogle().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeGraph]:
    folder = tmp_path_factory.mktemp("tls")
    fake = FakeGraph()
    fake.start(tls=self_signed(folder))
    fake.ca_file = str(folder / "fake-ca.pem")
    yield fake
    fake.stop()
