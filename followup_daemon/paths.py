"""Where the daemon's files live by default (platformdirs): light enough for `--help`."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "followup-daemon"


def default_config_path() -> Path:
    """`config.toml` in the user's config directory (XDG on Linux)."""
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def default_state_dir() -> Path:
    """The user's state directory (XDG_STATE_HOME on Linux)."""
    return platformdirs.user_state_path(APP_NAME)


def shown(path: Path) -> str:
    """A path for help texts, the home folder written `~`: the same on every machine,
    so the man page and completion scripts built from the help are too."""
    try:
        return f"~/{path.relative_to(Path.home())}"
    except ValueError:
        return str(path)
