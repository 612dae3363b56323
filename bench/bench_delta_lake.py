"""What one add would cost if each table were a Delta Lake table (docs/storage.md).

Builds a Delta table of N documents (48 objective-like rows each) in commits of 50, as a
batch of ``piao extract`` would, then in fresh processes adds one document the way a
Delta-backed store would have to (open, delete-by-predicate of its doc_id, append, vacuum so
plain Parquet readers are right) and prints each step's seconds for an empty table and for
the full one. One table only: piao writes seven per add, and Delta has no commit across
tables. ``deltalake`` is not a dependency of piao: ``pip install deltalake==1.6.6`` first.

    .venv/bin/python bench/bench_delta_lake.py [--documents 3000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ADD = """
import sys, time, json
start = time.perf_counter()
import pyarrow as pa, deltalake as dl
path, doc = sys.argv[1], sys.argv[2]
steps = {"import": time.perf_counter() - start}
mark = time.perf_counter()
try:
    table = dl.DeltaTable(path)
    table.delete(f"doc_id = '{doc}'")
except Exception:
    pass
steps["open+delete"] = time.perf_counter() - mark
mark = time.perf_counter()
rows = pa.table({"doc_id": [doc] * 48, "objective_code": [f"OB{i}" for i in range(48)],
                 "description": ["x" * 100] * 48})
dl.write_deltalake(path, rows, mode="append")
steps["append"] = time.perf_counter() - mark
mark = time.perf_counter()
dl.DeltaTable(path).vacuum(retention_hours=0, enforce_retention_duration=False,
                           dry_run=False, full=True)
steps["vacuum"] = time.perf_counter() - mark
print(json.dumps(steps))
"""


def build(path: Path, documents: int, batch: int = 50) -> None:
    """A Delta table of ``documents`` documents written ``batch`` at a time."""
    import deltalake
    import pyarrow as pa

    ids = [hashlib.sha256(str(i).encode()).hexdigest()[:16] for i in range(documents)]
    for start in range(0, documents, batch):
        chunk = ids[start : start + batch]
        deltalake.write_deltalake(
            str(path),
            pa.table(
                {
                    "doc_id": [d for d in chunk for _ in range(48)],
                    "objective_code": [f"OB{i}" for _ in chunk for i in range(48)],
                    "description": [f"obiettivo {i} di {d} " * 3 for d in chunk for i in range(48)],
                }
            ),
            mode="append",
        )


def add_one(path: Path, doc_id: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", ADD, str(path), doc_id], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    try:
        import deltalake  # noqa: F401
    except ImportError:
        print("deltalake is not installed: pip install deltalake==1.6.6")
        return 1
    with tempfile.TemporaryDirectory() as work:
        full = Path(work) / "full"
        build(full, args.documents)
        figures: dict[str, list[dict[str, float]]] = {"empty": [], "full": []}
        for number in range(args.repeat):  # alternating, so drift hits both alike
            empty = Path(work) / f"empty{number}"
            figures["empty"].append(add_one(empty, f"new{number}"))
            figures["full"].append(add_one(full, f"new{number}"))
    for name, runs in figures.items():
        steps = {step: statistics.median(run[step] for run in runs) for step in runs[0]}
        text = "  ".join(f"{step} {seconds:.3f}s" for step, seconds in steps.items())
        print(f"add 1 into {name} ({args.documents if name == 'full' else 0} docs): {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
