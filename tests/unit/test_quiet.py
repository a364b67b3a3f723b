"""The quiet pass's promise: until `quiet_until`, planning the same inputs again
gives the same plan, so a pass may skip it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from followup_daemon import planner
from followup_daemon.config import load_config
from followup_daemon.ics.reader import read_calendar_file
from followup_daemon.model import Received
from followup_daemon.planner import plan
from followup_daemon.quiet import quiet_until

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CONFIG = load_config(EXAMPLES / "config.toml")
ZONE = CONFIG.settings.rules.timezone
START = dt.datetime(2026, 11, 9, 7, 30, tzinfo=ZONE)
NOWS = [START + dt.timedelta(hours=5 * n, minutes=7 * n) for n in range(120)]


@pytest.mark.parametrize("now", NOWS, ids=lambda n: n.strftime("%m-%dT%H:%M"))
def test_the_plan_holds_until_the_moment_it_names(now: dt.datetime) -> None:
    events = read_calendar_file(EXAMPLES / "sample-calendar.ics", now).events
    entries = plan(events, CONFIG.settings, now)
    until = quiet_until(entries, now, ZONE)
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=ZONE)
    assert now < until <= midnight
    for moment in (now + (until - now) / 2, until - dt.timedelta(seconds=1)):
        assert plan(events, CONFIG.settings, moment) == entries, moment


def test_the_same_inputs_are_planned_once(monkeypatch: pytest.MonkeyPatch) -> None:
    planned: list[dt.datetime] = []
    real = planner._plan

    def counted(*inputs: Any) -> Any:
        planned.append(inputs[2])
        return real(*inputs)
    monkeypatch.setattr(planner, "_plan", counted)
    monkeypatch.setattr(planner, "_last", [])
    read = [read_calendar_file(EXAMPLES / "sample-calendar.ics", START).events
            for _ in range(2)]  # equal events, made twice
    first = plan(read[0], CONFIG.settings, START)
    again = plan(read[1], CONFIG.settings, START)
    assert again == first and len(planned) == 1
    assert all(entry.event is event for entry, event in zip(again, read[1], strict=True))
    later, in_utc = START + dt.timedelta(minutes=1), START.astimezone(dt.UTC)
    assert plan(read[1], CONFIG.settings, later) is not None and planned[-1] == later
    plan(read[1], CONFIG.settings, in_utc)  # the same moment, another zone: planned again
    mail = [Received("jane@acme.com", START - dt.timedelta(days=1))]
    plan(read[1], CONFIG.settings, in_utc, mail)
    assert len(planned) == 4
