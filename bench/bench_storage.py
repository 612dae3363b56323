"""Storage at national scale: 20,000 documents in the partitioned folders.

Builds the tables of N synthetic documents (default 20,000) directly, as ``piao compact``
leaves them (files of ``schema.io.CHUNK_DOCUMENTS`` documents per group), by cloning the
records of the shipped document (48 objectives) under new doc_ids. The clones are made
realistic for compression: each text that differs between administrations (descriptions,
titles, indicators, targets, responsibles, cell texts ...) is one of 256 word-shuffles of the
shipped text, picked per clone and row, so two files hold different texts of the same
vocabulary and length; texts common to every plan (mission and programme names) stay as
they are. Then times what a run and an analyst do with them:

- add 1 document (``schema.replace_documents``: the write of one extracted document), and
  ten more into one group (they trigger the bounded merge of its small files),
- replace 1 document in place (same doc_id) and by source path (new doc_id, old removed),
- read every objective through the loader (``schema.read_table``), all 24 columns and 4,
  with pandas and polars, and a DuckDB group-by over the committed view
  (``schema.duckdb_source``).

Each figure is the median of ``--repeat`` runs, wall-clock and CPU (process time: every
thread); on a loaded machine the CPU time is what a quiet one would take. Targets on the
2-core machine: < 0.2 s per single-document write, < 2 s per read.

    .venv/bin/python bench/bench_storage.py [--documents 20000] [--keep DIR] [--json]
        [--quick]
"""

from __future__ import annotations

import argparse
import hashlib
import json
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
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import polars  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

import schema  # noqa: E402
from piao import pipeline  # noqa: E402
from schema.io import (  # noqa: E402
    CHUNK_DOCUMENTS,
    COMPRESSION,
    dictionary_columns,
    group_of,
    part_file,
)

TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
#: Text columns that differ from one administration's plan to another's.
VARIED = {
    "documents": ["source_name", "plan_title"],
    "sectors": ["sector_name", "heading"],
    "objectives": [
        "strategic_name",
        "title",
        "description",
        "realization_period",
        "assessore",
        "responsible",
    ],
    "items": ["indicator", "target", "deadline"],
    "dates": ["text"],
    "quality": ["message", "message_it"],
    "cells": ["text"],
}
VARIANTS = 256
TARGET_WRITE, TARGET_READ = 0.2, 2.0
READ_COLUMNS = ["doc_id", "sector_code", "objective_code", "weight"]


def doc_id_of(number: int) -> str:
    return hashlib.sha256(f"synthetic {number}".encode()).hexdigest()[:16]


class Cloner:
    """Clones of the base document's tables, texts varied per clone (see the module doc)."""

    def __init__(self, base: dict[str, pa.Table]) -> None:
        self.base = base
        self.rows = {name: table.num_rows for name, table in base.items()}
        shuffle = np.random.default_rng(20_000)
        self.pools: dict[tuple[str, str], pa.Array] = {}
        for name, columns in VARIED.items():
            for column in columns:
                values = []
                for text in base[name][column].to_pylist():
                    words = np.array((text or "").split(" "), dtype=object)
                    for _ in range(VARIANTS):
                        order = shuffle.permutation(len(words))
                        values.append(" ".join(words[order]) if text is not None else None)
                self.pools[name, column] = pa.array(values, pa.string())

    def tables(self, numbers: list[int], names: list[str] | None = None) -> dict[str, pa.Table]:
        out = {}
        for name in names or list(self.base):
            table = self.base[name]
            count = table.num_rows
            repeated = pa.concat_tables([table] * len(numbers))
            ids = np.repeat(np.array([doc_id_of(n) for n in numbers], dtype=object), count)
            repeated = repeated.set_column(0, "doc_id", pa.array(ids, pa.string()))
            rows = np.tile(np.arange(count, dtype=np.int64), len(numbers))
            clones = np.repeat(np.array(numbers, dtype=np.int64), count)
            picks = pa.array(rows * VARIANTS + (clones * 7919 + rows * 104_729) % VARIANTS)
            for column in VARIED.get(name, []):
                index = repeated.schema.get_field_index(column)
                varied = pc.take(self.pools[name, column], picks)
                repeated = repeated.set_column(index, column, varied)
            out[name] = repeated
        return out

    def records(self, number: int) -> dict[str, list[dict]]:
        return {name: table.to_pylist() for name, table in self.tables([number]).items()}


