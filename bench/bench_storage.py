"""Storage at national scale: 20,000 documents in the partitioned folders.

Builds the tables of N synthetic documents (default 20,000) directly, as group files, by
cloning the records of the shipped document under new doc_ids with varied bytes (each
clone's texts carry its number, so no two files compress alike), then times what a run and
an analyst do with them:

- add 1 document (``schema.replace_documents``: the write of one extracted document),
- replace 1 document in place (same doc_id) and by source path (new doc_id, old removed),
- read every objective through the loader (``schema.read_table``) and with pandas,
- a DuckDB group-by over the objectives view (``schema.duckdb_source``).

Targets on the 2-core machine: < 0.2 s per single-document write, < 2 s per read.

    .venv/bin/python bench/bench_storage.py [--documents 20000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

import schema  # noqa: E402
from piao import pipeline  # noqa: E402
from schema.io import group_file, group_of  # noqa: E402

TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
#: Text columns given a per-clone suffix, so that the clones' bytes differ.
VARIED = {"objectives": "description", "cells": "text", "documents": "source_name"}
TARGET_WRITE, TARGET_READ = 0.2, 2.0


def doc_id_of(number: int) -> str:
    return hashlib.sha256(f"synthetic {number}".encode()).hexdigest()[:16]


def clones(base: dict[str, pa.Table], numbers: list[int]) -> dict[str, pa.Table]:
    """The base document's tables repeated once per number, under that number's doc_id,
    with the varied text columns suffixed by the number."""
    out = {}
    for name, table in base.items():
        count = table.num_rows
        repeated = pa.concat_tables([table] * len(numbers))
        ids = pa.array([doc_id_of(n) for n in numbers for _ in range(count)], pa.string())
        repeated = repeated.set_column(0, "doc_id", ids)
        column = VARIED.get(name)
        if column is not None:
            tags = pa.array([f" #{n}" for n in numbers for _ in range(count)], pa.string())
            index = repeated.schema.get_field_index(column)
            varied = pc.binary_join_element_wise(repeated[column], tags, "")
            repeated = repeated.set_column(index, column, varied)
        out[name] = repeated
    return out


def build(out: Path, base: dict[str, pa.Table], documents: int) -> None:
    """Write the group files of ``documents`` clones directly (not one write each)."""
    for name in schema.TABLES:
        groups: dict[str, list[int]] = defaultdict(list)
        for number in range(documents):
            groups[group_of(doc_id_of(number), name)].append(number)
        for group, numbers in sorted(groups.items()):
            path = group_file(out, name, group)
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(clones({name: base[name]}, numbers)[name], path)


def records_of(base: dict[str, pa.Table], number: int) -> dict[str, list[dict]]:
    return {name: table.to_pylist() for name, table in clones(base, [number]).items()}


def timed(action: Callable[[], object], repeat: int = 3) -> tuple[tuple[float, float], object]:
    """Median wall-clock and CPU seconds of ``repeat`` runs, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return (statistics.median(walls), statistics.median(cpus)), result


def verdict(seconds: tuple[float, float], target: float) -> str:
    """Wall-clock and CPU seconds against the target (on a busy machine the CPU time is
    what a quiet one would take, the wall-clock time includes waiting for a core)."""
    wall, cpu = seconds
    mark = "ok" if wall < target else ("ok on CPU" if cpu < target else "OVER")
    return f"{wall:6.3f} s wall, {cpu:6.3f} s CPU ({mark}; target < {target} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    document = pipeline.process_document(TEXT_SOURCE)
    base = {
        name: schema.to_arrow(table, document.records.get(name, []))
        for name, table in schema.TABLES.items()
    }
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as temp:
        out = args.keep or Path(temp) / "clean"
        start = time.perf_counter()
        build(out, base, args.documents)
        files = list(out.glob("*/*/*.parquet"))
        size = sum(path.stat().st_size for path in files)
        print(
            f"built {args.documents:,} documents in {time.perf_counter() - start:.1f} s: "
            f"{len(files):,} files, {size / 1e6:,.0f} MB "
            f"(256 groups per table, 4,096 for cells)"
        )
        rows = {name: base[name].num_rows * args.documents for name in ("objectives", "cells")}
        print(f"rows: {rows['objectives']:,} objectives, {rows['cells']:,} cells")

        numbers = iter(range(args.documents, args.documents + 100))
        add, _ = timed(lambda: schema.replace_documents(records_of(base, next(numbers)), out))
        print(f"add 1 document:                   {verdict(add, TARGET_WRITE)}")
        again = records_of(base, 0)
        same, _ = timed(lambda: schema.replace_documents(again, out))
        print(f"replace 1 document (same doc_id): {verdict(same, TARGET_WRITE)}")
        old_ids = iter(range(1, 4))
        by_path, _ = timed(
            lambda: schema.replace_documents(
                records_of(base, next(numbers)), out, remove=[doc_id_of(next(old_ids))]
            )
        )
        print(f"replace 1 document (by path):     {verdict(by_path, TARGET_WRITE)}")

        read, table = timed(lambda: schema.read_table("objectives", out), repeat=1)
        print(
            f"read all objectives (loader):     {verdict(read, TARGET_READ)}  {len(table):,} rows"
        )
        keys = ["doc_id", "sector_code", "objective_code", "weight"]
        read_keys, _ = timed(lambda: schema.read_table("objectives", out, columns=keys), repeat=1)
        print(f"  same, 4 columns:                {verdict(read_keys, TARGET_READ)}")
        read_pd, _ = timed(lambda: pd.read_parquet(out / "objectives"), repeat=1)
        print(f"pd.read_parquet(objectives/):     {verdict(read_pd, TARGET_READ)}")
        query = (
            f"select sector_code, count(*), sum(weight) from "
            f"({schema.duckdb_source('objectives', out)}) group by 1 order by 1"
        )
        group_by, result = timed(lambda: duckdb.sql(query).fetchall())
        print(f"DuckDB group-by (view, committed):{verdict(group_by, TARGET_READ)}  {result}")


if __name__ == "__main__":
    main()
