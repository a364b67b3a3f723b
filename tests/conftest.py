"""Shared fixtures: an in-memory keyring for every test, and the fake Google."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from .fakes.fake_google import FakeGoogle
from .fakes.fake_graph import FakeGraph
from .fakes.tls import self_signed
from .keyring_backends import MemoryKeyring
from .servers.dovecot_server import Dovecot, dovecot_server
from .servers.dovecot_server import available as dovecot_available
from .servers.radicale_server import radicale_server


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


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[str]:
    """A real Radicale server with an empty store; its base URL."""
    with radicale_server(tmp_path / "radicale") as url:
        yield url


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """A real Dovecot IMAP server (plain and STARTTLS) for the whole session."""
    if not dovecot_available():
        pytest.skip("dovecot is not installed: the IMAP tests were not run")
    root = Path(tempfile.mkdtemp(prefix="followup-imap-"))
    os.chmod(root, 0o755)  # the mail user must reach its home below
    cert, key = self_signed(root)
    with dovecot_server(root, cert, key) as server:
        yield server
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_user() -> str:
    """A mailbox of its own for each test."""
    return "u" + uuid.uuid4().hex[:10]
