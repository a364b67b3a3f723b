"""The product as users get it: a wheel built from the tree, installed into a fresh
virtual environment outside it, and the README's own Install steps on a fresh HOME.
Every command then runs from that install, in a folder far from the source tree."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ..ics_files import ics_text

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-27T09:00"
CALENDAR = ics_text("interview-new-york", uid="install-1@test", start="20261116T140000",
                    summary="Interview with Acme - Backend Engineer", organizer="jane@acme.com")


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


def fresh_env(home: Path) -> dict[str, str]:
    """A user's environment: a new HOME, nothing of the developers' venv on PATH."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("VIRTUAL_ENV", "PYTHON", "XDG_", "PIP_REQUIRE"))}
    env.update(HOME=str(home), TZ="America/New_York",
               PATH=os.pathsep.join([str(home / ".local" / "bin"), "/usr/local/bin",
                                     "/usr/bin", "/bin"]))
    return env


def source_copy(tmp: Path) -> Path:
    """The tree as a clone has it (tracked and new files, nothing built or ignored)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    target = tmp / "src"
    for name in listed:
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def use_local_account(program: str, work: Path, env: dict[str, str]) -> None:
    """`init`, `plan` and `sync --once` on a local account, as a new user would."""
    _run([program, "init"], work, env)
    config = work / "config.toml"
    (work / "cal.ics").write_text(CALENDAR)
    config.write_text('[rules]\ntimezone = "America/New_York"\n\n[[accounts]]\n'
                      'name = "mine"\nprovider = "local"\ncalendars = ["cal.ics"]\n'
                      'followups = "followups.ics"\nmaildir = "Maildir"\n')
    planned = _run([program, "plan", "--calendar", "cal.ics", "--now", NOW, "--json"],
                   work, env)
    assert '"company": "Acme"' in planned.stdout
    synced = _run([program, "sync", "--once", "--config", str(config), "--now", NOW,
                   "--state-dir", str(work / "state")], work, env)
    # the spec's defaults: a follow-up and a second check-in a week later
    assert "2 created" in synced.stdout + synced.stderr, synced.stdout + synced.stderr
    followups = (work / "followups.ics").read_text()
    assert "Follow up: e-mail Acme" in followups and "Follow up again: e-mail Acme" in followups
    assert len(list((work / "Maildir" / "Drafts" / "cur").iterdir())) == 1


def test_the_wheel_in_a_fresh_venv(tmp_path: Path) -> None:
    src, home = source_copy(tmp_path), tmp_path / "home"
    home.mkdir()
    env = fresh_env(home)
    _run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w",
          str(tmp_path / "dist")], src, env)
    [wheel] = (tmp_path / "dist").glob("followup_daemon-*.whl")
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path, env)
    _run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], tmp_path, env)
    # man finds pages beside the PATH's bin/ (../share/man); the completions go where
    # each shell's system-wide ones would, under the environment's prefix
    for shipped in ("share/man/man1/followup-daemon.1",
                    "share/bash-completion/completions/followup-daemon",
                    "share/zsh/site-functions/_followup-daemon",
                    "share/fish/vendor_completions.d/followup-daemon.fish"):
        assert (venv / shipped).is_file(), shipped
    work = tmp_path / "work"
    work.mkdir()
    use_local_account(str(venv / "bin" / "followup-daemon"), work, env)


def readme_install_steps() -> list[str]:
    """The shell lines of the README's Install section, in order."""
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Install\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, "the README's Install section has no sh block"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_the_readme_install_on_a_fresh_home(tmp_path: Path) -> None:
    src, home = source_copy(tmp_path), tmp_path / "home"
    home.mkdir()  # no ~/.local/bin, nothing on PATH of the user's own
    env = {**fresh_env(home), "PYTHON3": sys.executable}
    for line in readme_install_steps():
        line = re.sub(r"^python3 ", f"{sys.executable} ", line)
        _run(["bash", "-c", line], src, env)
    program = shutil.which("followup-daemon", path=env["PATH"])
    assert program == str(home / ".local" / "bin" / "followup-daemon"), program
    # beside the PATH's ~/.local/bin, where man and bash-completion look
    for linked in ("share/man/man1/followup-daemon.1",
                   "share/bash-completion/completions/followup-daemon"):
        assert (home / ".local" / linked).resolve().is_file(), linked
    work = tmp_path / "work"
    work.mkdir()
    use_local_account("followup-daemon", work, env)
