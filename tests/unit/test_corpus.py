"""Every real-world file of ../shared/corpus/ics is planned or rejected with one line.

The files are read in place (they belong to other projects). When the folder is
absent, the tests are skipped and the summary says so."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from followup_daemon.cli import main

CORPUS = Path(os.environ.get(
    "FOLLOWUP_CORPUS", Path(__file__).resolve().parents[3] / "shared" / "corpus")) / "ics"
FILES = sorted(CORPUS.glob("*.ics")) if CORPUS.is_dir() else []


def test_corpus_is_present() -> None:
    if not FILES:
        pytest.skip(f"corpus not found at {CORPUS}: the real-world .ics tests were not run")
    assert len(FILES) >= 140


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_planned_or_rejected_in_one_line(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["plan", "--calendar", str(path), "--now", "2026-11-27T09:00Z", "--json",
                   "--config", str(Path(__file__).parents[1] / "data" / "corpus-config.toml")])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    if status == 0:
        entries = json.loads(out)
        assert isinstance(entries, list)
        assert all(line.startswith("warning: ") for line in err.splitlines())
    else:
        assert status == 2 and out == ""
        assert len(err.strip().splitlines()) == 1 and str(path) in err
