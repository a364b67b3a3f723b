"""`followup-daemon doctor`: what is wrong, and the exact fix for each problem.

Each check gives one row: what was checked, OK / warning / problem, what was
found and what to do. Only problems make the exit status non-zero; a warning is
something to know (no service installed, an unfinished write to be settled).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .cli_common import Workspace
from .config import Config
from .errors import AuthExpired, FollowupError, TransientError
from .model import clean_line
from .state import PENDING

OK, WARN, PROBLEM = "ok", "warning", "problem"


@dataclass(frozen=True)
class Check:
    """One row of the report."""

    name: str
    status: str
    found: str
    fix: str = ""


def run_checks(work: Workspace, unit: Path) -> list[Check]:
    """Every check, in the order a person would look."""
    checks = [_zone(work.config), _keyring(work.config)]
    checks += list(_accounts(work))
    checks += [_state(work.state_dir), _service(unit)]
    return checks


def _zone(config: Config) -> Check:
    """TZ unset or invalid silently means UTC for the system; say which zone is used."""
    used = getattr(config.settings.rules.timezone, "key", str(config.settings.rules.timezone))
    tz = os.environ.get("TZ")
    if tz:
        try:
            ZoneInfo(tz.lstrip(":"))
        except (ZoneInfoNotFoundError, ValueError):
            return Check("time zone", PROBLEM, f"TZ={tz!r} names no zone, so the system "
                         "reads times in UTC", "unset TZ or set it to a zone such as "
                         "Europe/Berlin; or set [rules] timezone in the config")
    if used in ("UTC", "Etc/UTC") and not tz:
        return Check("time zone", WARN, "UTC: the system names no local zone",
                     "set [rules] timezone = \"Area/City\" in the config if you are not in UTC")
    return Check("time zone", OK, f"{used}")


def _keyring(config: Config) -> Check:
    import keyring

    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    from .registry import credentials_of

    needed = any(credentials_of(a) for a in config.accounts)
    if "fail" in name.split(".") or "null" in name.lower():
        status, why = (PROBLEM, "") if needed else (OK, "; no account needs one")
        return Check("keyring", status, f"no usable keyring ({name}){why}",
                     "start a Secret Service (GNOME Keyring, KWallet) in your session; a "
                     "service needs DBUS_SESSION_BUS_ADDRESS" if needed else "")
    if "plaintext" in name.lower() or "keyrings.alt" in name:
        return Check("keyring", PROBLEM, f"{name} keeps secrets in a plain file",
                     "pip uninstall keyrings.alt, and use the system keyring")
    bus = Path(os.environ.get("XDG_RUNTIME_DIR", "/nonexistent")) / "bus"
    if needed and "SecretService" in name and not bus.exists():
        return Check("keyring", WARN, f"{name}, but {bus} does not exist: the service "
                     "reaches the keyring through it", "log in with a desktop or systemd "
                     "user session (`loginctl enable-linger` keeps one)")
    return Check("keyring", OK, name)


def _accounts(work: Workspace) -> Iterator[Check]:
    state_dir = work.state_dir
    for account in work.config.accounts:
        name = f"account {account['name']}"
        try:
            endpoints = work.providers.get(account, work.config, state_dir)
            calendar = endpoints.calendar
            if hasattr(calendar, "source_files"):
                calendar.source_files()  # a calendar path that leads nowhere
            found = len(calendar.list_followups())
            off = endpoints.inbox.replies_off() if endpoints.inbox is not None else None
        except AuthExpired as error:
            yield Check(name, PROBLEM, "needs re-authorisation", clean_line(str(error)))
        except TransientError as error:
            yield Check(name, PROBLEM, f"cannot be reached: {clean_line(str(error))}",
                        "check the network, the server name and its certificate")
        except (FollowupError, OSError) as error:
            yield Check(name, PROBLEM, clean_line(str(error)), "fix the account in the config")
        else:
            yield _last_pass(name, found, _last(state_dir, str(account["name"])))
            if off:
                yield _replies_off(name, off)


def _replies_off(name: str, off: str) -> Check:
    """Follow-ups go on after an answer: worth knowing, and one command away."""
    found, _, fix = off.partition("; ")
    return Check(f"{name} replies", WARN, clean_line(found), clean_line(fix))


def _last(state_dir: Path, account: str) -> tuple[str, str, str] | None:
    """(finished, result, error) of the account's last pass, read-only."""
    path = state_dir / "state.sqlite3"
    if not path.exists():
        return None
    try:
        with _read_only(path) as db:
            row = db.execute("SELECT pass_finished, result, error FROM accounts WHERE name = ?",
                             (account,)).fetchone()
    except sqlite3.DatabaseError:
        return None  # the state check reports it
    return (str(row[0]), str(row[1]), str(row[2] or "")) if row else None


