"""bench/bench_arrow_numpy.py: the two variants it pairs, and its pairs on a small file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import bench_arrow_numpy  # noqa: E402

SHIPPED = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"

PROBE = (
    "import sys\n{preamble}from piao.cli import main\n"
    "main(sys.argv[1:])\nprint('numpy' in sys.modules, file=sys.stderr)\n"
)


def numpy_imported(preamble: str, out: Path) -> str:
    """Whether a fresh ``piao extract`` of the shipped attachment run after ``preamble``
    ends with numpy imported ("True"/"False")."""
    code = PROBE.format(preamble=preamble)
    argv = ["extract", str(SHIPPED), "--out", str(out)]
    process = subprocess.run(
        [sys.executable, "-c", code, *argv], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    return process.stderr.strip().splitlines()[-1]


def test_the_variants_differ_by_numpy_only(tmp_path):
    free, first = (
        bench_arrow_numpy.VARIANTS["numpy-free"],
        bench_arrow_numpy.VARIANTS["numpy first"],
    )
    assert numpy_imported(free, tmp_path / "free") == "False"
    assert numpy_imported(first, tmp_path / "first") == "True"


def test_paired_runs_each_variant_the_given_number_of_times(tmp_path):
    samples = bench_arrow_numpy.paired(SHIPPED, 1, tmp_path)
    assert sorted(samples) == ["numpy first", "numpy-free"]
    assert [len(values) for values in samples.values()] == [1, 1]
    assert all(value > 0 for values in samples.values() for value in values)
