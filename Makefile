# osmolab: two commands for a fresh machine with Python 3.11.
#   make run   create .venv, install osmolab, project the bundled seawater RO plant
#   make test  create .venv with the test extras and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/osmolab run

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests benchmarks

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks

bench: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build .pytest_cache report.html
