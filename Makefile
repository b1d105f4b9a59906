# Everything starts from a bare python3 (3.11+) and make: the virtual environment is built here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint clean

$(STAMP): pyproject.toml $(wildcard plugins/*/pyproject.toml)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]' -e plugins/learning-cycle-methods
	touch $(STAMP)

## the main job: the fictional demo board on the embedded SQLite store
demo: $(STAMP)
	$(BIN)/learning-cycle demo

## the whole test suite (lint first)
test: $(STAMP) lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests tools plugins
	$(BIN)/ruff format --check src tests tools plugins

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis learning-cycle.sqlite
