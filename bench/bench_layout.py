"""Output layout at scale: one Parquet file per table holding every document.

Builds the tables of N documents (default 500) by cloning the records of the shipped
document under new doc_ids, then times what a batch does with them: write all at once,
write in chunks of 50, replace one document in the full tables, and read them back with
pandas and DuckDB. Prints sizes and seconds.

    .venv/bin/python bench/bench_layout.py [--documents 500]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

import schema  # noqa: E402
from piao import pipeline  # noqa: E402

TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"


def cloned_records(document, number: int) -> dict[str, list[dict[str, object]]]:
    """The document's records under the doc_id / sha of copy ``number``."""
    sha = hashlib.sha256(f"copy {number}".encode()).hexdigest()
    records = {}
    for name, rows in document.records.items():
        records[name] = [{**row, "doc_id": sha[:16]} for row in rows]
    records["documents"][0]["source_sha256"] = sha
    return records


def merged(batch: list[dict[str, list[dict[str, object]]]]) -> dict[str, list]:
    out: dict[str, list] = {name: [] for name in schema.TABLES}
    for records in batch:
        for name, rows in records.items():
            out[name].extend(rows)
    return out


def seconds(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    args = parser.parse_args()
    document = pipeline.process_document(TEXT_SOURCE)
    clones = [cloned_records(document, number) for number in range(args.documents)]
    rows = sum(len(r) for r in merged(clones).values())
    print(f"{args.documents} documents, {rows:,} rows over {len(schema.TABLES)} tables")
    with tempfile.TemporaryDirectory() as once, tempfile.TemporaryDirectory() as chunks:
        t_once = seconds(lambda: schema.replace_documents(merged(clones), once))
        print(f"write all in one go:        {t_once:6.2f} s")
        t_chunks = sum(
            seconds(lambda i=i: schema.replace_documents(merged(clones[i : i + 50]), chunks))
            for i in range(0, len(clones), 50)
        )
        print(f"write in chunks of 50:      {t_chunks:6.2f} s")
        t_one = seconds(lambda: schema.replace_documents(merged(clones[:1]), once))
        print(f"replace 1 document of {args.documents}: {t_one:6.2f} s")
        sizes = {p.name: p.stat().st_size for p in Path(once).glob("*.parquet")}
        print(
            f"size on disk: {sum(sizes.values()) / 1e6:.1f} MB "
            f"(cells {sizes['cells.parquet'] / 1e6:.1f} MB, "
            f"objectives {sizes['objectives.parquet'] / 1e6:.1f} MB)"
        )
        with tempfile.TemporaryDirectory() as single:
            schema.replace_documents(merged(clones[:1]), single)
            one_size = sum(p.stat().st_size for p in Path(single).glob("*.parquet"))
        print(
            f"one document alone: {one_size / 1e3:.0f} kB (clones compress far better than "
            f"{args.documents} real documents would: expect up to "
            f"{one_size * args.documents / 1e6:.0f} MB)"
        )
        frame: list[pd.DataFrame] = []
        t_read = seconds(lambda: frame.append(pd.read_parquet(Path(once) / "objectives.parquet")))
        print(f"pd.read_parquet objectives: {t_read:6.2f} s ({len(frame[0]):,} rows)")
        try:
            import duckdb
        except ImportError:  # pragma: no cover
            return
        query = f"select sector_code, sum(weight) from '{once}/objectives.parquet' group by 1"
        t_duck = seconds(lambda: duckdb.sql(query).fetchall())
        print(f"duckdb group-by objectives: {t_duck:6.2f} s")


if __name__ == "__main__":
    main()
