"""Batch benchmark: a folder of generated copies of the fixtures, 1 worker vs N workers.

Each copy differs by a few trailing bytes (blank lines for text, a comment after ``%%EOF``
for a PDF), so every copy has its own SHA-256 and is really extracted. Prints documents per
second for each worker count (min / median / max of ``--repeat`` runs, interleaved so that
the load of other processes hits every count alike), the speed-up, the CPU seconds of the
run (parent and workers) and the time the parent spends writing the tables, then which
bottleneck the figures point to:

- *writer*: the parent's writing is most of the wall time (the pool waits for it);
- *CPU share*: the run's CPU seconds per wall second stay near what the machine gives it
  (cores minus the other processes' load) while the workers could use more: the cores are
  busy elsewhere, a quiet machine would scale;
- *pool*: neither (workers idle waiting for jobs or results: pickling, scheduling).

With ``--cli`` every run is a whole ``piao extract FOLDER --out NEW --workers N`` process,
as a user runs it from the shell (the history refresh at the end included), its CPU time
taken from ``wait4`` (the workers it waited for included) and the parent's own CPU
reported by the child at exit; the environment is a user's shell's (bytecode written,
under a temporary ``PYTHONPYCACHEPREFIX``) and each worker count runs once untimed first.
Without it, ``pipeline.run`` is timed inside this process (the parent's writing time
measured too), which is for finding where time goes.

    .venv/bin/python bench/bench_batch.py [--copies 50] [--pdf-every 10] [--workers 1 2]
        [--repeat 3] [--quick] [--cli] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from user_shell import user_environment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from piao import pipeline  # noqa: E402
from piao.commands.extract import skip_pyarrow_pandas_probe  # noqa: E402

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


def cpu_seconds() -> tuple[float, float]:
    """CPU time used so far by this process (the parent: planning, unpickling the
    outcomes, writing) and by its finished children (the workers)."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


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
) -> tuple[float, float, float, pipeline.RunResult, float]:
    """Wall seconds, CPU seconds (parent and workers), seconds writing, result, and the
    parent's CPU seconds of one run into a fresh folder."""
    with tempfile.TemporaryDirectory() as out:
        clock.seconds = 0.0
        start, (parent, children) = time.perf_counter(), cpu_seconds()
        result = pipeline.run([folder], out, workers=workers)
        wall = time.perf_counter() - start
        parent_after, children_after = cpu_seconds()
        own = parent_after - parent
        return wall, own + children_after - children, clock.seconds, result, own


#: The child of ``--cli``: ``piao``'s own entry point, reporting at exit the CPU seconds of
#: its own process (the parent of the workers) on the descriptor ``BENCH_CPU_FD`` names.
CLI_CHILD = """import atexit, os, resource, sys
def report():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    os.write(int(os.environ["BENCH_CPU_FD"]), f"{usage.ru_utime + usage.ru_stime}".encode())
atexit.register(report)
from piao.cli import main
sys.exit(main(sys.argv[1:]))
"""


def cli_run(
    folder: Path, workers: int, environment: dict[str, str]
) -> tuple[float, float, float, float]:
    """Wall seconds, CPU seconds (the process and its workers), 0 for the writing (not
    measured from outside) and the parent's own CPU seconds of one ``piao extract`` of
    ``folder`` into a fresh folder; a failing run stops the bench."""
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-c", CLI_CHILD, "extract", str(folder), "--out", out]
        read, write = os.pipe()
        start = time.perf_counter()
        child = subprocess.Popen(
            [*command, "--workers", str(workers)],
            env={**environment, "BENCH_CPU_FD": str(write)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=(write,),
        )
        os.close(write)
        assert child.stderr is not None
        errors = child.stderr.read().decode(errors="replace")
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        with os.fdopen(read) as reported:
            parent = float(reported.read() or "nan")
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"piao extract --workers {workers} failed: {errors.strip()}")
        return wall, usage.ru_utime + usage.ru_stime, 0.0, parent


