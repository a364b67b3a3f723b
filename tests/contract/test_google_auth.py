"""`auth google|import|status|revoke` against the fake Google, and the keyring."""

from __future__ import annotations

import io
import json
import re
import sys
import threading
import urllib.request
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from followup_daemon.cli import main
from followup_daemon.errors import UserError
from followup_daemon.secrets import SERVICE, load_secret, save_secret

from ..fakes.fake_google import FakeGoogle
from ..google_helpers import authorise
from ..keyring_backends import MemoryKeyring


def config(tmp_path: Path, fake: FakeGoogle, extra: str = "") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[[accounts]]\nname = "g"\nprovider = "google"\n'
                    f'api_endpoint = "{fake.url}"\ntoken_uri = "{fake.url}/token"\n{extra}')
    return path


CALENDAR, COMPOSE, LIST, MAKE, METADATA = (
    f"https://www.googleapis.com/auth/{name}" for name in
    ("calendar.events", "gmail.compose", "calendar.calendarlist.readonly",
     "calendar.app.created", "gmail.metadata"))


def client_secrets(tmp_path: Path, fake: FakeGoogle) -> Path:
    path = tmp_path / "client_secret.json"
    path.write_text(json.dumps({"installed": {
        "client_id": fake.client_id, "client_secret": fake.client_secret,
        "auth_uri": fake.url + "/auth", "token_uri": fake.url + "/token",
        "redirect_uris": ["http://localhost"]}}))
    return path


def visit(url: str) -> None:
    """What a browser does: follow the fake's redirect to the loopback server."""
    threading.Thread(target=lambda: urllib.request.urlopen(url, timeout=10).read(),
                     daemon=True).start()


class FakeBrowser:
    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        visit(url)
        return True


@pytest.mark.parametrize(("extra", "unticked", "stored", "said"), [
    ("", set(), [CALENDAR, COMPOSE, LIST, MAKE, METADATA], "keyring\n"),
    ("replies = false\n", set(), [CALENDAR, COMPOSE, LIST, MAKE], "keyring\n"),
    ("", {METADATA}, [CALENDAR, COMPOSE, LIST, MAKE], "replies are off"),  # unticked
    ("", {LIST, MAKE}, [CALENDAR, COMPOSE, METADATA], "keyring\n"),  # only setup needs them
])
def test_browser_sign_in_with_pkce_stores_only_in_the_keyring(
        tmp_path: Path, fake_google: FakeGoogle, monkeypatch: pytest.MonkeyPatch,
        memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str], extra: str,
        unticked: set[str], stored: list[str], said: str) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake speaks http
    monkeypatch.setattr("webbrowser.get", lambda *a, **k: FakeBrowser())
    fake_google.unticked = unticked
    status = main(["auth", "google", "--account", "g", "--config", str(config(
        tmp_path, fake_google, extra)), "--client-secrets",
        str(client_secrets(tmp_path, fake_google))])
    assert status == 0 and said in capsys.readouterr().out
    secret = load_secret("g")
    assert secret and secret["refresh_token"] in fake_google.refresh_tokens
    assert secret["scopes"] == stored
    authorize = next(r for r in fake_google.requests if r.path == "/auth")
    assert authorize.query["code_challenge_method"] == ["S256"]
    assert authorize.query["scope"] == [" ".join(stored if not unticked else
                                                 [CALENDAR, COMPOSE, LIST, MAKE, METADATA])]
    assert authorize.query["redirect_uri"][0].startswith("http://127.0.0.1:")
    assert list(memory_keyring.values) == [(SERVICE, "g")]
    for file in tmp_path.rglob("*"):
        if file.is_file():
            assert secret["refresh_token"] not in file.read_text(errors="replace")


class PromptWatcher(io.StringIO):
    """Stands in for stdout; plays the user who opens the printed address elsewhere."""

    def write(self, text: str) -> int:
        match = re.search(r"(http://127\.0\.0\.1:\d+/auth\S+)", text)
        if match:
            visit(match.group(1))
        return super().write(text)


