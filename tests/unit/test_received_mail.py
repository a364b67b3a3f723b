"""R7.2's received mail: automatic replies told apart, Maildir and mbox read by headers
only, and `plan --mail` as a process."""

from __future__ import annotations

import json
import mailbox
import subprocess
import sys
from pathlib import Path

import pytest

from followup_daemon.errors import UserError
from followup_daemon.received_mail import read_mail
from followup_daemon.rules.answered import is_automatic

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("headers", [
    {"auto-submitted": "auto-replied"}, {"auto-submitted": "auto-generated"},
    {"x-autoreply": "yes"}, {"x-autorespond": ""}, {"precedence": "bulk"},
    {"precedence": "auto_reply"}, {"precedence": "junk"}, {"precedence": "List"},
    {"subject": "Automatic reply: Follow-up"}, {"subject": "Out of Office: back Monday"},
    {"subject": "Abwesenheitsnotiz: Ihre Nachricht"}, {"subject": "Réponse automatique : RE"},
    {"subject": "Respuesta automática: entrevista"}, {"subject": "Resposta automática"},
    {"subject": "Risposta automatica: colloquio"}, {"subject": "Automatisch antwoord: RE"},
    {"subject": "[Out of office] RE: interview"},
])
def test_automatic_messages(headers: dict[str, str]) -> None:
    assert is_automatic(headers)


@pytest.mark.parametrize("headers", [
    {}, {"auto-submitted": "no"}, {"precedence": "first-class"},
    {"subject": "Re: our interview"}, {"subject": "Next steps after your interview"},
])
def test_messages_people_wrote(headers: dict[str, str]) -> None:
    assert not is_automatic(headers)


def message(sender: str, date: str, body: str = "Thanks!", extra: str = "") -> bytes:
    return (f"From: Jane <{sender}>\r\nTo: alex@gmail.com\r\nSubject: Re: interview\r\n"
            f"Date: {date}\r\n{extra}\r\n{body}\r\n").encode()


def maildir(tmp_path: Path, *messages: bytes) -> Path:
    box = tmp_path / "Mail"
    for sub in ("cur", "new", "tmp"):
        (box / sub).mkdir(parents=True)
    for i, data in enumerate(messages):
        (box / ("new" if i % 2 else "cur") / f"{i}.host:2,S").write_bytes(data)
    return box


def test_a_maildir_is_read_by_its_headers(tmp_path: Path) -> None:
    body = "From: jane@acme.com\r\nDate: Wed, 18 Nov 2026 10:00:00 -0500\r\n"  # in a body
    box = maildir(tmp_path, message("jane@acme.com", "Wed, 18 Nov 2026 16:30:00 -0500"),
                  message("bob@gmail.com", "Thu, 19 Nov 2026 10:00:00 +0000", body=body),
                  message("ooo@acme.com", "Thu, 19 Nov 2026 10:00:00 +0000",
                          extra="Auto-Submitted: auto-replied\r\n"))
    received, warnings = read_mail(box)
    assert sorted((r.sender, r.moment.isoformat(), r.automatic) for r in received) == [
        ("bob@gmail.com", "2026-11-19T10:00:00+00:00", False),
        ("jane@acme.com", "2026-11-18T16:30:00-05:00", False),
        ("ooo@acme.com", "2026-11-19T10:00:00+00:00", True),
    ]
    assert warnings == []


def test_encoded_subjects_are_read_decoded(tmp_path: Path) -> None:
    subject = "=?utf-8?q?R=C3=A9ponse_automatique_:_absent?="
    box = maildir(tmp_path, message("jane@acme.com", "Wed, 18 Nov 2026 16:30:00 -0500",
                                    extra="X-Note: x\r\n").replace(
        b"Subject: Re: interview", f"Subject: {subject}".encode()))
    [received], _ = read_mail(box)
    assert received.automatic


def test_an_mbox_file(tmp_path: Path) -> None:
    path = tmp_path / "inbox.mbox"
    box = mailbox.mbox(path)
    box.add(message("jane@acme.com", "Wed, 18 Nov 2026 16:30:00 -0500"))
    box.add(message("x@acme.com", "not a date"))
    box.flush()
    received, warnings = read_mail(path)
    assert [r.sender for r in received] == ["jane@acme.com"]
    assert warnings == [f"{path} message 2: skipped: no readable Date header"]


def test_a_message_without_a_sender_is_skipped_with_its_name(tmp_path: Path) -> None:
    box = maildir(tmp_path, b"Subject: hi\r\n\r\nbody\r\n",
                  message("jane\x1b[2J@acme.com", "Wed, 18 Nov 2026 16:30:00 -0500"))
    received, warnings = read_mail(box)
    assert received == [] and len(warnings) == 2
    assert all("skipped: no sender address" in w for w in warnings)


@pytest.mark.parametrize("make", ["missing", "folder"])
def test_neither_a_maildir_nor_an_mbox(tmp_path: Path, make: str) -> None:
    path = tmp_path / "x"
    if make == "folder":
        path.mkdir()
    with pytest.raises(UserError, match="--mail"):
        read_mail(path)


ICS = """BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r
UID:acme-1\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261116T190000Z\r
DTEND:20261116T200000Z\r\nSUMMARY:Interview with Acme\r
ORGANIZER:mailto:jane@acme.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"""


def run_plan(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "cal.ics").write_text(ICS)
    config = tmp_path / "config.toml"
    config.write_text('[rules]\ntimezone = "UTC"\n[me]\nemails = ["alex@gmail.com"]\n')
    return subprocess.run(
        [sys.executable, "-m", "followup_daemon", "plan", "--calendar",
         str(tmp_path / "cal.ics"), "--config", str(config), "--now", "2026-11-20T09:00",
         "--json", *extra], capture_output=True, text=True, cwd=ROOT)


def test_plan_with_mail_as_a_process(tmp_path: Path) -> None:
    box = maildir(tmp_path, message("jane@acme.com", "Wed, 18 Nov 2026 16:30:00 +0000"))
    [entry] = json.loads(run_plan(tmp_path, "--mail", str(box)).stdout)
    assert entry["skipped"] == "answered" and entry["followups"] == []
    assert entry["answered"] == {"date": "2026-11-18", "by": "reply", "outcome": "answered",
                                 "from": "jane@acme.com"}
    [entry] = json.loads(run_plan(tmp_path).stdout)
    assert set(entry) == {"uid", "recurrence_id", "summary", "is_interview", "reason",
                          "company", "role", "interview_start", "decision_date", "followup",
                          "skipped", "followups", "answered", "thank_you"}
    assert entry["followup"] == {k: v for k, v in entry["followups"][0].items() if k != "n"}
    assert entry["answered"] is None and [f["n"] for f in entry["followups"]] == [1, 2]
    assert entry["thank_you"] is None  # the interview ended more than 48 hours ago


def test_plan_with_a_bad_mail_path_is_one_line_and_status_2(tmp_path: Path) -> None:
    result = run_plan(tmp_path, "--mail", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "nowhere" in result.stderr
