"""Batch benchmark: a folder of generated copies of the fixtures, 1 worker vs N workers.

Each copy differs by a few trailing bytes (blank lines for text, a comment after ``%%EOF``
for a PDF), so every copy has its own SHA-256 and is really extracted. Prints documents per
second for each worker count and the speed-up.

    .venv/bin/python bench/bench_batch.py [--copies 50] [--pdf-every 10] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from piao import pipeline  # noqa: E402

TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
PDF_SOURCES = sorted((ROOT / "tests" / "fixtures").glob("portomaggiore_ruled.pdf"))


def write_copies(folder: Path, copies: int, pdf_every: int) -> dict[str, int]:
    """``copies`` files in ``folder``: every ``pdf_every``-th a PDF fixture, else the text
    document; returns how many of each format were written."""
    counts = {"text": 0, "pdf": 0}
    text = TEXT_SOURCE.read_bytes()
    for number in range(copies):
        if PDF_SOURCES and pdf_every and number % pdf_every == pdf_every - 1:
            source = PDF_SOURCES[counts["pdf"] % len(PDF_SOURCES)]
            data = source.read_bytes() + f"\n% copy {number}\n".encode()
            (folder / f"copy{number:03d}.pdf").write_bytes(data)
            counts["pdf"] += 1
        else:
            (folder / f"copy{number:03d}.txt").write_bytes(text + b"\n" * (number + 1))
            counts["text"] += 1
    return counts


def cpu_seconds() -> float:
    """CPU time used so far by this process and its finished children (the workers)."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_run(folder: Path, workers: int) -> tuple[float, float, pipeline.RunResult]:
    """Wall seconds, CPU seconds and result of one run into a fresh output folder."""
    with tempfile.TemporaryDirectory() as out:
        start, cpu = time.perf_counter(), cpu_seconds()
        result = pipeline.run([folder], out, workers=workers)
        return time.perf_counter() - start, cpu_seconds() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--pdf-every", type=int, default=10, help="0: text copies only")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        counts = write_copies(Path(folder), args.copies, args.pdf_every)
        print(
            f"batch of {args.copies} documents ({counts['text']} text, {counts['pdf']} PDF), "
            f"{pipeline.default_workers()} cores available"
        )
        baseline = None
        for workers in args.workers:
            seconds, cpu, result = timed_run(Path(folder), workers)
            if result.failed:
                raise SystemExit(f"failed: {result.failed}")
            baseline = baseline or seconds
            print(
                f"workers {workers}: {seconds:6.1f} s, {args.copies / seconds:5.2f} documents/s, "
                f"speed-up x{baseline / seconds:.2f} "
                f"(CPU {cpu:.1f} s: {cpu / seconds:.2f} cores busy)"
            )
        print(f"load average at the end: {os.getloadavg()[0]:.1f} (other work slows it down)")


if __name__ == "__main__":
    main()
