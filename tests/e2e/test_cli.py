"""The `plan` contract and the CLI's handling of bad input."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from followup_daemon.cli import main

from ..sync_helpers import vevent

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample-calendar.ics"
CONFIG = ROOT / "examples" / "config.toml"
KEYS = ["uid", "recurrence_id", "summary", "is_interview", "reason", "company", "role",
        "interview_start", "decision_date", "followup", "skipped", "followups", "answered",
        "thank_you"]


def plan_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:  # type: ignore[type-arg]
    status = main(["plan", "--calendar", str(SAMPLE), "--config", str(CONFIG),
                   "--now", "2026-11-27T09:00", "--json", *args])
    assert status == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def by_uid(entries: list[dict], uid: str) -> dict:  # type: ignore[type-arg]
    return next(e for e in entries if e["uid"] == f"{uid}@sample.followup-daemon")


def test_contract_keys_and_file_order(capsys: pytest.CaptureFixture[str]) -> None:
    entries = plan_json(capsys)
    assert all(list(e) == KEYS for e in entries)
    assert entries[0]["uid"].startswith("globex-screen")
    assert len(entries) == 23  # 17 single events and 6 occurrences of a weekly one


def test_contract_values_on_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    entries = plan_json(capsys)
    globex = by_uid(entries, "globex-screen")
    assert globex["company"] == "Globex" and globex["is_interview"] is True
    assert globex["interview_start"] == "2026-11-20T10:00:00-05:00"
    # 5 business days from Fri 20 Nov, Thanksgiving skipped: Mon 30 Nov; follow up a day later.
    assert globex["decision_date"] == "2026-11-30"
    assert globex["followup"] == {"date": "2026-12-01", "start": "2026-12-01T10:00:00-05:00",
                                  "rule": "decision", "method": "phone",
                                  "draft_to": ["sam.lee@globex.com"]}
    acme = by_uid(entries, "acme-1")
    assert acme["followup"]["rule"] == "catch-up"
    assert acme["followup"]["start"] == "2026-11-27T10:00:00-05:00"
    assert acme["followup"]["method"] == "in_person"
    assert by_uid(entries, "umbrella-tech")["skipped"] == "superseded"
    assert by_uid(entries, "danone")["skipped"] == "stale"
    assert by_uid(entries, "hooli")["skipped"] == "cancelled"
    assert by_uid(entries, "pied-piper")["skipped"] == "declined"
    assert by_uid(entries, "candidate")["skipped"] == "not_interview"
    practice = [e for e in entries if e["uid"].startswith("practice")]
    assert len(practice) == 6 and all(e["recurrence_id"] for e in practice)
    assert all(e["followup"] is None or e["skipped"] is None for e in entries)


def test_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--calendar", str(SAMPLE), "--config", str(CONFIG),
                 "--now", "2026-11-27T09:00"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Plan (times in America/New_York)"
    assert out.splitlines()[1].split() == ["Event", "Interview", "Follow-up", "Rule", "Method",
                                           "Why"]
    assert "Tue 2026-12-01 10:00" in out
    assert out.rstrip().endswith("1 stale, 1 superseded")


def test_now_with_an_offset(capsys: pytest.CaptureFixture[str]) -> None:
    entries = plan_json(capsys, "--now", "2026-11-27T14:00:00Z")  # 09:00 in New York
    assert by_uid(entries, "acme-1")["followup"]["start"] == "2026-11-27T10:00:00-05:00"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "followup_daemon", *args],
                          capture_output=True, text=True, timeout=60, check=False)


def assert_user_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_unreadable_calendar_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.ics"
    assert_user_error(run_cli("plan", "--calendar", str(missing)), str(missing))
    garbage = tmp_path / "garbage.ics"
    garbage.write_text("this is not a calendar")
    assert_user_error(run_cli("plan", "--calendar", str(garbage)), str(garbage))


def test_invalid_config_exits_2_naming_every_problem(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[rules]\ndelay_days = -1\ndate_order = "YMD"\ntimzone = "x"\n'
                      '[me]\nemails = ["not-an-address"]\n')
    result = run_cli("plan", "--calendar", str(SAMPLE), "--config", str(config))
    assert_user_error(result, str(config), "rules.delay_days", "rules.date_order",
                      "rules.timzone", "did you mean rules.timezone", "me.emails")


def test_invalid_toml_and_missing_config_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "broken.toml"
    config.write_text("[rules\n")
    assert_user_error(run_cli("plan", "--calendar", str(SAMPLE), "--config", str(config)),
                      str(config), "TOML")
    missing = tmp_path / "missing.toml"
    assert_user_error(run_cli("plan", "--calendar", str(SAMPLE), "--config", str(missing)),
                      str(missing))


def test_bad_now_exits_2() -> None:
    assert_user_error(run_cli("plan", "--calendar", str(SAMPLE), "--now", "yesterday"), "--now")


def test_init_writes_a_private_commented_example_that_loads(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    path = tmp_path / "conf" / "config.toml"
    assert main(["init", "--config", str(path)]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().count("#") > 20
    assert main(["plan", "--calendar", str(SAMPLE), "--config", str(path), "--json"]) == 0
    assert main(["init", "--config", str(path)]) == 2  # never overwrites silently
    assert "exists already" in capsys.readouterr().err


def test_help_lists_the_commands() -> None:
    result = run_cli("--help")
    assert result.returncode == 0 and "plan" in result.stdout and "init" in result.stdout


def test_default_config_comes_from_the_user_config_dir(tmp_path: Path) -> None:
    config_home = tmp_path / "xdg"
    (config_home / "followup-daemon").mkdir(parents=True)
    (config_home / "followup-daemon" / "config.toml").write_text("[rules]\ndelay_days = 99x\n")
    env = {**os.environ, "XDG_CONFIG_HOME": str(config_home)}
    result = subprocess.run([sys.executable, "-m", "followup_daemon", "plan", "--calendar",
                             str(SAMPLE)], capture_output=True, text=True, env=env, check=False)
    assert_user_error(result, str(config_home / "followup-daemon" / "config.toml"))


def test_the_example_config_is_valid_with_everything_uncommented(tmp_path: Path) -> None:
    import re
    from importlib import resources

    from followup_daemon.config import load_config

    text = resources.files("followup_daemon").joinpath("data/config.example.toml").read_text()
    code = re.compile(r"^# (\[\[accounts\]\]|[a-z_]+ = .*)$")
    uncommented = "\n".join(code.sub(r"\1", line) for line in text.splitlines())
    path = tmp_path / "config.toml"
    path.write_text(uncommented)
    config = load_config(path)
    assert config.settings.rules.timezone.key == "America/New_York"
    assert config.sync.interval_seconds == 300
    assert config.accounts[0]["name"] == "personal"


def test_plan_json_into_head_is_quiet(tmp_path: Path) -> None:
    import subprocess
    import sys

    events = "\n".join(vevent(f"e{n}", f"Interview with Company{n}", "20261102T140000")
                        for n in range(1500))  # far more than a pipe holds
    (tmp_path / "big.ics").write_text(f"BEGIN:VCALENDAR\nVERSION:2.0\n{events}\nEND:VCALENDAR\n")
    command = (f"{sys.executable} -m followup_daemon plan --json --now 2026-11-27T09:00 "
               f"--calendar {tmp_path / 'big.ics'} | head -c 1")
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True,
                          text=True, cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert done.stdout == "[" and done.stderr == "", done.stderr
    assert done.returncode == 141


def test_status_times_are_in_the_users_zone_and_sorted_by_instant(tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    from followup_daemon.cli_status import _status_text, status_data
    from followup_daemon.state import CREATED, AccountRow, FollowupRow, State

    utc, tokyo, york = dt.UTC, ZoneInfo("Asia/Tokyo"), ZoneInfo("America/New_York")
    state = State(tmp_path / "s")
    later = dt.datetime(2026, 12, 1, 15, 0, tzinfo=utc)  # as Graph answers: UTC
    sooner = dt.datetime(2026, 12, 1, 23, 0, tzinfo=tokyo)  # 14:00 UTC, sorts after as text
    for key, start in (("a", later), ("b", sooner)):
        state.put_followup("o", FollowupRow(key, CREATED, key, start, start, "", f"F {key}"),
                           later)
    state.record_pass(AccountRow("o", None, None, None, "ok", None, "{}"))
    data = status_data(state, dt.datetime(2026, 11, 30, tzinfo=york))
    state.close()
    assert [u["title"] for u in data["upcoming"]] == ["F b", "F a"]
    assert data["upcoming"][1]["start"] == "2026-12-01T10:00:00-05:00"
    assert _status_text(data).startswith("Times in America/New_York")
