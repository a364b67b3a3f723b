"""`service install|uninstall|status`: a systemd user service on Linux, a launchd
agent on macOS; `--dry-run` prints what would be done."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from .cli_common import add_paths
from .config import load_config
from .errors import UserError
from .files import make_private_dir, write_private
from .paths import default_config_path, default_state_dir
from .service.units import (
    LAUNCHD_LABEL,
    UNIT_NAME,
    Installation,
    command_text,
    launchd_plist,
    systemd_unit,
    writable_paths,
)


def add_service(service: argparse.ArgumentParser) -> None:
    """`service install|uninstall|status`."""
    service.description = ("Install the daemon as a systemd user service (Linux) or a "
                           "launchd agent (macOS).")
    verbs = service.add_subparsers(dest="verb", metavar="VERB", required=True)
    for verb, what in (("install", "write, enable and start the service"),
                       ("uninstall", "stop, disable and remove the service"),
                       ("status", "what the service manager says")):
        sub = verbs.add_parser(verb, help=what)
        add_paths(sub, state_help="the state directory")
        sub.add_argument("--platform", choices=["systemd", "launchd"],
                         default="launchd" if sys.platform == "darwin" else "systemd")
        sub.add_argument("--dry-run", action="store_true", help="print what would be done")
        sub.set_defaults(handler=run_service)


def unit_path(platform: str) -> Path:
    """Where the unit or agent file goes."""
    if platform == "launchd":
        return Path.home() / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user" / UNIT_NAME


def _installation(args: argparse.Namespace) -> Installation:
    config_path = (args.config or default_config_path()).expanduser().resolve()
    config = load_config(config_path)
    if not config.accounts:
        raise UserError(f"{config_path}: no [[accounts]] yet; add one before installing")
    state = (args.state_dir or default_state_dir()).expanduser().resolve()
    return Installation(config_path, state, writable_paths(config.accounts, config.base))


def _commands(verb: str, platform: str, path: Path) -> list[list[str]]:
    if platform == "launchd":
        domain = f"gui/{os.getuid()}"
        return {"install": [["launchctl", "bootstrap", domain, str(path)]],
                "uninstall": [["launchctl", "bootout", f"{domain}/{LAUNCHD_LABEL}"]],
                "status": [["launchctl", "print", f"{domain}/{LAUNCHD_LABEL}"]]}[verb]
    user = ["systemctl", "--user"]
    return {"install": [[*user, "daemon-reload"], [*user, "enable", "--now", UNIT_NAME]],
            "uninstall": [[*user, "disable", "--now", UNIT_NAME], [*user, "daemon-reload"]],
            "status": [[*user, "status", "--no-pager", UNIT_NAME]]}[verb]


def run_service(args: argparse.Namespace) -> int:
    """Install, uninstall or report on the service."""
    path = unit_path(args.platform)
    if args.verb == "install":
        _install(args, path)
    elif args.verb == "uninstall" and not args.dry_run:
        _run(_commands("uninstall", args.platform, path)[:1], check=False)
        path.unlink(missing_ok=True)
        _run(_commands("uninstall", args.platform, path)[1:], check=True)
        print(f"removed {path}")
        return 0
    commands = _commands(args.verb, args.platform, path)
    if args.dry_run:
        for command in commands:
            print(f"would run: {command_text(command)}")
        return 0
    return _run(commands, check=args.verb == "install")


def _install(args: argparse.Namespace, path: Path) -> None:
    installation = _installation(args)
    text = launchd_plist(installation, Path.home()) if args.platform == "launchd" \
        else systemd_unit(installation).encode()
    if args.dry_run:
        print(f"would write {path}:\n{text.decode()}")
        return
    for folder in (installation.state_dir, *installation.writable):
        make_private_dir(folder)  # sandboxed paths must exist when the unit starts
    write_private(path, text)
    print(f"wrote {path}")


def _run(commands: list[list[str]], check: bool) -> int:
    """Run each command; the exit status of the last, or of the first that could not
    reach the service manager at all (which is always an error)."""
    status = 0
    for command in commands:
        try:
            result = subprocess.run(command, check=False, capture_output=True, text=True)
        except FileNotFoundError:
            raise UserError(f"{command[0]} not found: is this a {command[0].rstrip('ctl')} "
                            "system? Use --platform, or --dry-run to see the steps") from None
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        if _no_manager(result.stderr):
            raise UserError(f"`{command_text(command)}` cannot reach your service manager "
                            f"({result.stderr.strip().splitlines()[0]}); log in to a desktop "
                            "or SSH session with a user manager (`loginctl enable-linger`)")
        if check and result.returncode != 0:
            raise UserError(f"`{command_text(command)}` failed (exit {result.returncode}); "
                            "see the message above")
        status = result.returncode
    return status


def _no_manager(stderr: str) -> bool:
    return any(sign in stderr for sign in ("Failed to connect to bus", "No medium found",
                                           "Could not find the requested service"))
