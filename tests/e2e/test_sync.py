"""The sync engine with the local provider: writes, idempotency, crashes, the user's changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from followup_daemon import planner
from followup_daemon.content import Templates
from followup_daemon.state import State
from followup_daemon.sync import run_pass

from ..sync_helpers import Sandbox, vevent

ACME = vevent("acme@x", "Interview with Acme - Backend Engineer", "20261116T140000",
              "Decision: 2026-11-19")
GLOBEX = vevent("globex@x", "Phone screen (Globex)", "20261117T100000",
                organizer="sam@globex.com")


@pytest.fixture
def box(tmp_path: Path) -> Sandbox:
    sandbox = Sandbox(tmp_path)
    sandbox.write(ACME, GLOBEX)
    return sandbox


def test_a_pass_writes_follow_ups_and_drafts(box: Sandbox) -> None:
    [result] = box.sync()
    assert result.ok, result.error
    assert box.starts() == {"Follow up: e-mail Acme (Backend Engineer)": "2026-11-20 10:00",
                            "Follow up: e-mail Globex": "2026-11-27 10:00"}
    drafts = box.messages()
    assert sorted(str(m["To"]) for m in drafts) == ["Jane Park <jane@acme.com>",
                                                    "Jane Park <sam@globex.com>"]
    assert all(m["X-Followup-Daemon-Key"] and m["Message-ID"] for m in drafts)
    assert all("Alex Rivera" in m.get_content() for m in drafts)


def test_the_follow_up_describes_method_script_and_etiquette(box: Sandbox) -> None:
    box.sync()
    acme = next(e for e in box.followups() if "Acme" in str(e["SUMMARY"]))
    text = str(acme["DESCRIPTION"])
    # the method is e-mail (no phone, a video call): a written text, not a call (R6 v2)
    assert "Thank you again for the interview on Monday, November 16. I am writing to ask" \
        in text and "Kind regards, Alex Rivera" in text
    assert "I am calling" not in text and "speak slowly" not in text
    assert "polite, concise and confident" in text
    assert "Jane Park <jane@acme.com>" in text
    assert "Interview with Acme - Backend Engineer" in text


def test_syncing_twice_gives_no_duplicates(box: Sandbox) -> None:
    box.sync()
    box.sync()
    box.sync(now="2026-11-12T09:00")
    assert len(box.followups()) == 2 and len(box.messages()) == 2


def test_a_crash_between_write_and_commit_gives_no_duplicate(box: Sandbox,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    real = State.put_followup

    def crash_on_commit(self: State, account: str, row: object, now: object) -> None:
        if getattr(row, "status", "") == "created":
            raise KeyboardInterrupt("killed after the write, before the commit")
        real(self, account, row, now)  # type: ignore[arg-type]

    monkeypatch.setattr(State, "put_followup", crash_on_commit)
    with pytest.raises(KeyboardInterrupt):
        box.sync()
    assert len(box.followups()) == 2  # written in one flush; the state heard of neither
    monkeypatch.setattr(State, "put_followup", real)
    [result] = box.sync()
    assert result.ok
    assert len(box.followups()) == 2
    rows = State(box.root / "state").followups("main")
    assert {r.status for r in rows.values()} == {"created"}


def test_a_crash_before_the_write_loses_nothing(box: Sandbox,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from providers.local.calendar import LocalCalendar

    def die(self: LocalCalendar, event: object) -> None:
        raise KeyboardInterrupt("killed before the write")

    monkeypatch.setattr(LocalCalendar, "create_followup", die)
    with pytest.raises(KeyboardInterrupt):
        box.sync()
    monkeypatch.undo()
    box.sync()
    assert len(box.followups()) == 2


def test_a_moved_interview_moves_its_follow_up(box: Sandbox) -> None:
    box.sync()
    box.write(ACME.replace("20261116T140000", "20261118T140000")
              .replace("Decision: 2026-11-19", "Decision: 2026-11-24"), GLOBEX)
    box.sync(now="2026-11-11T09:00")
    assert box.starts()["Follow up: e-mail Acme (Backend Engineer)"] == "2026-11-25 10:00"
    assert len(box.followups()) == 2


def test_a_cancelled_interview_takes_its_follow_up_and_draft(box: Sandbox) -> None:
    box.sync()
    box.write(ACME.replace("END:VEVENT", "STATUS:CANCELLED\nEND:VEVENT"), GLOBEX)
    box.sync(now="2026-11-11T09:00")
    assert list(box.starts()) == ["Follow up: e-mail Globex"]
    assert [str(m["To"]) for m in box.messages()] == ["Jane Park <sam@globex.com>"]


def test_a_deleted_interview_takes_its_follow_up(box: Sandbox) -> None:
    box.sync()
    box.write(GLOBEX)
    box.sync(now="2026-11-11T09:00")
    assert list(box.starts()) == ["Follow up: e-mail Globex"]


def test_a_follow_up_the_user_deleted_is_not_recreated(box: Sandbox) -> None:
    box.sync()
    text = box.target.read_text()
    start = text.index("BEGIN:VEVENT")
    end = text.index("END:VEVENT", start) + len("END:VEVENT\n")
    box.target.write_text(text[:start] + text[end:])
    box.sync(now="2026-11-11T09:00")
    box.sync(now="2026-11-12T09:00")
    assert len(box.followups()) == 1


def test_a_follow_up_the_user_moved_is_not_moved_back(box: Sandbox) -> None:
    box.sync()
    text = box.target.read_text().replace("DTSTART;TZID=America/New_York:20261120T100000",
                                          "DTSTART;TZID=America/New_York:20261123T160000")
    box.target.write_text(text.replace("DTEND;TZID=America/New_York:20261120T101500",
                                       "DTEND;TZID=America/New_York:20261123T161500"))
    box.write(ACME.replace("Decision: 2026-11-19", "Decision: 2026-11-20"), GLOBEX)
    box.sync(now="2026-11-11T09:00")
    assert box.starts()["Follow up: e-mail Acme (Backend Engineer)"] == "2026-11-23 16:00"


def test_a_draft_the_user_deleted_or_sent_is_not_recreated(box: Sandbox) -> None:
    box.sync()
    for file in (box.drafts / "cur").iterdir():
        file.unlink()
    box.sync(now="2026-11-11T09:00")
    assert box.messages() == []


def test_many_deletions_read_their_own_rows_only(box: Sandbox,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Each deletion reads its own follow-up's row: reading all of them for each one
    made a pass that removes n follow-ups cost n times n rows."""
    many = [vevent(f"i{n}@x", f"Interview with Co{n}", f"202611{16 + n % 5}T1{n % 8}0000")
            for n in range(30)]
    box.write(GLOBEX, *many)
    box.sync()
    box.write(GLOBEX)
    reads: list[str] = []
    every = State.followups

    def counted(self: State, account: str, pending: bool = False) -> dict[str, Any]:
        reads.append(account)
        return every(self, account, pending)
    monkeypatch.setattr(State, "followups", counted)
    [result] = box.sync(now="2026-11-11T09:00")
    assert result.ok and result.counts["removed"] == 30
    assert list(box.starts()) == ["Follow up: e-mail Globex"]
    assert len(reads) < 10, len(reads)


