"""Google's batch endpoint, as the Calendar and Gmail batch guides describe it.

A POST to /batch/API/VERSION carries a multipart/mixed body; each part is
`Content-Type: application/http` and holds one whole HTTP request (method,
path-only URL, headers, body). The outer request's headers apply to every call
except its Content- headers; a call's own header wins. The answer is one
multipart/mixed response with one `application/http` part per call, in the
calls' order, each with `Content-ID: <response-ID>` for the call's Content-ID.
Calendar takes at most 1000 calls a batch, Gmail 100; more is a 400. The fake's
`latency_seconds` is spent on each call of a batch, as on each request.

Faults set with `fail(...)` apply to the calls inside a batch as to single
requests: a status fault is that call's answer; `applied_close`/`applied_reset`
apply every call and lose the whole batch's answer; `reset` drops the
connection before the call it matches (the earlier ones are applied).
"""

from __future__ import annotations

import email.parser
import email.policy
import io
import json
import re
import time
import uuid
from http.client import HTTPMessage
from typing import Any
from urllib.parse import parse_qs, urlparse

from .base import FakeHandler, Fault, Logged, merged_headers

LIMITS = {"calendar/v3": 1000, "gmail/v1": 100}
BLANK_LINE = re.compile(r"\r?\n\r?\n")


class BatchRoutes(FakeHandler):
    """The batch endpoint of a fake whose `route` serves the single calls."""

    def batch(self, api: str, raw: Any) -> None:
        """Answer one batch request."""
        parts = _parts(self.headers.get("Content-Type", ""), raw)
        if parts is None or not parts or len(parts) > LIMITS[api]:
            return self.send(400, self.error_body(400, "badRequest", "invalid batch"))
        answers: list[tuple[str, bytes]] = []
        lost: Fault | None = None
        for part in parts:
            fault = self._fault_of(part)
            if fault is not None and fault.kind == "reset":
                return self._drop_connection(reset=True)
            answers.append((str(part.get("Content-ID", "")), self._call(api, part, fault)))
            lost = lost or (fault if fault and fault.kind.startswith("applied_") else None)
        if lost is not None:
            return self._drop_connection(reset=lost.kind == "applied_reset")
        boundary = "batch_" + uuid.uuid4().hex
        self.send(200, _multipart(boundary, answers),
                  content_type=f"multipart/mixed; boundary={boundary}")

    def _fault_of(self, part: Any) -> Fault | None:
        method, path = _request_line(part.get_payload())[:2]
        return self.fake.take_fault(method, urlparse(path).path)

    def _call(self, api: str, part: Any, fault: Fault | None) -> bytes:
        """One call, answered into a buffer with the outer headers under its own."""
        method, target, headers, body = _request_line(part.get_payload())
        parsed = urlparse(target)
        query = parse_qs(parsed.query, keep_blank_values=True)
        data = json.loads(body) if body.strip() else None
        self.fake.requests.append(Logged(method, parsed.path, query, data, dict(headers),
                                         batched=True))
        time.sleep(self.fake.latency_seconds)  # a batch takes as long as its calls
        outer, answer = self.headers, self.wfile
        self.headers, self.wfile = merged_headers(outer, headers), io.BytesIO()
        try:
            if not parsed.path.startswith(f"/{api}/"):
                self.send(400, self.error_body(400, "badRequest", "another API's call"))
            elif fault is not None and fault.kind in ("status", "truncated"):
                self._inject(fault)
            else:
                self.route(method, parsed.path, query, data)
            return self.wfile.getvalue()
        finally:
            self.headers, self.wfile = outer, answer


def _parts(content_type: str, raw: Any) -> list[Any] | None:
    if not isinstance(raw, bytes) or "boundary=" not in content_type:
        return None
    parser = email.parser.BytesParser(policy=email.policy.compat32)
    message = parser.parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    return list(message.get_payload()) if message.is_multipart() else None


def _request_line(payload: str) -> tuple[str, str, HTTPMessage, str]:
    """A part's HTTP request: method, target, headers, body."""
    blank = BLANK_LINE.search(payload)
    head, body = (payload[:blank.start()], payload[blank.end():]) if blank else (payload, "")
    line, _, header_text = head.partition("\n")
    headers = email.parser.Parser(_class=HTTPMessage).parsestr(header_text.strip() + "\n\n")
    method, target, _ = [*line.strip().split(" ", 2), "", ""][:3]
    return method, target, headers, body


def _multipart(boundary: str, answers: list[tuple[str, bytes]]) -> str:
    parts = [f"--{boundary}\r\nContent-Type: application/http\r\n"
             f"Content-ID: <response-{cid.strip('<>')}>\r\n\r\n{answer.decode()}\r\n"
             for cid, answer in answers]
    return "".join(parts) + f"--{boundary}--\r\n"
