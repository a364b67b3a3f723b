"""The systemd unit and launchd agent, and `service install|uninstall|status`."""

from __future__ import annotations

import os
import plistlib
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from followup_daemon.cli import main
from followup_daemon.service.units import Installation, launchd_plist, systemd_unit

from ..ics_files import ics_text

ROOT = Path(__file__).resolve().parents[2]
HAS_SYSTEMD = shutil.which("systemd-analyze") is not None
DEFAULTS = Installation(Path("%h/.config/followup-daemon/config.toml"),
                        Path("%S/followup-daemon"),
                        python="%h/.local/share/followup-daemon/venv/bin/python",
                        specifiers=True)


def test_the_shipped_unit_is_the_generated_one() -> None:
    assert (ROOT / "systemd" / "followup-daemon.service").read_text() == systemd_unit(DEFAULTS)


def test_the_unit_has_what_a_user_service_needs() -> None:
    unit = systemd_unit(Installation(Path("/c/config.toml"), Path("/s"), (Path("/out"),),
                                     python="/usr/bin/python3"))
    for line in ("Type=notify", "WatchdogSec=180", "Restart=on-failure", "RestartSec=30",
                 "ExecReload=/bin/kill -HUP $MAINPID", "NoNewPrivileges=yes", "PrivateTmp=yes",
                 "ProtectSystem=strict", "ProtectHome=read-only", "ReadWritePaths=-/s -/out",
                 "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", "LockPersonality=yes",
                 "MemoryDenyWriteExecute=yes", "SystemCallFilter=@system-service",
                 "Environment=DBUS_SESSION_BUS_ADDRESS=unix:path=%t/bus"):
        assert line in unit.splitlines(), line


def _analyze(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    unit = tmp_path / "followup-daemon.service"
    home = Path("/home/alex")  # a usual installation, not one under /tmp (as tmp_path is)
    unit.write_text(systemd_unit(Installation(home / ".config/followup-daemon/config.toml",
                                              home / ".local/state/followup-daemon",
                                              (home / "Mail",), python="/bin/sh")))
    return subprocess.run(["systemd-analyze", *args, "--user", str(unit)], capture_output=True,
                          text=True, env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)},
                          timeout=60, check=False)


@pytest.mark.skipif(not HAS_SYSTEMD, reason="systemd-analyze not installed: unit not verified")
def test_systemd_analyze_verify_says_nothing(tmp_path: Path) -> None:
    result = _analyze(tmp_path, "verify")
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""


@pytest.mark.skipif(not HAS_SYSTEMD, reason="systemd-analyze not installed: unit not scored")
def test_hardening_scores_low_exposure(tmp_path: Path) -> None:
    result = _analyze(tmp_path, "security", "--offline=true")
    score = float(re.search(r"Overall exposure level for \S+: ([\d.]+)",  # type: ignore[union-attr]
                            result.stdout).group(1))
    assert score <= 3.0, result.stdout[-400:]


