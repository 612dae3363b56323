"""bench/bench_instructions.py: a piao extract's instructions by stage, against the floor
(the counting itself needs valgrind and minutes: not run here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import bench_instructions  # noqa: E402


def test_each_stage_counts_what_it_adds_to_the_one_before():
    counts = [90e6, 740e6, 900e6, 3_750e6, 4_700e6, 4_800e6]
    lines = bench_instructions.report(Path("x.pdf"), counts, 1_600e6).splitlines()
    assert lines[0] == "x.pdf:"
    assert [line.split()[-2] for line in lines[1:7]] == ["90", "650", "160", "2,850", "950", "100"]
    assert lines[7].split()[-2:] == ["4,800", "M"]
    assert lines[9] == "  ratio x3.00"


def test_the_stage_script_stops_where_asked(tmp_path):
    """Stage 2 stops after the imports (no table written); the last stage is the whole
    command (the tables written)."""
    pdf = ROOT / "tests" / "fixtures" / "portomaggiore_ruled.pdf"
    out = tmp_path / "out"
    last = len(bench_instructions.STAGES) - 1
    for stage in (2, last):
        command = [sys.executable, "-c", bench_instructions.STAGE, str(stage), str(pdf), str(out)]
        subprocess.run(command, check=True, capture_output=True)
        if stage == 2:
            assert not out.exists()
    assert (out / "objectives").is_dir()
