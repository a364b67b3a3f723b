"""The unit under a real systemd user manager: `service install` before any sync,
READY and STATUS, the watchdog, SIGHUP reload, Restart= after a crash.

The manager runs in a private mount namespace (`unshare -m`), where a tmpfs on
/run holds the /run/systemd/system that tells systemd it may run; it talks to
`systemctl --user` through its own XDG_RUNTIME_DIR. The unit's sandbox hides
/tmp (PrivateTmp=yes), so the test's files live under the home folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from ..ics_files import ics_text
from ..process_helpers import wait_for

ROOT = Path(__file__).resolve().parents[2]
SYSTEMD = next((p for p in ("/lib/systemd/systemd", "/usr/lib/systemd/systemd")
                if Path(p).exists()), None)
UNIT = "followup-daemon.service"
settled = partial(wait_for, seconds=60)  # a manager on a loaded machine takes its time
CALENDAR = ics_text("interview-new-york", uid="real-1", start="20261116T140000",
                    summary="Interview with Acme", organizer="jane@acme.com")


def _why_not() -> str | None:
    if SYSTEMD is None or shutil.which("systemctl") is None:
        return "systemd is not installed (Debian package systemd); .ci/run installs it"
    if shutil.which("nsenter") is None:
        return "nsenter (util-linux) is needed to reach the user manager's namespace"
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return "a private mount namespace (unshare -m, as root) is needed to start a user " \
               "manager on a machine not booted with systemd"
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        return f"unshare -m is refused here: {probe.stderr.decode().strip()}"
    return None


pytestmark = pytest.mark.skipif(_why_not() is not None, reason=_why_not() or "")


class Manager:
    """A systemd --user instance with its own runtime folder and home."""

    def __init__(self, home: Path) -> None:
        self.home = home
        runtime = home / "run"
        runtime.mkdir(mode=0o700)
        self.env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime),
                    "XDG_CONFIG_HOME": str(home / ".config"),
                    "XDG_STATE_HOME": str(home / ".state"), "TZ": "America/New_York"}
        self.env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        script = ("mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/system && "
                  f"exec {SYSTEMD} --user --log-target=console")
        self.process = subprocess.Popen(["unshare", "-m", "sh", "-c", script], env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def inside(self, *command: str) -> list[str]:
        """`command` run in the manager's mount namespace, where /run/systemd/system says
        "booted with systemd" (the host's /run may not)."""
        return ["nsenter", "-m", "-t", str(self.process.pid), *command]

    def systemctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.inside("systemctl", "--user", *args), env=self.env,
                              text=True, capture_output=True, check=False, timeout=30)

    def prop(self, name: str) -> str:
        return self.systemctl("show", "-p", name, "--value", UNIT).stdout.strip()

    def stop(self) -> None:
        self.systemctl("stop", UNIT)
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def manager() -> Iterator[Manager]:
    home = Path(tempfile.mkdtemp(prefix="followup-systemd-", dir=Path.home()))
    manager = Manager(home)
    try:
        if not settled(lambda: manager.systemctl("is-system-running").stdout.strip()
                        in ("running", "degraded"), seconds=30):
            pytest.fail("the user manager did not start: "
                        f"{manager.systemctl('is-system-running').stdout.strip()}")
        yield manager
    finally:
        manager.stop()
        shutil.rmtree(home, ignore_errors=True)


SANDBOX = ("PrivateTmp=yes", "ProtectSystem=strict", "ProtectHome=read-only",
           "PrivateDevices=yes", "ProtectKernelTunables=yes", "ProtectKernelModules=yes",
           "ProtectKernelLogs=yes", "ProtectControlGroups=yes")


def refused_by_this_kernel(manager: Manager) -> list[str]:
    """The unit's sandbox settings that this machine cannot set up (a container whose
    /proc cannot be remounted refuses ProtectKernelTunables and ProtectKernelLogs with
    226/NAMESPACE); each is tried alone on a transient unit."""
    refused = []
    for setting in SANDBOX:
        command = manager.inside("systemd-run", "--user", "--wait", "--quiet", "-p", setting,
                                 "/bin/true")
        probe = subprocess.run(command, env=manager.env, capture_output=True, text=True,
                               timeout=30, check=False)
        if probe.returncode != 0:
            refused.append(setting)
    return refused


def relax(manager: Manager, refused: list[str]) -> None:
    """A drop-in turning off only what this machine refuses, as the README tells users;
    everything else of the unit runs as shipped."""
    if not refused:
        return
    dropin = manager.home / ".config" / "systemd" / "user" / f"{UNIT}.d"
    dropin.mkdir(parents=True, exist_ok=True)
    lines = [f"{setting.split('=')[0]}=no" for setting in refused]
    (dropin / "machine.conf").write_text("[Service]\n" + "\n".join(lines) + "\n")
    print(f"this machine refuses {', '.join(refused)}: turned off by a drop-in")


def _install(manager: Manager) -> Path:
    relax(manager, refused_by_this_kernel(manager))
    work = manager.home / "work"
    work.mkdir()
    (work / "cal.ics").write_text(CALENDAR)
    (work / "config.toml").write_text(
        '[rules]\ntimezone = "America/New_York"\nmax_followups = 1\nthank_you = false\n'
        '[sync]\ninterval_seconds = 2\n'
        'draft_when = "planned"\n[[accounts]]\nname = "mine"\nprovider = "local"\n'
        'calendars = ["cal.ics"]\nfollowups = "out/followups.ics"\nmaildir = "Mail"\n')
    done = subprocess.run(manager.inside(
        sys.executable, "-m", "followup_daemon", "service", "install", "--config",
        str(work / "config.toml"), "--state-dir", str(manager.home / "state")),
        env=manager.env, cwd=ROOT, text=True, capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return work


def test_the_unit_runs_under_a_real_user_manager(manager: Manager) -> None:
    work = _install(manager)  # before any sync: out/ and Mail/ do not exist yet
    assert settled(lambda: manager.prop("ActiveState") == "active"), \
        manager.systemctl("status", "--no-pager", UNIT).stdout
    assert manager.prop("SubState") == "running"  # READY=1 came (Type=notify)
    assert settled(lambda: "last pass" in manager.prop("StatusText"))
    assert "mine: ok" in manager.prop("StatusText")
    assert settled(lambda: (work / "out" / "followups.ics").exists())
    assert settled(lambda: any((work / "Mail" / "Drafts" / "cur").glob("*")))
    assert settled(lambda: manager.prop("WatchdogTimestampMonotonic") not in ("", "0"))


def test_reload_and_restart(manager: Manager) -> None:
    _install(manager)
    assert settled(lambda: manager.prop("ActiveState") == "active")
    first = manager.prop("MainPID")
    reload = manager.systemctl("reload", UNIT)  # SIGHUP: RELOADING=1, then READY=1
    assert reload.returncode == 0, reload.stderr
    assert settled(lambda: manager.prop("ActiveState") == "active")
    assert manager.prop("MainPID") == first
    dropin = manager.home / ".config" / "systemd" / "user" / f"{UNIT}.d"
    dropin.mkdir(parents=True, exist_ok=True)
    (dropin / "fast-restart.conf").write_text("[Service]\nRestartSec=1\n")  # not 30 s
    manager.systemctl("daemon-reload")
    os.kill(int(first), 9)  # a crash
    assert settled(lambda: manager.prop("NRestarts") == "1"), manager.prop("NRestarts")
    assert settled(lambda: manager.prop("ActiveState") == "active")
    assert manager.prop("MainPID") not in (first, "0")
