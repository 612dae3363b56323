"""What a user waits for: ``piao extract`` of one new document into folders of 0 to 20,000.

Builds each folder once with ``piao extract`` itself (text copies of the shipped document,
each with other bytes; ``--workers 2``), cached in ``--cache`` (a 20,000 folder takes hours
on 2 cores: build it once), recording the build's peak RSS (the largest of piao and its
workers). Then, in rounds that alternate the sizes (so the machine's load hits them alike),
times ``piao extract NEW --out FOLDER`` as a whole process for one new document each time:
into an empty folder (the reference), and into each built folder, which grows by one
document per round. The children run as a user's shell runs them
(``bench/user_shell.py``: bytecode cached, one untimed run first). Prints the medians of
wall and CPU seconds, each as a ratio to the add into the empty folder of the same run, and
the peak RSS of each build as a ratio to the smallest. Targets: add-1-into-3,000 /
add-1-into-empty <= 1.3, into 20,000 <= 1.5; peak RSS of the 3,000 batch <= 1.3 x the 300
batch.

    .venv/bin/python bench/bench_cli_storage.py [--sizes 300 3000] [--repeat 5] [--without-history]
        [--cache DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from user_shell import user_environment

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
PIAO = [sys.executable, "-m", "piao"]
#: ``piao`` with the lineage and changes refresh after the write left out
#: (``--without-history``): what the storage side of an add costs.
WITHOUT_HISTORY = """
import sys
from piao.commands import extract
extract.history_lines = lambda out, touched=None, mapper=map: []
from piao.cli import main
sys.exit(main(sys.argv[1:]))
"""

#: Runs a command and prints its children's CPU seconds and peak RSS (KiB) as JSON: the
#: figures of the whole process tree it waited for, from the operating system.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_kib": usage.ru_maxrss}))
"""


#: The children's environment (:func:`user_shell.user_environment`), set by :func:`main`.
ENVIRONMENT: dict[str, str] | None = None


def measured(command: list[str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=ENVIRONMENT,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["code"] != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return figures


def inputs(folder: Path, count: int, stem: str, pad: bytes) -> None:
    """``count`` text copies of the shipped document with other bytes, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    source = SOURCE.read_bytes()
    for number in range(count):
        path = folder / f"{stem}{number:05d}.txt"
        if not path.exists():
            path.write_bytes(source + pad * (number + 1))


def built(cache: Path, size: int) -> tuple[Path, dict[str, float] | None]:
    """The folder of ``size`` documents (built by ``piao extract`` when missing), and the
    build's figures (None when it was cached)."""
    out = cache / f"out{size}"
    if (out / "documents").is_dir():
        record = cache / f"out{size}.build.json"
        return out, json.loads(record.read_text()) if record.is_file() else None
    inputs(cache / f"in{size}", size, "d", b"\n")
    figures = measured(
        [*PIAO, "extract", str(cache / f"in{size}"), "--out", str(out), "--workers", "2"]
    )
    (cache / f"out{size}.build.json").write_text(json.dumps(figures))
    return out, figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "piao-bench")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--without-history",
        action="store_true",
        help="time the adds without the lineage and changes refresh (the storage side)",
    )
    args = parser.parse_args()
    add = [sys.executable, "-c", WITHOUT_HISTORY] if args.without_history else PIAO
    args.cache.mkdir(parents=True, exist_ok=True)
    global ENVIRONMENT
    ENVIRONMENT = user_environment(Path(tempfile.mkdtemp(prefix="piao-pyc-")), ROOT)
    folders, builds = {}, {}
    for size in args.sizes:
        folders[size], builds[size] = built(args.cache, size)
    fresh = args.cache / "new"
    shutil.rmtree(fresh, ignore_errors=True)
    # other bytes at every invocation: a document added by an earlier run into the cached
    # folders would be skipped as unchanged, timing a skip instead of an add
    inputs(fresh, args.repeat * (len(args.sizes) + 1) + 1, "n", f" {time.time_ns()}".encode())
    news = iter(sorted(fresh.iterdir()))
    # untimed: the bytecode is compiled and cached once, as by a user's first run
    shutil.rmtree(args.cache / "empty", ignore_errors=True)
    measured([*add, "extract", str(next(news)), "--out", str(args.cache / "empty")])
    runs: dict[int, list[dict[str, float]]] = {0: [], **{size: [] for size in args.sizes}}
    for _ in range(args.repeat):
        for size in runs:
            out = folders.get(size) or args.cache / "empty"
            if size == 0:
                shutil.rmtree(out, ignore_errors=True)
            runs[size].append(measured([*add, "extract", str(next(news)), "--out", str(out)]))
    reference = {k: statistics.median(r[k] for r in runs[0]) for k in ("wall", "cpu")}
    rows = []
    smallest = min((b["peak_kib"] for b in builds.values() if b), default=None)
    for size, figures in runs.items():
        wall = statistics.median(r["wall"] for r in figures)
        cpu = statistics.median(r["cpu"] for r in figures)
        build = builds.get(size)
        row = {
            "documents": size,
            "add_wall_s": round(wall, 3),
            "add_cpu_s": round(cpu, 3),
            "wall_ratio": round(wall / reference["wall"], 2),
            "cpu_ratio": round(cpu / reference["cpu"], 2),
        }
        if build:
            row["build_peak_mib"] = round(build["peak_kib"] / 1024)
            row["peak_ratio"] = round(build["peak_kib"] / smallest, 2) if smallest else None
        rows.append(row)
        print(
            f"add 1 into {size:6d}: wall {wall:.3f} s (x{row['wall_ratio']}), "
            f"CPU {cpu:.3f} s (x{row['cpu_ratio']})"
            + (f"; build peak {row['build_peak_mib']} MiB (x{row['peak_ratio']})" if build else "")
        )
    if args.json:
        print(json.dumps({"title": "piao extract: add 1 document, whole process", "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
