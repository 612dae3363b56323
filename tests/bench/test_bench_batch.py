"""bench/bench_batch.py --cli: each run a whole ``piao extract`` process, its CPU time the
process's and its workers', the parent's own CPU reported apart (the speed-up itself is
not measured here: timing has no place in tests)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import bench_batch  # noqa: E402


def test_a_cli_run_extracts_the_folder_and_splits_the_parent_s_cpu_from_the_workers(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    assert bench_batch.write_copies(folder, 2, 0) == {"text": 2, "pdf": 0}
    environment = bench_batch.user_environment(tmp_path / "pycache")
    wall, cpu, writing, parent = bench_batch.cli_run(folder, 2, environment)
    assert writing == 0.0  # not measured from outside the process
    assert 0 < parent < cpu < wall * 2 + 1  # two workers' CPU counted in the total only
    assert any((tmp_path / "pycache").rglob("*.pyc"))  # bytecode written, as by a user


def test_a_failing_cli_run_stops_the_bench_naming_the_worker_count(tmp_path):
    missing = tmp_path / "nothing here"
    environment = bench_batch.user_environment(tmp_path / "pycache")
    with pytest.raises(SystemExit, match=r"piao extract --workers 2 failed: .*nothing here"):
        bench_batch.cli_run(missing, 2, environment)
