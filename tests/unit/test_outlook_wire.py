"""Graph's wire keeps what requests did for the daemon: the environment's CA bundle
and HTTPS proxy (NO_PROXY honoured), an account's own CA over both."""

from __future__ import annotations

import certifi
import pytest
import urllib3

from providers.outlook.wire import Wire


def test_the_environment_proxy_is_used_unless_no_proxy_names_the_host(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "login.example")
    wire = Wire(None, 5)
    assert isinstance(wire._pool("https://graph.example/v1.0/me"), urllib3.ProxyManager)
    assert not isinstance(wire._pool("https://login.example/x"), urllib3.ProxyManager)


def test_an_account_ca_goes_direct_and_wins_over_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/env-ca.pem")
    own = Wire("/tmp/own-ca.pem", 5)
    assert not isinstance(own._pool("https://graph.example/"), urllib3.ProxyManager)
    assert own._ca == "/tmp/own-ca.pem"
    assert Wire(None, 5)._ca == "/etc/env-ca.pem"
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    assert Wire(None, 5)._ca == certifi.where()
