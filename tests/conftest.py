"""Shared fixtures: an in-memory keyring for every test, and the fake Google."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest

from .fakes.fake_google import FakeGoogle
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
