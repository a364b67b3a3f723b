"""`auth outlook` (device code and browser with form_post), status and revoke."""

from __future__ import annotations

import re
import threading
import urllib.parse
from pathlib import Path

import pytest
import requests

from followup_daemon.cli import main
from followup_daemon.secrets import load_secret

from ..fakes.fake_graph import FakeGraph


def config(tmp_path: Path, fake: FakeGraph) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[[accounts]]\nname = "o"\nprovider = "outlook"\nauthority = "{fake.url}"\n'
                    f'graph_endpoint = "{fake.url}/v1.0"\n'
                    f'ca_bundle = "{fake.ca_file}"\n')
    return path


def args(tmp_path: Path, fake: FakeGraph, *extra: str) -> list[str]:
    return ["--account", "o", "--config", str(config(tmp_path, fake)),
            "--state-dir", str(tmp_path / "state"), *extra]


def test_device_code_sign_in_status_and_revoke(tmp_path: Path, fake_graph: FakeGraph,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["auth", "outlook", *args(tmp_path, fake_graph, "--client-id",
                                          fake_graph.client_id)]) == 0
    out = capsys.readouterr().out
    assert "enter the code FAKE-CODE" in out and "authorised as alex@contoso.com" in out
    token = next(r for r in fake_graph.requests if r.path.endswith("/token"))
    assert token.body["grant_type"][0].endswith("device_code")
    device = next(r for r in fake_graph.requests if r.path.endswith("/devicecode"))
    assert set(device.body["scope"][0].split()) == {  # nothing broader is asked for
        "Calendars.ReadWrite", "Mail.ReadWrite", "offline_access", "openid", "profile"}
    assert main(["auth", "status", *args(tmp_path, fake_graph)]) == 0
    assert "o (outlook): authorised" in capsys.readouterr().out
    fake_graph.refresh_tokens.clear()
    fake_graph.access_tokens.clear()
    main(["auth", "status", *args(tmp_path, fake_graph)])
    assert "needs re-authorisation" in capsys.readouterr().out
    assert (tmp_path / "state" / "o.msal-http").exists()
    assert main(["auth", "revoke", *args(tmp_path, fake_graph)]) == 0
    assert load_secret("o") is None and not (tmp_path / "state" / "o.msal-cache").exists()
    assert not (tmp_path / "state" / "o.msal-http").exists()


class FormPostBrowser:
    """Opens the authorize page and submits its form_post to msal's loopback server."""

    def __init__(self, ca_file: str) -> None:
        self.ca_file = ca_file

    def open(self, url: str, *args: object, **kwargs: object) -> bool:
        threading.Thread(target=self._submit, args=(url,), daemon=True).start()
        return True

    def _submit(self, url: str) -> None:
        page = requests.get(url, verify=self.ca_file, timeout=10).text
        action = re.search(r'action="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page))
        requests.post(action, data=fields, timeout=10)


def test_browser_sign_in_uses_form_post_and_a_nonce(tmp_path: Path, fake_graph: FakeGraph,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    browser = FormPostBrowser(fake_graph.ca_file)
    monkeypatch.setattr("webbrowser.open", browser.open)
    monkeypatch.setattr("webbrowser.get", lambda *a, **k: browser)
    assert main(["auth", "outlook", *args(tmp_path, fake_graph, "--client-id",
                                          fake_graph.client_id, "--browser")]) == 0
    authorize = next(r for r in fake_graph.requests if r.path.endswith("/authorize"))
    assert authorize.query["response_mode"] == ["form_post"]
    assert authorize.query["nonce"] and authorize.query["code_challenge_method"] == ["S256"]
    assert urllib.parse.urlparse(authorize.query["redirect_uri"][0]).hostname == "localhost"
    assert load_secret("o") is not None
