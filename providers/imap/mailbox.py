"""The `imap` mailbox: drafts over IMAP, for any account. The Drafts folder is found
by SPECIAL-USE `\\Drafts` (else a configured name); drafts are APPENDed with
`\\Draft \\Seen`, found again by the key header (IMAP header search is a substring
match, so the fetched value is compared exactly), and deleted by UID."""

from __future__ import annotations

import email.policy
import imaplib
import io
import re
import ssl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
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
    load_secret,
    received_from,
    text_keys,
)
from followup_daemon.errors import (
    AnswerLost,
    AuthExpired,
    NotFound,
    TransientError,
    UserError,
)

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
LOOK_BACK_DAYS = 60  # how far back a first read of the INBOX goes
FETCH_BATCH = 200
FIELDS = "FROM DATE SUBJECT AUTO-SUBMITTED X-AUTOREPLY X-AUTORESPOND PRECEDENCE"
_LIST_LINE = re.compile(rb'\((?P<flags>[^)]*)\) (?:"[^"]*"|NIL) (?P<name>.+)$')


@dataclass
class ImapSettings:
    """Where the mailbox is and how to reach it."""

    host: str
    username: str
    port: int | None = None
    security: str = "tls"  # tls (implicit), starttls, or plain (127.0.0.1 only)
    drafts_folder: str = "Drafts"
    ca_file: str | None = None
    timeout: float = 30.0

    def check(self) -> list[str]:
        """Problems, as `imap_key: what to do` lines."""
        if self.security not in ("tls", "starttls", "plain"):
            return ["imap_security: tls, starttls, or plain"]
        if self.security == "plain" and self.host not in LOCAL_HOSTS:
            return ["imap_security: plain IMAP is only allowed to 127.0.0.1; use tls or starttls"]
        return []


SETTINGS = ("imap_host", "imap_port", "imap_security", "imap_username",
            "imap_drafts_folder", "ca_bundle", "timeout_seconds")


def imap_settings(account: dict[str, Any], username: str | None = None) -> ImapSettings:
    """ImapSettings from an account's `imap_*` keys (`username` when imap_username is unset)."""
    return ImapSettings(
        host=str(account["imap_host"]),
        username=str(account.get("imap_username") or username or ""),
        port=int(account["imap_port"]) if account.get("imap_port") else None,
        security=str(account.get("imap_security", "tls")),
        drafts_folder=str(account.get("imap_drafts_folder", "Drafts")),
        ca_file=account.get("ca_bundle"), timeout=float(account.get("timeout_seconds", 30)))


def password_from_keyring(account: str) -> Callable[[], str]:
    """Reads the account's IMAP password (or its one password) from the keyring when needed."""
    def password() -> str:
        secret = load_secret(account) or {}
        value = secret.get("imap_password") or secret.get("password")
        if not value:
            raise UserError(f"account {account} has no IMAP password: run `followup-daemon "
                            f"auth imap --account {account}`")
        return str(value)
    return password