def test_no_browser_prints_the_address_and_the_ssh_forward(
        tmp_path: Path, fake_google: FakeGoogle, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    watcher = PromptWatcher()
    monkeypatch.setattr(sys, "stdout", watcher)
    status = main(["auth", "google", "--no-browser", "--port", "0", "--account", "g",
                   "--config", str(config(tmp_path, fake_google)),
                   "--client-secrets", str(client_secrets(tmp_path, fake_google))])
    assert status == 0
    printed = watcher.getvalue()
    assert re.search(r"ssh -N -L (\d+):127\.0\.0\.1:\1 THIS-HOST", printed)
    assert load_secret("g") is not None


def test_import_status_and_revoke(tmp_path: Path, fake_google: FakeGoogle,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = config(tmp_path, fake_google)
    exported = tmp_path / "authorized_user.json"
    exported.write_text(json.dumps({"type": "authorized_user", "client_id": fake_google.client_id,
                                    "client_secret": fake_google.client_secret,
                                    "refresh_token": next(iter(fake_google.refresh_tokens))}))
    assert main(["auth", "import", "--account", "g", "--config", str(path),
                 "--file", str(exported)]) == 0
    assert main(["auth", "status", "--config", str(path)]) == 0
    assert "g (google): authorised" in capsys.readouterr().out
    fake_google.refresh_tokens.clear()
    main(["auth", "status", "--config", str(path)])
    assert "needs re-authorisation" in capsys.readouterr().out
    assert main(["auth", "revoke", "--account", "g", "--config", str(path)]) == 0
    assert "revoked and forgotten" in capsys.readouterr().out
    assert fake_google.count("POST", "/revoke") == 1 and load_secret("g") is None


@pytest.mark.parametrize("scopes", [
    ["https://www.googleapis.com/auth/calendar.events"],
    ["https://www.googleapis.com/auth/calendar", "https://www.googleapis.com/auth/gmail.compose"],
    None,  # not in the file: the scope Google grants at a refresh is checked
])
def test_an_import_with_other_scopes_is_refused(tmp_path: Path, fake_google: FakeGoogle,
                                                capsys: pytest.CaptureFixture[str],
                                                scopes: list[str] | None) -> None:
    exported = tmp_path / "authorized_user.json"
    data: dict[str, object] = {"client_id": fake_google.client_id,
                               "client_secret": fake_google.client_secret,
                               "refresh_token": next(iter(fake_google.refresh_tokens))}
    if scopes is not None:
        data["scopes"] = scopes
    else:  # a token for Gmail read access only
        fake_google.granted = "https://www.googleapis.com/auth/gmail.readonly"
    exported.write_text(json.dumps(data))
    assert main(["auth", "import", "--account", "g", "--config",
                 str(config(tmp_path, fake_google)), "--file", str(exported)]) == 2
    assert "not exactly" in capsys.readouterr().err and load_secret("g") is None


def test_a_bad_import_file_is_one_line(tmp_path: Path, fake_google: FakeGoogle,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"client_id": "x"}')
    assert main(["auth", "import", "--account", "g", "--config",
                 str(config(tmp_path, fake_google)), "--file", str(bad)]) == 2
    assert "missing client_secret, refresh_token" in capsys.readouterr().err


def test_an_unknown_account_is_a_user_error(tmp_path: Path, fake_google: FakeGoogle,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["auth", "revoke", "--account", "nope", "--config",
                 str(config(tmp_path, fake_google))]) == 2
    assert "account named 'nope'" in capsys.readouterr().err


def test_no_keyring_is_a_user_error_with_the_fix() -> None:
    keyring.set_keyring(FailKeyring())  # type: ignore[no-untyped-call]
    with pytest.raises(UserError, match="no usable keyring"):
        save_secret("g", {"refresh_token": "x"})


def test_provider_without_credentials_says_how_to_authorise(tmp_path: Path,
                                                            fake_google: FakeGoogle) -> None:
    import datetime as dt

    from followup_daemon.boundary import ProviderContext
    from providers.google.calendar import GoogleCalendar

    provider = GoogleCalendar({"name": "g", "provider": "google", "api_endpoint": fake_google.url},
                              ProviderContext(tmp_path, tmp_path))
    with pytest.raises(UserError, match="auth google --account g"):
        provider.read_changes(None, dt.datetime.now(dt.UTC))
    authorise(fake_google)
