# osmolab: two commands for a fresh machine with Python 3.11.
#   make run   create .venv, install osmolab, project the bundled seawater RO plant
#   make test  create .venv with the test extras and run the whole suite, the import contracts
#              (.importlinter), ruff and a strict build of the documentation site (mkdocs.yml)
#   make docs  build the documentation site (theory pages + API reference) into site/
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint docs bench clean chromium

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

# the browser tests drive Debian's chromium (no browser download); install it when missing
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: $(VENV)/.installed-test chromium
	$(BIN)/python -m pytest -q
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mkdocs build --strict --quiet --site-dir site

lint: $(VENV)/.installed-test
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check src tests benchmarks

docs: $(VENV)/.installed-test
	$(BIN)/mkdocs build --strict --site-dir site

bench: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build site .pytest_cache report.html
