"""bench/bench_pdf_floor.py: the floor script reads every character, the figures are medians
and their ratios (the timed runs themselves are not made here: timing has no place in tests)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import bench_pdf_floor  # noqa: E402


def test_the_floor_reads_every_character_of_the_ruled_fixture():
    path = ROOT / "tests" / "fixtures" / "portomaggiore_ruled.pdf"
    _, _, output = bench_pdf_floor.timed_run(bench_pdf_floor.floor_command(path))
    assert int(output) == 68376


def test_ratios_are_of_the_medians_of_cpu_and_wall():
    piao = bench_pdf_floor.medians([(2.0, 5.0), (1.8, 4.0), (3.0, 9.0)])
    floor = bench_pdf_floor.medians([(0.3, 1.0), (0.4, 0.8), (0.2, 2.0)])
    assert piao == {"cpu": 2.0, "wall": 5.0}
    assert bench_pdf_floor.ratios(piao, floor) == {"cpu": 2.0 / 0.3, "wall": 5.0 / 1.0}


def test_the_budget_splits_one_extraction_into_its_phases():
    path = ROOT / "tests" / "fixtures" / "portomaggiore_ruled.pdf"
    phases = bench_pdf_floor.budget(path, runs=1)
    assert list(phases) == [
        "start",
        "imports",
        "engine imports",
        "characters",
        "rest of reading",
        "normalising",
        "rest",
        "total",
    ]
    assert phases["characters"] > 0 and phases["normalising"] > 0
    assert phases["total"] > phases["imports"] + phases["characters"]


def test_the_children_environment_is_a_users_with_a_bytecode_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("PIAO_BENCH_MARK", "kept")
    environment = bench_pdf_floor.user_environment(tmp_path)
    assert "PYTHONDONTWRITEBYTECODE" not in environment
    assert environment["PYTHONPYCACHEPREFIX"] == str(tmp_path)
    assert environment["PIAO_BENCH_MARK"] == "kept"


def test_timed_children_run_in_that_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setattr(bench_pdf_floor, "ENVIRONMENT", bench_pdf_floor.user_environment(tmp_path))
    code = "import os, sys; print(sys.dont_write_bytecode, os.environ['PYTHONPYCACHEPREFIX'])"
    _, _, output = bench_pdf_floor.timed_run([sys.executable, "-c", code])
    assert output.split() == ["False", str(tmp_path)]
