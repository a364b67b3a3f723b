"""Writes in batches: Google's batch endpoint for Calendar inserts and Gmail drafts,
with the fake serving batches as the batch guides describe them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httplib2
import pytest
from google.oauth2.credentials import Credentials
from googleapiclient.http import BatchHttpRequest

from followup_daemon.state import CREATED, DraftRow, FollowupRow, State
from providers.google.calendar import GoogleCalendar
from providers.google.client import BATCH_SIZE
from providers.google.gmail import GmailMailbox
from providers.google.transport import Answered, RequestsHttp

from ..fakes.fake_google import FakeGoogle
from ..google_helpers import Runner, interview

EVENTS = "/calendar/v3/calendars/primary/events"
DRAFTS = "/gmail/v1/users/me/drafts"


@pytest.fixture
def runner(fake_google: FakeGoogle, tmp_path: Path) -> Runner:
    return Runner(fake_google, tmp_path)


def interviews(fake: FakeGoogle, count: int) -> None:
    for n in range(count):
        fake.put_event("primary", interview(f"Interview with Company{n}",
                                            organizer={"email": f"hr@company{n}.com"}))


def recorded(runner: Runner) -> tuple[list[DraftRow], list[FollowupRow]]:
    state = State(runner.root / "state")
    try:
        return list(state.drafts("g").values()), list(state.followups("g").values())
    finally:
        state.close()


def wire(fake: FakeGoogle) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in fake.sent()]


def test_a_first_sync_writes_in_batches_of_fifty(runner: Runner) -> None:
    interviews(runner.fake, 120)
    assert runner.sync().ok
    assert len(runner.followups()) == 120 and len(runner.fake.drafts) == 120
    sent = wire(runner.fake)
    batches = [r for r in runner.fake.sent() if r.path.startswith("/batch/")]
    assert sent.count(("GET", EVENTS)) == 1  # 120 events: one page of 250
    # 120 follow-ups in 3 batches, then 120 drafts in 3: the writes / 50, rounded up
    assert len(batches) == 6 and len(sent) == 1 + 1 + 6  # the token, the listing
    assert runner.fake.count("POST", EVENTS) == 120 and runner.fake.count("POST", DRAFTS) == 120
    sizes = [len(r.body.split(b"Content-Type: application/http")) - 1 for r in batches]
    assert max(sizes) <= BATCH_SIZE and sum(sizes) == 240
    drafts, followups = recorded(runner)
    assert {row.status for row in drafts} == {CREATED}
    assert all(row.remote_id for row in followups) and len(followups) == 120


def test_a_call_that_failed_in_a_batch_is_retried_alone(runner: Runner) -> None:
    interviews(runner.fake, 5)
    runner.fake.fail("POST", EVENTS, status=503)
    runner.fake.fail("POST", DRAFTS, status=429, reason="rateLimitExceeded")
    assert runner.sync().ok
    assert len(runner.followups()) == 5 and len(runner.fake.drafts) == 5
    alone = [p for p in wire(runner.fake) if p[0] == "POST" and p[1] in (EVENTS, DRAFTS)]
    assert alone == [("POST", EVENTS), ("POST", DRAFTS)]


def test_a_draft_the_batch_refused_for_good_fails_alone(runner: Runner) -> None:
    interviews(runner.fake, 3)
    runner.fake.fail("POST", DRAFTS, status=400, reason="invalidArgument")
    result = runner.sync()
    assert result.counts["failed"] == 1 and result.counts["drafts"] == 2
    assert len(runner.fake.drafts) == 2 and len(runner.followups()) == 3
    runner.sync()
    assert len(runner.fake.drafts) == 3  # the failed one is written on the next pass


def test_a_batch_of_drafts_whose_answer_was_lost_is_settled_without_duplicates(
        runner: Runner) -> None:
    interviews(runner.fake, 4)
    runner.fake.fail("POST", DRAFTS, kind="applied_close")
    assert runner.sync().ok
    assert len(runner.fake.drafts) == 4  # each draft was looked up, none saved twice
    assert {row.status for row in recorded(runner)[0]} == {CREATED}
    assert runner.fake.count("POST", DRAFTS) == 4


def test_a_batch_of_inserts_whose_answer_was_lost_is_resent_without_duplicates(
        runner: Runner) -> None:
    interviews(runner.fake, 4)
    runner.fake.fail("POST", EVENTS, kind="applied_reset")
    assert runner.sync().ok
    assert len(runner.followups()) == 4  # the resent batch's inserts answered 409
    assert runner.fake.count("POST", EVENTS) == 8


def test_a_follow_up_the_daemon_deleted_is_revived_from_a_batch(runner: Runner) -> None:
    event = runner.fake.put_event("primary", interview())
    assert runner.sync().ok
    [followup] = runner.followups()
    runner.fake.delete_event("primary", event["id"])
    runner.sync(now="2026-11-11T09:00")
    assert runner.followups() == []
    runner.fake.put_event("primary", interview(), event_id=event["id"])  # it is back
    interviews(runner.fake, 2)
    assert runner.sync(now="2026-11-12T09:00").ok
    assert followup["id"] in {e["id"] for e in runner.followups()}
    assert len(runner.followups()) == 3


def test_the_fake_answers_a_batch_as_the_guide_says(fake_google: FakeGoogle) -> None:
    """Against the client library's own batch: answers in order, by Content-ID, the
    outer Authorization applying to every call; over Gmail's 100 calls is a 400."""
    import requests

    token = "ya29.batch"
    fake_google.access_tokens.add(token)
    answers: dict[str, object] = {}
    batch = BatchHttpRequest(callback=lambda i, a, e: answers.__setitem__(i, e or a),
                             batch_uri=f"{fake_google.url}/batch/calendar/v3")
    from googleapiclient.http import HttpRequest

    def insert(body: dict[str, object]) -> HttpRequest:
        return HttpRequest(None, lambda r, c: json.loads(c), f"{fake_google.url}{EVENTS}",
                           method="POST", body=json.dumps(body),
                           headers={"content-type": "application/json"})

    batch.add(insert(interview()), request_id="a")
    batch.add(insert({"summary": "no times"}), request_id="b")

    class Http:
        def request(self, uri: str, method: str, body: str, headers: dict[str, str]
                    ) -> tuple[object, bytes]:
            import httplib2
            answer = requests.post(uri, data=body, headers={
                **headers, "Authorization": f"Bearer {token}"}, timeout=5)
            return httplib2.Response({"status": str(answer.status_code),
                                      "content-type": answer.headers["Content-Type"]}), \
                answer.content

    batch.execute(http=Http())
    assert isinstance(answers["a"], dict) and answers["a"]["summary"] == "Interview with Acme"
    assert getattr(answers["b"], "status_code", None) == 400
    parts = "".join(f"--x\r\nContent-Type: application/http\r\n\r\nGET {DRAFTS} HTTP/1.1\r\n\r\n"
                    for _ in range(101)) + "--x--\r\n"
    refused = requests.post(f"{fake_google.url}/batch/gmail/v1", data=parts, timeout=5,
                            headers={"Content-Type": "multipart/mixed; boundary=x",
                                     "Authorization": f"Bearer {token}"})
    assert refused.status_code == 400