class ImapMailbox:
    """The drafts folder of one IMAP account; the password is read when needed."""

    name = "imap"
    keys = SETTINGS

    @staticmethod
    def check_settings(account: dict[str, Any]) -> list[str]:
        """Problems with the account's `imap_*` settings."""
        if not account.get("imap_host"):
            return ["imap_host: the IMAP server of the drafts (required for drafts = \"imap\")"]
        problems = text_keys(account, ("imap_host", "imap_security", "imap_username",
                                       "imap_drafts_folder"))
        if not account.get("imap_username") and not account.get("username"):
            problems.append("imap_username: the IMAP login name (required with imap_host)")
        return problems or imap_settings(account).check()

    def __init__(self, account: dict[str, Any], context: ProviderContext,
                 calendar: Calendar | None = None) -> None:
        settings = imap_settings(account, account.get("username"))
        problems = settings.check()
        if problems:
            raise UserError(problems[0])
        self.settings = settings
        self.account = str(account["name"])
        self.password = password_from_keyring(self.account)

    @contextmanager
    def _session(self, drafts: bool = True) -> Iterator[tuple[imaplib.IMAP4, str]]:
        """A logged-in connection and the drafts folder's name ("" unless `drafts`)."""
        try:
            connection = self._connect()
            try:
                connection.login(self.settings.username, self.password())
                yield connection, self._drafts_folder(connection) if drafts else ""
            finally:
                with _quietly():
                    connection.logout()
        except imaplib.IMAP4.abort as error:
            raise TransientError(f"IMAP connection lost: {error}") from error
        except imaplib.IMAP4.error as error:
            if b"AUTHENTICATIONFAILED" in str(error).encode() or "LOGIN" in str(error).upper():
                raise AuthExpired(f"IMAP login refused ({error}); store the password again "
                                  f"with `followup-daemon auth imap --account {self.account}` "
                                  "(a CalDAV account: `auth caldav`)") from error
            raise TransientError(f"IMAP: {error}") from error
        except (TimeoutError, OSError) as error:
            raise TransientError(f"cannot reach {self.settings.host}: {error}") from error

    def _connect(self) -> imaplib.IMAP4:
        s = self.settings
        context = ssl.create_default_context(cafile=s.ca_file)
        if s.security == "tls":
            return imaplib.IMAP4_SSL(s.host, s.port or 993, ssl_context=context,
                                     timeout=s.timeout)
        connection = imaplib.IMAP4(s.host, s.port or 143, timeout=s.timeout)
        if s.security == "starttls":
            connection.starttls(ssl_context=context)
        return connection

    def _drafts_folder(self, connection: imaplib.IMAP4) -> str:
        _, lines = connection.list()
        for line in lines:
            match = _LIST_LINE.match(line if isinstance(line, bytes) else b"")
            if match and b"\\drafts" in match["flags"].lower():
                return match["name"].decode().strip('"')
        return self.settings.drafts_folder

    def find_draft(self, key: str) -> StoredDraft | None:
        """The draft whose key header is exactly `key`."""
        with self._session() as (connection, folder):
            validity = _select(connection, folder, readonly=True)
            for uid in _search(connection, key):
                if _header(connection, uid) == key:
                    return StoredDraft(key, f"{validity}:{uid}")
        return None

    def create_draft(self, draft: Draft) -> StoredDraft:
        """APPEND the draft, flagged as a draft and seen; no lookup first (the
        executor's journal settles an interrupted save)."""
        with self._session() as (connection, folder):
            message = draft_bytes(draft.message)
            try:
                typ, data = connection.append(_quote(folder), r"(\Draft \Seen)",
                                              imaplib.Time2Internaldate(time.time()), message)
            except (imaplib.IMAP4.abort, OSError) as error:  # sent: it may have landed
                raise AnswerLost(f"saving draft {draft.key}: the connection was lost "
                                 f"({type(error).__name__})") from error
            if typ != "OK":
                raise TransientError(f"IMAP APPEND failed: {data!r}")
            found = re.search(rb"APPENDUID (\d+) (\d+)", data[0] or b"")
            remote = f"{found[1].decode()}:{found[2].decode()}" if found else ""
        return StoredDraft(draft.key, remote) if remote else self._found(draft.key)

    def _found(self, key: str) -> StoredDraft:
        stored = self.find_draft(key)
        if stored is None:
            raise TransientError(f"draft {key} was appended but cannot be found")
        return stored

    def replies_off(self) -> str | None:
        """Never: the IMAP login reads the INBOX."""
        return None

    def received_since(self, cursor: str | None, may_answer: Callable[[str], bool]
                       ) -> tuple[list[Received], str]:
        """The INBOX's messages since `cursor` ("UIDVALIDITY:UIDNEXT"), by their header
        fields only (BODY.PEEK: nothing is marked seen). A pass with no new mail is one
        STATUS command after the login; a new or recreated INBOX is read back
        `LOOK_BACK_DAYS` days. (The fields fetched already tell an automatic reply,
        so `may_answer` saves nothing here.)"""
        with self._session(drafts=False) as (connection, _):
            validity, uid_next = _status(connection)
            now = f"{validity}:{uid_next}"
            if now == cursor:
                return [], now
            old_validity, _, old_next = (cursor or "").partition(":")
            connection.select("INBOX", readonly=True)
            uids = _uids_from(connection, old_next) if old_validity == validity else \
                _uids_since(connection, LOOK_BACK_DAYS)
            return _fetch_received(connection, uids), now

    def draft_fate(self, remote_id: str) -> DraftFate:
        """Saved while its UID is in the folder (an IMAP message never changes: a mail
        program saves an edited draft as a new one), gone otherwise."""
        validity, _, uid = remote_id.partition(":")
        with self._session() as (connection, folder):
            if _select(connection, folder, readonly=True) != validity:
                return DraftFate.GONE
            return DraftFate.SAVED if _exists(connection, uid) else DraftFate.GONE

    def delete_draft(self, remote_id: str) -> None:
        """Flag the draft deleted and expunge it."""
        validity, _, uid = remote_id.partition(":")
        with self._session() as (connection, folder):
            if _select(connection, folder, readonly=False) != validity:
                raise NotFound(f"draft {remote_id}: the folder was recreated")
            typ, _data = connection.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
            if typ != "OK" or not _exists(connection, uid):
                raise NotFound(f"draft {remote_id} is gone")
            connection.expunge()


