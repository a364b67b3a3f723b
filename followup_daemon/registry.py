"""The adapters by name, loaded only when an account uses them: calendars, mailboxes
and sign-ins. These tables are the one place where the core names an adapter.

A new calendar or mailbox is one package and one line here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import UserError

if TYPE_CHECKING:  # the tables of names are read by a config check that loads no adapter
    from .boundary import (
        Auth,
        Calendar,
        CalendarClass,
        Inbox,
        Mailbox,
        MailboxClass,
        ProviderContext,
    )

CALENDARS: dict[str, str] = {
    "local": "providers.local.calendar:LocalCalendar",
    "google": "providers.google.calendar:GoogleCalendar",
    "outlook": "providers.outlook.calendar:OutlookCalendar",
    "caldav": "providers.caldav.calendar:CalDAVCalendar",
}
MAILBOXES: dict[str, str] = {
    "gmail": "providers.google.gmail:GmailMailbox",
    "outlook": "providers.outlook.mailbox:OutlookMailbox",
    "imap": "providers.imap.mailbox:ImapMailbox",
    "maildir": "providers.maildir.mailbox:MaildirMailbox",
}
NO_MAILBOX = "none"
# The mailbox an account gets when its `drafts` names none: its service's own
# (gmail, outlook), else the one its settings point to (maildir, imap_host).
OWN_MAILBOX = {"google": "gmail", "outlook": "outlook"}
SIGN_INS: dict[str, str] = {  # `auth VERB` -> the adapter's Auth
    "google": "providers.google.signin:AUTH",
    "import": "providers.google.signin:IMPORT",
    "outlook": "providers.outlook.signin:AUTH",
    "caldav": "providers.caldav.signin:AUTH",
    "imap": "providers.imap.signin:AUTH",
}
ACCOUNT_KEYS = ("name", "provider", "drafts", "replies", "primary")


def _load(table: dict[str, str], name: str, what: str) -> Any:
    if name not in table:
        raise UserError(f"unknown {what} {name!r} (known: {', '.join(sorted(table))})")
    module_name, _, attribute = table[name].partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def calendar_class(name: str) -> CalendarClass:
    """The calendar adapter registered as `name` (an account's `provider`)."""
    cls: CalendarClass = _load(CALENDARS, name, "provider")
    return cls


def mailbox_class(name: str) -> MailboxClass:
    """The mailbox adapter registered as `name` (an account's `drafts`)."""
    cls: MailboxClass = _load(MAILBOXES, name, "drafts")
    return cls


def sign_in(verb: str) -> Auth:
    """The sign-in of `auth VERB`."""
    auth: Auth = _load(SIGN_INS, verb, "sign-in")
    return auth


def settings_of(account: dict[str, Any]) -> dict[str, Any]:
    """The account's settings with its calendar adapter's defaults (a preset) under them."""
    return calendar_class(str(account["provider"])).with_defaults(account)


def mailbox_kind(account: dict[str, Any]) -> str:
    """The account's mailbox: its `drafts` setting, or the default of its settings.
    Old configs said `drafts = true` (the default) or `false` (none)."""
    drafts = account.get("drafts", True)
    if isinstance(drafts, str):
        return drafts
    if drafts is False:
        return NO_MAILBOX
    own = OWN_MAILBOX.get(str(account.get("provider")))
    if own:
        return own
    merged = settings_of(account)
    if merged.get("maildir"):
        return "maildir"
    return "imap" if merged.get("imap_host") else NO_MAILBOX


def check_account(account: dict[str, Any]) -> list[str]:
    """Problems with an account's settings (its provider is known), each `key: what to do`."""
    provider = str(account["provider"])
    calendar = calendar_class(provider)
    problems = _unknown(account, calendar.keys)
    problems += calendar.check_settings(account)
    if problems and any(p.startswith("preset:") for p in problems):
        return problems
    return problems + _mailbox_problems(account)


def _mailbox_problems(account: dict[str, Any]) -> list[str]:
    if not isinstance(account.get("replies", True), bool):
        return ["replies: true (read who answered, by headers only) or false"]
    if not isinstance(account.get("primary", False), bool):
        return ["primary: true (this account writes the follow-ups of an interview other "
                "accounts see too) or false"]
    drafts = account.get("drafts", True)
    choices = ", ".join(f'"{name}"' for name in [*MAILBOXES, NO_MAILBOX])
    if not isinstance(drafts, (str, bool)) or (isinstance(drafts, str) and
                                               drafts not in (*MAILBOXES, NO_MAILBOX)):
        return [f"drafts: {choices} (or true/false as before)"]
    merged = settings_of(account)
    if not isinstance(drafts, str) and merged.get("maildir") and merged.get("imap_host"):
        return ["maildir: drafts go to a Maildir or to IMAP (imap_host), not both; or say "
                "which with drafts = \"maildir\" or \"imap\""]
    kind = mailbox_kind(account)
    return [] if kind == NO_MAILBOX else mailbox_class(kind).check_settings(merged)


def _unknown(account: dict[str, Any], calendar_keys: tuple[str, ...]) -> list[str]:
    # A service's own mailbox (Gmail, Outlook) has no settings of its own; not loading
    # it keeps a config check from importing that service's client library.
    own = set(OWN_MAILBOX.values())
    mailbox_keys = [k for name in MAILBOXES if name not in own for k in mailbox_class(name).keys]
    known = tuple(dict.fromkeys([*ACCOUNT_KEYS, *calendar_keys, *mailbox_keys]))
    kind = account.get("provider")
    return [f"{key}: unknown key for a {kind} account (known: {', '.join(known)})"
            for key in account if key not in known]


def credentials_of(account: dict[str, Any]) -> list[str]:
    """The sign-ins the account's calendar and mailbox need, the calendar's first: a
    CalDAV account with IMAP drafts needs both (one password may serve both)."""
    signed = {sign_in(verb).kind for verb in SIGN_INS}
    wanted = [str(account.get("provider")), mailbox_kind(account)]
    return [kind for kind in dict.fromkeys(wanted) if kind in signed]


@dataclass(frozen=True)
class Endpoints:
    """An account's calendar, its mailbox (None: no drafts), and the mailbox whose
    received mail is read for replies (None: it cannot, or `replies = false`)."""

    calendar: Calendar
    mailbox: Mailbox | None
    inbox: Inbox | None = None


def open_account(account: dict[str, Any], context: ProviderContext) -> Endpoints:
    """The calendar and the mailbox of `account`, made from its settings."""
    from .boundary import Inbox

    calendar = calendar_class(str(account["provider"]))(account, context)
    kind = mailbox_kind(account)
    if kind == NO_MAILBOX:
        return Endpoints(calendar, None)
    mailbox = mailbox_class(kind)(settings_of(account), context, calendar)
    replies = account.get("replies", True) is not False
    return Endpoints(calendar, mailbox,
                     mailbox if replies and isinstance(mailbox, Inbox) else None)
