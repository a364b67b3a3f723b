"""Google's batch request, written and read here rather than by the client library's
`BatchHttpRequest`, which makes every call an email-package MIME message, flattens the
whole with its generator and parses the answer with its feed parser: profiled on a
first sync, that cost more than the separate requests a batch saves.

The format is the batch guides' (Calendar's and Gmail's alike): a POST to
/batch/API/VERSION whose multipart/mixed body holds one `application/http` part per
call, each a whole HTTP request (method, path, its own headers, body) with a
Content-ID; the outer request's headers (Authorization) apply to every call. The
answer holds one `application/http` part per call, `Content-ID: <response-ID>`.
The requests are the client library's own (`HttpRequest`), and a call's answer is
read by its model, as the library would.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httplib2
from googleapiclient.errors import HttpError

# the headers of a call that matter to its answer; the outer request carries the rest
CALL_HEADERS = ("content-type", "if-match")
BLANK_LINE = re.compile(rb"\r?\n\r?\n")
CONTENT_ID = re.compile(rb"(?im)^content-id:[ \t]*<?response-item(\d+)>?[ \t]*\r?$")
BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)


class Batch:
    """Calls of one API sent as one batch; `execute` gives each call's answer (the
    model's reading of it, or its HttpError) by index, as `call` runs a request."""

    method = "POST"

    def __init__(self, uri: str, requests: list[Any],
                 meanwhile: Callable[[], None] = lambda: None) -> None:
        self.uri, self.requests, self.meanwhile = uri, requests, meanwhile

    def execute(self, num_retries: int = 0) -> dict[int, Any]:
        """Send the batch once, do `meanwhile` while Google works on it, then read the
        answer; HttpError for the batch itself, ValueError for an answer that is not
        the multipart answer of these calls."""
        boundary = "batch_" + uuid.uuid4().hex
        answered = self.requests[0].http.post_later(
            self.uri, envelope(boundary, self.requests),
            {"content-type": f'multipart/mixed; boundary="{boundary}"'})
        self.meanwhile()
        response, content = answered()
        if response.status >= 300:
            raise HttpError(response, content, uri=self.uri)
        return {index: _read(self.requests[index], answer)
                for index, answer in answers(response.get("content-type", ""), content).items()
                if index < len(self.requests)}


def envelope(boundary: str, requests: list[Any]) -> bytes:
    """The batch's body: each request as an `application/http` part."""
    return b"".join(_part(boundary, index, request) for index, request in
                    enumerate(requests)) + f"--{boundary}--\r\n".encode()


def _part(boundary: str, index: int, request: Any) -> bytes:
    target = urlsplit(request.uri)
    path = target.path + (f"?{target.query}" if target.query else "")
    body = request.body.encode() if isinstance(request.body, str) else request.body or b""
    headers = "".join(f"{name}: {value}\r\n" for name, value in request.headers.items()
                      if name.lower() in CALL_HEADERS)
    length = f"content-length: {len(body)}\r\n" if body else ""
    return (f"--{boundary}\r\nContent-Type: application/http\r\n"
            f"Content-ID: <item{index}>\r\n\r\n{request.method} {path} HTTP/1.1\r\n"
            f"{headers}{length}\r\n").encode() + body + b"\r\n"


def answers(content_type: str, content: bytes) -> dict[int, tuple[httplib2.Response, bytes]]:
    """Each call's (response, body) by index; ValueError when the answer is no
    multipart answer."""
    found = BOUNDARY.search(content_type)
    if not content_type.lower().startswith("multipart/mixed") or not found:
        raise ValueError(f"the batch's answer is not multipart ({content_type or 'no type'})")
    delimiter = b"--" + found.group(1).encode()
    answered: dict[int, tuple[httplib2.Response, bytes]] = {}
    for part in content.split(delimiter)[1:]:
        if part.startswith(b"--"):
            return answered
        head, call = _split(part)
        index = CONTENT_ID.search(head)
        if index is None:
            raise ValueError("a part of the batch's answer has no Content-ID")
        answered[int(index.group(1))] = _response(call)
    raise ValueError("the batch's answer is cut off (no closing delimiter)")


def _split(part: bytes) -> tuple[bytes, bytes]:
    """A part's own headers and its content; the line break before the next delimiter
    is the delimiter's."""
    blank = BLANK_LINE.search(part)
    if blank is None:
        raise ValueError("a part of the batch's answer has no body")
    content = part[blank.end():]
    return part[:blank.start()], content.removesuffix(b"\n").removesuffix(b"\r")


def _response(call: bytes) -> tuple[httplib2.Response, bytes]:
    """An `application/http` answer: its status line, headers and body."""
    blank = BLANK_LINE.search(call)
    head, body = (call[:blank.start()], call[blank.end():]) if blank else (call, b"")
    status_line, *lines = head.decode("latin-1").splitlines()
    fields = status_line.split(" ", 2)
    if len(fields) < 2 or not fields[1].isdigit():
        raise ValueError(f"a part of the batch's answer has no status ({status_line[:40]!r})")
    info = {name.strip().lower(): value.strip()
            for name, _, value in (line.partition(":") for line in lines) if name.strip()}
    response = httplib2.Response({**info, "status": fields[1]})
    response.reason = fields[2] if len(fields) > 2 else ""
    return response, body


def _read(request: Any, answer: tuple[httplib2.Response, bytes]) -> Any:
    """A call's answer as the library's model reads it, its HttpError, or the
    ValueError of a body that is not the JSON it should be."""
    response, body = answer
    if response.status >= 300:
        return HttpError(response, body, uri=request.uri)
    try:
        return request.postproc(response, body)
    except ValueError as error:
        return error