def outcome_bytes(folder: Path) -> int:
    """Size of what a worker sends back for one text document (pickled, packed)."""
    from piao.pipeline import packed_job

    path = next(folder.glob("*.txt"))
    jobs, _ = pipeline.plan_jobs([path], folder / "none")
    return len(pickle.dumps(packed_job(jobs[0])))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--pdf-every", type=int, default=10, help="0: text copies only")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3, help="runs per worker count")
    parser.add_argument("--quick", action="store_true", help="8 copies, 1 run per count")
    parser.add_argument("--cli", action="store_true", help="time whole piao extract processes")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    args = parser.parse_args()
    if args.quick:
        args.copies, args.repeat = min(args.copies, 8), 1
    skip_pyarrow_pandas_probe()  # as piao extract does: neither process imports pandas
    clock = WriterClock()
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as cache:
        counts = write_copies(Path(folder), args.copies, args.pdf_every)
        print(
            f"batch of {args.copies} documents ({counts['text']} text, {counts['pdf']} PDF), "
            f"{pipeline.default_workers()} cores available, load average "
            f"{os.getloadavg()[0]:.1f} at the start (other work slows it down); a text "
            f"document's outcome is {outcome_bytes(Path(folder)) / 1024:.0f} KiB pickled"
        )
        runs: dict[int, list[tuple[float, float, float, float]]] = {n: [] for n in args.workers}
        environment = user_environment(Path(cache), ROOT)
        if args.cli:  # bytecode written and the page cache warm, as on a user's second run
            for workers in args.workers:
                cli_run(Path(folder), workers, environment)
        for _ in range(args.repeat):  # interleaved: 1, 2, 1, 2 ...
            for workers in args.workers:
                if args.cli:
                    runs[workers].append(cli_run(Path(folder), workers, environment))
                    continue
                seconds, cpu, writing, result, parent = timed_run(Path(folder), workers, clock)
                if result.failed:
                    raise SystemExit(f"failed: {result.failed}")
                runs[workers].append((seconds, cpu, writing, parent))
        rows = figures_of(runs, args.copies)
        for row in rows:
            print(
                f"workers {row['workers']}: wall min {row['wall_min']:5.1f} / median "
                f"{row['wall']:5.1f} / max {row['wall_max']:5.1f} s, "
                f"{row['documents_per_s']:5.2f} documents/s, speed-up x{row['speed_up']:.2f}; "
                f"CPU median {row['cpu']:5.1f} s ({row['cpu_per_wall']:.2f} CPU-s per s); "
                + (
                    ""  # the parent's writing is not timed from outside the process
                    if args.cli
                    else f"parent writing median {row['writing']:4.1f} s "
                    f"({row['writing_share']:.0%} of the wall time) "
                )
                + f"-> {row['bottleneck']}"
            )
            print(
                f"workers {row['workers']}: CPU parent {row['parent_cpu']:5.2f} s, workers "
                f"{row['cpu'] - row['parent_cpu']:5.2f} s: the parent's share "
                f"{row['parent_share']:.0%} (serial when workers > 1; a speed-up of 1.7 with "
                "2 workers needs it at ~15 % or less)"
            )
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    if args.json:
        title = f"batch of {args.copies} documents ({counts['pdf']} PDF)"
        print(json.dumps({"title": title, "rows": rows, "load_average": os.getloadavg()[0]}))


def figures_of(runs: dict[int, list[tuple[float, float, float, float]]], copies: int) -> list[dict]:
    """Per worker count: wall min/median/max, CPU, writing, speed-up against the first
    count, and the bottleneck the figures point to (see the module doc)."""
    rows, baseline = [], None
    cores = pipeline.default_workers()
    for workers, measured in runs.items():
        walls = sorted(run[0] for run in measured)
        wall = statistics.median(walls)
        cpu = statistics.median(run[1] for run in measured)
        writing = statistics.median(run[2] for run in measured)
        parent = statistics.median(run[3] for run in measured)
        baseline = baseline or wall
        rows.append(
            {
                "workers": workers,
                "wall": wall,
                "wall_min": walls[0],
                "wall_max": walls[-1],
                "documents_per_s": copies / wall,
                "speed_up": baseline / wall,
                "cpu": cpu,
                "cpu_per_wall": cpu / wall,
                "writing": writing,
                "writing_share": writing / wall,
                "parent_cpu": parent,
                "parent_share": parent / cpu if cpu else 0.0,
                "bottleneck": bottleneck(workers, cpu / wall, writing / wall, cores),
            }
        )
    return rows


def bottleneck(workers: int, cpu_per_wall: float, writing_share: float, cores: int) -> str:
    """Which limit the figures of a run point to (see the module doc)."""
    if writing_share > 0.5:
        return "writer"
    if cpu_per_wall < min(workers, cores) * 0.8:
        load = os.getloadavg()[0]
        if load > cores:
            return f"CPU share (load {load:.1f} on {cores} cores: the run gets {cpu_per_wall:.1f})"
        return "pool (workers wait)"
    return "CPU (workers busy)"


if __name__ == "__main__":
    main()
