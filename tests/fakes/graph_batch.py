"""Microsoft Graph's JSON batching (`POST /v1.0/$batch`), as the JSON batching guide
describes it.

The body is `{"requests": [...]}`, at most 20, each with a unique `id` (a clash
is a 400), a `method`, a `url` relative to the version and, with a `body`, a
`headers` object that names its Content-Type (else a 400). The outer request's
Authorization applies to each call. The answer is 200 with `{"responses": [...]}`,
each `{"id", "status", "headers", "body"}`; the guide says they may come in any
order, and this fake answers them in reverse so a client must pair them by id.

Faults set with `fail(...)` apply to calls inside a batch as to single requests: a
status fault is that call's answer (with its Retry-After in the call's headers);
`applied_close`/`applied_reset` apply every call and lose the whole answer;
`reset` drops the connection before the call it matches.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs, urlparse

from .base import FakeHandler, Fault, Logged, merged_headers

LIMIT = 20


class GraphBatchRoutes(FakeHandler):
    """The `$batch` endpoint of a fake whose `route` serves the single calls."""

    def batch(self, body: Any) -> None:
        """Answer one JSON batch."""
        calls = body.get("requests") if isinstance(body, dict) else None
        problem = _problem(calls)
        if problem:
            return self.send(400, self.error_body(400, "BadRequest", problem))
        answers: list[dict[str, Any]] = []
        lost: Fault | None = None
        for call in calls or []:
            path = "/v1.0" + urlparse(str(call["url"])).path
            fault = self.fake.take_fault(str(call["method"]), path)
            if fault is not None and fault.kind == "reset":
                return self._drop_connection(reset=True)
            answers.append(self._call(call, fault))
            lost = lost or (fault if fault and fault.kind.startswith("applied_") else None)
        if lost is not None:
            return self._drop_connection(reset=lost.kind == "applied_reset")
        self.send(200, {"responses": answers[::-1]})

    def _call(self, call: dict[str, Any], fault: Fault | None) -> dict[str, Any]:
        """One call, its answer caught instead of sent."""
        target = urlparse(str(call["url"]))
        path, method = "/v1.0" + target.path, str(call["method"])
        query = parse_qs(target.query, keep_blank_values=True)
        data = call.get("body")
        self.fake.requests.append(Logged(method, path, query, data,
                                         dict(call.get("headers") or {}), batched=True))
        time.sleep(self.fake.latency_seconds)  # a batch takes as long as its calls
        caught: dict[str, Any] = {"id": call["id"]}
        outer = self.headers
        self.headers = merged_headers(outer, call.get("headers") or {})
        self.send = lambda status, body=None, headers=None, content_type="": caught.update(  # type: ignore[method-assign]
            status=status, headers=headers or {}, body=_json(body))
        try:
            if fault is not None and fault.kind in ("status", "truncated"):
                self._inject(fault)
            else:
                self.route(method, path, query, data)
        finally:
            del self.send
            self.headers = outer
        return caught


def _problem(calls: Any) -> str:
    if not isinstance(calls, list) or not calls:
        return "the body must hold a list of requests"
    if len(calls) > LIMIT:
        return f"a batch holds at most {LIMIT} requests"
    ids = [str(c.get("id")) for c in calls if isinstance(c, dict)]
    if len(ids) != len(calls) or len(set(ids)) != len(ids):
        return "every request needs an id of its own"
    for call in calls:
        if not call.get("method") or not call.get("url"):
            return f"request {call['id']}: a method and a url are required"
        if "body" in call and "content-type" not in {k.lower() for k in
                                                     (call.get("headers") or {})}:
            return f"request {call['id']}: a body needs a Content-Type header"
    return ""


def _json(body: Any) -> Any:
    if isinstance(body, str):
        try:
            return json.loads(body)
        except ValueError:
            return body
    return body
