"""Credentials in a real Secret Service (gnome-keyring under its own D-Bus session).

.ci/run installs gnome-keyring and dbus-x11; elsewhere the test says it was not run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SECRET = "1//test-refresh-token-in-secret-service"
SCRIPT = f"""
printf testpassword | gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$PY" - <<'PYTHON'
import keyring
from followup_daemon.secrets import delete_secret, load_secret, save_secret
print(type(keyring.get_keyring()).__module__)
save_secret("g", {{"refresh_token": "{SECRET}"}})
print(load_secret("g")["refresh_token"])
print(delete_secret("g"), load_secret("g"))
PYTHON
"""


@pytest.mark.skipif(not (shutil.which("dbus-run-session") and
                         shutil.which("gnome-keyring-daemon")),
                    reason="gnome-keyring/dbus not installed: the Secret Service test was not run")
def test_secrets_round_trip_through_the_secret_service(tmp_path: Path) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PY": sys.executable,
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_RUNTIME_DIR": str(runtime),
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    result = subprocess.run(["dbus-run-session", "--", "sh", "-c", SCRIPT], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    backend, stored, deleted = result.stdout.strip().splitlines()[-3:]
    assert backend == "keyring.backends.SecretService"
    assert stored == SECRET
    assert deleted == "True None"
    for file in tmp_path.rglob("*"):
        if file.is_file():
            assert SECRET.encode() not in file.read_bytes(), file
