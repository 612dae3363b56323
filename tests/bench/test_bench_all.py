"""bench/bench_all.py: runs each benchmark with --json and sums them up in one table.

The benchmarks themselves are not run here (minutes, and timing has no place in tests):
stand-in scripts print what a benchmark prints, so the summary's plumbing is checked —
figures carried into the tables, a failing or silent benchmark reported in one line and the
exit status 1, the others still summed up.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def stand_in(folder: Path, name: str, body: str) -> None:
    (folder / name).write_text(f"import json, sys\nassert '--json' in sys.argv\n{body}\n")


def test_summary_tables_carry_each_benchmark_s_figures_and_name_failures(tmp_path):
    rows = [
        {"workers": 1, "wall": 10.0, "wall_min": 9.5, "wall_max": 11.0, "speed_up": 1.0},
        {"workers": 2, "wall": 6.25, "wall_min": 6.0, "wall_max": 7.0, "speed_up": 1.6},
    ]
    batch = {"title": "batch of 8 documents", "rows": rows}
    stand_in(tmp_path, "bench_batch.py", f"print('human text')\nprint(json.dumps({batch!r}))")
    pdf = {"title": "PDF engines", "rows": [
        {"pdf": "ruled.pdf", "engine": "pdfplumber", "pages": 22, "total": 2.0,
         "bare_default": 1.6, "bare_camelot": 4.0}
    ]}  # fmt: skip
    stand_in(tmp_path, "bench_pdf.py", f"print(json.dumps({pdf!r}))")
    stand_in(tmp_path, "bench_ocr.py", "print('no json here')")
    stand_in(tmp_path, "bench_memory.py", "sys.exit('memory: out of luck')")
    log = tmp_path / "run.log"
    process = subprocess.run(
        [sys.executable, "bench/bench_all.py", "--quick", "--bench-dir", str(tmp_path),
         "--log", str(log), "--only", "batch", "pdf", "ocr", "memory", "storage"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert process.returncode == 1, process.stderr
    out = process.stdout
    assert "## batch of 8 documents  [bench_batch.py" in out
    assert "10 (9.5-11)" in out and "6.25 (6-7)" in out and "x1.60" in out
    assert "## PDF engines  [bench_pdf.py" in out
    assert "11" in out.split("## PDF engines")[1].splitlines()[2]  # 22 pages / 2.0 s
    assert "x bare_camelot" in out and "x0.50" in out and "x1.25" in out
    assert "printed no JSON summary line (does it accept --json?)" in out
    assert "failed (exit 1): memory: out of luck" in out
    assert "## storage  [bench_storage.py, 0 s]\n  not found" in out
    assert "human text" in log.read_text() and "human text" not in out


def test_every_benchmark_script_accepts_json_and_quick_arguments():
    """Each script's parser knows --json and the arguments bench_all gives it in --quick
    (checked with --help: nothing is measured)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import bench_all
    finally:
        sys.path.remove(str(ROOT / "bench"))
    for script, _, quick in bench_all.BENCHMARKS.values():
        help_text = subprocess.run(
            [sys.executable, f"bench/{script}", "--help"],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
        ).stdout  # fmt: skip
        for option in ["--json", *(word for word in quick if word.startswith("--"))]:
            assert option in help_text, (script, option)
    assert json.loads(json.dumps(bench_all.BENCHMARKS))  # plain data
