# Everything starts from a bare python3 (3.11+) and make: the virtual environment is built here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test test-later lint mutate clean bench bench-quick docs

# What the demo needs: the package and every first-party plugin in plugins/ (nothing of the test
# toolchain). The tests add their tools and the example third-party plugin of docs/plugins.md (the
# suite proves entry-point discovery with it).
PLUGINS    := $(wildcard plugins/*)
EXAMPLES   := docs/examples/learning-cycle-example-plugin
TEST_STAMP := $(VENV)/.test-stamp

$(STAMP): pyproject.toml $(wildcard plugins/*/pyproject.toml)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e . $(foreach p,$(PLUGINS),-e $(p))
	touch $(STAMP)

$(TEST_STAMP): $(STAMP) $(EXAMPLES)/pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]' -e $(EXAMPLES)
	touch $(TEST_STAMP)

## the main job: the fictional demo board on the embedded SQLite store
demo: $(STAMP)
	$(BIN)/learning-cycle demo

## the whole test suite (lint first)
test: $(TEST_STAMP) lint
	$(BIN)/python -m pytest

## the suite with the clock moved five years ahead (tests/conftest.py: LEARNING_CYCLE_TEST_CLOCK)
LATER ?= $(shell $(PYTHON) -c "import datetime as d; t = d.date.today(); print(f'{t.year + 5}-{t.month:02}-{min(t.day, 28):02}T09:30:00+00:00')")
test-later: $(TEST_STAMP)
	LEARNING_CYCLE_TEST_CLOCK=$(LATER) $(BIN)/python -m pytest -q

lint: $(TEST_STAMP)
	$(BIN)/ruff check conftest.py src tests tools plugins docs/examples benchmarks
	$(BIN)/ruff format --check conftest.py src tests tools plugins docs/examples benchmarks
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

## the documentation site with the API reference from the docstrings (mkdocs.yml), warnings as errors
DOCS_STAMP := $(VENV)/.docs-stamp
$(DOCS_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

## mutation testing of the rule modules (docs/testing.md); slow, so not part of make test
MUTATE_STAMP := $(VENV)/.mutate-stamp
$(MUTATE_STAMP): $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[mutate]'
	touch $(MUTATE_STAMP)

mutate: $(MUTATE_STAMP)
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2
	$(BIN)/python tools/mutation_scores.py --rerun

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis learning-cycle.sqlite mutants site

## benchmarks: ratios to the raw engine in the same run (docs/performance.md)
bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/bench.py --write-docs

bench-quick: $(TEST_STAMP)
	$(BIN)/python benchmarks/bench.py --quick $(BENCH_ARGS)
