"""The wire (Graph's calls, Google's batches) keeps what requests did for the
daemon: the environment's CA bundle and HTTPS proxy (a CONNECT tunnel; NO_PROXY
honoured), an account's own CA over both, compressed answers, kept-alive
connections the server may close, and a timeout; and a request's answer can be
read after other work. Each against a real server on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import certifi
import pytest

from providers.wire import WIRE_ERRORS, Wire, _proxy_for
from tests.fakes.fake_graph import FakeGraph

WELL_KNOWN = "/common/v2.0/.well-known/openid-configuration"


class Tunnel:
    """An HTTP proxy that takes CONNECT, as a corporate proxy does: it notes each
    request's first line and Proxy-Authorization, then relays the bytes both ways."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://user:p%40ss@127.0.0.1:{self.listener.getsockname()[1]}"
        self.seen: list[tuple[str, str]] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            head += client.recv(4096)
        lines = head.decode().split("\r\n")
        login = [line.split(":", 1)[1].strip() for line in lines
                 if line.lower().startswith("proxy-authorization:")]
        self.seen.append((" ".join(lines[0].split()[:2]), login[0] if login else ""))
        host, port = lines[0].split()[1].rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        threading.Thread(target=_relay, args=(upstream, client), daemon=True).start()
        _relay(client, upstream)


def _relay(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        sink.close()


class Plain(BaseHTTPRequestHandler):
    """Answers by path: gzip or deflate bodies, a close after answering, silence."""

    protocol_version = "HTTP/1.1"
    peers: ClassVar[list[int]] = []
    posted: ClassVar[list[bytes]] = []

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        self.posted.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.do_GET()

    def do_GET(self) -> None:
        self.peers.append(self.client_address[1])
        body = json.dumps({"path": self.path}).encode()
        coding = self.path.strip("/").split("?")[0]
        if coding == "silent":
            time.sleep(2)
            return
        if coding in ("gzip", "deflate"):
            body = gzip.compress(body) if coding == "gzip" else zlib.compress(body)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        if coding in ("gzip", "deflate"):
            self.send_header("Content-Encoding", coding)
        self.end_headers()
        self.wfile.write(body)
        if coding == "hang-up":  # closes without saying so, as an idle timeout does
            self.close_connection = True


@pytest.fixture
def plain() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Plain)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Plain.peers.clear()
    Plain.posted.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_environment_proxy_tunnels_with_its_login_unless_no_proxy_names_the_host(
        fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    tunnel = Tunnel()
    monkeypatch.setenv("HTTPS_PROXY", tunnel.url)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", fake_graph.ca_file)
    monkeypatch.setenv("NO_PROXY", "login.example")
    answer = Wire(None, 5).request("GET", fake_graph.url + WELL_KNOWN, {})
    assert answer.status_code == 200 and "token_endpoint" in answer.json()
    port = fake_graph.url.rsplit(":", 1)[1]
    assert tunnel.seen == [(f"CONNECT 127.0.0.1:{port}", "Basic dXNlcjpwQHNz")]
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert Wire(None, 5).request("GET", fake_graph.url + WELL_KNOWN, {}).status_code == 200
    assert len(tunnel.seen) == 1


def test_an_account_ca_goes_direct_and_wins_over_the_environment(
        fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    tunnel = Tunnel()
    monkeypatch.setenv("HTTPS_PROXY", tunnel.url)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certifi.where())  # not the fake's CA
    own = Wire(fake_graph.ca_file, 5)
    assert own.request("GET", fake_graph.url + WELL_KNOWN, {}).status_code == 200
    assert tunnel.seen == []
    with pytest.raises(WIRE_ERRORS):  # the environment's bundle does not know the fake
        Wire(None, 5).request("GET", fake_graph.url + WELL_KNOWN, {})
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/etc/curl-ca.pem")
    assert Wire(None, 5)._ca == "/etc/curl-ca.pem"
    monkeypatch.delenv("CURL_CA_BUNDLE")
    assert Wire(None, 5)._ca == certifi.where()


def test_an_https_proxy_is_refused_with_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    from followup_daemon.errors import UserError

    monkeypatch.setenv("HTTPS_PROXY", "https://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    with pytest.raises(UserError, match="HTTPS_PROXY"):
        Wire(None, 5).request("GET", "https://graph.example/v1.0/me", {})
    monkeypatch.setenv("HTTPS_PROXY", "proxy.example:3128")  # no scheme: http://
    assert _proxy_for("graph.example") == "http://proxy.example:3128"


def test_an_https_proxy_is_one_the_wire_does_not_reach_through(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "https://proxy.example:3128")
    assert not Wire(None, 5).reaches("https://www.googleapis.com/batch/gmail/v1")
    assert Wire(None, 5).reaches("http://127.0.0.1:8080/batch/gmail/v1")  # no https
    assert Wire("/etc/own-ca.pem", 5).reaches("https://www.googleapis.com/")  # direct
    monkeypatch.setenv("NO_PROXY", "www.googleapis.com")
    assert Wire(None, 5).reaches("https://www.googleapis.com/batch/gmail/v1")
    monkeypatch.setenv("HTTPS_PROXY", "proxy.example:3128")  # http://
    assert Wire(None, 5).reaches("https://graph.example/v1.0/me")


def test_a_request_is_on_the_server_before_its_answer_is_read(plain: str) -> None:
    wire = Wire(None, 5)
    sent = wire.begin("POST", f"{plain}/batch", {"Content-Type": "text/plain"}, b"calls")
    deadline = time.monotonic() + 5
    while not Plain.posted and time.monotonic() < deadline:
        time.sleep(0.01)  # the caller's own work, while the server answers
    assert Plain.posted == [b"calls"]
    assert sent.answer().json() == {"path": "/batch"}
    assert wire.request("GET", f"{plain}/next", {}).status_code == 200
    assert Plain.peers[0] == Plain.peers[1]  # the same kept connection


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_compressed_answers_are_asked_for_and_undone(plain: str, coding: str) -> None:
    answer = Wire(None, 5).request("GET", f"{plain}/{coding}", {}, params={"a": "b c"})
    assert answer.json() == {"path": f"/{coding}?a=b+c"}


def test_a_kept_connection_is_reused_and_replaced_once_the_server_closed_it(
        plain: str) -> None:
    wire = Wire(None, 5)
    for path in ("one", "two", "hang-up"):
        assert wire.request("GET", f"{plain}/{path}", {}).status_code == 200
    time.sleep(0.2)  # the server's close arrives while the connection is idle
    assert wire.request("GET", f"{plain}/after", {}).json() == {"path": "/after"}
    assert Plain.peers[0] == Plain.peers[1] == Plain.peers[2] != Plain.peers[3]


def test_a_server_that_does_not_answer_times_out(plain: str) -> None:
    began = time.monotonic()
    with pytest.raises(WIRE_ERRORS):
        Wire(None, 0.5).request("GET", f"{plain}/silent", {})
    assert time.monotonic() - began < 1.5
