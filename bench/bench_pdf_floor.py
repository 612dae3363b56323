"""PDF reading against its floor: whole-process ``piao extract`` vs a bare pypdfium2 script.

Run: ``.venv/bin/python bench/bench_pdf_floor.py [PDF ...] [--runs 5] [--json]`` (default:
the ruled and the borderless fixture, as ``bench/bench_pdf.py``). Each run starts two fresh
processes, interleaved so that load from other processes hits both alike:

- ``piao extract PDF --out DIR --force`` (the default engine, pdfium): imports, reading,
  normalising and writing the Parquet tables, all that a user waits for;
- the floor: a bare pypdfium2 script that opens the PDF and reads every character with its
  box (``PdfTextPage.count_chars()`` and ``get_charbox`` per character, page by page), no
  more than any PDF reader must do.

Both run the way a user's shell runs them: the children's environment has no
``PYTHONDONTWRITEBYTECODE`` (a sandbox or CI may set it; a user's Python writes
``__pycache__``), their bytecode is cached under a temporary ``PYTHONPYCACHEPREFIX`` (no
``__pycache__`` left in the tree), and each command runs once untimed before the timed runs,
so that neither compiles modules from source while timed. The floor gets the same
treatment. Without the cache every project module is compiled on every run (about 0.2 s of
piao's CPU), a cost no user pays after the first run.

For each it prints the median CPU time (user + sys of the child, from ``wait4``; the
machine is shared, and CPU time is what other processes' load disturbs least) and the
median wall time of ``--runs`` runs, and the ratio piao / floor of each.

With ``--budget`` it then prints, per PDF, where one ``piao extract`` process spends its CPU
(a child process timing each phase with ``getrusage``, medians of ``--runs``): the
interpreter's start, the imports of the CLI path (pipeline, normaliser, store, pyarrow), the
PDF engine's imports, the characters (``page_chars``), the rest of the reading, normalising,
and what is left (writing the tables, the command's own work).
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

from user_shell import user_environment

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


#: One ``piao extract`` in a child process, its CPU time split by phase (JSON on stdout).
BUDGET = """
import json, resource, sys, time


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


spent = {"start": cpu()}
from piao import arrow_import

with arrow_import.numpy_hidden(arrow_import.numpy_free("extract", ["extract"])):  # as main does
    import normalize, piao.cli, piao.commands.extract, piao.pipeline, pyarrow.parquet, schema
    import storage

spent["imports"] = cpu() - spent["start"]
before = cpu()
import extract
from extract import pdf_pdfium

spent["engine imports"] = cpu() - before
totals = {"page_chars": 0.0, "read_document": 0.0, "process_document": 0.0}


def timed(module, name):
    function = getattr(module, name)

    def wrapper(*args, **kwargs):
        start = cpu()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] += cpu() - start

    setattr(module, name, wrapper)


timed(pdf_pdfium, "page_chars")
timed(extract, "read_document")
timed(piao.pipeline, "process_document")
piao.cli.main(["extract", sys.argv[1], "--out", sys.argv[2], "--force"])
total = cpu()
spent["characters"] = totals["page_chars"]
spent["rest of reading"] = totals["read_document"] - totals["page_chars"]
spent["normalising"] = totals["process_document"] - totals["read_document"]
spent["rest"] = total - sum(spent.values())
spent["total"] = total
print(json.dumps(spent))
"""


#: The children's environment (:func:`user_environment`), set by :func:`main`.
ENVIRONMENT: dict[str, str] | None = None


def timed_run(command: Sequence[str]) -> tuple[float, float, str]:
    """One child process (in ENVIRONMENT): its CPU time (user + sys, seconds), its wall
    time and its standard output; a failing child stops the bench."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=ENVIRONMENT
    )
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
    """``runs`` interleaved runs of piao and of the floor on ``path``, after one untimed
    warm-up run of each: medians and ratios."""
    piao_samples: list[tuple[float, float]] = []
    floor_samples: list[tuple[float, float]] = []
    chars = 0
    with tempfile.TemporaryDirectory() as folder:
        timed_run(piao_command(path, Path(folder) / "out"))
        timed_run(floor_command(path))
        for _ in range(runs):
            cpu, wall, _ = timed_run(piao_command(path, Path(folder) / "out"))
            piao_samples.append((cpu, wall))
            cpu, wall, output = timed_run(floor_command(path))
            floor_samples.append((cpu, wall))
            chars = int(output.strip() or 0)
    piao, floor = medians(piao_samples), medians(floor_samples)
    return {"pdf": path.name, "chars": chars, "piao": piao, "floor": floor}


def budget(path: Path, runs: int) -> dict[str, float]:
    """Median CPU seconds of each phase of ``piao extract`` on ``path`` (see BUDGET),
    after one untimed warm-up run."""
    samples: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-c", BUDGET, str(path), str(Path(folder) / "out")]
        timed_run(command)
        for _ in range(runs):
            _, _, output = timed_run(command)
            samples.append(json.loads(output.strip().splitlines()[-1]))
    return {phase: statistics.median(sample[phase] for sample in samples) for phase in samples[0]}


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
    parser.add_argument("--budget", action="store_true", help="then piao's CPU split by phase")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as cache:
        global ENVIRONMENT
        ENVIRONMENT = user_environment(Path(cache))
        run(args)


def run(args: argparse.Namespace) -> None:
    """Measure and print what ``main``'s arguments ask."""
    print(f"load average at start: {os.getloadavg()[0]:.1f}; medians of {args.runs} runs")
    rows = []
    for path in args.pdfs:
        figures = measure(path, args.runs)
        rows.append(figures)
        print(report_line(figures), flush=True)
    for path in args.pdfs if args.budget else ():
        phases = budget(path, args.runs)
        split = ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in phases.items())
        print(f"{path.name} CPU by phase: {split}")
        rows.append({"pdf": path.name, "budget": phases})
    if args.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
