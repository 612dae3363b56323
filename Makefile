# piao — two commands set everything up on a fresh machine: `make extract`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RAW ?= data/raw
OUT ?= data/clean
ENGINE ?= auto

.PHONY: extract test lint format dictionary bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

extract: $(STAMP)
	$(BIN)/piao extract $(RAW) --out $(OUT) --engine $(ENGINE)

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

dictionary: $(STAMP)
	$(BIN)/piao dictionary --out docs/data-dictionary.md

clean:
	rm -rf $(OUT)/*.parquet

# Benchmarks are scripts, not tests: each bench/bench_*.py prints its own figures.
bench: $(STAMP)
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done
