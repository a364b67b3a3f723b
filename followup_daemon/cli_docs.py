"""`completion SHELL` and `man`: both generated from the parser itself (shtab and
argparse-manpage), so they never drift from `--help`. Only these two commands
build every command's options and import the generators."""

from __future__ import annotations

import argparse

SHELLS = ("bash", "zsh", "fish", "tcsh")
PROG = "followup-daemon"


def add_completion(sub: argparse.ArgumentParser) -> None:
    """The options of `completion`."""
    sub.description = ("Print the shell completion script. bash: "
                       "`followup-daemon completion bash > "
                       "~/.local/share/bash-completion/completions/followup-daemon`; "
                       "zsh: into a folder of $fpath as _followup-daemon; fish: "
                       "into ~/.config/fish/completions/followup-daemon.fish.")
    sub.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    sub.set_defaults(handler=run_completion)


def add_man(sub: argparse.ArgumentParser) -> None:
    """The options of `man`."""
    sub.description = ("Print the manual page (roff): "
                       "`followup-daemon man | man -l -`.")
    sub.set_defaults(handler=run_man)


def completion(shell: str) -> str:
    """The completion script for `shell`."""
    import shtab

    from .cli import build_parser

    return str(shtab.complete(build_parser(None), shell=shell))


def manual() -> str:
    """The manual page, in roff."""
    from argparse_manpage.manpage import Manpage

    from . import __version__
    from .cli import build_parser

    # `_data` is how argparse-manpage takes the page's header; a fixed date keeps the
    # page the same from build to build
    return str(Manpage(build_parser(None), _data={
        "project_name": PROG, "version": __version__, "date": "2026-12-01",
        "manual_title": "User Commands", "manual_section": "1",
        "description": "plan and write follow-ups after job interviews"}))


# where `pip install` puts each file (under the environment's prefix), as
# [tool.setuptools.data-files] in pyproject.toml lists them
SHARED = {"share/man/man1/followup-daemon.1": ("man", ""),
          "share/bash-completion/completions/followup-daemon": ("completion", "bash"),
          "share/zsh/site-functions/_followup-daemon": ("completion", "zsh"),
          "share/fish/vendor_completions.d/followup-daemon.fish": ("completion", "fish")}


def shared_file(path: str) -> str:
    """What one of the installed files holds, made now."""
    kind, shell = SHARED[path]
    return manual() if kind == "man" else completion(shell)


def run_completion(args: argparse.Namespace) -> int:
    """`completion SHELL`: print the script."""
    print(completion(args.shell), end="")
    return 0


def run_man(args: argparse.Namespace) -> int:
    """`man`: print the page."""
    print(manual(), end="")
    return 0
