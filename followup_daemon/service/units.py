"""The systemd user unit and the launchd agent, made for one installation."""

from __future__ import annotations

import plistlib
import shlex
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

UNIT_NAME = "followup-daemon.service"
LAUNCHD_LABEL = "io.github.followup-daemon"

UNIT = """\
# followup-daemon as a systemd user service (written by `followup-daemon service install`).
[Unit]
Description=followup-daemon: follow-ups after job interviews
Documentation=man:systemd.service(5)
# Five failures in ten minutes: stop trying until `systemctl --user restart`.
StartLimitIntervalSec=600
StartLimitBurst=5

[Service]
Type=notify
NotifyAccess=main
ExecStart={exec_start}
ExecReload=/bin/kill -HUP $MAINPID
WatchdogSec=180
# A pass stops between two writes; a request in flight may take its timeout (30 s).
TimeoutStopSec=45
Restart=on-failure
RestartSec=30
UMask=0077
Environment=PYTHONUNBUFFERED=1
# The keyring (Secret Service) is on the session bus.
Environment=DBUS_SESSION_BUS_ADDRESS=unix:path=%t/bus

# Hardening that fits a user service: read-only system and home, but for its
# own state and the folders its local accounts write to.
NoNewPrivileges=yes
{private_tmp}
ProtectSystem=strict
ProtectHome=read-only
ReadWritePaths={writable}
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
LockPersonality=yes
MemoryDenyWriteExecute=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
RestrictNamespaces=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
CapabilityBoundingSet=
AmbientCapabilities=
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallErrorNumber=EPERM

[Install]
WantedBy=default.target
"""


@dataclass(frozen=True)
class Installation:
    """What the service runs and may write."""

    config: Path
    state_dir: Path
    writable: tuple[Path, ...] = field(default_factory=tuple)
    python: str = sys.executable
    specifiers: bool = False  # the paths hold systemd specifiers on purpose (%h, %S)

    def command(self) -> list[str]:
        """The daemon's command line."""
        return [self.python, "-m", "followup_daemon", "run", "--config", str(self.config),
                "--state-dir", str(self.state_dir)]


def _quote(path: str) -> str:
    return f'"{path}"' if any(c.isspace() for c in path) else path


def _escaper(installation: Installation) -> Callable[[str], str]:
    """`%` starts a systemd specifier (a bad one drops the whole line): a real path's
    `%` is written `%%`, unless the paths are written with specifiers on purpose."""
    return (lambda text: text) if installation.specifiers else \
        (lambda text: text.replace("%", "%%"))


def systemd_unit(installation: Installation) -> str:
    """The unit file's text. Writable paths carry systemd's `-` prefix: one that does not
    exist yet (a Maildir made with the first draft) is skipped, not a 226/NAMESPACE."""
    escape = _escaper(installation)
    exec_start = " ".join(_quote(escape(part).replace("$", "$$"))
                          for part in installation.command())
    writable = [installation.state_dir, *installation.writable]
    paths = " ".join(_quote("-" + escape(str(p))) for p in dict.fromkeys(writable))
    return UNIT.format(exec_start=exec_start, writable=paths,
                       private_tmp=_private_tmp([installation.python, installation.config,
                                                 *writable]))


def _private_tmp(paths: Iterable[str | Path]) -> str:
    """PrivateTmp hides /tmp and /var/tmp: an installation that lives there (a checkout
    under /tmp) could not even start, so the unit then shares them, and says why."""
    if any(str(p).startswith(("/tmp/", "/var/tmp/")) for p in paths):
        return "# this installation lives under /tmp, which PrivateTmp would hide\nPrivateTmp=no"
    return "PrivateTmp=yes"


def launchd_plist(installation: Installation, home: Path) -> bytes:
    """The launchd agent's property list."""
    logs = home / "Library" / "Logs"
    agent: dict[str, Any] = {
        "Label": LAUNCHD_LABEL,
        "ProgramArguments": installation.command(),
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
        "ProcessType": "Background",
        "StandardOutPath": str(logs / "followup-daemon.log"),
        "StandardErrorPath": str(logs / "followup-daemon.log"),
        "EnvironmentVariables": {"PYTHONUNBUFFERED": "1"},
        "Umask": 0o077,
    }
    return plistlib.dumps(agent)


def writable_paths(accounts: Iterable[dict[str, Any]], base: Path) -> tuple[Path, ...]:
    """The folders `local` accounts write follow-ups and drafts into."""
    paths = []
    for account in accounts:
        if account.get("provider") != "local":
            continue
        for key in ("followups", "maildir"):
            if key in account:
                path = Path(str(account[key])).expanduser()
                path = path if path.is_absolute() else (base / path).resolve()
                paths.append(path if key == "maildir" or path.suffix != ".ics" else path.parent)
    return tuple(paths)


def command_text(parts: list[str]) -> str:
    """A command as a person would type it."""
    return shlex.join(parts)
