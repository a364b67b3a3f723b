"""The Google batch format as written and read by `providers.google.batch`: the
request the batch guides describe, and answers as a server may send them."""

from __future__ import annotations

import email.parser
import email.policy
import json
from email.message import Message

import pytest
from googleapiclient.http import HttpRequest

from providers.google.batch import answers, envelope


def request(method: str, body: object = None, **headers: str) -> HttpRequest:
    return HttpRequest(None, lambda response, content: json.loads(content or b"{}"),
                       "https://www.googleapis.com/calendar/v3/calendars/primary/events"
                       "?sendUpdates=none", method=method,
                       body=None if body is None else json.dumps(body),
                       headers={"content-type": "application/json", "accept": "x", **headers})


def parts(message: Message) -> list[Message]:
    payload = message.get_payload()
    assert isinstance(payload, list)
    return [part for part in payload if isinstance(part, Message)]


def test_the_envelope_is_a_multipart_of_whole_http_requests() -> None:
    body = envelope("b1", [request("POST", {"summary": "Café"}),
                           request("DELETE", **{"If-Match": '"3"'})])
    parsed = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(
        b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n' + body)
    first, second = parts(parsed)
    assert first["Content-Type"] == "application/http" and first["Content-ID"] == "<item0>"
    line, _, rest = str(first.get_payload()).partition("\r\n")
    assert line == "POST /calendar/v3/calendars/primary/events?sendUpdates=none HTTP/1.1"
    head, _, content = rest.partition("\r\n\r\n")
    assert json.loads(content) == {"summary": "Café"}
    assert f"content-length: {len(content.encode())}" in head.splitlines()
    assert "accept" not in head  # the outer request's headers apply to every call
    lines = str(second.get_payload()).splitlines()
    assert lines[0] == "DELETE /calendar/v3/calendars/primary/events?sendUpdates=none HTTP/1.1"
    assert 'If-Match: "3"' in lines and not [n for n in lines if n.startswith("content-length")]


ANSWER = (b"--r\r\nContent-Type: application/http\r\nContent-ID: <response-item1>\r\n\r\n"
          b"HTTP/1.1 412 Precondition Failed\r\nRetry-After: 3\r\n\r\n{}\r\n"
          b"--r\nContent-Type: application/http\nContent-ID: <response-item0>\n\n"
          b"HTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"id\": \"a\"}\n--r--\r\n")


def test_answers_are_read_by_content_id_with_either_line_ending() -> None:
    read = answers('multipart/mixed; boundary="r"', ANSWER)
    assert read[0][0].status == 200 and json.loads(read[0][1]) == {"id": "a"}
    assert read[1][0].status == 412 and read[1][0]["retry-after"] == "3"
    assert read[1][1] == b"{}"


@pytest.mark.parametrize("content_type, content", [
    ("application/json", b"{}"),
    ("multipart/mixed; boundary=r", ANSWER.removesuffix(b"--r--\r\n")),  # cut off
    ("multipart/mixed; boundary=r", b"--r\r\nContent-Type: application/http\r\n\r\n"
     b"HTTP/1.1 200 OK\r\n\r\n{}\r\n--r--"),  # no Content-ID
    ("multipart/mixed; boundary=r", b"--r\r\nContent-ID: <response-item0>\r\n\r\n"
     b"garbage\r\n--r--"),  # no status line
])
def test_an_answer_that_is_not_the_batchs_is_a_value_error(content_type: str,
                                                            content: bytes) -> None:
    with pytest.raises(ValueError):
        answers(content_type, content)
