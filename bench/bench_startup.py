"""Whole-process start-up: ``piao --help``, ``--version`` and ``piao extract`` of the text
attachment, against a bare interpreter and a bare ``import pdfplumber`` (start-up time).

Each command runs ``--repeat`` times (default 5) as a fresh process; prints the median wall
time and the median CPU time (user + system: less sensitive to other work on the machine)
with min and max, plus the peak RSS.

    .venv/bin/python bench/bench_startup.py [--repeat 5] [--code DIR]

``--code DIR`` measures another checkout with this virtualenv (before/after a change).
Targets: ``--help`` / ``--version`` under 0.25 s, the text ``extract`` under 0.6 s;
each line says whether its median CPU time meets its target (CPU, not wall: on a loaded
machine the wall time is mostly waiting for a core).

The commands run as an installed piao does, with its compiled bytecode cached: the children
run without ``PYTHONDONTWRITEBYTECODE`` and each command runs once unmeasured first (with
that variable set, every run would compile piao's sources again: about +0.2 s).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
PIAO = [sys.executable, "-m", "piao"]


def children_usage() -> tuple[float, int]:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


#: Median CPU seconds each command should stay under (start-up time).
TARGETS = {"piao --version": 0.25, "piao --help": 0.25, "piao extract <text attachment>": 0.6}


def child_environment(code: Path) -> dict[str, str]:
    """The environment of a measured command: ``code`` first on the path, bytecode cached."""
    environment = {**os.environ, "PYTHONPATH": str(code)}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def timed(command: list[str], code: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command``."""
    environment = child_environment(code)
    cpu_before, _ = children_usage()
    start = time.perf_counter()
    subprocess.run(command, cwd=code, env=environment, check=True, capture_output=True)
    wall = time.perf_counter() - start
    cpu_after, _ = children_usage()
    return wall, cpu_after - cpu_before


def peak_rss_mib(command: list[str], code: Path) -> float:
    """Peak RSS of one run (a wrapper process reports its only child's maximum)."""
    wrapper = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    environment = child_environment(code)
    process = subprocess.run(
        [sys.executable, "-c", wrapper, *command],
        cwd=code,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(process.stdout.strip()) / 1024


def commands() -> dict[str, list[str]]:
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import pdfplumber'": [sys.executable, "-c", "import pdfplumber"],
        "piao --version": [*PIAO, "--version"],
        "piao --help": [*PIAO, "--help"],
        "piao extract <text attachment>": [
            *PIAO,
            "extract",
            str(TEXT_SOURCE),
            "--out",
            "{out}",
            "--workers",
            "1",
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout to measure")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    args = parser.parse_args()
    rows = []
    print(f"code: {args.code}; {args.repeat} runs each; load average {os.getloadavg()[0]:.1f}")
    for name, template in commands().items():
        walls, cpus = [], []
        with tempfile.TemporaryDirectory() as folder:  # warm-up: bytecode written, not timed
            timed([part.format(out=Path(folder) / "out") for part in template], args.code)
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as folder:
                command = [part.format(out=Path(folder) / "out") for part in template]
                wall, cpu = timed(command, args.code)
            walls.append(wall)
            cpus.append(cpu)
        with tempfile.TemporaryDirectory() as folder:
            rss = peak_rss_mib([p.format(out=Path(folder) / "out") for p in template], args.code)
        cpu = statistics.median(cpus)
        target = TARGETS.get(name)
        verdict = ""
        if target is not None:
            verdict = f", target {target:.2f} s CPU: {'met' if cpu < target else 'NOT met'}"
        print(
            f"{name:32} wall median {statistics.median(walls):5.2f} s "
            f"(min {min(walls):5.2f}, max {max(walls):5.2f}), "
            f"CPU median {cpu:5.2f} s (min {min(cpus):5.2f}, max {max(cpus):5.2f}), "
            f"peak {rss:5.0f} MiB{verdict}",
            flush=True,
        )
        rows.append(
            {"command": name, "wall": statistics.median(walls), "wall_min": min(walls),
             "wall_max": max(walls), "cpu": statistics.median(cpus), "peak_mib": rss}
        )  # fmt: skip
    if args.json:
        print(json.dumps({"title": "start-up (whole process)", "rows": rows}))


if __name__ == "__main__":
    main()
