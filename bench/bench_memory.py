"""Peak memory of one large text attachment (issue 10 item 7).

Two inputs, each extracted in a fresh process (peak RSS via ``resource.getrusage``):
a text attachment of ``--megabytes`` MB (the shipped document repeated) and one line of
512k cells (1 MB). For each, the peak after reading (extract), after normalising, and of a
whole ``piao extract`` into an empty folder, with what it adds to the imports' own peak
as a ratio to the input size.

    .venv/bin/python bench/bench_memory.py [--megabytes 50] [--code DIR]

``--code DIR`` measures another checkout of the code (e.g. ``git archive main | tar -x -C
/tmp/before``) with this one's virtualenv: the figures before and after a change.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"

CHILD = textwrap.dedent(
    """
    import resource, sys, tempfile
    stage, path = sys.argv[1], sys.argv[2]
    import extract
    from piao import pipeline
    if stage == "import":
        pass
    elif stage == "extract":
        extract.read_document(path)
    elif stage == "normalize":
        try:
            pipeline.process_document(path)
        except extract.ExtractError:
            pass
    else:
        with tempfile.TemporaryDirectory() as out:
            pipeline.run([path], out)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    """
)


def large_text(folder: Path, megabytes: int) -> Path:
    data = TEXT_SOURCE.read_bytes()
    copies = max(1, megabytes * 1024 * 1024 // len(data))
    path = folder / f"large_{megabytes}mb.txt"
    path.write_bytes(data * copies)
    return path


def wide_line(folder: Path, cells: int = 512 * 1024) -> Path:
    path = folder / "wide_line.txt"
    path.write_bytes(b"Titolo\n\n" + b"\t".join([b"x"] * cells) + b"\n")
    return path


def peak_mib(stage: str, path: Path, code: Path) -> int:
    environment = {**os.environ, "PYTHONPATH": str(code)}
    process = subprocess.run(
        [sys.executable, "-c", CHILD, stage, str(path)],
        cwd=code,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(process.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout to measure")
    parser.add_argument(
        "--stages", nargs="+", default=["extract", "normalize", "run"], help="what to measure"
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        inputs = [large_text(Path(folder), args.megabytes), wide_line(Path(folder))]
        baseline = peak_mib("import", inputs[0], args.code)
        print(f"code: {args.code}; peak after the imports alone: {baseline} MiB")
        for path in inputs:
            size = path.stat().st_size / 2**20
            for stage in args.stages:
                peak = peak_mib(stage, path, args.code)
                print(
                    f"{path.name:20} {size:6.1f} MiB  {stage:9} peak {peak:6d} MiB, "
                    f"{peak - baseline:6d} MiB above the imports (x{(peak - baseline) / size:.1f} "
                    "the input)"
                )
                rows.append(
                    {"input": path.name, "input_mib": size, "stage": stage, "peak_mib": peak,
                     "above_imports_mib": peak - baseline}
                )  # fmt: skip
    if args.json:
        print(json.dumps({"title": "peak memory", "imports_mib": baseline, "rows": rows}))


if __name__ == "__main__":
    main()
