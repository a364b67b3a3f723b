"""The `maildir` mailbox: drafts in a Maildir folder (the layout mutt, aerc and
mbsync use).

Messages go to `cur/` flagged Draft and Seen, as mail programs save drafts.
"""

from __future__ import annotations

import builtins
import email.policy
import hashlib
import itertools
import mailbox
import os
import socket
import time
from collections.abc import Callable, Sequence
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

from followup_daemon.boundary import (
    KEY_HEADER,
    Calendar,
    Draft,
    DraftFate,
    ProviderContext,
    Received,
    StoredDraft,
    draft_bytes,
    flush_to_disk,
    maildir_files,
    make_private_dir,
    received_from,
    text_keys,
)
from followup_daemon.errors import FollowupError, NotFound

SETTINGS = ("maildir", "drafts_folder")


class MaildirMailbox:
    """The drafts folder of a Maildir."""

    name = "maildir"
    keys = SETTINGS
    # No service limits a batch: it is the drafts of a pass flushed to disk together
    batch_size = 100

    @staticmethod
    def check_settings(account: dict[str, Any]) -> list[str]:
        """Problems with the account's `maildir` settings."""
        if not account.get("maildir"):
            return ["maildir: the Maildir folder (required for drafts = \"maildir\"), e.g. "
                    "maildir = \"~/Mail\""]
        return text_keys(account, SETTINGS)

    def __init__(self, account: dict[str, Any], context: ProviderContext,
                 calendar: Calendar | None = None) -> None:
        root = Path(str(account["maildir"])).expanduser()
        root = root if root.is_absolute() else (context.base / root).resolve()
        self.inbox = root  # Maildir++: the root folder is the INBOX
        self.path = root / str(account.get("drafts_folder", "Drafts"))

    def _folders(self) -> None:
        """The Drafts folder's cur/, new/ and tmp/, made private."""
        for sub in ("cur", "new", "tmp"):
            make_private_dir(self.path / sub)

    def _box(self) -> mailbox.Maildir:
        self._folders()
        return mailbox.Maildir(self.path, factory=None, create=False)

    def list_drafts(self) -> dict[str, StoredDraft]:
        """Every draft with the key header, by key: each file's headers read."""
        box = self._box()
        found: dict[str, StoredDraft] = {}
        for message_id in box.iterkeys():
            try:
                with box.get_file(message_id) as handle:
                    raw = handle.read()
            except (OSError, KeyError):
                continue  # moved or deleted while we looked
            headers = BytesHeaderParser(policy=email.policy.default).parsebytes(raw)
            key = headers.get(KEY_HEADER)
            if key:
                found[str(key).strip()] = StoredDraft(str(key).strip(),
                                                      f"{message_id} {_digest(raw)}")
        return found

    def find_draft(self, key: str) -> StoredDraft | None:
        """The draft with the key header, or None."""
        return self.list_drafts().get(key)

    def create_draft(self, draft: Draft) -> StoredDraft:
        """Save the draft; no lookup first (the executor's journal settles an
        interrupted save)."""
        return self._save([draft])[0]

    def create_drafts(self, drafts: Sequence[Draft]) -> builtins.list[StoredDraft | FollowupError]:
        """Save the drafts as `create_draft` does, flushed to disk together."""
        return builtins.list(self._save(drafts))

    def _save(self, drafts: Sequence[Draft]) -> builtins.list[StoredDraft]:
        """Each draft saved the Maildir way: its bytes written to tmp/ under a unique
        name, all flushed to disk, then each linked into cur/ flagged Draft and Seen
        (as mail programs save drafts), and cur/ flushed once. The bytes are the
        draft's own: the library's `add` parsed them back into a message and wrote
        that out again. A failure leaves nothing in tmp/; a draft not yet in cur/ is
        settled by the executor's journal, as after a crash."""
        self._folders()
        written: builtins.list[tuple[Path, str, str]] = []
        try:
            for draft in drafts:
                written.append(self._written(draft_bytes(draft.message, "\n")))
            for temporary, _, _ in written:
                flush_to_disk(temporary)
            for temporary, name, _ in written:
                _place(temporary, self.path / "cur" / f"{name}:2,DS")
        finally:
            for temporary, _, _ in written:
                temporary.unlink(missing_ok=True)
        flush_to_disk(self.path / "cur")
        return [StoredDraft(draft.key, f"{name} {digest}")
                for draft, (_, name, digest) in zip(drafts, written, strict=True)]

    def _written(self, payload: bytes) -> tuple[Path, str, str]:
        """`payload` in a new private file of tmp/: its path, its unique name, and the
        digest of its bytes."""
        name = _unique_name()
        temporary = self.path / "tmp" / name
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with open(descriptor, "wb") as handle:
                handle.write(payload)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return temporary, name, _digest(payload)

    @staticmethod
    def _file_digest(box: mailbox.Maildir, name: str) -> str:
        with box.get_file(name) as handle:
            return _digest(handle.read())

    def draft_fate(self, remote_id: str) -> DraftFate:
        """Gone when its file is, edited when its content changed, else saved."""
        name, _, saved = remote_id.partition(" ")
        box = self._box()
        try:
            digest = self._file_digest(box, name)
        except (KeyError, OSError):
            return DraftFate.GONE
        return DraftFate.EDITED if saved and digest != saved else DraftFate.SAVED

    def delete_draft(self, remote_id: str) -> None:
        """Remove a draft the daemon saved."""
        name = remote_id.partition(" ")[0]
        try:
            self._box().remove(name)
        except KeyError as error:
            raise NotFound(f"draft {remote_id} is not in {self.path}") from error

    def replies_off(self) -> str | None:
        """Never: the Maildir's INBOX is a folder on this machine."""
        return None

    def received_since(self, cursor: str | None, may_answer: Callable[[str], bool]
                       ) -> tuple[builtins.list[Received], str]:
        """The INBOX's messages (the root's cur/ and new/) delivered since `cursor`, a
        delivery time in seconds: the number a Maildir file name starts with."""
        since = int(cursor) if cursor and cursor.isdigit() else 0
        received: builtins.list[Received] = []
        newest = since
        for file, delivered in maildir_files(self.inbox):
            if delivered is None or delivered < since:
                continue
            newest = max(newest, delivered)
            try:
                with file.open("rb") as stream:
                    found = received_from(stream.readline)
            except OSError:
                continue  # moved or deleted while we looked
            if found is not None:
                received.append(found)
        return received, str(newest)


_SERIAL = itertools.count()


def _unique_name() -> str:
    """A Maildir file name as the mailbox library makes one: time, microseconds,
    process, a counter and the host (its "/" and ":" escaped as the spec asks)."""
    now = time.time()
    host = socket.gethostname().replace("/", r"\057").replace(":", r"\072")
    return f"{int(now)}.M{int(now % 1 * 1e6)}P{os.getpid()}Q{next(_SERIAL)}.{host}"


def _place(temporary: Path, target: Path) -> None:
    """Give a written file its name in cur/: a link, which never replaces a file, or
    where the file system has no links, a rename (the mailbox library's fallback)."""
    try:
        os.link(temporary, target)
    except PermissionError:
        os.rename(temporary, target)


def _digest(raw: bytes) -> str:
    """A draft file's content as saved, to tell an edit (its flags live in its name)."""
    return hashlib.sha256(raw).hexdigest()[:16]