def build(out: Path, cloner: Cloner, documents: int) -> None:
    """Write ``documents`` clones directly as compacted files (not one write each)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for number in range(documents):
        groups[group_of(doc_id_of(number))].append(number)
    for _group, numbers in sorted(groups.items()):
        for chunk_number, start in enumerate(range(0, len(numbers), CHUNK_DOCUMENTS), start=1):
            tables = cloner.tables(numbers[start : start + CHUNK_DOCUMENTS])
            chunk = numbers[start : start + CHUNK_DOCUMENTS]
            for name, arrow in tables.items():
                per_doc = [group_of(doc_id_of(n), name) for n in chunk]
                subs = pa.array(np.repeat(np.array(per_doc, dtype=object), cloner.rows[name]))
                for sub in dict.fromkeys(subs.to_pylist()):
                    path = part_file(out, name, sub, chunk_number)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    part = arrow.filter(pc.equal(subs, sub))
                    pq.write_table(
                        part,
                        path,
                        compression=COMPRESSION,
                        use_dictionary=dictionary_columns(part),
                    )


def timed(action: Callable[[], object], repeat: int) -> tuple[dict[str, float], object]:
    """Median and max wall-clock and CPU seconds of ``repeat`` runs, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    figures = {
        "wall": statistics.median(walls),
        "cpu": statistics.median(cpus),
        "wall_max": max(walls),
        "cpu_max": max(cpus),
    }
    return figures, result


def verdict(seconds: dict[str, float], target: float) -> str:
    """Wall-clock and CPU seconds against the target (on a busy machine the CPU time is
    what a quiet one would take, the wall-clock time includes waiting for a core)."""
    wall, cpu = seconds["wall"], seconds["cpu"]
    mark = "ok" if wall < target else ("ok on CPU" if cpu < target else "OVER")
    return (
        f"{wall:6.3f} s wall, {cpu:6.3f} s CPU (max {seconds['wall_max']:.3f} / "
        f"{seconds['cpu_max']:.3f}; {mark}; target < {target} s)"
    )


def folder_size(folder: Path) -> tuple[int, int]:
    files = list(folder.glob("*/*.parquet"))
    return len(files), sum(path.stat().st_size for path in files)