def moved_and_removed(fake: FakeGoogle, count: int, removed: int) -> None:
    """`count` interviews synced before: all but the last `removed` move a week later,
    those are deleted."""
    events = [e for e in fake.live_events() if "Interview" in str(e.get("summary"))]
    for event in events[:count - removed]:
        later = interview(str(event["summary"]), start="2026-11-23T14:00:00-05:00",
                          organizer=event["organizer"])
        fake.put_event("primary", {**event, **later}, str(event["id"]))
    for event in events[count - removed:]:
        fake.delete_event("primary", str(event["id"]))


def test_moves_and_deletions_go_in_batches(runner: Runner) -> None:
    interviews(runner.fake, 30)
    assert runner.sync().ok
    moved_and_removed(runner.fake, 30, removed=10)
    before = len(runner.fake.sent())
    result = runner.sync(now="2026-11-11T09:00")
    assert result.ok and result.counts["moved"] == 20 and result.counts["removed"] == 10
    sent = runner.fake.sent()[before:]
    assert not [r for r in sent if r.method in ("PATCH", "DELETE") and EVENTS in r.path]
    calls = [r for r in runner.fake.requests if r.batched and EVENTS in r.path]
    assert sum(r.method == "PATCH" for r in calls) == 20
    assert sum(r.method == "DELETE" for r in calls) == 10
    assert len([r for r in sent if r.path == "/batch/calendar/v3"]) == 2  # moves, deletions
    assert len(runner.followups()) == 20
    assert {row.status for row in recorded(runner)[1]} == {CREATED, "deleted"}


