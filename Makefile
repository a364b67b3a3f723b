# Two commands for a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## demo: plan the follow-ups of the bundled sample calendar (a fixed "now")
demo: $(STAMP)
	$(BIN)/followup-daemon plan --calendar examples/sample-calendar.ics \
	    --config examples/config.toml --now 2026-11-27T09:00

## test: ruff, mypy and the whole pytest suite
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

## bench: plan a generated 10,000-event calendar and print the figures
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_plan.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