def test_launchd_agent(tmp_path: Path) -> None:
    data = plistlib.loads(launchd_plist(Installation(tmp_path / "c.toml", tmp_path / "s"),
                                        tmp_path))
    assert data["Label"] == "io.github.followup-daemon"
    assert data["RunAtLoad"] is True and data["KeepAlive"] == {"SuccessfulExit": False}
    assert data["ProcessType"] == "Background"
    assert data["ProgramArguments"][1:4] == ["-m", "followup_daemon", "run"]
    assert all(isinstance(a, str) for a in data["ProgramArguments"])
    assert data["StandardErrorPath"] == str(tmp_path / "Library/Logs/followup-daemon.log")


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A config with a local account, a home, and a fake systemctl that logs its calls."""
    (tmp_path / "cal.ics").write_text(ics_text("empty"))
    config = tmp_path / "config.toml"
    config.write_text('[[accounts]]\nname = "a"\nprovider = "local"\ncalendars = ["cal.ics"]\n'
                      'followups = "out/followups.ics"\nmaildir = "Mail"\n')
    bin_dir, calls = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    for tool in ("systemctl", "launchctl"):
        (bin_dir / tool).write_text(f'#!/bin/sh\necho "{tool} $*" >> {calls}\n')
        (bin_dir / tool).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    return config, calls


def test_install_and_uninstall_with_systemd(setup: tuple[Path, Path], tmp_path: Path) -> None:
    config, calls = setup
    assert main(["service", "install", "--platform", "systemd", "--config", str(config),
                 "--state-dir", str(tmp_path / "state")]) == 0
    unit = tmp_path / "home/.config/systemd/user/followup-daemon.service"
    assert stat.S_IMODE(unit.stat().st_mode) == 0o600
    text = unit.read_text()
    assert f"--config {config}" in text and f"--state-dir {tmp_path / 'state'}" in text
    assert f"-{tmp_path / 'out'} -{tmp_path / 'Mail'}" in text
    assert (tmp_path / "Mail").is_dir() and (tmp_path / "state").is_dir()  # before 1st sync
    assert calls.read_text().splitlines() == [
        "systemctl --user daemon-reload", "systemctl --user enable --now followup-daemon.service"]
    assert main(["service", "uninstall", "--platform", "systemd", "--config", str(config)]) == 0
    assert not unit.exists()
    assert "systemctl --user disable --now followup-daemon.service" in calls.read_text()


def test_dry_run_changes_nothing(setup: tuple[Path, Path], tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    config, calls = setup
    for platform in ("systemd", "launchd"):
        assert main(["service", "install", "--platform", platform, "--dry-run",
                     "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "would run: systemctl --user enable --now followup-daemon.service" in out
    assert "would run: launchctl bootstrap gui/" in out and "<key>RunAtLoad</key>" in out
    assert not calls.exists() and not (tmp_path / "home").exists()


def test_install_needs_an_account(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    assert main(["service", "install", "--dry-run", "--config", str(empty)]) == 2
    assert "no [[accounts]] yet" in capsys.readouterr().err


def test_a_percent_in_a_path_is_escaped(tmp_path: Path) -> None:
    unit = systemd_unit(Installation(Path("/c/100%/config.toml"), Path("/s/50%"),
                                     (Path("/out/a%b"),), python="/v/bin/python"))
    lines = unit.splitlines()
    assert "ReadWritePaths=-/s/50%% -/out/a%%b" in lines
    assert "ExecStart=/v/bin/python -m followup_daemon run --config /c/100%%/config.toml " \
        "--state-dir /s/50%%" in lines


@pytest.mark.skipif(not HAS_SYSTEMD, reason="systemd-analyze is not installed")
def test_a_unit_with_odd_paths_verifies(tmp_path: Path) -> None:
    odd = tmp_path / "50% off" / "not yet"
    unit = systemd_unit(Installation(odd / "config.toml", odd / "state", (odd / "Mail",)))
    assert _verify_text(tmp_path, unit) == ""


def _verify_text(tmp_path: Path, unit: str) -> str:
    path = tmp_path / "followup-daemon.service"
    path.write_text(unit)
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    done = subprocess.run(["systemd-analyze", "--user", "verify", str(path)], text=True,
                          capture_output=True, env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)})
    return (done.stdout + done.stderr).strip()


@pytest.mark.parametrize("verb", ["status", "uninstall"])
def test_a_service_manager_out_of_reach_is_an_error(setup: tuple[Path, Path], tmp_path: Path,
                                                   verb: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    config, _ = setup
    (tmp_path / "bin" / "systemctl").write_text(
        '#!/bin/sh\necho "Failed to connect to bus: No medium found" >&2\nexit 0\n')
    status = main(["service", verb, "--platform", "systemd", "--config", str(config)])
    assert status == 2
    assert "cannot reach your service manager" in capsys.readouterr().err


def test_status_passes_on_the_managers_exit_status(setup: tuple[Path, Path], tmp_path: Path
                                                   ) -> None:
    config, _ = setup
    (tmp_path / "bin" / "systemctl").write_text('#!/bin/sh\necho inactive\nexit 3\n')
    assert main(["service", "status", "--platform", "systemd", "--config", str(config)]) == 3


def test_an_installation_under_tmp_shares_tmp() -> None:
    """PrivateTmp would hide a checkout under /tmp from the service: 203/EXEC."""
    under = systemd_unit(Installation(Path("/tmp/x/config.toml"), Path("/s"),
                                      python="/tmp/ci/.venv/bin/python"))
    assert "PrivateTmp=no" in under.splitlines() and "PrivateTmp=yes" not in under
    elsewhere = systemd_unit(Installation(Path("/c/config.toml"), Path("/s"),
                                          python="/opt/venv/bin/python"))
    assert "PrivateTmp=yes" in elsewhere.splitlines()
