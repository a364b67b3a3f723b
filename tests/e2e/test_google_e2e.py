"""`followup-daemon run` as a process against the fake Google: follow-ups appear,
move and go; 50 SIGKILLs at moments spread over passes leave exactly one
follow-up and one draft per interview, and the user's own events untouched."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from ..fakes.fake_google import FakeGoogle
from ..google_helpers import WITH_REPLIES, interview
from ..process_helpers import child_env, kill_during_passes, start, stop, sync_once, wait_for

V1 = "max_followups = 1\nthank_you = false\n"


def setup(fake: FakeGoogle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rules: str = V1
          ) -> tuple[list[str], dict[str, str]]:
    """`rules` "" is v2's defaults, signed in with the metadata scope (replies read)."""
    config = tmp_path / "config.toml"
    config.write_text(f"""[rules]
{rules}timezone = "America/New_York"
[me]
name = "Alex Rivera"
emails = ["alex@gmail.com"]
[sync]
interval_seconds = 1
draft_when = "planned"
[[accounts]]
name = "g"
provider = "google"
api_endpoint = "{fake.url}"
token_uri = "{fake.url}/token"
""")
    secret = {"client_id": fake.client_id, "client_secret": fake.client_secret,
              "refresh_token": next(iter(fake.refresh_tokens))}
    if not rules:
        fake.granted = " ".join(WITH_REPLIES)
        secret["scopes"] = list(WITH_REPLIES)  # type: ignore[assignment]
    env = child_env(tmp_path, monkeypatch, "g", secret)
    return ["--config", str(config), "--state-dir", str(tmp_path / "state")], env


def followups(fake: FakeGoogle) -> list[dict[str, object]]:
    return [e for e in fake.live_events()
            if "followupDaemonKey" in str(e.get("extendedProperties"))]


def soon(days: int, hour: int = 14) -> str:
    day = dt.date.today() + dt.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00:00-05:00"


def test_run_follows_the_calendar(fake_google: FakeGoogle, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    args, env = setup(fake_google, tmp_path, monkeypatch)
    daemon = start("run", args, env)
    event = fake_google.put_event("primary", interview(start=soon(2)))
    assert wait_for(lambda: len(followups(fake_google)) == 1 and len(fake_google.drafts) == 1)
    first_start = followups(fake_google)[0]["start"]
    fake_google.put_event("primary", interview(start=soon(4)), event_id=event["id"])
    assert wait_for(lambda: followups(fake_google)[0]["start"] != first_start, 10)
    fake_google.delete_event("primary", event["id"])
    assert wait_for(lambda: not followups(fake_google) and not fake_google.drafts, 10)
    assert "Traceback" not in stop(daemon)
    assert all("send" not in r.path for r in fake_google.requests)


def ended_hours_ago(hours: int) -> str:
    """An interview start whose hour ended `hours` ago, in New York."""
    from zoneinfo import ZoneInfo

    start = dt.datetime.now(ZoneInfo("America/New_York")) - dt.timedelta(hours=hours + 1)
    return start.replace(microsecond=0).isoformat()


def test_sigkill_mid_pass_leaves_no_duplicates(fake_google: FakeGoogle, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """With v2's rules: two follow-ups and a thank-you per interview, each a draft, and
    the inbox read from its history; every interview is five writes to settle."""
    args, env = setup(fake_google, tmp_path, monkeypatch, rules="")
    for n in range(25):
        fake_google.put_event("primary", interview(
            f"Interview with Company{n}", start=ended_hours_ago(5),
            organizer={"email": f"hr@company{n}.com"}))
    mine = fake_google.put_event("primary", interview("Dentist", start=soon(3)))
    fake_google.latency_seconds = 0.01  # a pass of about 200 calls takes seconds
    partial = kill_during_passes(args, env,
                                 lambda: len(followups(fake_google)) + len(fake_google.drafts))
    assert any(0 < n < 125 for n in partial), partial  # at least one kill fell mid-pass
    settle = sync_once(args, env)
    assert settle.returncode == 0, settle.stderr
    keys = Counter(str(e["extendedProperties"]["private"]["followupDaemonKey"])  # type: ignore[index]
                   for e in followups(fake_google))
    assert len(keys) == 50 and set(keys.values()) == {1}
    message_ids = Counter(d["message_id"] for d in fake_google.drafts.values())
    assert len(message_ids) == 75 and set(message_ids.values()) == {1}  # 50 + 25 thank-yous
    assert any("/history" in r.path for r in fake_google.requests)
    assert fake_google.calendars["primary"][mine["id"]] == mine  # the user's, untouched