def measure(out: Path, cloner: Cloner, documents: int, repeat: int, say) -> dict:
    """Every figure of the module doc, as a dict (printed through ``say`` as it goes)."""
    results: dict[str, object] = {"documents": documents}
    start = time.perf_counter()
    build(out, cloner, documents)
    sizes = {name: folder_size(out / name) for name in schema.TABLES}
    results["build_seconds"] = time.perf_counter() - start
    results["files"] = {name: files for name, (files, _) in sizes.items()}
    results["disk_mb"] = {name: size / 1e6 for name, (_, size) in sizes.items()}
    say(
        f"built {documents:,} documents in {results['build_seconds']:.1f} s as "
        f"`piao compact` leaves them ({CHUNK_DOCUMENTS} documents per file and group, "
        f"{COMPRESSION}): "
        + ", ".join(
            f"{name} {files:,} files {size / 1e6:,.1f} MB" for name, (files, size) in sizes.items()
        )
    )

    numbers = iter(range(documents, documents + 1000))
    add, _ = timed(lambda: schema.replace_documents(cloner.records(next(numbers)), out), repeat)
    say(f"add 1 document:                   {verdict(add, TARGET_WRITE)}")
    same = cloner.records(0)
    replace, _ = timed(lambda: schema.replace_documents(same, out), repeat)
    say(f"replace 1 document (same doc_id): {verdict(replace, TARGET_WRITE)}")
    old = iter(range(1, 1 + repeat))
    by_path, _ = timed(
        lambda: schema.replace_documents(
            cloner.records(next(numbers)), out, remove=[doc_id_of(next(old))]
        ),
        repeat,
    )
    say(f"replace 1 document (by path):     {verdict(by_path, TARGET_WRITE)}")
    group = group_of(doc_id_of(0))
    same_group = iter(
        [n for n in range(documents + 1000, documents + 50_000) if group_of(doc_id_of(n)) == group][
            :10
        ]
    )
    into_group, _ = timed(
        lambda: schema.replace_documents(cloner.records(next(same_group)), out), 10
    )
    say(f"10 adds into one group (merges):  {verdict(into_group, TARGET_WRITE)}")
    results["write"] = {
        "add": add,
        "replace_same_id": replace,
        "replace_by_path": by_path,
        "add_into_one_group": into_group,
    }

    read, table = timed(lambda: schema.read_table("objectives", out), 1)
    memory = table.nbytes / 1e6
    say(
        f"read all objectives (loader):     {verdict(read, TARGET_READ)}  {len(table):,} rows, "
        f"{table.num_columns} columns, {memory:,.0f} MB in memory"
    )
    del table
    read_keys, _ = timed(lambda: schema.read_table("objectives", out, columns=READ_COLUMNS), 1)
    say(f"  same, 4 columns:                {verdict(read_keys, TARGET_READ)}")
    read_pd, _ = timed(lambda: pd.read_parquet(out / "objectives", columns=READ_COLUMNS), 1)
    say(f"pd.read_parquet(objectives/, 4 columns): {verdict(read_pd, TARGET_READ)}")
    glob = (out / "objectives" / "*" / "*.parquet").as_posix()
    read_pl, _ = timed(lambda: polars.read_parquet(glob, columns=READ_COLUMNS), 1)
    say(f"polars.read_parquet(4 columns):   {verdict(read_pl, TARGET_READ)}")
    query = (
        f"select sector_code, count(*), sum(weight) from "
        f"({schema.duckdb_source('objectives', out)}) group by 1 order by 1"
    )
    group_by, rows = timed(lambda: duckdb.sql(query).fetchall(), repeat)
    say(f"DuckDB group-by (committed view): {verdict(group_by, TARGET_READ)}  {rows}")
    results["read"] = {
        "objectives_all_columns": read,
        "objectives_4_columns": read_keys,
        "pandas_4_columns": read_pd,
        "polars_4_columns": read_pl,
        "duckdb_group_by": group_by,
    }
    results["objectives_memory_mb"] = memory
    before, after = schema.io.compact(out)
    results["compact_files"] = [before, after]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs per write figure")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quick", action="store_true", help="500 documents, 3 runs")
    args = parser.parse_args()
    if args.quick:
        args.documents, args.repeat = min(args.documents, 500), 3
    say = (lambda _line: None) if args.json else print
    document = pipeline.process_document(TEXT_SOURCE)
    base = {
        name: schema.to_arrow(table, document.records.get(name, []))
        for name, table in schema.TABLES.items()
    }
    load = os.getloadavg()[0]
    say(f"load average {load:.1f} on {os.cpu_count()} cores (wall times include waiting)")
    with tempfile.TemporaryDirectory() as temp:
        out = args.keep or Path(temp) / "clean"
        results = measure(out, Cloner(base), args.documents, args.repeat, say)
    results["load_average"] = [load, os.getloadavg()[0]]
    if args.json:
        print(json.dumps(summary(results)))


def summary(results: dict) -> dict:
    """The figures as the one-line JSON that bench/bench_all.py reads (title, rows)."""
    documents = results["documents"]
    rows = [
        {"figure": name.replace("_", " "), **figures,
         "target": TARGET_WRITE if kind == "write" else TARGET_READ}
        for kind in ("write", "read")
        for name, figures in results[kind].items()
    ]  # fmt: skip
    title = f"storage ({documents:,}-document folder, as compacted)"
    return {"title": title, "rows": rows, **results}


if __name__ == "__main__":
    main()
