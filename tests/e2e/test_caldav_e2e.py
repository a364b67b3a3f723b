"""`followup-daemon run` as a process against real servers: Radicale (CalDAV) and
Dovecot (IMAP): follow-ups appear, move and go; 50 SIGKILLs mid-pass leave no
duplicate and the user's own events untouched."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from ..caldav_helpers import draft_keys, followups, interview, make_calendar
from ..process_helpers import ROOT, child_env, kill_during_passes, start, stop, sync_once, wait_for
from ..servers.dovecot_server import PASSWORD, Dovecot

V1 = "max_followups = 1\nthank_you = false\n"


def setup(radicale: str, dovecot: Dovecot, user: str, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch, rules: str = V1
          ) -> tuple[list[str], dict[str, str]]:
    """`rules` "" is v2's defaults."""
    config = tmp_path / "config.toml"
    config.write_text(f"""[rules]
{rules}timezone = "America/New_York"
[me]
name = "Alex Rivera"
emails = ["alex@example.org"]
[sync]
interval_seconds = 1
draft_when = "planned"
[[accounts]]
name = "c"
provider = "caldav"
url = "{radicale}/"
username = "alex"
calendar = "Jobs"
imap_host = "127.0.0.1"
imap_port = {dovecot.port}
imap_security = "starttls"
imap_username = "{user}"
ca_bundle = "{dovecot.root / 'fake-ca.pem'}"
""")
    env = child_env(tmp_path, monkeypatch, "c", {"provider": "caldav", "password": "x",
                                                 "imap_password": PASSWORD})
    return ["--config", str(config), "--state-dir", str(tmp_path / "state")], env


def soon(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).strftime("%Y%m%dT140000")


def test_run_follows_the_calendar(radicale: str, dovecot: Dovecot, imap_user: str,
                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calendar = make_calendar(radicale)
    args, env = setup(radicale, dovecot, imap_user, tmp_path, monkeypatch)
    daemon = start("run", args, env)
    event = calendar.save_event(interview(start=soon(2)))
    assert wait_for(lambda: len(followups(calendar)) == 1
                    and sum(draft_keys(dovecot, imap_user).values()) == 1)
    first = followups(calendar)[0][1]
    event.data = interview(start=soon(4))
    event.save()
    assert wait_for(lambda: followups(calendar)[0][1] != first, 15)
    event.delete()
    assert wait_for(lambda: not followups(calendar)
                    and not draft_keys(dovecot, imap_user), 15)
    assert "Traceback" not in stop(daemon)


def test_sigkill_mid_pass_leaves_no_duplicates(radicale: str, dovecot: Dovecot,
                                               imap_user: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """With v2's rules: two follow-ups and a thank-you per interview, each a draft, and
    the INBOX read by UIDNEXT; every interview is five writes to settle."""
    from zoneinfo import ZoneInfo

    calendar = make_calendar(radicale)
    ended = dt.datetime.now(ZoneInfo("America/New_York")) - dt.timedelta(hours=6)
    for n in range(30):
        calendar.save_event(interview(f"{n}@x", f"{ended:%Y%m%dT%H%M00}",
                                      f"Interview with Company{n}", f"hr@company{n}.com"))
    mine = calendar.save_event(interview("dentist@x", soon(3), "Dentist"))
    before = calendar.client.request(str(mine.url), "GET")
    args, env = setup(radicale, dovecot, imap_user, tmp_path, monkeypatch, rules="")
    partial = kill_during_passes(args, env, lambda: len(followups(calendar)))
    settle = sync_once(args, env)
    assert settle.returncode == 0, settle.stderr
    keys = Counter(key for key, _ in followups(calendar))
    assert len(keys) == 60 and set(keys.values()) == {1}, partial
    drafts = draft_keys(dovecot, imap_user)
    assert len(drafts) == 90 and set(drafts.values()) == {1}  # 60 + 30 thank-yous
    assert any(0 < n < 60 for n in partial), partial
    after = calendar.client.request(str(mine.url), "GET")
    assert (after.raw, after.headers["etag"]) == (before.raw, before.headers["etag"])


def test_debug_logs_say_what_happened_not_what_the_calendar_holds(
        radicale: str, dovecot: Dovecot, imap_user: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    calendar = make_calendar(radicale)
    calendar.save_event(interview(start=soon(2)))
    args, env = setup(radicale, dovecot, imap_user, tmp_path, monkeypatch)
    done = subprocess.run([sys.executable, "-m", "followup_daemon", "--log-level", "debug",
                           "sync", "--once", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    assert "follow-up" in done.stderr  # it does say what happened
    for body in ("BEGIN:VCALENDAR", "BEGIN:VEVENT", "ORGANIZER", "jane@acme.com", "Subject:",
                 "imap_password", PASSWORD):
        assert body not in done.stderr, done.stderr[done.stderr.find(body) - 300:][:400]
