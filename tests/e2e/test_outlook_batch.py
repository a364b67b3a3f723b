"""Writes in JSON batches (`$batch`, 20 calls each): new Outlook follow-ups and
drafts, against the fake Graph serving batches as the JSON batching guide says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import requests

from followup_daemon.config import parse_config
from followup_daemon.content import Templates
from followup_daemon.state import CREATED, State
from followup_daemon.sync import AccountResult, Providers, run_pass
from providers.outlook.graph import BATCH_SIZE

from ..fakes.fake_graph import FakeGraph
from ..outlook_helpers import account, interview, sign_in

NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
EVENTS = "/v1.0/me/calendar/events"
MESSAGES = "/v1.0/me/messages"


def interviews(fake: FakeGraph, count: int) -> None:
    for n in range(count):
        fake.put_event(interview(f"Interview with Company{n}", organizer={
            "emailAddress": {"address": f"jane@company{n}.com", "name": "Jane"}}))


def sync(fake: FakeGraph, tmp_path: Path, now: dt.datetime = NOW) -> AccountResult:
    config = parse_config({"rules": {"timezone": "America/New_York", "max_followups": 1,
                                     "thank_you": False},
                           "sync": {"draft_when": "planned"},
                           "accounts": [account(fake)]}, "t.toml")
    state = State(tmp_path / "state")
    try:
        [result] = run_pass(config, state, now, Templates.load(),
                            providers=Providers())
        return result
    finally:
        state.close()


def followups(fake: FakeGraph) -> list[dict[str, object]]:
    return [e for e in fake.live_events() if "singleValueExtendedProperties" in e]


def test_a_first_sync_writes_in_batches_of_twenty(fake_graph: FakeGraph,
                                                  tmp_path: Path) -> None:
    sign_in(fake_graph, tmp_path / "state")
    interviews(fake_graph, 30)
    before = len(fake_graph.sent())
    result = sync(fake_graph, tmp_path)
    assert result.ok, result.error
    assert len(followups(fake_graph)) == 30 and len(fake_graph.messages) == 30
    batches = [r for r in fake_graph.sent()[before:] if r.path == "/v1.0/$batch"]
    sizes = [len(r.body["requests"]) for r in batches]
    assert sizes == [20, 10, 20, 10] and BATCH_SIZE == 20  # follow-ups, then drafts
    assert fake_graph.count("POST", EVENTS) == 30 and fake_graph.count("POST", MESSAGES) == 30
    assert not [r for r in fake_graph.sent()[before:] if r.method == "POST"
                and r.path in (EVENTS, MESSAGES)]  # nothing alone
    state = State(tmp_path / "state")
    assert {row.status for row in state.drafts("o").values()} == {CREATED}
    state.close()


def test_a_call_that_failed_in_a_batch_is_retried_alone_with_its_transaction_id(
        fake_graph: FakeGraph, tmp_path: Path) -> None:
    sign_in(fake_graph, tmp_path / "state")
    interviews(fake_graph, 4)
    fake_graph.fail("POST", EVENTS, status=503)
    fake_graph.fail("POST", MESSAGES, status=429, retry_after="1")
    assert sync(fake_graph, tmp_path).ok
    assert len(followups(fake_graph)) == 4 and len(fake_graph.messages) == 4
    alone = [r for r in fake_graph.sent() if r.method == "POST" and r.path in (EVENTS, MESSAGES)]
    assert [r.path for r in alone] == [EVENTS, MESSAGES]
    first = next(r for r in fake_graph.requests if r.batched and r.path == EVENTS)
    assert alone[0].body["transactionId"] == first.body["transactionId"]


def test_a_lost_batch_of_drafts_is_settled_by_key_without_duplicates(
        fake_graph: FakeGraph, tmp_path: Path) -> None:
    sign_in(fake_graph, tmp_path / "state")
    interviews(fake_graph, 3)
    fake_graph.fail("POST", MESSAGES, kind="applied_close")
    assert sync(fake_graph, tmp_path).ok
    assert len(fake_graph.messages) == 3 and fake_graph.count("POST", MESSAGES) == 3


def test_a_lost_batch_of_follow_ups_is_resent_and_graph_answers_the_first_events(
        fake_graph: FakeGraph, tmp_path: Path) -> None:
    sign_in(fake_graph, tmp_path / "state")
    interviews(fake_graph, 3)
    fake_graph.fail("POST", EVENTS, kind="applied_reset")
    assert sync(fake_graph, tmp_path).ok
    assert len(followups(fake_graph)) == 3 and fake_graph.count("POST", EVENTS) == 6


def test_the_fake_answers_a_batch_as_the_guide_says(fake_graph: FakeGraph,
                                                    tmp_path: Path) -> None:
    sign_in(fake_graph, tmp_path / "state")
    token = next(iter(fake_graph.access_tokens))
    url, auth = f"{fake_graph.url}/v1.0/$batch", {"Authorization": f"Bearer {token}"}

    def post(calls: list[dict[str, Any]]) -> requests.Response:
        return requests.post(url, json={"requests": calls}, headers=auth, timeout=5,
                             verify=fake_graph.ca_file)

    answer = post([{"id": "1", "method": "GET", "url": "/me/calendar/events"},
                   {"id": "2", "method": "GET", "url": "/me/events/nope"}])
    assert answer.status_code == 200
    assert [(r["id"], r["status"]) for r in answer.json()["responses"]] == [("2", 404),
                                                                         ("1", 200)]
    get = {"method": "GET", "url": "/me/calendar/events"}
    assert post([{"id": str(n), **get} for n in range(21)]).status_code == 400
    assert post([{"id": "1", **get}, {"id": "1", **get}]).status_code == 400
    assert post([{"id": "1", "method": "POST", "url": "/me/messages",
                  "body": {}}]).status_code == 400  # a body without its Content-Type


def test_moves_and_deletions_go_in_batches_after_one_batch_of_checks(
        fake_graph: FakeGraph, tmp_path: Path) -> None:
    """Graph has no If-Match for events: the changeKeys are read in one batch, then the
    unchanged follow-ups are moved (or deleted) in another."""
    sign_in(fake_graph, tmp_path / "state")
    interviews(fake_graph, 30)
    assert sync(fake_graph, tmp_path).ok
    events = [e for e in fake_graph.live_events() if "Interview" in str(e.get("subject"))]
    for event in events[:20]:
        later = interview(str(event["subject"]), start="2026-11-23T14:00:00",
                          organizer=event["organizer"])
        fake_graph.put_event({**event, **later}, str(event["id"]))
    for event in events[20:]:
        fake_graph.delete_event(str(event["id"]))
    before = len(fake_graph.sent())
    result = sync(fake_graph, tmp_path, NOW + dt.timedelta(days=1))
    assert result.ok and result.counts["moved"] == 20 and result.counts["removed"] == 10
    sent = fake_graph.sent()[before:]
    assert not [r for r in sent if r.path.startswith("/v1.0/me/events/")]  # none alone
    batches = [[c["method"] for c in r.body["requests"]] for r in sent
               if r.path == "/v1.0/$batch"]
    assert batches == [["GET"] * 20, ["PATCH"] * 20, ["GET"] * 10, ["DELETE"] * 10]
    assert len(followups(fake_graph)) == 20


def test_a_check_or_a_move_that_failed_in_a_batch_is_sent_again_alone(
        fake_graph: FakeGraph, tmp_path: Path) -> None:
    sign_in(fake_graph, tmp_path / "state")
    interviews(fake_graph, 3)
    assert sync(fake_graph, tmp_path).ok
    for event in [e for e in fake_graph.live_events() if "Interview" in str(e.get("subject"))]:
        later = interview(str(event["subject"]), start="2026-11-23T14:00:00",
                          organizer=event["organizer"])
        fake_graph.put_event({**event, **later}, str(event["id"]))
    fake_graph.fail("GET", "/v1.0/me/events/", status=503)  # one changeKey check
    fake_graph.fail("PATCH", "/v1.0/me/events/", status=429, retry_after="1")  # one move
    before = len(fake_graph.sent())
    result = sync(fake_graph, tmp_path, NOW + dt.timedelta(days=1))
    assert result.ok and result.counts["moved"] == 3, result.counts
    alone = [r.method for r in fake_graph.sent()[before:] if r.path.startswith("/v1.0/me/events/")]
    assert alone == ["GET", "PATCH"]
    state = State(tmp_path / "state")
    assert {row.status for row in state.followups("o").values()} == {CREATED}
    state.close()
