"""Events that cannot be interviews are passed over, not converted: a read names
them (`Changes.passed_over`), so they leave what is stored, and an interview renamed
into an ordinary event (read as a change, not a full listing) loses its follow-up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from followup_daemon.boundary import ProviderContext
from followup_daemon.model import instance_id
from followup_daemon.rules.detection import may_name_interview
from providers.google.calendar import GoogleCalendar
from providers.outlook.calendar import OutlookCalendar

from .. import google_helpers, outlook_helpers
from ..fakes.fake_google import FakeGoogle
from ..fakes.fake_graph import FakeGraph
from ..google_helpers import Runner, interview
from .test_outlook_batch import followups, sync

NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)


def test_an_interview_renamed_away_loses_its_follow_up(fake_google: FakeGoogle,
                                                       tmp_path: Path) -> None:
    runner = Runner(fake_google, tmp_path)
    event = fake_google.put_event("primary", interview())
    assert runner.sync().ok and len(runner.followups()) == 1
    fake_google.put_event("primary", {**event, "summary": "Coffee with Jane"}, event["id"])
    result = runner.sync(now="2026-11-11T09:00")
    assert result.ok and result.counts["removed"] == 1, result.counts
    assert runner.followups() == []


def test_an_outlook_interview_renamed_away_loses_its_follow_up(fake_graph: FakeGraph,
                                                               tmp_path: Path) -> None:
    outlook_helpers.sign_in(fake_graph, tmp_path / "state")
    event = fake_graph.put_event(outlook_helpers.interview())
    assert sync(fake_graph, tmp_path).ok and len(followups(fake_graph)) == 1
    fake_graph.put_event({**event, "subject": "Coffee with Jane",
                          "body": {"contentType": "text", "content": ""}}, str(event["id"]))
    result = sync(fake_graph, tmp_path, dt.datetime(2026, 11, 11, 9, tzinfo=NOW.tzinfo))
    assert result.ok and result.counts["removed"] == 1, result.counts
    assert followups(fake_graph) == []


def test_google_passes_over_what_names_no_interview(fake_google: FakeGoogle,
                                                    tmp_path: Path) -> None:
    google_helpers.authorise(fake_google)
    calendar = GoogleCalendar(google_helpers.account(fake_google), ProviderContext(
        tmp_path, tmp_path, may_name=may_name_interview), retry=fake_google.quick_retries())
    wanted = fake_google.put_event("primary", interview())
    tagged = fake_google.put_event("primary", interview(
        "Coffee", description="<p>#<b>followup</b></p>"))  # the tag, in HTML notes
    other = fake_google.put_event("primary", interview("Dentist"))
    changes = calendar.read_changes(None, NOW)
    assert {e.uid for e in changes.events} == {wanted["id"], tagged["id"]}
    assert changes.passed_over == (instance_id(other["id"]),)


def test_outlook_passes_over_what_names_no_interview(fake_graph: FakeGraph,
                                                     tmp_path: Path) -> None:
    outlook_helpers.sign_in(fake_graph, tmp_path)
    calendar = OutlookCalendar(outlook_helpers.account(fake_graph), ProviderContext(
        tmp_path, tmp_path, may_name=may_name_interview), retry=fake_graph.quick_retries())
    wanted = fake_graph.put_event(outlook_helpers.interview())
    other = fake_graph.put_event(outlook_helpers.interview("Dentist", body={
        "contentType": "text", "content": "Bring the forms."}))
    changes = calendar.read_changes(None, NOW)
    assert [e.uid for e in changes.events] == [wanted["id"]]
    assert changes.passed_over == (instance_id(str(other["id"])),)
