"""Writing files the safe way: private to the user, whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def make_private_dir(path: Path) -> None:
    """Create `path` and any missing parents, each with mode 0700."""
    missing = []
    while not path.exists():
        missing.append(path)
        if path.parent == path:
            break
        path = path.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)


def write_private(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` atomically (temporary file + rename), mode 0600.

    A symlink is written through (its target is replaced, the link stays); an
    error names `path`, never the temporary file."""
    target = Path(os.path.realpath(path))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temporary = ""
    try:
        make_private_dir(target.parent)
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                         dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except OSError as error:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, str(path)) from error
    except BaseException:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        raise


def maildir_files(folder: Path) -> list[tuple[Path, int | None]]:
    """(file, delivery time) of each message in a Maildir folder's new/ and cur/, in name
    order: the time is the number a Maildir file name starts with (None without one)."""
    found: list[tuple[Path, int | None]] = []
    for sub in ("new", "cur"):
        directory = folder / sub
        for file in sorted(directory.iterdir()) if directory.is_dir() else []:
            if file.is_file() and not file.name.startswith("."):
                stamp = file.name.partition(".")[0]
                found.append((file, int(stamp) if stamp.isdigit() else None))
    return found