def test_an_empty_calendar_is_an_error_not_a_deletion(box: Sandbox) -> None:
    box.sync()
    box.write()
    [result] = box.sync(now="2026-11-11T09:00")
    assert not result.ok and "lists no events" in result.error
    assert len(box.followups()) == 2


def test_drafts_wait_until_the_follow_up_is_due(tmp_path: Path) -> None:
    box = Sandbox(tmp_path, draft_when="due")
    box.write(ACME, GLOBEX)
    box.sync(now="2026-11-10T09:00")
    assert len(box.followups()) == 2 and box.messages() == []
    box.sync(now="2026-11-20T08:00")
    assert [str(m["To"]) for m in box.messages()] == ["Jane Park <jane@acme.com>"]


def test_a_past_follow_up_is_history(box: Sandbox) -> None:
    box.sync()
    box.sync(now="2026-11-21T09:00")  # Acme's follow-up (20 Nov) is past: not caught up again
    assert box.starts()["Follow up: e-mail Acme (Backend Engineer)"] == "2026-11-20 10:00"
    assert len(box.followups()) == 2


def test_one_failing_account_does_not_stop_the_others(box: Sandbox) -> None:
    config = box.config()
    config.accounts.insert(0, {"name": "broken", "provider": "local",
                               "calendars": ["missing.ics"], "followups": "x.ics"})
    broken, main = box.sync(config=config)
    assert not broken.ok and "does not exist" in broken.error
    assert main.ok and len(box.followups()) == 2


def test_header_injection_through_names_never_adds_a_header() -> None:
    from email import message_from_bytes, policy

    from followup_daemon.compose import draft
    from followup_daemon.content import Templates
    from followup_daemon.model import Person

    from ..helpers import at, event, plan_one

    evil = event("Interview with Acme\r\nBcc: spy@evil.com",
                 description="Company: Acme\r\nX-Evil: 1\nRole: Dev\rBcc: spy@evil.com",
                 attendees=(Person("bob@acme.com", "Bob\r\nBcc: spy@evil.com"),))
    entry = plan_one(evil)
    message = draft(entry, plan_one.__globals__["settings"](), Templates.load(),
                    at("2026-11-01 09:00"))
    assert message is not None
    parsed = message_from_bytes(message.message.as_bytes(), policy=policy.default)
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None
    assert sorted(parsed.keys()) == sorted(["From", "To", "Subject", "Date", "Message-ID",
                                            "X-Followup-Daemon-Key", "Content-Type",
                                            "Content-Transfer-Encoding", "MIME-Version"])
    assert [a.addr_spec for a in parsed["To"].addresses] == ["jane@acme.com", "bob@acme.com"]


