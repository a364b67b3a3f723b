"""`calendars --account NAME` for every provider, Outlook's `calendar` by name, and
Google's `target_calendar`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from followup_daemon.cli import main
from followup_daemon.config import parse_config
from followup_daemon.content import Templates
from followup_daemon.secrets import save_secret
from followup_daemon.state import USER_DELETED, State
from followup_daemon.sync import Providers, run_pass

from ..fakes.fake_google import FakeGoogle
from ..fakes.fake_graph import DEFAULT_CALENDAR, FakeGraph
from ..google_helpers import SCOPES, Runner, authorise
from ..google_helpers import interview as google_interview
from ..outlook_helpers import account as outlook_account
from ..outlook_helpers import interview as outlook_interview
from ..outlook_helpers import sign_in

LIST_SCOPE = "https://www.googleapis.com/auth/calendar.calendarlist.readonly"
NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
JOBS = "AAMkAGJvYnNKb2JzZWFyY2g" + "B" * 40 + "="


def config_file(tmp_path: Path, account: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[rules]\ntimezone = "America/New_York"\n[[accounts]]\n{account}')
    return path


def listing(capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path,
            name: str) -> list[list[str]]:
    assert main(["calendars", "--account", name, "-c", str(config), "--state-dir",
                 str(tmp_path / "state")]) == 0
    return [line.split("  ") for line in capsys.readouterr().out.splitlines()[2:]]


def test_google_lists_its_calendars_by_name_and_id(fake_google: FakeGoogle, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    fake_google.calendars["jobs123@group.calendar.google.com"] = {}
    fake_google.calendar_names["jobs123@group.calendar.google.com"] = "Job search"
    fake_google.granted = " ".join((*SCOPES, LIST_SCOPE))
    authorise(fake_google)
    save_secret("g", {**_secret(fake_google), "scopes": [*SCOPES, LIST_SCOPE]})
    config = config_file(tmp_path, f'name = "g"\nprovider = "google"\n'
                                   f'api_endpoint = "{fake_google.url}"\n'
                                   f'token_uri = "{fake_google.url}/token"\n')
    rows = [[cell.strip() for cell in row if cell.strip()]
            for row in listing(capsys, config, tmp_path, "g")]
    assert rows == [["alex@gmail.com", "alex@gmail.com"],
                    ["Job search", "jobs123@group.calendar.google.com"]]


def _secret(fake: FakeGoogle) -> dict[str, object]:
    return {"client_id": fake.client_id, "client_secret": fake.client_secret,
            "refresh_token": next(iter(fake.refresh_tokens))}


def test_an_older_google_sign_in_is_told_to_sign_in_again(fake_google: FakeGoogle,
                                                          tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    authorise(fake_google)  # signed in before the list scope was asked for
    config = config_file(tmp_path, f'name = "g"\nprovider = "google"\n'
                                   f'api_endpoint = "{fake_google.url}"\n')
    assert main(["calendars", "--account", "g", "-c", str(config)]) == 2
    assert "may not list your calendars; sign in again" in capsys.readouterr().err
    assert not any("calendarList" in r.path for r in fake_google.requests)


def test_google_follow_ups_go_to_the_target_calendar(fake_google: FakeGoogle,
                                                     tmp_path: Path) -> None:
    fake_google.calendars["followups@group.calendar.google.com"] = {}
    runner = Runner(fake_google, tmp_path, target_calendar="followups@group.calendar.google.com")
    fake_google.put_event("primary", google_interview())
    assert runner.sync().ok
    assert [e for e in fake_google.live_events("primary")
            if "followupDaemonKey" in str(e.get("extendedProperties"))] == []
    [written] = fake_google.live_events("followups@group.calendar.google.com")
    assert str(written["summary"]).startswith("Follow up")
    runner.sync()
    assert runner.sync().ok and len(fake_google.live_events(
        "followups@group.calendar.google.com")) == 1  # seen again, not written again


def test_outlook_lists_calendars_and_takes_one_by_name(fake_graph: FakeGraph, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    fake_graph.calendar_names = {DEFAULT_CALENDAR: "Calendar", JOBS: "Job search"}
    sign_in(fake_graph, tmp_path / "state")
    fake_graph.put_event(outlook_interview(), calendar=JOBS)
    settings = outlook_account(fake_graph, calendar="job SEARCH")
    lines = "".join(f'{k} = "{v}"\n' for k, v in settings.items())
    config = config_file(tmp_path, lines)
    rows = [[cell.strip() for cell in row if cell.strip()]
            for row in listing(capsys, config, tmp_path, "o")]
    assert rows == [["Calendar", DEFAULT_CALENDAR], ["Job search", JOBS]]
    parsed = parse_config({"rules": {"timezone": "America/New_York"},
                           "accounts": [settings]}, "t.toml")
    state = State(tmp_path / "state")
    [result] = run_pass(parsed, state, NOW, Templates.load(), providers=Providers())
    state.close()
    assert result.ok, result.error
    assert any(r.path == f"/v1.0/me/calendars/{JOBS}/calendarView/delta"
               for r in fake_graph.requests)
    assert {e["_calendar"] for e in fake_graph.live_events()
            if "singleValueExtendedProperties" in e} == {JOBS}  # into the one it reads


def test_outlook_follow_ups_in_a_calendar_of_their_own(fake_graph: FakeGraph,
                                                       tmp_path: Path) -> None:
    """Written there, read back from its own delta: the user's deletion of one there
    is seen, and a pass with nothing new is one delta request per calendar."""
    own = "AAMkAGZvbGxvd3Vwcw" + "C" * 40 + "="
    fake_graph.calendar_names = {DEFAULT_CALENDAR: "Calendar", own: "Follow-ups"}
    sign_in(fake_graph, tmp_path / "state")
    fake_graph.put_event(outlook_interview())
    parsed = parse_config({"rules": {"timezone": "America/New_York", "max_followups": 1,
                                     "thank_you": False}, "sync": {"draft_when": "planned"},
                           "accounts": [outlook_account(fake_graph, target_calendar="Follow-ups",
                                                        drafts="none")]}, "t.toml")

    def one_pass(day: int) -> list[str]:
        state, seen = State(tmp_path / "state"), len(fake_graph.requests)
        moment = NOW + dt.timedelta(days=day)
        [result] = run_pass(parsed, state, moment, Templates.load(), providers=Providers())
        state.close()
        assert result.ok, result.error
        return [r.path for r in fake_graph.requests[seen:]]

    one_pass(0)
    [written] = [e for e in fake_graph.live_events() if "singleValueExtendedProperties" in e]
    assert written["_calendar"] == own
    one_pass(0)
    assert sorted(one_pass(0)) == ["/v1.0/me/calendarView/delta",
                                   f"/v1.0/me/calendars/{own}/calendarView/delta"]
    fake_graph.delete_event(str(written["id"]))  # the user deletes it, in its calendar
    one_pass(1)
    one_pass(2)
    assert not [e for e in fake_graph.live_events() if "singleValueExtendedProperties" in e]
    state = State(tmp_path / "state")
    assert {row.status for row in state.followups("o").values()} == {USER_DELETED}  # seen
    state.close()


def test_outlook_names_the_calendars_when_the_name_is_unknown(fake_graph: FakeGraph,
                                                              tmp_path: Path) -> None:
    sign_in(fake_graph, tmp_path / "state")
    parsed = parse_config({"rules": {"timezone": "America/New_York"},
                           "accounts": [outlook_account(fake_graph, calendar="Jobs")]},
                          "t.toml")
    state = State(tmp_path / "state")
    [result] = run_pass(parsed, state, NOW, Templates.load(), providers=Providers())
    state.close()
    assert not result.ok and "no calendar named 'Jobs' (yours: Calendar)" in str(result.error)


def test_local_lists_its_files_by_calendar_name(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "work.ics").write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\n"
                                       "X-WR-CALNAME:Work\r\nEND:VCALENDAR\r\n")
    config = config_file(tmp_path, 'name = "l"\nprovider = "local"\ncalendars = ["work.ics"]\n'
                                   'followups = "out.ics"\n')
    rows = [[cell.strip() for cell in row if cell.strip()]
            for row in listing(capsys, config, tmp_path, "l")]
    assert rows == [["Work", str(tmp_path / "work.ics")],
                    ["out.ics (follow-ups)", str(tmp_path / "out.ics")]]
