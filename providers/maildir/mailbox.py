"""The `maildir` mailbox: drafts in a Maildir folder (the layout mutt, aerc and
mbsync use).

Messages go to `cur/` flagged Draft and Seen, as mail programs save drafts.
"""

from __future__ import annotations

import builtins
import email.policy
import hashlib
import mailbox
import os
from collections.abc import Callable
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
    maildir_files,
    make_private_dir,
    received_from,
    text_keys,
)
from followup_daemon.errors import NotFound

SETTINGS = ("maildir", "drafts_folder")


class MaildirMailbox:
    """The drafts folder of a Maildir."""

    name = "maildir"
    keys = SETTINGS

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

    def _box(self) -> mailbox.Maildir:
        for sub in ("cur", "new", "tmp"):
            make_private_dir(self.path / sub)
        return mailbox.Maildir(self.path, factory=None, create=False)

    def list(self) -> dict[str, StoredDraft]:
        """Every draft with the key header, by key."""
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
        return self.list().get(key)

    def create_draft(self, draft: Draft) -> StoredDraft:
        """Save the draft; no lookup first (the executor's journal settles an
        interrupted save)."""
        message = mailbox.MaildirMessage(draft_bytes(draft.message, "\n"))
        message.set_subdir("cur")
        message.set_flags("DS")
        box = self._box()
        old_umask = os.umask(0o077)  # mailbox creates the file with the process umask
        try:
            name = box.add(message)
        finally:
            os.umask(old_umask)
        return StoredDraft(draft.key, f"{name} {self._saved_digest(box, name)}")

    def _saved_digest(self, box: mailbox.Maildir, name: str) -> str:
        """The digest of the file just saved, read where `add` put it (cur/, flags DS):
        looking it up by key made the library list the whole folder, once per draft."""
        try:
            return _digest((self.path / "cur" / f"{name}{box.colon}2,DS").read_bytes())
        except FileNotFoundError:
            return self._file_digest(box, name)

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


def _digest(raw: bytes) -> str:
    """A draft file's content as saved, to tell an edit (its flags live in its name)."""
    return hashlib.sha256(raw).hexdigest()[:16]
