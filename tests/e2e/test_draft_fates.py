"""What the user made of the daemon's drafts: looked at once their day has come, at
most once a day, so `status` stops saying "created" for a draft that was sent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from followup_daemon.cli_status import _status_text, status_data
from followup_daemon.state import State

from ..sync_helpers import Sandbox, vevent

NY = dt.timezone(dt.timedelta(hours=-5))


def status_text(box: Sandbox, now: str) -> str:
    state = State(box.root / "state")
    try:
        moment = dt.datetime.fromisoformat(now).replace(tzinfo=NY)
        return _status_text(status_data(state, moment, box.config().settings))
    finally:
        state.close()


def test_a_sent_draft_is_seen_on_its_day_and_said_by_status(tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    box.write(vevent("acme-1@x", "Interview with Acme", "20261116T140000"),
              vevent("globex-1@x", "Interview with Globex", "20261117T140000",
                     organizer="hr@globex.com"))
    assert all(r.ok for r in box.sync())  # drafts "planned": saved at once
    drafts = {str(m["Subject"]): m for m in box.messages()}
    assert len(drafts) == 2
    [acme] = [f for f in (box.drafts / "cur").iterdir() if b"Acme" in f.read_bytes()]
    acme.unlink()  # the user sent it from their mail program
    [globex] = [f for f in (box.drafts / "cur").iterdir() if b"Globex" in f.read_bytes()]
    globex.write_bytes(globex.read_bytes() + b"\nP.S. see my portfolio\n")  # and edits this
    assert all(r.ok for r in box.sync(now="2026-11-20T09:00"))  # before their days
    assert "sent or deleted" not in status_text(box, "2026-11-20T09:00")
    assert all(r.ok for r in box.sync(now="2026-12-01T09:00"))  # both days have come
    text = status_text(box, "2026-12-01T09:00")
    assert "draft sent or deleted" in text and "draft edited" in text
    assert all(r.ok for r in box.sync(now="2026-12-01T09:00"))  # nothing written again
    assert len(box.messages()) == 1 and len(box.followups()) == 2
