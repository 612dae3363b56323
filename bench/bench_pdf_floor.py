"""PDF reading against its floor: whole-process ``piao extract`` vs a bare pypdfium2 script.

Run: ``.venv/bin/python bench/bench_pdf_floor.py [PDF ...] [--runs 5] [--json]`` (default:
the ruled and the borderless fixture, as ``bench/bench_pdf.py``). Each run starts two fresh
processes, interleaved so that load from other processes hits both alike:

- ``piao extract PDF --out DIR --force`` (the default engine, pdfium): imports, reading,
  normalising and writing the Parquet tables, all that a user waits for;
- the floor: a bare pypdfium2 script that opens the PDF and reads every character with its
  box (``PdfTextPage.count_chars()`` and ``get_charbox`` per character, page by page), no
  more than any PDF reader must do.

For each it prints the median CPU time (user + sys of the child, from ``wait4``; the
machine is shared, and CPU time is what other processes' load disturbs least) and the
median wall time of ``--runs`` runs, and the ratio piao / floor of each.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
DEFAULT_PDFS = (FIXTURES / "portomaggiore_ruled.pdf", FIXTURES / "portomaggiore_borderless.pdf")
PIAO = Path(sys.executable).with_name("piao")
#: The floor: every character of every page with its box, through pypdfium2 alone.
FLOOR = """
import sys
import pypdfium2

document = pypdfium2.PdfDocument(sys.argv[1])
count = 0
for page in document:
    textpage = page.get_textpage()
    for index in range(textpage.count_chars()):
        textpage.get_charbox(index)
        count += 1
    textpage.close()
    page.close()
document.close()
print(count)
"""


def timed_run(command: Sequence[str]) -> tuple[float, float, str]:
    """One child process: its CPU time (user + sys, seconds), its wall time and its
    standard output; a failing child stops the bench."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert child.stdout is not None
    output = child.stdout.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {child.returncode}")
    return usage.ru_utime + usage.ru_stime, wall, output


def piao_command(path: Path, out: Path) -> list[str]:
    """``piao extract PDF --out OUT --force`` with this interpreter's ``piao``."""
    return [str(PIAO), "extract", str(path), "--out", str(out), "--force"]


def floor_command(path: Path) -> list[str]:
    """The bare pypdfium2 script reading every character's box of ``path``."""
    return [sys.executable, "-c", FLOOR, str(path)]


def medians(samples: Sequence[tuple[float, float]]) -> dict[str, float]:
    """Median CPU and wall seconds of (cpu, wall) samples."""
    return {
        "cpu": statistics.median(cpu for cpu, _ in samples),
        "wall": statistics.median(wall for _, wall in samples),
    }


def ratios(piao: dict[str, float], floor: dict[str, float]) -> dict[str, float]:
    """piao's medians over the floor's, per figure (``cpu``, ``wall``)."""
    return {key: piao[key] / floor[key] for key in ("cpu", "wall")}


def measure(path: Path, runs: int) -> dict[str, object]:
    """``runs`` interleaved runs of piao and of the floor on ``path``: medians and ratios."""
    piao_samples: list[tuple[float, float]] = []
    floor_samples: list[tuple[float, float]] = []
    chars = 0
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            cpu, wall, _ = timed_run(piao_command(path, Path(folder) / "out"))
            piao_samples.append((cpu, wall))
            cpu, wall, output = timed_run(floor_command(path))
            floor_samples.append((cpu, wall))
            chars = int(output.strip() or 0)
    piao, floor = medians(piao_samples), medians(floor_samples)
    return {"pdf": path.name, "chars": chars, "piao": piao, "floor": floor}


def report_line(figures: dict[str, object]) -> str:
    """One line per PDF: CPU and wall medians of both, and their ratios."""
    piao, floor = figures["piao"], figures["floor"]
    assert isinstance(piao, dict) and isinstance(floor, dict)
    ratio = ratios(piao, floor)
    return (
        f"{figures['pdf']}: piao cpu {piao['cpu']:.2f} s wall {piao['wall']:.2f} s | "
        f"floor ({figures['chars']} chars) cpu {floor['cpu']:.2f} s wall {floor['wall']:.2f} s | "
        f"ratio cpu x{ratio['cpu']:.2f} wall x{ratio['wall']:.2f}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, default=list(DEFAULT_PDFS))
    parser.add_argument("--runs", type=int, default=5, help="interleaved runs, medians kept")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    args = parser.parse_args(argv)
    print(f"load average at start: {os.getloadavg()[0]:.1f}; medians of {args.runs} runs")
    rows = []
    for path in args.pdfs:
        figures = measure(path, args.runs)
        rows.append(figures)
        print(report_line(figures), flush=True)
    if args.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
