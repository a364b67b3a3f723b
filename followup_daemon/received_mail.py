"""The user's received mail for R7.2, from a Maildir folder or an mbox file, read by
its headers only: the sender, the Date and what tells an automatic reply. Nothing
of a message's body is parsed, and no subject is kept."""

from __future__ import annotations

import datetime as dt
import email.utils
import mailbox
from collections.abc import Callable, Iterator
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path

from .errors import UserError
from .files import maildir_files
from .model import Received
from .rules.addresses import clean_address
from .rules.answered import is_automatic

HEADER_LIMIT = 256 * 1024  # a header block longer than this is not a message's
WANTED = ("from", "date", "subject", "auto-submitted", "x-autoreply", "x-autorespond",
          "precedence")


def read_mail(path: Path) -> tuple[list[Received], list[str]]:
    """The messages of a Maildir folder (its cur/ and new/) or an mbox file, and a
    warning for each one skipped. Raises UserError when `path` is neither."""
    if path.is_dir():
        if not (path / "cur").is_dir() and not (path / "new").is_dir():
            raise UserError(f"{path}: not a Maildir folder (no cur/ or new/ in it); "
                            "give --mail a Maildir folder or an mbox file")
        blocks = _maildir_headers(path)
    elif path.is_file():
        blocks = _mbox_headers(path)
    else:
        raise UserError(f"{path}: no such Maildir folder or mbox file; check --mail")
    received: list[Received] = []
    warnings: list[str] = []
    for name, block in blocks:
        message = received_from_headers(block)
        if isinstance(message, str):
            warnings.append(f"{name}: skipped: {message}")
        else:
            received.append(message)
    return received, warnings


def _maildir_headers(folder: Path) -> Iterator[tuple[str, bytes]]:
    for file, _delivered in maildir_files(folder):
        with file.open("rb") as stream:
            yield str(file), header_block(stream.readline)


def _mbox_headers(path: Path) -> Iterator[tuple[str, bytes]]:
    box = mailbox.mbox(path, create=False)
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            with box.get_file(key) as stream:
                yield f"{path} message {number}", header_block(stream.readline)
    finally:
        box.close()


def header_block(readline: Callable[[], bytes]) -> bytes:
    """The lines up to the first empty one: the headers, never the body."""
    lines = []
    size = 0
    for line in iter(readline, b""):
        if line in (b"\n", b"\r\n") or size > HEADER_LIMIT:
            break
        lines.append(line)
        size += len(line)
    return b"".join(lines)


def received_from_headers(block: bytes) -> Received | str:
    """The message's sender and moment from its header block, or why it cannot be read."""
    headers = BytesHeaderParser(policy=compat32).parsebytes(block + b"\n")
    found = {name: _decoded(headers.get(name, "")) for name in WANTED if name in headers}
    sender = clean_address(email.utils.parseaddr(found.get("from", ""))[1])
    if sender is None or not sender.isprintable():
        return "no sender address in From"
    try:
        moment = email.utils.parsedate_to_datetime(found.get("date", ""))
    except (TypeError, ValueError, IndexError):
        return "no readable Date header"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return Received(sender.lower(), moment, is_automatic(found))


def _decoded(value: object) -> str:
    """A header's text with its RFC 2047 words decoded ("=?utf-8?q?R=C3=A9ponse?=")."""
    try:
        return str(make_header(decode_header(str(value))))
    except (HeaderParseError, LookupError, UnicodeDecodeError, ValueError):
        return str(value)