def _status(connection: imaplib.IMAP4) -> tuple[str, str]:
    typ, data = connection.status("INBOX", "(UIDVALIDITY UIDNEXT)")
    line = data[0] if typ == "OK" and data and isinstance(data[0], bytes) else b""
    validity, uid_next = re.search(rb"UIDVALIDITY (\d+)", line), re.search(rb"UIDNEXT (\d+)", line)
    if validity is None or uid_next is None:
        raise TransientError(f"IMAP STATUS INBOX gave no UIDVALIDITY/UIDNEXT: {data!r}")
    return validity[1].decode(), uid_next[1].decode()


def _uids_from(connection: imaplib.IMAP4, first: str) -> list[str]:
    typ, data = connection.uid("SEARCH", "UID", f"{int(first or 1)}:*")
    found = data[0].decode().split() if typ == "OK" and data and data[0] else []
    return [uid for uid in found if int(uid) >= int(first or 1)]  # "n:*" includes the last


def _uids_since(connection: imaplib.IMAP4, days: int) -> list[str]:
    since = time.strftime("%d-%b-%Y", time.gmtime(time.time() - days * 86400))
    typ, data = connection.uid("SEARCH", "SINCE", since)
    return data[0].decode().split() if typ == "OK" and data and data[0] else []


def _fetch_received(connection: imaplib.IMAP4, uids: list[str]) -> list[Received]:
    """Sender and Date of each message, from the few header fields R7.2 reads."""
    received = []
    for start in range(0, len(uids), FETCH_BATCH):
        batch = ",".join(uids[start:start + FETCH_BATCH])
        typ, data = connection.uid("FETCH", batch, f"(BODY.PEEK[HEADER.FIELDS ({FIELDS})])")
        for part in data if typ == "OK" else []:
            if isinstance(part, tuple):
                found = received_from(io.BytesIO(part[1]).readline)
                if found is not None:
                    received.append(found)
    return received


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _select(connection: imaplib.IMAP4, folder: str, readonly: bool) -> str:
    typ, data = connection.select(_quote(folder), readonly=readonly)
    if typ != "OK":
        raise UserError(f"IMAP folder {folder!r} cannot be opened ({data!r}); set "
                        "imap_drafts_folder")
    validity = connection.response("UIDVALIDITY")[1]
    return validity[0].decode() if validity and validity[0] else ""


def _search(connection: imaplib.IMAP4, key: str) -> list[str]:
    typ, data = connection.uid("SEARCH", "HEADER", KEY_HEADER, f'"{key}"')
    return data[0].decode().split() if typ == "OK" and data and data[0] else []


def _header(connection: imaplib.IMAP4, uid: str) -> str:
    typ, data = connection.uid("FETCH", uid, f"(BODY.PEEK[HEADER.FIELDS ({KEY_HEADER})])")
    for part in data if typ == "OK" else []:
        if isinstance(part, tuple):
            parsed = email.message_from_bytes(part[1], policy=email.policy.default)
            return str(parsed.get(KEY_HEADER, "")).strip()
    return ""


def _exists(connection: imaplib.IMAP4, uid: str) -> bool:
    typ, data = connection.uid("SEARCH", "UID", uid)
    return typ == "OK" and bool(data and data[0])


@contextmanager
def _quietly() -> Iterator[None]:
    with suppress(imaplib.IMAP4.error, OSError):
        yield