def test_a_batch_of_moves_whose_answer_was_lost_is_settled_as_written(runner: Runner
                                                                      ) -> None:
    """The resent batch's If-Match meets the daemon's own first write (412): each move
    is then looked at alone and found written, never taken for the user's edit."""
    interviews(runner.fake, 3)
    assert runner.sync().ok
    moved_and_removed(runner.fake, 3, removed=0)
    runner.fake.fail("PATCH", EVENTS, kind="applied_reset")
    result = runner.sync(now="2026-11-11T09:00")
    assert result.ok and result.counts["moved"] == 3, result.counts
    assert {row.status for row in recorded(runner)[1]} == {CREATED}


def test_a_move_or_deletion_that_failed_in_a_batch_is_sent_again_alone(runner: Runner
                                                                       ) -> None:
    interviews(runner.fake, 4)
    assert runner.sync().ok
    moved_and_removed(runner.fake, 4, removed=2)
    runner.fake.fail("PATCH", EVENTS, status=503)
    runner.fake.fail("DELETE", EVENTS, status=429, reason="rateLimitExceeded")
    before = len(runner.fake.sent())
    result = runner.sync(now="2026-11-11T09:00")
    assert result.ok and result.counts["moved"] == 2 and result.counts["removed"] == 2
    alone = [r.method for r in runner.fake.sent()[before:] if EVENTS in r.path
             and r.method in ("PATCH", "DELETE")]
    assert alone == ["PATCH", "DELETE"]


def on_the_wire(monkeypatch: pytest.MonkeyPatch, log: list[str],
                before_send: Callable[[], None] = lambda: None) -> None:
    """Note in `log` each batch sent, each answer read, and each request built."""
    send = RequestsHttp.post_later

    def post_later(self: RequestsHttp, uri: str, body: bytes, headers: dict[str, str]
                   ) -> Answered:
        before_send()
        log.append("sent")
        answered = send(self, uri, body, headers)

        def read() -> tuple[httplib2.Response, bytes]:
            log.append("answered")
            return answered()
        return read

    monkeypatch.setattr(RequestsHttp, "post_later", post_later)
    for adapter, name in ((GoogleCalendar, "_new_insert"), (GmailMailbox, "_new_create")):
        monkeypatch.setattr(adapter, name, noted(getattr(adapter, name), log))


def noted(build: Callable[[Any, Any], Any], log: list[str]) -> Callable[[Any, Any], Any]:
    def built(self: Any, item: Any) -> Any:
        log.append("built")
        return build(self, item)
    return built


def built_while_waiting(log: list[str]) -> int:
    waiting, during = False, 0
    for entry in log:
        waiting = entry == "sent" or (waiting and entry != "answered")
        during += entry == "built" and waiting
    return during


def test_the_next_batch_is_built_while_the_one_before_is_answered(
        runner: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    log: list[str] = []
    on_the_wire(monkeypatch, log)
    interviews(runner.fake, 120)
    assert runner.sync().ok
    assert len(runner.followups()) == 120 and len(runner.fake.drafts) == 120
    assert log.count("sent") == 6 and log.count("built") == 240  # none built twice
    # all but the first 50 inserts: the first drafts while the last inserts are answered
    assert built_while_waiting(log) == 190


def test_a_batch_refused_for_an_old_token_is_sent_again_with_a_new_one(
        runner: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    log: list[str] = []
    revoked: list[bool] = []

    def revoke_once() -> None:  # the token Google gave is no longer good (401)
        if not revoked:
            runner.fake.access_tokens.clear()
            revoked.append(True)

    on_the_wire(monkeypatch, log, revoke_once)
    interviews(runner.fake, 60)
    assert runner.sync().ok
    assert len(runner.followups()) == 60 and len(runner.fake.drafts) == 60
    sent = wire(runner.fake)
    assert sent.count(("POST", "/token")) == 2 and log.count("sent") == 4


def test_through_an_https_proxy_a_batch_goes_by_requests(
        fake_google: FakeGoogle, monkeypatch: pytest.MonkeyPatch) -> None:
    http = RequestsHttp(Credentials("token"), 5)  # type: ignore[no-untyped-call]
    monkeypatch.setattr(http.wire, "reaches", lambda url: False)
    asked: list[str] = []

    def by_requests(uri: str, method: str, body: bytes, headers: dict[str, str]
                    ) -> tuple[httplib2.Response, bytes]:
        asked.append(f"{method} {uri}")
        return httplib2.Response({"status": "200"}), b"ok"

    monkeypatch.setattr(http, "request", by_requests)
    answered = http.post_later(f"{fake_google.url}/batch/gmail/v1", b"calls", {})
    assert asked == [f"POST {fake_google.url}/batch/gmail/v1"]  # sent at once, by requests
    assert answered()[1] == b"ok" and not fake_google.sent()
