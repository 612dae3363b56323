"""Start-up time: ``piao --help`` imports no command, and a command imports only what it
needs (timings are in bench/bench_startup.py, not here: the suite checks what is imported)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from piao import cli

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "matplotlib", "duckdb", "camelot", "pdfplumber", "pyarrow", "compare")

PROBE = """
import json, sys
from piao.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(set(sys.modules))), file=sys.stderr)
"""


def run_probe(
    probe: str, *argv: str, environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``probe`` run as a fresh interpreter with ``argv`` (it calls piao's main)."""
    return subprocess.run(
        [sys.executable, "-c", probe, *argv],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def modules_loaded(*argv: str) -> set[str]:
    process = run_probe(PROBE, *argv)
    return {name.split(".")[0] for name in json.loads(process.stderr.splitlines()[-1])}


@pytest.mark.parametrize("argv", [["--help"], ["--version"], []], ids=["help", "version", "none"])
def test_help_and_version_import_no_command_nor_heavy_library(argv):
    loaded = modules_loaded(*argv)
    assert not loaded & {*HEAVY, "extract", "normalize", "schema", "report"}
    assert "piao.commands" not in loaded


def test_extract_of_a_text_attachment_imports_no_pdf_report_or_sql_library(tmp_path):
    raw = str(ROOT / "data" / "raw")
    loaded = modules_loaded("extract", raw, "--out", str(tmp_path / "out"), "--workers", "1")
    assert "normalize" in loaded  # it did run
    assert not loaded & {"matplotlib", "duckdb", "camelot", "pdfplumber", "report", "compare"}


def test_every_command_help_matches_the_summary_listed_by_piao_help():
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    helps = {choice.dest: choice.help for choice in commands._choices_actions}
    assert helps == cli.SUMMARIES


def test_chosen_command_is_the_first_positional_argument():
    assert cli.chosen_command(["extract", "sql"]) == "extract"
    assert cli.chosen_command(["--version"]) is None
    assert cli.chosen_command(["nope", "extract"]) is None


def test_extract_of_a_text_attachment_into_a_new_folder_imports_no_pandas(tmp_path):
    """pandas (0.4 s), pyarrow.compute / pyarrow.dataset, tqdm (stderr is not a terminal)
    and asn1crypto (no signed envelope) are not needed to extract a text attachment."""
    raw = str(ROOT / "data" / "raw")
    process = run_probe(PROBE, "extract", raw, "--out", str(tmp_path / "out"))
    loaded = set(json.loads(process.stderr.splitlines()[-1]))
    assert "1 extracted" in process.stdout
    assert {"pyarrow.parquet", "normalize"} <= loaded
    unneeded = {"pandas", "pyarrow.compute", "pyarrow.dataset", "tqdm", "asn1crypto"}
    assert not loaded & unneeded


NUMPY_PROBE = """
import importlib.abc, os, sys
from piao.cli import main

class Witness(importlib.abc.MetaPathFinder):
    seen = None
    def find_spec(self, name, path=None, target=None):
        if name == "numpy" and Witness.seen is None:
            Witness.seen = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
        return None

sys.meta_path.insert(0, Witness())
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(Witness.seen, file=sys.stderr)
"""


def threads_when_numpy_is_imported(tmp_path: Path, environment: dict[str, str]) -> str:
    """OPENBLAS_NUM_THREADS as numpy (imported by pyarrow) saw it in ``piao dictionary``
    (``piao extract`` imports pyarrow without numpy: piao.arrow_import)."""
    out = str(tmp_path / "dictionary.md")
    process = run_probe(NUMPY_PROBE, "dictionary", "--out", out, environment=environment)
    assert process.returncode == 0, process.stderr
    return process.stderr.splitlines()[-1]


def test_openblas_starts_no_thread_pool_in_piao(tmp_path):
    """numpy's OpenBLAS pool spun 0.1 s of CPU per process for nothing (start-up time)."""
    environment = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    assert threads_when_numpy_is_imported(tmp_path, environment) == "1"


def test_a_thread_count_the_user_set_is_kept(tmp_path):
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "2"}
    assert threads_when_numpy_is_imported(tmp_path, environment) == "2"


def test_a_repeated_extraction_imports_no_pool_time_zones_nor_resources(tmp_path):
    """``piao extract --force`` again into the folder holding the document (its history
    kept by the stamp) needs no process pool (concurrent.futures, logging), no time-zone
    database (the stamp's digests never read ``extracted_at``: zoneinfo) and no
    importlib.resources (the import hooks need no importlib.abc base), no TOML parser (no
    layout file), no HTML entities (no ``&`` in the attachment), no CSV reader (no
    manifest), no ZIP reader (no office file), no signed-envelope reader (no ``.p7m``) and no
    ``statistics`` (the layout's medians are its own)."""
    attachment = str(ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt")
    argv = ("extract", attachment, "--out", str(tmp_path / "out"), "--force")
    for _ in range(2):  # the first writes the folder, the second its history's stamp
        assert run_probe(PROBE, *argv).returncode == 0
    process = run_probe(PROBE, *argv)
    loaded = set(json.loads(process.stderr.splitlines()[-1]))
    assert "1 extracted" in process.stdout
    assert {"normalize", "compare.stamp"} <= loaded
    unneeded = {
        "concurrent.futures",
        "logging",
        "zoneinfo",
        "importlib.resources",
        "compare.refresh",
        "tomllib",
        "html",
        "csv",
        "zipfile",
        "extract.p7m",
        "statistics",
    }
    assert not loaded & unneeded


def test_extract_of_a_pdf_imports_no_reader_of_other_formats(tmp_path):
    """A PDF needs no CSV reader (no manifest), ZIP reader (no office file), signed-envelope
    reader, nor ``statistics`` (with ``fractions``: the layout computes its own medians)."""
    pdf = str(ROOT / "tests" / "fixtures" / "portomaggiore_ruled.pdf")
    process = run_probe(PROBE, "extract", pdf, "--out", str(tmp_path / "out"))
    loaded = set(json.loads(process.stderr.splitlines()[-1]))
    assert "1 extracted" in process.stdout
    assert {"extract.pdf_pdfium", "normalize"} <= loaded
    assert not loaded & {"csv", "zipfile", "extract.p7m", "statistics", "fractions"}
