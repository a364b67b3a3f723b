"""`make bench`: every figure of the performance targets in one table.

Each row: the figure, its target, the bare-library figure measured beside it on the
same fake in the same run (where the target is a ratio), the ratio, and PASS/FAIL.
Timed figures are medians of runs alternated with their bare-library twin.

    python benchmarks/table.py [--runs N] [--events N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

if TYPE_CHECKING:
    from benchmarks.fake_process import Write
    from benchmarks.sync_figures import PassFigures

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Row:
    """One line of the table."""

    figure: str
    measured: str
    target: str
    ok: bool | None  # None: a figure for information, with no target
    bare: str = "-"
    ratio: str = "-"


def median_ms(runs: list[float]) -> float:
    return statistics.median(runs) * 1000


def alternated(runs: int, *commands: Callable[[], float]) -> list[float]:
    """The median seconds of each command, run in turn `runs` times."""
    seen: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for index, command in enumerate(commands):
            seen[index].append(command())
    return [statistics.median(s) for s in seen]


def process(*args: str) -> Callable[[], float]:
    def timed() -> float:
        began = time.perf_counter()
        subprocess.run([sys.executable, *args], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False, cwd=ROOT)
        return time.perf_counter() - began
    return timed


def ratio_row(figure: str, ours: float, bare: float, limit: float, bare_name: str) -> Row:
    share = ours / bare
    return Row(figure, f"{ours * 1000:,.0f} ms", f"<= {limit:g}x {bare_name}",
               share <= limit, f"{bare * 1000:,.0f} ms", f"{share:.2f}x")


def cold_start(runs: int, folder: Path) -> list[Row]:
    """`--help` and `status` as whole processes against `python -c pass`; `status`
    after a `sync` of the sample calendar (12 interviews), as a user runs it. The
    sources are compiled first, as `pip install` compiles an installed wheel's: a
    checkout's editable install otherwise compiles them on every start where
    PYTHONDONTWRITEBYTECODE is set, a cost no installed daemon pays."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "followup_daemon", "providers"],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    config = folder / "cold.toml"
    sample = ROOT / "examples" / "sample-calendar.ics"
    config.write_text('[rules]\ntimezone = "America/New_York"\nholidays = "US"\n'
                      '[[accounts]]\nname = "local"\nprovider = "local"\n'
                      f'calendars = ["{sample}"]\nfollowups = "cold/followups.ics"\n'
                      'maildir = "cold/Maildir"\n')
    subprocess.run([sys.executable, "-m", "followup_daemon", "--log-level", "warning", "sync",
                    "--config", str(config), "--state-dir", str(folder / "cold")],
                   check=True, cwd=ROOT)
    bare, helped, status = alternated(
        runs, process("-c", "pass"), process("-m", "followup_daemon", "--help"),
        process("-m", "followup_daemon", "status", "--config", str(config),
                "--state-dir", str(folder / "cold")))
    return [ratio_row("cold --help", helped, bare, 3, "python -c pass"),
            ratio_row("cold status", status, bare, 4, "python -c pass")]


def google(runs: int, count: int) -> list[Row]:
    """A first sync on the fake Google, batched and one by one, against the bare
    client doing the same work one by one."""
    from benchmarks.bench_google import product_pass

    pages: list[int] = []

    def ours(batched: bool) -> PassFigures:
        figures, listed = product_pass(count, batched)
        pages.append(listed)
        return figures

    batched, single, rows = first_syncs(runs, "google", "bare client", ours, bare_google,
                                        50, count)
    return [*rows, requests_row("google", single, pages[0], 1, 1),
            requests_row("google", batched, pages[0], 50, 1),
            Row("google no-change pass in run: CPU", f"{batched.idle_cpu_ms:.1f} ms",
                "<= 20 ms", batched.idle_cpu_ms <= 20),
            Row("google no-change pass in run: requests", str(len(batched.idle_requests)),
                "= 1 calendar (replies off: no metadata scope)",
                len(batched.idle_requests) <= 2)]