def test_state_and_outputs_are_private(box: Sandbox) -> None:
    box.sync()
    for path in (box.root / "state", box.drafts, box.drafts / "cur"):
        assert path.stat().st_mode & 0o777 == 0o700, path
    for path in (box.root / "state" / "state.sqlite3", box.target,
                 *(box.drafts / "cur").iterdir()):
        assert path.stat().st_mode & 0o777 == 0o600, path


def test_templates_in_the_config_folder_replace_the_shipped_ones(box: Sandbox) -> None:
    (box.root / "templates").mkdir()
    (box.root / "templates" / "event_title.txt").write_text("Ring $company about $role\n")
    templates = Templates.load(box.root / "templates")
    state = State(box.root / "state")
    try:
        run_pass(box.config(), state, dt.datetime.fromisoformat("2026-11-10T09:00-05:00"),
                 templates)
    finally:
        state.close()
    assert "Ring Acme about Backend Engineer" in box.starts()


def test_progress_is_reported_for_each_write(box: Sandbox) -> None:
    calls: list[tuple[str, int, int]] = []
    state = State(box.root / "state")
    try:
        run_pass(box.config(), state, dt.datetime.fromisoformat("2026-11-10T09:00-05:00"),
                 Templates.load(), lambda *call: calls.append(call))
    finally:
        state.close()
    assert calls[0] == ("main", 0, 0)
    # the 2 follow-ups one by one, then the 2 drafts in one batch (the Maildir's)
    assert calls[1:] == [("main", 1, 4), ("main", 2, 4), ("main", 4, 4)]


