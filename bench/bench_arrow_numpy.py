"""What pyarrow without numpy saves a ``piao extract`` (piao.arrow_import), in pairs.

Run: ``.venv/bin/python bench/bench_arrow_numpy.py [FILE ...] [--runs 9]`` (default: the
ruled and the borderless fixture PDFs). Each pair runs two fresh processes of ``piao extract
FILE --out DIR --force`` in turn: as a user runs it (pyarrow imported without numpy), and
with ``import numpy`` first, which makes pyarrow import it as it did before. It prints the
median of the pairs' differences in CPU time (user + sys of the child: robust to a load that
changes during the runs), each variant's median and the per-run figures. Children run
as :mod:`bench.bench_pdf_floor` runs them: bytecode cached under a temporary
``PYTHONPYCACHEPREFIX``, one untimed run of each first.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
DEFAULT_FILES = (FIXTURES / "portomaggiore_ruled.pdf", FIXTURES / "portomaggiore_borderless.pdf")

#: The two variants: the code each child runs before piao's main.
#: numpy is imported as piao's main would have it (``OPENBLAS_NUM_THREADS=1``, piao.cli).
VARIANTS = {
    "numpy-free": "",
    "numpy first": "import os\nos.environ.setdefault('OPENBLAS_NUM_THREADS', '1')\nimport numpy\n",
}

CHILD = "{preamble}import sys\nfrom piao.cli import main\nsys.exit(main(sys.argv[1:]))\n"


def child_cpu(command: list[str], environment: dict[str, str]) -> float:
    """CPU seconds (user + sys) of one child process running ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=environment, capture_output=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def paired(path: Path, runs: int, folder: Path) -> dict[str, list[float]]:
    """``runs`` pairs of the two variants on ``path`` (after one untimed run of each)."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    argv = ["extract", str(path), "--out", str(folder / "out"), "--force"]
    commands = {
        name: [sys.executable, "-c", CHILD.format(preamble=preamble), *argv]
        for name, preamble in VARIANTS.items()
    }
    for command in commands.values():
        child_cpu(command, environment)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(child_cpu(command, environment))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=list(DEFAULT_FILES))
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f}; medians of {args.runs} pairs")
    for path in args.files:
        with tempfile.TemporaryDirectory() as folder:
            samples = paired(path, args.runs, Path(folder))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        pairs = zip(samples["numpy first"], samples["numpy-free"], strict=True)
        saved = statistics.median(first - free for first, free in pairs)
        print(f"{path.name}: saved {saved:.3f} s of CPU (median of the pairs' differences)")
        for name, values in samples.items():
            runs = " ".join(f"{value:.2f}" for value in values)
            print(f"  {name}: median {medians[name]:.3f} s ({runs})")


if __name__ == "__main__":
    main()