def first_syncs(runs: int, service: str, bare_name: str,
                ours: Callable[[bool], PassFigures],
                bare: Callable[[int, list[Write], int], float], batch: int,
                count: int = 5000) -> tuple[PassFigures, PassFigures, list[Row]]:
    """The product batched and one by one, alternated with the bare library doing the
    same work one by one and in batches of `batch`; the last figures of each, the two
    ratio rows and, for information, the batched pass against the bare batches."""
    seconds: dict[str, list[float]] = {"batched": [], "single": [], "bare": [],
                                       "bare batched": []}
    for _ in range(runs):
        batched, single = ours(True), ours(False)
        seconds["batched"].append(batched.first_seconds)
        seconds["single"].append(single.first_seconds)
        seconds["bare"].append(bare(count, single.writes, 1))
        seconds["bare batched"].append(bare(count, single.writes, batch))
    base, ours_batched = statistics.median(seconds["bare"]), statistics.median(
        seconds["batched"])
    floor = ratio_row(f"{service} first sync, batched, against bare batches", ours_batched,
                      statistics.median(seconds["bare batched"]), 1, f"{bare_name} batched")
    return batched, single, [
        ratio_row(f"{service} first sync, {count:,} events, one by one",
                  statistics.median(seconds["single"]), base, 1.5, bare_name),
        ratio_row(f"{service} first sync, batched", ours_batched, base, 0.5, bare_name),
        Row(floor.figure, floor.measured, "(information: the same batches)", None,
            floor.bare, floor.ratio)]


