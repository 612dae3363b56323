"""Peak memory of one large text attachment.

Inputs, each extracted in a fresh process (peak RSS via ``resource.getrusage``): for each
size of ``--megabytes`` (MB), a text attachment made of the shipped document repeated
(``repeated``: every sector, objective, item and date key comes back, so most rows are
renamed ``~N`` with a ``duplicate_key`` finding each) and the same with each copy's sector
codes renamed (``distinct``: STAFFA, STAFFB...: one large document of many sectors, no
duplicate); and one line of 512k cells (1 MB). For each, the peak after reading (extract),
after normalising, and of a whole ``piao extract`` into an empty folder, with what it
adds to the peak of the same stage on the shipped 60 kB document (the interpreter, the
imports and the libraries' code pages touched on first use: a cost that does not grow with
the input) as a multiple of the input size. Target: a few times the input.

``normalize`` gathers every record of the document (``pipeline.process_document``, what a
worker process returns); ``run`` is what a user runs: an input of
``pipeline.STREAM_MIN_BYTES`` (1 MiB) or more is written as it is read, a sector at a time.

    .venv/bin/python bench/bench_memory.py [--megabytes 1 10 50] [--kinds repeated distinct]
        [--stages extract normalize run] [--code DIR]

``--code DIR`` measures another checkout of the code (e.g. ``git archive main | tar -x -C
/tmp/before``) with this one's virtualenv: the figures before and after a change.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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
    else:  # what a user runs: the whole `piao extract` command
        from piao.cli import main
        with tempfile.TemporaryDirectory() as out:
            try:
                main(["extract", path, "--out", out, "--workers", "1"])
            except SystemExit:
                pass
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    """
)


def copy_tag(index: int) -> bytes:
    """A, B, ..., Z, AA, AB...: a letter suffix that keeps a sector code a code."""
    tag = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        tag = chr(ord("A") + rest) + tag
    return tag.encode()


def large_text(folder: Path, megabytes: int, kind: str = "repeated") -> Path:
    data = TEXT_SOURCE.read_bytes()
    copies = max(1, megabytes * 1024 * 1024 // len(data))
    path = folder / f"{kind}_{megabytes}mb.txt"
    if kind == "repeated":
        path.write_bytes(data * copies)
        return path
    codes = re.compile(rb"\b(STAFF|SAP|FIN|TEC)\b")
    with path.open("wb") as out:
        for index in range(copies):
            out.write(codes.sub(rb"\1" + copy_tag(index), data))
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
    parser.add_argument("--megabytes", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument(
        "--kinds", nargs="+", default=["repeated", "distinct"], choices=["repeated", "distinct"]
    )
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout to measure")
    parser.add_argument(
        "--stages", nargs="+", default=["extract", "normalize", "run"], help="what to measure"
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        inputs = [
            large_text(Path(folder), size, kind) for size in args.megabytes for kind in args.kinds
        ]
        inputs.append(wide_line(Path(folder)))
        imports = peak_mib("import", TEXT_SOURCE, args.code)
        baseline = {stage: peak_mib(stage, TEXT_SOURCE, args.code) for stage in args.stages}
        print(
            f"code: {args.code}; peak after the imports alone: {imports} MiB; on the shipped "
            f"document: " + ", ".join(f"{s} {peak} MiB" for s, peak in baseline.items())
        )
        for path in inputs:
            size = path.stat().st_size / 2**20
            for stage in args.stages:
                peak = peak_mib(stage, path, args.code)
                above = peak - baseline[stage]
                print(
                    f"{path.name:20} {size:6.1f} MiB  {stage:9} peak {peak:6d} MiB, "
                    f"{above:6d} MiB above the shipped document's (x{above / size:.1f} the "
                    f"input; x{(peak - imports) / size:.1f} above the imports)",
                    flush=True,
                )
                rows.append(
                    {"input": path.name, "input_mib": size, "stage": stage, "peak_mib": peak,
                     "above_imports_mib": peak - imports,
                     "above_shipped_mib": above}
                )  # fmt: skip
    if args.json:
        print(
            json.dumps(
                {"title": "peak memory", "imports_mib": imports, "shipped_mib": baseline,
                 "rows": rows}
            )
        )  # fmt: skip


if __name__ == "__main__":
    main()
