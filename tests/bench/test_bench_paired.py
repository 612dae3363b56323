"""bench/bench_paired.py: whole runs of this version against a baseline, paired."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "bench_paired.py"
SPEC = importlib.util.spec_from_file_location("bench_paired", SCRIPT)
assert SPEC and SPEC.loader
bench_paired = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(bench_paired)


def test_summary_line_gives_the_medians_and_the_median_pairwise_ratio():
    times = {
        "cpu": [1.0, 1.2, 0.9],
        "base_cpu": [1.0, 1.0, 1.0],
        "wall": [2.0, 2.0, 2.0],
        "base_wall": [1.0, 2.0, 4.0],
    }
    line = bench_paired.summary_line(Path("x.pdf"), times)
    assert line == (
        "x.pdf: cpu 1.000 s vs 1.000 s (x1.000, pairs 0.90-1.20); "
        "wall 2.000 s vs 2.000 s (x1.000); 3 pairs"
    )


def test_timed_run_counts_the_childs_cpu_and_fails_loudly():
    cpu, wall = bench_paired.timed_run(
        [sys.executable, "-c", "sum(i * i for i in range(3_000_000))"]
    )
    assert 0.05 < cpu <= wall + 0.05
    with pytest.raises(RuntimeError, match="exited 3"):
        bench_paired.timed_run([sys.executable, "-c", "import sys; sys.exit(3)"])
