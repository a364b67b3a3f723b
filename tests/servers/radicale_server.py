"""A real Radicale CalDAV server on 127.0.0.1, in this process (wsgiref, threaded)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import radicale.config
from radicale.app import Application


class _Threaded(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def radicale_server(folder: Path) -> Iterator[str]:
    """Serve a fresh Radicale store in `folder`; yields the base URL. Any user name and
    password is accepted (auth type none), without Radicale's delay on failures."""
    configuration = radicale.config.load()
    configuration.update({
        "storage": {"filesystem_folder": str(folder / "collections")},
        "auth": {"type": "none", "delay": "0"},
        "rights": {"type": "owner_only"},
        "logging": {"level": "warning", "mask_passwords": "True"},
    }, "test", privileged=True)
    app = Application(configuration)
    server = make_server("127.0.0.1", 0, app, server_class=_Threaded, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
