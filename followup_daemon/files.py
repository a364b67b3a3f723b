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
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temporary, target = _unsynced_copy(path, payload)
    try:
        _fsync(temporary, path)
        _rename(temporary, path, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


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


def write_private_many(files: dict[Path, bytes]) -> None:
    """Write several files as `write_private` does, flushed to disk together: each is
    written to a temporary file, then all are fsynced, then all renamed, then their
    folders fsynced. No target has its new name before its bytes are on disk, and
    the disk's journal is committed about once rather than once per file. An error
    names the file; the files renamed before it stay written."""
    written: list[tuple[str, Path, Path]] = []
    try:
        for path, payload in files.items():
            temporary, target = _unsynced_copy(path, payload)
            written.append((temporary, path, target))
        for temporary, path, _ in written:
            _fsync(temporary, path)
        for temporary, path, target in written:
            _rename(temporary, path, target)
        for folder in {target.parent for _, _, target in written}:
            _fsync(str(folder), folder)
    finally:
        for temporary, _, _ in written:
            Path(temporary).unlink(missing_ok=True)


def _unsynced_copy(path: Path, payload: bytes) -> tuple[str, Path]:
    """`payload` in a new private temporary file beside `path`'s target (a symlink's
    is the file it points to); the temporary file and the target."""
    target = Path(os.path.realpath(path))
    try:
        make_private_dir(target.parent)
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                         dir=target.parent)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, str(path)) from error
    return temporary, target


def flush_to_disk(path: Path) -> None:
    """Flush a file's bytes, or a folder's names, to disk; an error names `path`."""
    _fsync(str(path), path)


def _fsync(name: str, path: Path) -> None:
    try:
        fd = os.open(name, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from error


def _rename(temporary: str, path: Path, target: Path) -> None:
    try:
        os.replace(temporary, target)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from error
