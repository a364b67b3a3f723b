"""`followup-daemon run` as a process against the fake Microsoft identity platform
and Graph: follow-ups appear, move and go; 50 SIGKILLs mid-pass leave no duplicate
and the user's own events untouched."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from ..fakes.fake_graph import FakeGraph
from ..outlook_helpers import interview, sign_in
from ..process_helpers import child_env, kill_during_passes, start, stop, sync_once, wait_for

V1 = "max_followups = 1\nthank_you = false\n"


def setup(fake: FakeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rules: str = V1
          ) -> tuple[list[str], dict[str, str]]:
    """`rules` "" is v2's defaults."""
    state = tmp_path / "state"
    sign_in(fake, state)  # into this process's memory keyring and the encrypted cache file
    from followup_daemon.secrets import load_secret
    env = child_env(tmp_path, monkeypatch, "o", load_secret("o") or {})
    config = tmp_path / "config.toml"
    config.write_text(f"""[rules]
{rules}timezone = "America/New_York"
[me]
name = "Alex Rivera"
emails = ["alex@contoso.com"]
[sync]
interval_seconds = 1
draft_when = "planned"
[[accounts]]
name = "o"
provider = "outlook"
authority = "{fake.url}"
graph_endpoint = "{fake.url}/v1.0"
ca_bundle = "{fake.ca_file}"
""")
    return ["--config", str(config), "--state-dir", str(state)], env


def followups(fake: FakeGraph) -> list[dict[str, object]]:
    return [e for e in fake.live_events() if "singleValueExtendedProperties" in e]


def soon(days: int) -> str:
    return f"{(dt.date.today() + dt.timedelta(days=days)).isoformat()}T14:00:00"


def test_run_follows_the_calendar(fake_graph: FakeGraph, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    args, env = setup(fake_graph, tmp_path, monkeypatch)
    daemon = start("run", args, env)
    notes = {"contentType": "text", "content": "Met the team."}  # no decision date: +10 days
    event = fake_graph.put_event(interview(start=soon(2), body=notes))
    assert wait_for(lambda: len(followups(fake_graph)) == 1 and len(fake_graph.messages) == 1)
    first_start = followups(fake_graph)[0]["start"]
    fake_graph.put_event(interview(start=soon(4), body=notes), event_id=event["id"])
    assert wait_for(lambda: followups(fake_graph)[0]["start"] != first_start, 10)
    fake_graph.delete_event(event["id"])
    assert wait_for(lambda: not followups(fake_graph) and not fake_graph.messages, 10)
    assert "Traceback" not in stop(daemon)
    assert all("send" not in r.path.lower() for r in fake_graph.requests)


def ended_hours_ago(hours: int) -> str:
    """A start (in UTC, as Graph's times here) whose hour ended `hours` ago."""
    start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours + 1)
    return start.strftime("%Y-%m-%dT%H:%M:%S")


def test_sigkill_mid_pass_leaves_no_duplicates(fake_graph: FakeGraph, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """With v2's rules: two follow-ups and a thank-you per interview, each a draft, and
    the Inbox read by its delta; every interview is five writes to settle."""
    args, env = setup(fake_graph, tmp_path, monkeypatch, rules="")
    for n in range(25):
        hr = {"emailAddress": {"address": f"hr@company{n}.com"}}
        fake_graph.put_event(interview(f"Interview with Company{n}", start=ended_hours_ago(5),
                                       zone="UTC", organizer=hr, attendees=[
                                           {"type": "required", **hr}]))
    mine = fake_graph.put_event(interview("Dentist", start=soon(3)))
    fake_graph.latency_seconds = 0.01
    partial = kill_during_passes(args, env, lambda: len(followups(fake_graph)))
    assert any(0 < n < 50 for n in partial), partial
    settle = sync_once(args, env)
    assert settle.returncode == 0, settle.stderr
    keys = Counter(p["value"] for e in followups(fake_graph)
                   for p in e["singleValueExtendedProperties"]  # type: ignore[attr-defined]
                   if "FollowupFor" in p["id"])
    assert len(keys) == 50 and set(keys.values()) == {1}
    drafts = Counter(m["singleValueExtendedProperties"][0]["value"]
                     for m in fake_graph.messages.values())
    assert len(drafts) == 75 and set(drafts.values()) == {1}  # 50 + 25 thank-yous
    assert any(r.path.endswith("messages/delta") for r in fake_graph.requests)
    assert fake_graph.events[mine["id"]] == mine  # the user's, untouched
