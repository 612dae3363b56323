"""Whole ``piao extract`` runs of this version against another one, as the user waits.

Run: ``.venv/bin/python bench/bench_paired.py --baseline OTHER/.venv/bin/piao [FILE ...]
[--runs 7]`` (default files: the shipped text attachment and the ruled and borderless PDF
fixtures). For each file, ``piao extract FILE --out DIR --force`` of this checkout
(``.venv/bin/piao``) and of the baseline run in turn (A B A B ..., after one warm-up run of
each that is not counted), each into its own tables folder kept between its runs, so that
every counted run re-extracts into a folder that already holds the document (the usual
``--force`` case: its history refreshed). Each run is a whole process: start-up, imports,
extraction, writing and history included, in the environment a user's shell gives it
(``bench/user_shell.py``: bytecode written, under a temporary folder of each command).

Prints per file the median CPU time (user + sys of the child, from ``os.wait4``: the
machine is shared, and CPU time is what other processes' load disturbs least) and wall
time of each, and the median of the pairwise ratios this/baseline (pairing keeps a ratio
meaningful when the machine's speed drifts during the call).
"""

from __future__ import annotations

import argparse
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
DEFAULT_FILES = (
    ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt",
    ROOT / "tests" / "fixtures" / "portomaggiore_ruled.pdf",
    ROOT / "tests" / "fixtures" / "portomaggiore_borderless.pdf",
)


def timed_run(command: Sequence[str], environment: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds of the child, user + sys; wall seconds) of one run; raises when the
    command fails."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=errors, env=environment
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            said = errors.read().decode(errors="replace")[-500:]
            raise RuntimeError(f"{' '.join(command)} exited {process.returncode}: {said}")
    return usage.ru_utime + usage.ru_stime, wall


def extract_command(piao: str, path: Path, out: Path) -> list[str]:
    return [piao, "extract", str(path), "--out", str(out), "--force"]


def paired(piao: str, baseline: str, path: Path, runs: int, folder: Path) -> dict[str, list[float]]:
    """CPU and wall times of ``runs`` counted runs of each, in turn, after a warm-up (each
    run as a user's shell runs it: its bytecode cached, under a folder of its own)."""
    mine = extract_command(piao, path, folder / "this")
    other = extract_command(baseline, path, folder / "baseline")
    mine_environment = user_environment(folder / "bytecode-this")
    other_environment = user_environment(folder / "bytecode-baseline")
    timed_run(mine, mine_environment), timed_run(other, other_environment)
    times: dict[str, list[float]] = {"cpu": [], "wall": [], "base_cpu": [], "base_wall": []}
    for _ in range(runs):
        cpu, wall = timed_run(mine, mine_environment)
        base_cpu, base_wall = timed_run(other, other_environment)
        times["cpu"].append(cpu)
        times["wall"].append(wall)
        times["base_cpu"].append(base_cpu)
        times["base_wall"].append(base_wall)
    return times


def summary_line(path: Path, times: dict[str, list[float]]) -> str:
    """One line: medians of each and of the pairwise ratios."""
    cpu_ratios = [a / b for a, b in zip(times["cpu"], times["base_cpu"], strict=True)]
    wall_ratios = [a / b for a, b in zip(times["wall"], times["base_wall"], strict=True)]
    median = statistics.median
    return (
        f"{path.name}: cpu {median(times['cpu']):.3f} s vs {median(times['base_cpu']):.3f} s "
        f"(x{median(cpu_ratios):.3f}, pairs {min(cpu_ratios):.2f}-{max(cpu_ratios):.2f}); "
        f"wall {median(times['wall']):.3f} s vs {median(times['base_wall']):.3f} s "
        f"(x{median(wall_ratios):.3f}); {len(cpu_ratios)} pairs"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=list(DEFAULT_FILES))
    parser.add_argument("--baseline", required=True, help="the other version's piao")
    parser.add_argument("--piao", default=str(ROOT / ".venv" / "bin" / "piao"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    for path in args.files:
        with tempfile.TemporaryDirectory(prefix="piao-paired-") as folder:
            times = paired(args.piao, args.baseline, path, args.runs, Path(folder))
        print(summary_line(path, times), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
