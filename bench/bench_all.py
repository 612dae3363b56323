"""Every benchmark in one run, summed up side by side (``make bench``).

Runs each ``bench/bench_*.py`` below as its own process with ``--json`` (its usual output
goes to ``--log``, default ``bench/last_run.log``): start-up and whole-process times against
a bare ``import pdfplumber``, PDF pages/s per engine with the ratio to bare pdfplumber
(and to any other bare library the script measures), the 20,000-document storage figures,
the batch speed-up per worker count, peak memory and OCR seconds per page. Then prints one
summary, a table per benchmark.

Protocol: a benchmark run with ``--json`` ends its standard output with one line holding a
JSON object ``{"title": ..., "rows": [{...}, ...]}`` (other keys are kept in the log). A
benchmark that fails or prints no such line is reported as such and the others still run;
the exit status is then 1.

``--quick`` runs each benchmark with its smallest settings (a smoke test of the whole
chain: figures are noisy). The machine is shared: wall times depend on its load (printed);
CPU times and ratios of interleaved runs much less.

    .venv/bin/python bench/bench_all.py [--quick] [--only storage batch ...] [--log FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: name -> (script, arguments, arguments in --quick mode)
BENCHMARKS: dict[str, tuple[str, list[str], list[str]]] = {
    "startup": ("bench_startup.py", [], ["--repeat", "1"]),
    "pdf": ("bench_pdf.py", [], ["--runs", "1"]),
    "storage": ("bench_storage.py", [], ["--quick"]),
    "cli_storage": ("bench_cli_storage.py", [], ["--sizes", "30", "--repeat", "2"]),
    "crash": ("bench_crash.py", [], ["--trials", "3"]),
    "batch": ("bench_batch.py", ["--cli"], ["--cli", "--quick"]),
    "memory": ("bench_memory.py", [], ["--megabytes", "5", "--stages", "run"]),
    "ocr": ("bench_ocr.py", [], ["--pages", "2"]),
}

Format = Callable[[dict], str]


def number(value: object, digits: int = 3) -> str:
    """A figure in a cell: floats to ``digits`` significant digits."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, float):
        return f"{value:.{digits}g}" if abs(value) < 10**digits else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def key(name: str, digits: int = 3) -> Format:
    return lambda row: number(row.get(name), digits)


def ratio(numerator: str, denominator: str) -> Format:
    def cell(row: dict) -> str:
        top, bottom = row.get(numerator), row.get(denominator)
        if not isinstance(top, int | float) or not isinstance(bottom, int | float) or not bottom:
            return ""
        return f"x{top / bottom:.2f}"

    return cell


def span(low: str, middle: str, high: str) -> Format:
    return lambda row: f"{number(row.get(middle))} ({number(row.get(low))}-{number(row.get(high))})"


def startup_columns(rows: list[dict]) -> list[tuple[str, Format]]:
    bare = next((row for row in rows if "import pdfplumber" in str(row.get("command"))), None)

    def to_bare(row: dict) -> str:
        if not bare or not bare.get("wall") or not isinstance(row.get("wall"), int | float):
            return ""
        return f"x{row['wall'] / bare['wall']:.2f} / x{row['cpu'] / bare['cpu']:.2f}"

    return [
        ("command", key("command")),
        ("wall s median (min-max)", span("wall_min", "wall", "wall_max")),
        ("CPU s", key("cpu")),
        ("peak MiB", key("peak_mib", 4)),
        ("wall / CPU vs bare import pdfplumber", to_bare),
    ]


def pdf_columns(rows: list[dict]) -> list[tuple[str, Format]]:
    bares = sorted({name for row in rows for name in row if name.startswith("bare_")})
    columns: list[tuple[str, Format]] = [
        ("pdf", key("pdf")),
        ("engine", key("engine")),
        ("pages", key("pages")),
        ("pages/s", lambda row: number(row["pages"] / row["total"]) if row.get("total") else ""),
        ("extract s", key("total")),
        ("normalise s", key("normalise")),
        ("heap MiB", key("heap")),
    ]
    columns += [(f"x {name}", ratio("total", name)) for name in bares]
    return columns