def _last_pass(name: str, found: int, last: tuple[str, str, str] | None) -> Check:
    reach = f"reachable, {found} follow-up(s) of the daemon's there"
    if last is None:
        return Check(name, OK, f"{reach}; no pass yet")
    finished, result, error = last
    if result != "ok":
        return Check(name, WARN, f"{reach}; the last pass ({finished}) failed: "
                     f"{clean_line(error)}", "it is tried again on the next pass")
    return Check(name, OK, f"{reach}; last pass {finished}: ok")


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """The state database opened read-only: the doctor never changes it."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield db
    finally:
        db.close()


def _state(state_dir: Path) -> Check:
    path = state_dir / "state.sqlite3"
    if not path.exists():
        return Check("state", WARN, f"{path} does not exist yet", "run `followup-daemon sync`")
    try:
        with _read_only(path) as db:
            integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
            version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                                 ).fetchone()
            pending = sum(db.execute(f"SELECT COUNT(*) FROM {table} WHERE status IN "
                                     "(?, ?, ?)", PENDING).fetchone()[0]
                          for table in ("followups", "drafts"))
    except sqlite3.DatabaseError as error:
        return Check("state", PROBLEM, f"{path} cannot be read ({error})",
                     "keep the file (it holds the follow-ups you deleted or moved) and "
                     "restore it from a backup")
    return _state_verdict(path, integrity, version[0] if version else "?", pending)


def _state_verdict(path: Path, integrity: str, version: Any, pending: int) -> Check:
    if integrity != "ok":
        return Check("state", PROBLEM, f"{path}: integrity check says {integrity!r}",
                     "restore the file from a backup")
    found = f"schema {version}, integrity ok"
    if pending:
        return Check("state", WARN, f"{found}; {pending} unfinished write(s)",
                     "the next pass settles them by looking them up")
    return Check("state", OK, found)


def _service(unit: Path) -> Check:
    if not unit.exists():
        return Check("service", WARN, "not installed", "`followup-daemon service install` "
                     "runs the daemon at login")
    if shutil.which("systemctl") is None:
        return Check("service", OK, f"installed ({unit})")
    done = subprocess.run(["systemctl", "--user", "is-active", unit.name], text=True,
                          capture_output=True, check=False)
    state = (done.stdout.strip() or done.stderr.strip() or "unknown").splitlines()[0]
    if state != "active":
        return Check("service", PROBLEM, f"installed, but {state}",
                     f"`systemctl --user status {unit.name}` and `journalctl --user -u "
                     f"{unit.name}` say why")
    enabled = subprocess.run(["systemctl", "--user", "is-enabled", unit.name], text=True,
                             capture_output=True, check=False).stdout.strip()
    if enabled != "enabled":
        return Check("service", WARN, f"running, but {enabled or 'not enabled'}: it will not "
                     "start at your next login", f"systemctl --user enable {unit.name}")
    return Check("service", OK, "installed, enabled and running")


def as_json(checks: list[Check]) -> list[dict[str, str]]:
    """The checks as JSON-ready dicts."""
    return [asdict(c) for c in checks]
