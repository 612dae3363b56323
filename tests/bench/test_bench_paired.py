"""bench/bench_paired.py: whole runs of this version against a baseline, paired."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import bench_paired  # noqa: E402


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
    environment = dict(os.environ)
    cpu, wall = bench_paired.timed_run(
        [sys.executable, "-c", "sum(i * i for i in range(3_000_000))"], environment
    )
    assert 0.05 < cpu <= wall + 0.05
    with pytest.raises(RuntimeError, match="exited 3"):
        bench_paired.timed_run([sys.executable, "-c", "import sys; sys.exit(3)"], environment)


#: A stand-in for ``piao``: notes where its bytecode goes and whether it may write it.
NOTING = """#!{python}
import os, sys
out = sys.argv[sys.argv.index("--out") + 1]
with open(out + ".env", "a") as notes:
    prefix = os.environ.get("PYTHONPYCACHEPREFIX", "")
    notes.write(f"{{os.path.basename(prefix)}} {{sys.dont_write_bytecode}}\\n")
"""


def test_each_command_runs_as_a_users_shell_runs_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")  # as this sandbox and CI may set
    stand_in = tmp_path / "piao"
    stand_in.write_text(NOTING.format(python=sys.executable))
    stand_in.chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()
    bench_paired.paired(str(stand_in), str(stand_in), Path("x.txt"), 2, work)
    assert (work / "this.env").read_text().splitlines() == ["bytecode-this False"] * 3
    assert (work / "baseline.env").read_text().splitlines() == ["bytecode-baseline False"] * 3