def storage_columns(_rows: list[dict]) -> list[tuple[str, Format]]:
    def verdict(row: dict) -> str:
        if row.get("wall", 1e9) < row.get("target", 0):
            return "ok"
        return "ok on CPU" if row.get("cpu", 1e9) < row.get("target", 0) else "OVER"

    return [
        ("figure", key("figure")),
        ("wall s", key("wall")),
        ("CPU s", key("cpu")),
        ("max wall / CPU s", lambda row: f"{number(row.get('wall_max'))} / "
                                          f"{number(row.get('cpu_max'))}"),
        ("target s", key("target")),
        ("", verdict),
    ]  # fmt: skip


def batch_columns(_rows: list[dict]) -> list[tuple[str, Format]]:
    return [
        ("workers", key("workers")),
        ("wall s median (min-max)", span("wall_min", "wall", "wall_max")),
        ("documents/s", key("documents_per_s")),
        ("speed-up", lambda row: f"x{row['speed_up']:.2f}" if "speed_up" in row else ""),
        ("CPU s", key("cpu")),
        ("CPU-s per s", key("cpu_per_wall", 2)),
        ("parent's CPU share", lambda row: f"{row.get('parent_share', 0):.0%}"),
        ("bottleneck", key("bottleneck")),
    ]


COLUMNS: dict[str, Callable[[list[dict]], list[tuple[str, Format]]]] = {
    "startup": startup_columns,
    "pdf": pdf_columns,
    "storage": storage_columns,
    "batch": batch_columns,
}


def generic_columns(rows: list[dict]) -> list[tuple[str, Format]]:
    """Every key of the rows, in order of first appearance."""
    names = list(dict.fromkeys(name for row in rows for name in row))
    return [(name, key(name)) for name in names]


def table(rows: list[dict], columns: list[tuple[str, Format]]) -> list[str]:
    """Rows as aligned text lines under a header."""
    cells = [[header for header, _ in columns]]
    for row in rows:
        line = []
        for _, format_cell in columns:
            try:
                line.append(format_cell(row))
            except (KeyError, TypeError, ValueError, ZeroDivisionError):
                line.append("?")
        cells.append(line)
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    return ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in cells]


def run_benchmark(script: Path, arguments: Sequence[str], log) -> tuple[dict | None, str, float]:
    """Run one benchmark with --json; returns its JSON object (None on failure), a one-line
    note (the failure) and its wall seconds."""
    start = time.perf_counter()
    process = subprocess.run(
        [sys.executable, str(script), "--json", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    log.write(f"== {script.name} {' '.join(arguments)} (exit {process.returncode})\n")
    log.write(process.stdout + process.stderr)
    lines = process.stdout.strip().splitlines()
    if process.returncode != 0:
        reason = (process.stderr.strip().splitlines() or ["no message"])[-1]
        return None, f"failed (exit {process.returncode}): {reason}", seconds
    try:
        result = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        result = None
    if not isinstance(result, dict) or not isinstance(result.get("rows"), list):
        return None, "printed no JSON summary line (does it accept --json?)", seconds
    return result, "", seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smallest settings (smoke test)")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), help="these benchmarks")
    parser.add_argument("--log", type=Path, default=ROOT / "bench" / "last_run.log")
    parser.add_argument("--bench-dir", type=Path, default=ROOT / "bench", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    names = args.only or list(BENCHMARKS)
    load = os.getloadavg()[0]
    lines = [
        f"piao benchmarks{' (quick)' if args.quick else ''}: load average {load:.1f} on "
        f"{os.cpu_count()} cores at the start (wall times include waiting for a core; CPU "
        "times and ratios of interleaved runs are what to compare)"
    ]
    failed = False
    with args.log.open("w", encoding="utf-8") as log:
        for name in names:
            script, arguments, quick = BENCHMARKS[name]
            path = args.bench_dir / script
            print(f"running {script} ...", file=sys.stderr, flush=True)
            if not path.is_file():
                result, note, seconds = None, "not found", 0.0
            else:
                chosen = quick if args.quick else arguments
                result, note, seconds = run_benchmark(path, chosen, log)
            title = result.get("title", name) if result else name
            lines += ["", f"## {title}  [{script}, {seconds:.0f} s]"]
            if result is None:
                failed = True
                lines.append(f"  {note}")
                continue
            rows = [row for row in result["rows"] if isinstance(row, dict)]
            columns = COLUMNS.get(name, generic_columns)(rows) if rows else []
            lines += ["  " + line for line in table(rows, columns)] if rows else ["  (no rows)"]
    lines += ["", f"load average at the end {os.getloadavg()[0]:.1f}; full output in {args.log}"]
    print("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