def requests_row(service: str, figures: PassFigures, pages: int, batch: int, tokens: int
                 ) -> Row:
    """The first sync's requests against the list pages, the writes (in batches of
    `batch`, by kind) and the token requests a new process makes."""
    made, saved = figures.counts["created"], figures.counts["drafts"]
    writes = -(-made // batch) - (-saved // batch)
    how = f"{made + saved} writes" if batch == 1 else f"{made}+{saved} writes / {batch}"
    return Row(f"{service} first sync: requests, {'one by one' if batch == 1 else 'batched'}",
               f"{figures.first_requests:,}",
               f"<= {pages} pages + {how} + {tokens} token", figures.first_requests <=
               pages + writes + tokens)


def bare_google(count: int, writes: list[Write], batch: int = 1) -> float:
    """The bare google-api-python-client: list the calendar, then make the daemon's own
    inserts and drafts (`writes`) one by one, or (`batch` > 1) in the library's batches
    of that many, sent where the daemon sends them."""
    from google.oauth2.credentials import Credentials
    from googleapiclient.discovery import build
    from googleapiclient.http import BatchHttpRequest

    from benchmarks.bench_google import started_fake

    fake = started_fake(count)
    refresh, client = next(iter(fake.attribute("refresh_tokens"))), fake.attribute("client_id")
    secret = fake.attribute("client_secret")
    began = time.perf_counter()
    credentials = Credentials(  # type: ignore[no-untyped-call]
        None, refresh_token=refresh, token_uri=fake.url + "/token", client_id=client,
        client_secret=secret)
    calendar = build("calendar", "v3", credentials=credentials, static_discovery=True,
                     client_options={"api_endpoint": fake.url + "/calendar/v3/"})
    gmail = build("gmail", "v1", credentials=credentials, static_discovery=True,
                  client_options={"api_endpoint": fake.url})
    page = None
    while True:
        answer = calendar.events().list(calendarId="primary", singleEvents=True,
                                        maxResults=250, pageToken=page).execute()
        page = answer.get("nextPageToken")
        if not page:
            break
    for api, chunk in _chunks(writes, batch):
        requests = [gmail.users().drafts().create(userId="me", body=write.body)
                    if api == "gmail/v1" else
                    calendar.events().insert(calendarId=write.path.split("/")[-2],
                                             body=write.body, **write.query)
                    for write in chunk]
        if batch == 1:
            requests[0].execute()
            continue
        sent = BatchHttpRequest(batch_uri=f"{fake.url}/batch/{api}")
        for request in requests:
            sent.add(request)
        sent.execute()
    elapsed = time.perf_counter() - began
    fake.stop()
    return elapsed


def _chunks(writes: list[Write], size: int) -> list[tuple[str, list[Write]]]:
    """The writes by API ("calendar/v3", "gmail/v1"), in chunks of `size`."""
    by_api: dict[str, list[Write]] = {}
    for write in writes:
        by_api.setdefault("gmail/v1" if write.path.endswith("/drafts") else "calendar/v3",
                          []).append(write)
    return [(api, items[start:start + size]) for api, items in by_api.items()
            for start in range(0, len(items), size)]


def outlook(runs: int, count: int) -> list[Row]:
    """A first sync on the fake Graph, batched ($batch) and one by one, against plain
    requests doing the same work one by one."""
    from benchmarks.bench_graph import bare_graph, product_pass

    batched, single, rows = first_syncs(runs, "outlook", "bare requests",
                                        lambda batch: product_pass(count, batch), bare_graph,
                                        20, count)
    # the delta pages, and the one listing of the daemon's own events a new state makes
    pages = batched.first_kinds.get("GET delta", 0) + batched.first_kinds.get("GET events", 0)
    return [*rows, requests_row("outlook", single, pages, 1, 0),
            requests_row("outlook", batched, pages, 20, 0),
            Row("outlook no-change pass in run: requests", str(len(batched.idle_requests)),
                "= 1 calendar + 1 mailbox", len(batched.idle_requests) <= 2),
            Row("outlook no-change pass in run: CPU", f"{batched.idle_cpu_ms:.1f} ms",
                "<= 20 ms", batched.idle_cpu_ms <= 20)]


def local_vdir(runs: int, count: int, folder: Path) -> list[Row]:
    """A vdir of `count` files: first sync and no-change pass against reading and
    parsing the same files with icalendar."""
    from benchmarks.bench_local import bare_read, local_passes

    first: list[float] = []
    idle: list[float] = []
    bare: list[float] = []
    for run in range(runs):
        made, again = local_passes(folder / f"vdir-{run}", count)
        first.append(made)
        idle.append(again)
        bare.append(bare_read(folder / f"vdir-{run}" / "calendar"))
    base = statistics.median(bare)
    return [ratio_row(f"local vdir first sync, {count:,} files", statistics.median(first),
                      base, 2, "bare read+parse"),
            ratio_row("local vdir no-change pass", statistics.median(idle), base, 0.5,
                      "bare read+parse")]


def planning(runs: int, folder: Path) -> list[Row]:
    """`plan` of a 10,000-event calendar, read, planned and printed as JSON: the median
    of `runs`, each in a process of its own (a process keeps its last plan)."""
    from benchmarks.bench_plan import measure_file, write_calendar

    path = folder / "plan.ics"
    write_calendar(path, 10_000)
    timed = []
    for _ in range(runs):
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            timed.append(pool.apply(measure_file, (str(path),)))
    seconds = statistics.median(seconds for _, _, seconds in timed)
    return [Row(f"plan {timed[0][0]:,} event instances", f"{seconds * 1000:,.0f} ms",
                "< 5,000 ms", seconds < 5)]


def show(rows: list[Row]) -> None:
    headers = ("figure", "measured", "target", "bare library", "ratio", "result")
    table = [headers, *[(r.figure, r.measured, r.target, r.bare, r.ratio,
                         "-" if r.ok is None else "PASS" if r.ok else "FAIL") for r in rows]]
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    for index, line in enumerate(table):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="alternated runs per figure")
    parser.add_argument("--events", type=int, default=5000)
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        parts: list[tuple[str, Callable[[], list[Row]]]] = [
            ("cold start", lambda: cold_start(max(args.runs, 9), folder)),
            ("google", lambda: google(args.runs, args.events)),
            ("outlook", lambda: outlook(args.runs, args.events)),
            ("local", lambda: local_vdir(args.runs, args.events, folder)),
            ("plan", lambda: planning(args.runs, folder))]
        for label, part in parts:
            print(f"measuring: {label} ...", file=sys.stderr, flush=True)
            rows += part()
    show(rows)
    missed = [r.figure for r in rows if r.ok is False]
    targets = [r for r in rows if r.ok is not None]
    print(f"\n{len(targets) - len(missed)} of {len(targets)} targets met"
          + (f"; missed: {', '.join(missed)}" if missed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
