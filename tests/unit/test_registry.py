"""The registry: a calendar and a mailbox per account, chosen by `drafts` or by the
settings of old configs; what each account must sign in to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from followup_daemon.boundary import ProviderContext
from followup_daemon.config import parse_config
from followup_daemon.errors import ConfigError
from followup_daemon.registry import (
    CALENDARS,
    MAILBOXES,
    SIGN_INS,
    calendar_class,
    check_account,
    credentials_of,
    mailbox_class,
    mailbox_kind,
    open_account,
    sign_in,
)
from providers.imap.mailbox import ImapMailbox
from providers.maildir.mailbox import MaildirMailbox

LOCAL = {"name": "l", "provider": "local", "calendars": ["cal.ics"]}
CALDAV = {"name": "c", "provider": "caldav", "url": "https://dav.example.com/", "username": "a"}
GOOGLE = {"name": "g", "provider": "google"}
OUTLOOK = {"name": "o", "provider": "outlook"}


@pytest.mark.parametrize(("account", "kind"), [
    (GOOGLE, "gmail"), ({**GOOGLE, "drafts": True}, "gmail"), ({**GOOGLE, "drafts": False}, "none"),
    (OUTLOOK, "outlook"), ({**OUTLOOK, "drafts": False}, "none"),
    (CALDAV, "none"), ({**CALDAV, "imap_host": "imap.example.com"}, "imap"),
    ({**CALDAV, "preset": "fastmail"}, "imap"), ({**CALDAV, "preset": "fastmail", "drafts": False},
                                                 "none"),
    (LOCAL, "none"), ({**LOCAL, "maildir": "Mail"}, "maildir"),
    ({**LOCAL, "imap_host": "imap.example.com"}, "imap"),
    ({**LOCAL, "maildir": "Mail", "drafts": "none"}, "none"),
    ({**GOOGLE, "drafts": "imap"}, "imap"),
])
def test_old_configs_keep_their_mailbox_and_drafts_names_it(account: dict[str, Any],
                                                            kind: str) -> None:
    assert mailbox_kind(account) == kind


@pytest.mark.parametrize(("account", "problem"), [
    ({**LOCAL, "drafts": "gmail"}, "drafts: \"gmail\" drafts need a google account"),
    ({**CALDAV, "drafts": "outlook"}, "drafts: \"outlook\" drafts need an outlook account"),
    ({**LOCAL, "drafts": "maildir"}, "maildir: the Maildir folder (required"),
    ({**LOCAL, "drafts": "imap"}, "imap_host: the IMAP server"),
    ({**LOCAL, "drafts": "pigeon"}, "drafts: \"gmail\", \"outlook\", \"imap\", \"maildir\", "
                                    "\"none\""),
    ({**LOCAL, "drafts": 3}, "drafts: \"gmail\""),
    ({**LOCAL, "maildir": "Mail", "imap_host": "x"}, "maildir: drafts go to a Maildir or to IMAP"),
    ({**LOCAL, "imap_host": "imap.example.com"}, "imap_username: the IMAP login name"),
    ({**LOCAL, "imap_host": "imap.example.com", "imap_username": "a", "imap_security": "plain"},
     "imap_security: plain IMAP is only allowed to 127.0.0.1"),
    ({**LOCAL, "calender": "x"}, "calender: unknown key for a local account"),
])
def test_mailbox_settings_are_checked(account: dict[str, Any], problem: str) -> None:
    problems = check_account(account)
    assert any(p.startswith(problem) for p in problems), problems


def test_a_chosen_mailbox_with_settings_of_another_is_fine() -> None:
    account = {**LOCAL, "maildir": "Mail", "imap_host": "imap.example.com", "drafts": "maildir"}
    assert check_account(account) == []
    assert check_account({**GOOGLE, "drafts": "none"}) == []


def test_a_config_names_the_account_in_each_problem() -> None:
    data = {"accounts": [{**LOCAL, "drafts": "gmail"}]}
    with pytest.raises(ConfigError, match=r"accounts\.l\.drafts: \"gmail\" drafts need"):
        parse_config(data, "t.toml")


def test_open_account_gives_a_calendar_and_its_mailbox(tmp_path: Path) -> None:
    context = ProviderContext(tmp_path, tmp_path)
    local = open_account({**LOCAL, "maildir": "Mail"}, context)
    assert isinstance(local.mailbox, MaildirMailbox)
    assert local.mailbox.path == tmp_path / "Mail" / "Drafts"
    assert open_account(LOCAL, context).mailbox is None
    caldav = open_account({**CALDAV, "preset": "fastmail", "url": "https://x.example/"}, context)
    assert isinstance(caldav.mailbox, ImapMailbox)
    assert caldav.mailbox.settings.host == "imap.fastmail.com"  # from the preset
    assert caldav.mailbox.settings.username == "a"  # the CalDAV user name


def test_replies_are_read_from_a_mailbox_that_can_unless_turned_off(tmp_path: Path) -> None:
    context = ProviderContext(tmp_path, tmp_path)
    local = open_account({**LOCAL, "maildir": "Mail"}, context)
    assert isinstance(local.inbox, MaildirMailbox) and local.inbox is local.mailbox
    assert open_account({**LOCAL, "maildir": "Mail", "replies": False}, context).inbox is None
    assert open_account(LOCAL, context).inbox is None  # no mailbox at all


def test_what_each_account_signs_in_to() -> None:
    assert credentials_of(GOOGLE) == ["google"]
    assert credentials_of({**GOOGLE, "drafts": "none"}) == ["google"]
    assert credentials_of({**CALDAV, "preset": "icloud"}) == ["caldav", "imap"]
    assert credentials_of({**LOCAL, "imap_host": "x", "imap_username": "a"}) == ["imap"]
    assert credentials_of({**LOCAL, "maildir": "Mail"}) == []


def test_every_table_entry_loads_and_offers_its_interface() -> None:
    for name in CALENDARS:
        cls = calendar_class(name)
        assert callable(cls.check_settings) and callable(cls.with_defaults) and cls.keys
    for name in MAILBOXES:
        assert callable(mailbox_class(name).check_settings)
    for verb in SIGN_INS:
        auth = sign_in(verb)
        assert auth.verb == verb and auth.help and auth.kind in (*CALENDARS, "imap")
