"""Benchmark: `plan` over a generated 10,000-event calendar.

Generates a calendar of N events (about 5% interviews, 2% recurring weekly
series, decision statements in some notes), then times reading and planning
it in this process and prints events per second, wall time and peak memory
(the process's maximum resident set size). Target: 10,000 events in under 5 s.

    python benchmarks/bench_plan.py [--events N] [--keep FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from followup_daemon.ics.reader import read_calendar_file
from followup_daemon.plan_output import plan_json
from followup_daemon.planner import plan
from followup_daemon.settings import Identity, RuleSettings, Settings

ZONE = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=ZONE)
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella Corp", "Hooli", "Stark Industries"]
NOTES = ["Decision by Friday.", "They will get back to me within 5 business days.",
         "Hear back by 12/3.", "Decision: 2026-12-10", "", "Bring ID."]
OTHER = ["Team standup", "Dentist", "Lunch with Sam", "1:1 with manager", "Gym",
         "Mock interview practice", "Podcast interview", "Sprint planning"]


def vevent(i: int, rng: random.Random) -> list[str]:
    """One VEVENT's lines: an interview (5%), a weekly series (2%) or an ordinary event."""
    start = NOW + dt.timedelta(days=rng.randint(-120, 120), hours=rng.randint(-8, 8))
    roll = rng.random()
    company = rng.choice(COMPANIES)
    summary = (f"Interview with {company} - Engineer {i % 7}" if roll < 0.05
               else rng.choice(OTHER))
    lines = ["BEGIN:VEVENT", f"UID:bench-{i}@example.com", "DTSTAMP:20260101T000000Z",
             f"DTSTART;TZID=America/New_York:{start:%Y%m%dT%H%M00}", "DURATION:PT1H",
             f"SUMMARY:{summary}", f"DESCRIPTION:{rng.choice(NOTES)}", "LOCATION:Zoom",
             f"ORGANIZER;CN=Jane:mailto:jane@{company.split()[0].lower()}.com"]
    if 0.05 <= roll < 0.07:
        lines.append("RRULE:FREQ=WEEKLY;COUNT=10")
    return [*lines, "END:VEVENT"]


def write_calendar(path: Path, count: int) -> None:
    """A calendar of `count` events, reproducibly random."""
    rng = random.Random(42)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//followup-daemon//bench//EN"]
    for i in range(count):
        lines += vevent(i, rng)
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def measure(path: Path) -> tuple[int, int, float]:
    """(events read, follow-ups planned, seconds) for reading, planning and JSON."""
    settings = Settings(RuleSettings(timezone=ZONE, holidays="US"), Identity())
    began = time.perf_counter()
    events = read_calendar_file(path, NOW).events
    entries = plan(events, settings, NOW)
    plan_json(entries, ZONE)
    elapsed = time.perf_counter() - began
    return len(events), sum(1 for e in entries if e.followup), elapsed


def measure_file(path: str) -> tuple[int, int, float]:
    """`measure` of a file named by a string (as a child process is given it)."""
    return measure(Path(path))


def main() -> int:
    """Generate, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="also write the calendar here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "bench.ics"
        write_calendar(path, args.events)
        instances, planned, seconds = measure(path)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"VEVENTs in file      {args.events:>10,}")
    print(f"instances planned    {instances:>10,}  ({planned:,} follow-ups)")
    print(f"wall time            {seconds:>10.2f} s  (read + plan + JSON)")
    print(f"events per second    {instances / seconds:>10,.0f}")
    print(f"peak memory (RSS)    {peak_mib:>10.1f} MiB")
    print(f"target (< 5 s)       {'met' if seconds < 5 else 'MISSED':>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
