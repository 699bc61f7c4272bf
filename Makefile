# Two commands do all set-up on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BYTECODE := $(VENV)/.compiled

.PHONY: serve preview build test lint bench check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# pip compiles the bytecode of every package it installs, but not of an editable one: compile
# ours too, or every build compiles it again wherever bytecode is not written back
# (PYTHONDONTWRITEBYTECODE).
$(BYTECODE): $(STAMP) $(shell find graph_builder -name '*.py')
	$(BIN)/python -m compileall -q graph_builder
	touch $(BYTECODE)

## serve: build the site and serve it at http://127.0.0.1:8000, rebuilding when an entry changes
serve: $(BYTECODE)
	$(BIN)/mkdocs serve --livereload --dev-addr 127.0.0.1:8000

## preview: serve as `make serve` does, but a rebuild renders only the pages an edit changed
preview: $(BYTECODE)
	$(BIN)/mkdocs serve --livereload --dirty --dev-addr 127.0.0.1:8000

## build: build the site into site/ (strict: warnings fail)
build: $(BYTECODE)
	$(BIN)/mkdocs build --strict

## check: validate every entry
check: $(BYTECODE)
	$(BIN)/graph-builder check --strict

## lint: ruff and mypy
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## test: lint, check the entries, run the whole test suite
test: $(BYTECODE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/graph-builder check --strict
	$(BIN)/python -m pytest

## bench: measure neighbours, loading and builds at scale (slow; prints figures and ratios)
bench: $(BYTECODE)
	$(BIN)/python -m tests.bench

clean:
	rm -rf site bench-output .pytest_cache .mypy_cache .ruff_cache
