# Two commands for a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench soak clean share

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## demo: sync the bundled sample calendar into demo-output/ (a fixed "now")
DEMO_NOW := 2026-11-27T09:00
demo: $(STAMP)
	rm -rf demo-output
	$(BIN)/followup-daemon --log-level warning sync --config examples/config.toml \
	    --state-dir demo-output/state --now $(DEMO_NOW)
	@echo
	$(BIN)/followup-daemon plan --calendar examples/sample-calendar.ics \
	    --config examples/config.toml --now $(DEMO_NOW)
	@echo
	@echo "Follow-up calendar (import or subscribe): demo-output/followups.ics"
	@echo "Drafts (a Maildir, e.g. mutt -f demo-output/Maildir/Drafts): demo-output/Maildir/Drafts"

## test: ruff, mypy and the whole pytest suite
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2  # two workers: the crash suites run side by side

## bench: every performance target in one table (figure, target, bare library, ratio)
bench: $(STAMP)
	$(BIN)/python benchmarks/table.py

## soak: run the daemon for 30 minutes against the fake Google; memory and fds
soak: $(STAMP)
	$(BIN)/python benchmarks/soak.py --minutes 30

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis

## share: the man page and completion scripts pip installs, made from the parser
share: $(STAMP)
	$(BIN)/python -c "from pathlib import Path; from followup_daemon.cli_docs import SHARED, shared_file; [(Path(p).parent.mkdir(parents=True, exist_ok=True), Path(p).write_text(shared_file(p))) for p in SHARED]"
