"""CalDAV follow-ups (PUT) and IMAP drafts (APPEND) whose answer is lost, against the
real Radicale and Dovecot behind a proxy that closes or resets the connection just
after the server answered: exactly one follow-up and one draft per interview."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from followup_daemon.config import parse_config
from followup_daemon.secrets import save_secret
from followup_daemon.sync import AccountResult, Providers

from ..caldav_helpers import draft_keys, followups, interview, make_calendar
from ..servers.dovecot_server import PASSWORD, Dovecot
from ..servers.fault_proxy import HTTP_PUT, IMAP_APPEND, FaultProxy
from ..sync_helpers import one_account_pass

NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)


@pytest.fixture
def proxies(radicale: str, dovecot: Dovecot) -> Iterator[tuple[FaultProxy, FaultProxy]]:
    dav = FaultProxy(int(urlsplit(radicale).port or 0)).start()
    imap = FaultProxy(dovecot.port).start()
    yield dav, imap
    dav.stop()
    imap.stop()


class Account:
    """A CalDAV account with IMAP drafts, both through the proxies."""

    def __init__(self, radicale: str, proxies: tuple[FaultProxy, FaultProxy], user: str,
                 root: Path) -> None:
        self.calendar = make_calendar(radicale)
        for n in range(3):
            self.calendar.save_event(interview(f"{n}@x", f"2026111{n + 2}T140000",
                                               f"Interview with Company{n}",
                                               f"hr@company{n}.com"))
        save_secret("c", {"provider": "caldav", "password": "x", "imap_password": PASSWORD})
        self.config = parse_config({"rules": {"max_followups": 1, "thank_you": False},
                           "sync": {"draft_when": "planned"}, "accounts": [{
            "name": "c", "provider": "caldav", "url": f"http://127.0.0.1:{proxies[0].port}/",
            "username": "alex", "calendar": "Jobs", "imap_host": "127.0.0.1",
            "imap_port": proxies[1].port, "imap_security": "plain", "imap_username": user}]},
            "t.toml")
        self.root, self.user, self.providers = root, user, Providers()

    def sync(self) -> AccountResult:
        return one_account_pass(self.config, self.root / "state", NOW, self.providers)


@pytest.mark.parametrize("kind", ["close", "reset"])
@pytest.mark.parametrize("write", ["follow-up", "draft"])
@pytest.mark.parametrize("times", [1, 1000], ids=["first write", "every write"])
def test_a_write_whose_answer_is_lost_is_settled_not_repeated(
        radicale: str, dovecot: Dovecot, imap_user: str, tmp_path: Path,
        proxies: tuple[FaultProxy, FaultProxy], kind: str, write: str, times: int) -> None:
    account = Account(radicale, proxies, imap_user, tmp_path)
    proxy, pattern = (proxies[0], HTTP_PUT) if write == "follow-up" else \
        (proxies[1], IMAP_APPEND)
    proxy.lose(pattern, kind, times)
    account.sync()
    assert proxy.lost == min(times, 3), "the fault must have struck"
    proxy.pending.clear()
    assert account.sync().ok
    keys = Counter(key for key, _ in followups(account.calendar))
    drafts = draft_keys(dovecot, imap_user)
    assert len(keys) == 3 and set(keys.values()) == {1}, keys
    assert len(drafts) == 3 and set(drafts.values()) == {1}, drafts


@pytest.mark.parametrize("kind", ["close", "reset"])
def test_moves_and_deletes_whose_answers_are_lost(
        radicale: str, dovecot: Dovecot, imap_user: str, tmp_path: Path,
        proxies: tuple[FaultProxy, FaultProxy], kind: str) -> None:
    account = Account(radicale, proxies, imap_user, tmp_path)
    assert account.sync().ok
    events = {e.icalendar_component["UID"]: e for e in account.calendar.events()
              if "X-FOLLOWUP-DAEMON-KEY" not in e.data}
    moved = events["0@x"]
    moved.data = interview("0@x", "20261119T140000", "Interview with Company0",
                           "hr@company0.com")
    moved.save()
    events["1@x"].delete()
    proxies[0].lose(HTTP_PUT, kind, 10)
    proxies[0].lose(rb"DELETE ", kind, 10)
    proxies[1].lose(rb"(?P<tag>[A-Z0-9]+) (UID STORE|EXPUNGE)", kind, 10)
    account.sync()
    assert proxies[0].lost + proxies[1].lost >= 2, "the faults must have struck"
    proxies[0].pending.clear()
    proxies[1].pending.clear()
    assert account.sync().ok
    keys = Counter(key for key, _ in followups(account.calendar))
    assert len(keys) == 2 and set(keys.values()) == {1}, keys
    drafts = draft_keys(dovecot, imap_user)
    assert len(drafts) == 2 and set(drafts.values()) == {1}, drafts
