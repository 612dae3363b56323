"""Batch benchmark: a folder of generated copies of the fixtures, 1 worker vs N workers.

Each copy differs by a few trailing bytes (blank lines for text, a comment after ``%%EOF``
for a PDF), so every copy has its own SHA-256 and is really extracted. Prints documents per
second for each worker count (min / median / max of ``--repeat`` runs), the speed-up, and the
time the parent spends writing the tables (when it is most of a run, the writer is the
bottleneck, not the pool).

    .venv/bin/python bench/bench_batch.py [--copies 50] [--pdf-every 10] [--workers 1 2]
        [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import statistics
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


class WriterClock:
    """Seconds the parent spends writing tables (InputOrderWriter.flush), summed per run."""

    def __init__(self) -> None:
        self.seconds = 0.0
        real_flush = pipeline.InputOrderWriter.flush

        def timed_flush(writer: pipeline.InputOrderWriter) -> list[pipeline.Outcome]:
            start = time.perf_counter()
            try:
                return real_flush(writer)
            finally:
                self.seconds += time.perf_counter() - start

        pipeline.InputOrderWriter.flush = timed_flush  # type: ignore[method-assign]


def timed_run(
    folder: Path, workers: int, clock: WriterClock
) -> tuple[float, float, float, pipeline.RunResult]:
    """Wall seconds, CPU seconds, seconds writing and result of one run into a fresh folder."""
    with tempfile.TemporaryDirectory() as out:
        clock.seconds = 0.0
        start, cpu = time.perf_counter(), cpu_seconds()
        result = pipeline.run([folder], out, workers=workers)
        return time.perf_counter() - start, cpu_seconds() - cpu, clock.seconds, result


def outcome_bytes(folder: Path) -> int:
    """Size of what a worker sends back for one text document (pickled)."""
    path = next(folder.glob("*.txt"))
    jobs, _ = pipeline.plan_jobs([path], folder / "none")
    return len(pickle.dumps(pipeline.process_job(jobs[0])))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--pdf-every", type=int, default=10, help="0: text copies only")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3, help="runs per worker count")
    args = parser.parse_args()
    clock = WriterClock()
    with tempfile.TemporaryDirectory() as folder:
        counts = write_copies(Path(folder), args.copies, args.pdf_every)
        print(
            f"batch of {args.copies} documents ({counts['text']} text, {counts['pdf']} PDF), "
            f"{pipeline.default_workers()} cores available, load average "
            f"{os.getloadavg()[0]:.1f} at the start (other work slows it down); a text "
            f"document's outcome is {outcome_bytes(Path(folder)) / 1024:.0f} KiB pickled"
        )
        baseline = None
        for workers in args.workers:
            runs = []
            for _ in range(args.repeat):
                seconds, cpu, writing, result = timed_run(Path(folder), workers, clock)
                if result.failed:
                    raise SystemExit(f"failed: {result.failed}")
                runs.append((seconds, cpu, writing))
            walls = sorted(run[0] for run in runs)
            median = statistics.median(walls)
            baseline = baseline or median
            print(
                f"workers {workers}: wall min {walls[0]:5.1f} / median {median:5.1f} / max "
                f"{walls[-1]:5.1f} s, {args.copies / median:5.2f} documents/s, speed-up "
                f"x{baseline / median:.2f}; CPU median "
                f"{statistics.median(run[1] for run in runs):5.1f} s; parent writing median "
                f"{statistics.median(run[2] for run in runs):4.1f} s"
            )
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
