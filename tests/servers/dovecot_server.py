"""A real Dovecot IMAP server on 127.0.0.1 for the tests (plain and STARTTLS), with a
Drafts mailbox declared `special_use = \\Drafts`. Any user logs in with `secret`."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "secret-imap-password"
CONFIG = """
base_dir = {base}
state_dir = {base}/state
protocols = imap
listen = 127.0.0.1
log_path = {root}/dovecot.log
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Drafts {{
    special_use = \\Drafts
    auto = subscribe
  }}
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = 1
"""


@dataclass(frozen=True)
class Dovecot:
    """A running server."""

    port: int
    root: Path

    def maildir(self, user: str) -> Path:
        return self.root / "home" / user / "Maildir"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def available() -> bool:
    return shutil.which("dovecot") is not None or Path("/usr/sbin/dovecot").exists()


@contextmanager
def dovecot_server(root: Path, cert: Path, key: Path) -> Iterator[Dovecot]:
    """Start Dovecot in the foreground with its own config; stop it afterwards."""
    base = Path(tempfile.mkdtemp(prefix="dv", dir="/tmp"))  # short: socket path limit
    port = _free_port()
    login_user, internal_user, uid, gid = _users(root)
    (root / "dovecot.conf").write_text(CONFIG.format(
        base=base, root=root, cert=cert, key=key, password=PASSWORD, uid=uid, gid=gid,
        port=port, login_user=login_user, internal_user=internal_user))
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    process = subprocess.Popen([binary, "-F", "-c", str(root / "dovecot.conf")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait(port, process, root)
        yield Dovecot(port, root)
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(base, ignore_errors=True)


def _users(root: Path) -> tuple[str, str, int, int]:
    """Dovecot's users; as root, mail belongs to the `dovecot` user (never uid 0)."""
    if os.getuid() != 0:
        me = pwd.getpwuid(os.getuid()).pw_name
        return me, me, os.getuid(), os.getgid()
    mail = pwd.getpwnam("dovecot")
    (root / "home").mkdir(exist_ok=True)
    os.chown(root / "home", mail.pw_uid, mail.pw_gid)
    return "dovenull", "dovecot", mail.pw_uid, mail.pw_gid


def _wait(port: int, process: subprocess.Popen[bytes], root: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            raise RuntimeError(f"dovecot exited: {process.stdout.read()!r} {log}")  # type: ignore[union-attr]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("dovecot did not start")
