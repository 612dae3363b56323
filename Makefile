# piao — two commands set everything up on a fresh machine: `make extract`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RAW ?= data/raw
OUT ?= data/clean
ENGINE ?= auto

.PHONY: extract test lint format dictionary bench clean report sql browser diff ocr-tools test-fast mutation

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

extract: $(STAMP)
	$(BIN)/piao extract $(RAW) --data $(OUT) --engine $(ENGINE)

# Compare two editions: make diff OLD=<file or doc_id> NEW=<file or doc_id> [FORMAT=html]
DIFF_OUT ?= data/diff
FORMAT ?= markdown
diff: $(STAMP)
	@test -n "$(OLD)" -a -n "$(NEW)" || { echo "usage: make diff OLD=<file or doc_id> NEW=<file or doc_id>"; exit 2; }
	$(BIN)/piao diff $(OLD) $(NEW) --data $(OUT) --out $(DIFF_OUT) --format $(FORMAT)

test: $(STAMP)
	$(BIN)/pytest

# The suite without the slow tests (OCR, browser, README commands: CI runs them), on every core.
test-fast: $(STAMP)
	$(BIN)/pytest -m "not slow" -n auto

# Mutation testing (mutmut): [tool.mutmut] in pyproject.toml names the modules and their tests;
# ends with the kill rate (docs/testing.md).
mutation: $(STAMP)
	rm -rf mutants
	$(BIN)/mutmut run >/dev/null || true
	$(BIN)/mutmut export-cicd-stats >/dev/null
	$(BIN)/python -c 'import json; s = json.load(open("mutants/mutmut-cicd-stats.json")); \
	print("mutation: %d of %d mutants killed (%.1f %%), %d survived, %d not run by any test" \
	% (s["killed"], s["total"], 100 * s["killed"] / s["total"], s["survived"], s["no_tests"]))'

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

dictionary: $(STAMP)
	$(BIN)/piao dictionary --out docs/data-dictionary.md

# The analyst's side (after `make extract`): HTML report, DuckDB views (see README).
report: $(STAMP)
	$(BIN)/piao report --data $(OUT)

sql: $(STAMP)
	$(BIN)/piao sql --data $(OUT)

# Headless Chromium (Debian's), used by the report's browser test.
browser:
	command -v chromium >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

# Tesseract and its Italian model, used to OCR scanned PDF pages (extract/ocr.py).
ocr-tools:
	command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx ita || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y tesseract-ocr tesseract-ocr-ita; }

clean:
	rm -rf $(OUT)/*.parquet $(addprefix $(OUT)/,documents sectors objectives items dates quality cells .piao-documents.index .piao-staging .piao-journal.json)

# Benchmarks are scripts, not tests: bench/bench_all.py runs every bench/bench_*.py and prints
# one summary (BENCH_ARGS=--quick for a smoke run; each script also runs alone).
bench: $(STAMP)
	$(BIN)/python bench/bench_all.py $(BENCH_ARGS)

# Editions over the years and spreadsheets (after `make extract`; see README).
.PHONY: lineage export
lineage: $(STAMP)
	$(BIN)/piao lineage --data $(OUT)

export: $(STAMP)
	$(BIN)/piao export --data $(OUT) --format xlsx --out $(OUT)/piao.xlsx
