"""What an add costs on top of an add into an empty folder, for checkouts compared in one session.

For each checkout (``--code``, first on the path of the child; default: this one) and each
built folder (``--folder``, copied once per checkout: a checkout may rewrite a folder's
index files in its own form, and never writes into the folder given), times ``piao extract
NEW --out FOLDER`` as a whole process, one new document each time (``--new`` with a
line of its own appended), into an empty folder (removed before each add: the reference)
and into each copy, alternating every checkout and folder within each round so that the
machine's load hits them alike. The children run as a user's shell runs them
(``bench/user_shell.py``: bytecode cached, one untimed add of each first). CPU is user +
sys of the child (``os.wait4``). Prints, per checkout and folder, the median CPU and wall
seconds, their ratios to the add into the empty folder (medians of each round's ratio, and
ratio of the medians) and the growth in seconds, then the load average seen.

    .venv/bin/python bench/bench_add_growth.py --folder /work/benchcache/hist25m/out20000 \\
        [--folder ...] [--code CHECKOUT ...] [--rounds 15] [--new FILE] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
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


def timed(code: Path, document: Path, out: Path, work: Path) -> tuple[float, float]:
    """CPU and wall seconds of ``piao extract document --out out`` run with ``code``."""
    environment = user_environment(work / f"pyc-{code.name}-{abs(hash(str(code)))}", code)
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "piao", "extract", str(document), "--out", str(out)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=work,
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    errors = child.stderr.read() if child.stderr else b""
    if status != 0:
        raise SystemExit(f"failed: {document} into {out}: {errors.decode()[-400:]}")
    return usage.ru_utime + usage.ru_stime, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, action="append", help="checkout (default: this)")
    parser.add_argument("--folder", type=Path, action="append", required=True)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--new", type=Path, default=SOURCE, help="document to add (made new)")
    parser.add_argument("--work", type=Path, default=None, help="where copies go (temp)")
    args = parser.parse_args()
    codes = [code.resolve() for code in args.code or [ROOT]]
    work = args.work or Path(tempfile.mkdtemp(prefix="piao-add-growth-"))
    work.mkdir(parents=True, exist_ok=True)
    source = args.new.read_bytes()
    made = [0]

    def new_document() -> Path:
        made[0] += 1
        path = work / "new" / f"n{made[0]:05d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(source + f"\nadd {made[0]} {time.time_ns()}\n".encode())
        return path

    targets: list[tuple[Path, str, Path]] = []  # (checkout, label, folder)
    for number, code in enumerate(codes):
        targets.append((code, "empty", work / f"empty-{number}"))
        for folder in args.folder:
            copy = work / f"{folder.name}-{number}"
            if not copy.exists():
                shutil.copytree(folder, copy, symlinks=True)
            targets.append((code, folder.name, copy))

    def add(code: Path, label: str, out: Path) -> tuple[float, float]:
        if label == "empty":
            shutil.rmtree(out, ignore_errors=True)
        return timed(code, new_document(), out, work)

    for target in targets:
        add(*target)  # untimed: bytecode cached, an earlier index form rewritten
    runs: dict[tuple[Path, str, Path], list[tuple[float, float]]] = {t: [] for t in targets}
    loads = []
    for _ in range(args.rounds):
        for target in targets:
            runs[target].append(add(*target))
        loads.append(os.getloadavg()[0])
    for code in codes:
        mine = [t for t in targets if t[0] == code]
        empty = runs[mine[0]]
        cpu0 = statistics.median(c for c, _ in empty)
        wall0 = statistics.median(w for _, w in empty)
        for target in mine:
            figures = runs[target]
            cpu = statistics.median(c for c, _ in figures)
            wall = statistics.median(w for _, w in figures)
            paired = statistics.median(c / e for (c, _), (e, _) in zip(figures, empty, strict=True))
            print(
                f"{code}  {target[1]:>12}: CPU {cpu:.3f} s (x{cpu / cpu0:.2f}; paired "
                f"x{paired:.2f}; +{cpu - cpu0:.3f} s), wall {wall:.3f} s (x{wall / wall0:.2f})"
            )
    print(f"load average (1 min) during the rounds: {min(loads):.2f}-{max(loads):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
