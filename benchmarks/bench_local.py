"""Benchmark: the local provider on a vdir of N files (one event each, every 20th an
interview), follow-ups to a vdir and drafts to a Maildir.

    python benchmarks/bench_local.py [--events N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from icalendar import Calendar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.sync_figures import NOW
from followup_daemon.config import parse_config
from followup_daemon.content import Templates
from followup_daemon.state import State
from followup_daemon.sync import Providers, run_pass


def fill(vdir: Path, count: int) -> None:
    """`count` one-event files over two months around NOW."""
    vdir.mkdir(parents=True)
    for n in range(count):
        start = (NOW + dt.timedelta(hours=(n * 7) % 1400 - 700)).astimezone(dt.UTC)
        summary = f"Interview with Company{n}" if n % 20 == 0 else f"Meeting {n}"
        (vdir / f"{n}.ics").write_text(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:{n}@bench\r\nDTSTAMP:20261101T000000Z\r\n"
            f"DTSTART:{start:%Y%m%dT%H%M%SZ}\r\nDURATION:PT1H\r\nSUMMARY:{summary}\r\n"
            f"ORGANIZER:mailto:hr@company{n}.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def local_passes(folder: Path, count: int) -> tuple[float, float]:
    """Seconds of a first sync and of a no-change pass inside one `run`."""
    fill(folder / "calendar", count)
    config = parse_config({"rules": {"timezone": "America/New_York"},
                           "sync": {"draft_when": "planned"},
                           "accounts": [{"name": "l", "provider": "local",
                                         "calendars": [str(folder / "calendar")],
                                         "followups": str(folder / "followups"),
                                         "maildir": str(folder / "Mail")}]}, "bench.toml")
    providers, templates, state = Providers(), Templates.load(), State(folder / "state")
    began = time.perf_counter()
    run_pass(config, state, NOW, templates, providers=providers)
    first = time.perf_counter() - began
    run_pass(config, state, NOW, templates, providers=providers)
    began = time.perf_counter()
    run_pass(config, state, NOW, templates, providers=providers)
    idle = time.perf_counter() - began
    state.close()
    return first, idle


def bare_read(vdir: Path) -> float:
    """Seconds to read and parse every file of the vdir with icalendar, nothing more."""
    began = time.perf_counter()
    for file in sorted(vdir.glob("*.ics")):
        Calendar.from_ical(file.read_bytes())
    return time.perf_counter() - began


def main() -> int:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    count = parser.parse_args().events
    with tempfile.TemporaryDirectory() as name:
        first, idle = local_passes(Path(name), count)
        bare = bare_read(Path(name) / "calendar")
    print(f"first sync {first:.2f} s, no-change pass {idle:.3f} s, bare read+parse {bare:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
