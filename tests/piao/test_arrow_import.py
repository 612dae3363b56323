"""pyarrow imported without numpy for ``piao extract`` (piao.arrow_import): when it is done,
that imports then fail and recover as documented, and the tables are those of a process
with numpy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from piao import arrow_import

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"

PROBE = """
import json, sys
{preamble}
from piao.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, "numpy" in sys.modules, "pandas" in sys.modules]), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("argv", "engine"),
    [
        (["extract", "a.pdf"], None),
        (["extract", "a.pdf", "--engine", "camelot"], "camelot"),
        (["extract", "--engine=pdfium", "a.pdf"], "pdfium"),
        (["extract", "--engine", "camelot", "--engine", "pdfium", "a.pdf"], "pdfium"),
        (["extract", "a.pdf", "--engine"], None),
    ],
)
def test_chosen_engine_reads_the_last_engine_option(argv, engine):
    assert arrow_import.chosen_engine(argv) == engine


def test_numpy_free_for_extract_on_a_fresh_process():
    assert arrow_import.numpy_free("extract", ["extract", "a.pdf"], modules={})


@pytest.mark.parametrize(
    ("command", "argv", "modules"),
    [
        ("report", ["report"], {}),
        ("extract", ["extract", "--engine", "camelot", "a.pdf"], {}),
        ("extract", ["extract", "a.pdf"], {"numpy": object()}),
        ("extract", ["extract", "a.pdf"], {"pyarrow": object()}),
        (None, ["--help"], {}),
    ],
)
def test_numpy_kept_for_other_commands_camelot_and_imported_modules(command, argv, modules):
    assert not arrow_import.numpy_free(command, argv, modules=modules)


def test_not_imported_refuses_the_package_and_its_modules_only():
    hook = arrow_import.NotImported(frozenset({"numpy"}))
    for name in ("numpy", "numpy.linalg"):
        with pytest.raises(ModuleNotFoundError, match=name):
            hook.find_spec(name)
    assert hook.find_spec("numbers") is None
    assert hook.find_spec("numpyro") is None


def refused_names() -> list[frozenset[str]]:
    """The names refused by the import hooks of :mod:`piao.arrow_import` now installed."""
    return [hook.names for hook in sys.meta_path if isinstance(hook, arrow_import.NotImported)]


def test_numpy_hidden_blocks_numpy_inside_then_pandas_after(monkeypatch):
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))  # restored after the test
    with arrow_import.numpy_hidden(True):
        inside = refused_names()
    after = refused_names()
    assert inside == [frozenset({"numpy"})]
    assert after == [frozenset({"pandas"})]  # pyarrow is imported in the suite's process


def test_numpy_hidden_false_changes_no_import(monkeypatch):
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    before = list(sys.meta_path)
    with arrow_import.numpy_hidden(False):
        assert sys.meta_path == before
    assert sys.meta_path == before


def extract_in_fresh_process(out: Path, preamble: str = "") -> list[object]:
    """``piao extract`` of the shipped attachment in a fresh interpreter: its exit code
    and whether numpy and pandas were imported."""
    probe = PROBE.format(preamble=preamble)
    process = subprocess.run(
        [sys.executable, "-c", probe, "extract", str(SHIPPED), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    return json.loads(process.stderr.strip().splitlines()[-1])


def test_extract_imports_neither_numpy_nor_pandas_and_writes_the_same_tables(tmp_path):
    assert extract_in_fresh_process(tmp_path / "free") == [0, False, False]
    assert extract_in_fresh_process(tmp_path / "numpy", "import numpy") == [0, True, False]
    for table in ("objectives", "items", "dates", "quality"):
        free = pq.read_table(tmp_path / "free" / table).to_pylist()
        with_numpy = pq.read_table(tmp_path / "numpy" / table).to_pylist()
        assert free == with_numpy
    assert len(pq.read_table(tmp_path / "free" / "objectives")) == 48
