"""Shell completion and the man page: made from the parser, shipped in the wheel, and
never imported by the ordinary commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from followup_daemon.cli_docs import SHARED

ROOT = Path(__file__).resolve().parents[2]


def generated(what: str, tmp_path: Path) -> str:
    """A file of `share/` as a fresh home makes it (no XDG_* of the developer's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env["HOME"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-c", "import sys; from followup_daemon.cli_docs "
                           "import shared_file; sys.stdout.write(shared_file(sys.argv[1]))",
                           what], env=env, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.mark.parametrize("path", sorted(SHARED))
def test_the_shipped_files_are_the_ones_the_parser_makes(path: str, tmp_path: Path) -> None:
    assert (ROOT / path).read_text() == generated(path, tmp_path), \
        f"{path} is stale: run `make share`"


def test_completion_knows_every_command_and_the_global_options() -> None:
    for shell in ("bash", "zsh", "fish"):
        script = subprocess.run([sys.executable, "-m", "followup_daemon", "completion", shell],
                                capture_output=True, text=True, check=True).stdout
        for word in ("plan", "sync", "status", "doctor", "dry-run", "explain",
                     "state-dir", "log-level"):  # fish writes `-l dry-run`
            assert word in script, (shell, word)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_a_command_and_an_option(tmp_path: Path) -> None:
    script = tmp_path / "completion.bash"
    script.write_text(subprocess.run([sys.executable, "-m", "followup_daemon", "completion",
                                      "bash"], capture_output=True, text=True,
                                     check=True).stdout)
    probe = (f"source {script}; COMP_WORDS=(followup-daemon sta); COMP_CWORD=1; "
             "_shtab_followup_daemon; echo \"${COMPREPLY[@]}\"; "
             "COMP_WORDS=(followup-daemon sync --dr); COMP_CWORD=2; "
             "_shtab_followup_daemon; echo \"${COMPREPLY[@]}\"")
    lines = subprocess.run(["bash", "-c", probe], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    assert lines[0].split() == ["status"] and lines[1].split() == ["--dry-run"]


def test_the_man_page_reads_in_man(tmp_path: Path) -> None:
    page = subprocess.run([sys.executable, "-m", "followup_daemon", "man"],
                          capture_output=True, text=True, check=True).stdout
    assert page.startswith(".TH FOLLOWUP\\-DAEMON \"1\"")
    for command in ("plan", "sync", "status", "completion"):
        assert f"followup\\-daemon {command}" in page or f"'followup\\-daemon {command}'" in page
    if shutil.which("man") and shutil.which("groff"):
        shown = subprocess.run(["man", "-l", "-"], input=page, capture_output=True,
                               text=True, check=True, env={**os.environ, "MANWIDTH": "80"})
        assert "--dry-run" in shown.stdout.replace("‐", "-")