@pytest.mark.parametrize("batch", [100, 1])  # the Maildir's batches, and one by one
def test_draft_intents_are_synced_to_disk_before_the_drafts_are_saved(
        box: Sandbox, batch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """With synchronous=NORMAL a power cut may roll the last commits back; an intent
    rolled back after its draft was saved would make that draft a second time, so
    the draft intents commit with FULL, and the rest stays NORMAL."""
    from providers.maildir.mailbox import MaildirMailbox

    monkeypatch.setattr(MaildirMailbox, "batch_size", batch)
    state = State(box.root / "state")
    seen: list[str] = []
    state.db.set_trace_callback(seen.append)
    try:
        run_pass(box.config(), state, dt.datetime.fromisoformat("2026-11-10T09:00-05:00"),
                 Templates.load())
    finally:
        state.close()
    level, commits = "NORMAL", {"NORMAL": 0, "FULL": 0}
    intents = {"NORMAL": 0, "FULL": 0}
    for sql in seen:
        if sql.startswith("PRAGMA synchronous="):
            level = sql.partition("=")[2]
        elif sql == "COMMIT":
            commits[level] += 1
        elif sql.startswith("INSERT OR REPLACE INTO drafts") and "'creating'" in sql:
            intents[level] += 1
    assert intents == {"NORMAL": 0, "FULL": 2}  # the two drafts
    assert commits["FULL"] == (1 if batch > 1 else 2)
    assert commits["NORMAL"] > 1 and level == "NORMAL"


def test_a_new_sync_position_is_kept_when_only_own_follow_ups_changed(tmp_path: Path) -> None:
    """CalDAV answers "unchanged" when only the daemon's own writes came back; the new
    sync token must still be saved, or every later pass fetches them all again."""
    from followup_daemon.boundary import Changes
    from followup_daemon.sync import _store_changes

    state = State(tmp_path / "state")
    _store_changes(state, "a", Changes("token-1", full=True))
    _store_changes(state, "a", Changes("token-2", unchanged=True))
    assert state.account("a").cursor == "token-2"
    state.close()


@pytest.mark.parametrize("change", ["notes", "title"])
def test_a_followup_the_user_edited_is_not_moved_back(tmp_path: Path, change: str) -> None:
    """The user added a note (or retitled it), keeping its time; the interview then moves:
    the follow-up is theirs now and stays as they left it."""
    from icalendar import Calendar

    from ..ics_files import user_edit

    box = Sandbox(tmp_path)
    box.write(vevent("a", "Interview with Acme", "20261102T140000"))
    assert box.sync()[0].ok
    calendar = Calendar.from_ical(box.target.read_bytes())
    user_edit(next(iter(calendar.walk("VEVENT"))), change)
    box.target.write_bytes(calendar.to_ical())
    edited = box.target.read_bytes()
    box.write(vevent("a", "Interview with Acme", "20261104T140000"))  # two days later
    [result] = box.sync()
    assert result.ok and result.counts["moved"] == 0, result.counts
    assert box.target.read_bytes() == edited
    state = State(tmp_path / "state")
    [row] = state.followups("main").values()
    state.close()
    assert row.status == "user_moved"


def test_an_untouched_followup_still_follows_its_interview(tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    box.write(vevent("a", "Interview with Acme", "20261102T140000"))
    assert box.sync()[0].ok
    before = box.starts()
    box.write(vevent("a", "Interview with Acme", "20261104T140000"))
    [result] = box.sync()
    assert result.counts["moved"] == 1 and box.starts() != before


V1_SCHEMA = (Path(__file__).parents[1] / "data" / "state-v1.sql").read_text()


def test_a_version_1_database_is_migrated_with_nothing_lost(tmp_path: Path) -> None:
    import sqlite3

    (tmp_path / "state").mkdir()
    old = sqlite3.connect(tmp_path / "state" / "state.sqlite3")
    old.executescript(V1_SCHEMA)
    old.close()
    state = State(tmp_path / "state")
    rows = state.followups("main")
    assert rows["k1"].status == "user_deleted" and rows["k2"].remote_id == "r2"
    assert rows["k2"].fingerprint == "fp2" and rows["k2"].version == ""
    assert state.drafts("main")["k2"].remote_id == "d2"
    assert state.account("main").cursor == "c1"
    version = state.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    state.close()
    assert version == ("2",)


def test_a_lost_state_relearns_from_the_calendar_and_writes_nothing_unsure(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Deleting the state once brought back follow-ups the user deleted and drafts
    already sent; now the next pass adopts what it finds and says what it cannot know."""
    import shutil

    from icalendar import Calendar

    box = Sandbox(tmp_path)
    box.write(vevent("a", "Interview with Acme", "20261102T140000"),
              vevent("b", "Interview with Globex", "20261103T140000", organizer="j@globex.com"))
    assert box.sync()[0].ok and len(box.followups()) == 2 and len(box.messages()) == 2
    calendar = Calendar.from_ical(box.target.read_bytes())
    calendar.subcomponents = [c for c in calendar.subcomponents
                              if "Globex" not in str(c.get("SUMMARY", ""))]  # user deleted
    box.target.write_bytes(calendar.to_ical())
    for sent in (box.drafts / "cur").iterdir():  # and sent both drafts
        sent.unlink()
    shutil.rmtree(tmp_path / "state")
    [result] = box.sync()
    assert result.ok, result.error
    assert [str(e["SUMMARY"]) for e in box.followups()] == ["Follow up: e-mail Acme"]
    assert box.messages() == []
    assert any("cannot be known" in r.getMessage() for r in caplog.records)
    box.write(vevent("a", "Interview with Acme", "20261102T140000"),
              vevent("b", "Interview with Globex", "20261103T140000", organizer="j@globex.com"),
              vevent("c", "Interview with Initech", "20261105T140000", organizer="h@initrode.com"))
    [later] = box.sync()  # a new interview after the recovery is followed up as ever
    assert later.counts["created"] == 1 and len(box.followups()) == 2


def test_a_pass_plans_once_and_keeps_that_plan_for_status(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    box = Sandbox(tmp_path)  # stored in another order than they start in
    box.write(vevent("a-later@x", "Interview with Initech", "20261118T140000"),
              vevent("z-sooner@x", "Interview with Hooli", "20261116T140000"))
    planned: list[int] = []
    real = planner._plan

    def counted(*inputs: Any) -> Any:
        planned.append(len(inputs[0]))
        return real(*inputs)
    monkeypatch.setattr(planner, "_plan", counted)
    [result] = box.sync()
    assert result.ok, result.error
    assert planned == [2]  # the pass's plan; the view for `status` is the same plan


def test_a_pass_runs_the_cycle_collector_less_often_and_puts_it_back(
        box: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from followup_daemon.collector import DURING_A_PASS

    before, during = gc.get_threshold(), []
    state = State(box.root / "state")
    try:
        run_pass(box.config(), state, dt.datetime.fromisoformat("2026-11-10T09:00-05:00"),
                 Templates.load(), lambda *call: during.append(gc.get_threshold()))
        monkeypatch.setattr(state, "reread_if_filter_changed", lambda filter: 1 / 0)
        with pytest.raises(ZeroDivisionError):  # put back after a failure too
            run_pass(box.config(), state, dt.datetime.now(dt.UTC), Templates.load())
    finally:
        state.close()
    assert during and set(during) == {DURING_A_PASS} != {before}
    assert gc.get_threshold() == before
