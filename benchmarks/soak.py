"""Soak: `followup-daemon run` for a long time against the fake Google, with a
1-second interval and a calendar that changes every few seconds.

Samples the daemon's resident memory (RSS) and open file descriptors, and
checks from its debug log that no pass ever overlapped another. Prints the
figures at the start and the end. Default: 30 minutes.

    python benchmarks/soak.py [--minutes 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes.fake_google import FakeGoogle

ROOT = Path(__file__).resolve().parents[1]


def sample(pid: int) -> tuple[float, int]:
    """(RSS in MiB, open file descriptors) of a process."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss_kib = next(int(line.split()[1]) for line in status.splitlines()
                   if line.startswith("VmRSS:"))
    return rss_kib / 1024, len(os.listdir(f"/proc/{pid}/fd"))


def change(fake: FakeGoogle, rng: random.Random, ids: list[str]) -> None:
    """Add, move or delete an interview, as a user would."""
    roll = rng.random()
    if roll < 0.5 or len(ids) < 5:
        day = dt.date.today() + dt.timedelta(days=rng.randint(1, 20))
        event = fake.put_event("primary", {
            "summary": f"Interview with Company{rng.randint(1, 50)}",
            "start": {"dateTime": f"{day}T14:00:00-05:00"},
            "end": {"dateTime": f"{day}T15:00:00-05:00"},
            "organizer": {"email": f"hr@company{rng.randint(1, 50)}.com"}})
        ids.append(event["id"])
    elif roll < 0.8:
        event_id = rng.choice(ids)
        day = dt.date.today() + dt.timedelta(days=rng.randint(1, 20))
        fake.put_event("primary", {**fake.calendars["primary"][event_id],
                                   "start": {"dateTime": f"{day}T10:00:00-05:00"},
                                   "end": {"dateTime": f"{day}T11:00:00-05:00"}},
                       event_id=event_id)
    else:
        fake.delete_event("primary", ids.pop(rng.randrange(len(ids))))


def config(folder: Path, fake: FakeGoogle) -> Path:
    path = folder / "config.toml"
    path.write_text(f"""[rules]\ntimezone = "America/New_York"\n[sync]\ninterval_seconds = 1
draft_when = "planned"\n[[accounts]]\nname = "g"\nprovider = "google"
api_endpoint = "{fake.url}"\ntoken_uri = "{fake.url}/token"\n""")
    return path


def overlaps(log: str) -> int:
    """Passes that started before the previous one finished."""
    running, overlapping = False, 0
    for line in log.splitlines():
        if "pass starting" in line:
            overlapping += running
            running = True
        elif "pass finished" in line:
            running = False
    return overlapping


def soak(minutes: float, folder: Path) -> None:
    fake = FakeGoogle().start()
    keyring_file = folder / "keyring.json"
    keyring_file.write_text(json.dumps({"followup-daemon/g": json.dumps({
        "client_id": fake.client_id, "client_secret": fake.client_secret,
        "refresh_token": next(iter(fake.refresh_tokens))})}))
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "tests.keyring_backends.FileKeyring",
           "FOLLOWUP_TEST_KEYRING_FILE": str(keyring_file)}
    log_file = (folder / "daemon.log").open("w")
    daemon = subprocess.Popen(
        [sys.executable, "-m", "followup_daemon", "--log-level", "debug", "run", "--config",
         str(config(folder, fake)), "--state-dir", str(folder / "state")],
        cwd=ROOT, env=env, stderr=log_file)
    rng = random.Random(1)
    ids: list[str] = []
    samples: list[tuple[float, float, int]] = []
    began = time.monotonic()
    try:
        time.sleep(5)
        while time.monotonic() - began < minutes * 60:
            change(fake, rng, ids)
            if not samples or time.monotonic() - samples[-1][0] >= 30:
                samples.append((time.monotonic(), *sample(daemon.pid)))
            time.sleep(rng.uniform(2, 5))
        samples.append((time.monotonic(), *sample(daemon.pid)))
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
        fake.stop()
    report(samples, (folder / "daemon.log").read_text(), fake, ids)


def report(samples: list[tuple[float, float, int]], log: str, fake: FakeGoogle,
           ids: list[str]) -> None:
    first, last = samples[0], samples[-1]
    peak = max(s[1] for s in samples)
    passes = log.count("pass finished")
    print(f"duration                 {(last[0] - first[0]) / 60:8.1f} min")
    print(f"passes                   {passes:8,}")
    print(f"RSS start / end / peak   {first[1]:8.1f} / {last[1]:.1f} / {peak:.1f} MiB")
    print(f"open fds start / end     {first[2]:8} / {last[2]}")
    print(f"overlapping passes       {overlaps(log):8}")
    print(f"requests to the fake     {len(fake.requests):8,}")
    print(f"interviews left          {len(ids):8}")
    print(f"errors in the log        {log.count(' ERROR '):8}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    with tempfile.TemporaryDirectory() as folder:
        soak(parser.parse_args().minutes, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
