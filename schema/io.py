"""Reading and writing the tables: typed by the schemas, written atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from schema.tables import TABLES, Table

DOCUMENTS_TABLE = "documents"


def to_arrow(table: Table, records: Sequence[Mapping[str, object]]) -> pa.Table:
    """Records -> Arrow table with exactly the schema's columns and types (raises on a
    record that does not fit, naming the table)."""
    try:
        return pa.Table.from_pylist(
            [{name: record.get(name) for name in table.column_names} for record in records],
            schema=table.schema,
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
        raise ValueError(f"records do not fit table {table.name!r}: {error}") from error


def read_table(table: Table, out_dir: str | Path) -> pa.Table | None:
    """The table as stored in ``out_dir``, or None when it has not been written yet."""
    path = Path(out_dir) / table.file_name
    if not path.exists():
        return None
    return pq.read_table(path)


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _temp_parquet(arrow_table: pa.Table, directory: Path, name: str) -> Path:
    handle, temp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    os.close(handle)
    try:
        pq.write_table(arrow_table, temp_name)
        os.chmod(temp_name, 0o666 & ~_current_umask())  # mkstemp makes it private (0600)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return Path(temp_name)


def remove_stale_temps(out_dir: str | Path) -> list[Path]:
    """Delete temp files left in ``out_dir`` by a write that was killed; returns them.

    Only call it when no other process is writing to ``out_dir``.
    """
    directory = Path(out_dir)
    stale = [path for name in TABLES for path in directory.glob(f".{name}.*.tmp") if path.is_file()]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def write_tables_atomically(tables: Mapping[str, pa.Table], out_dir: str | Path) -> None:
    """Write every table (``name`` -> ``<name>.parquet``) to a temp file first, then rename
    them all into place.

    A crash while writing leaves the previous files untouched; a file is never half-written.
    """
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    temps: dict[str, Path] = {}
    try:
        for name, arrow_table in tables.items():
            temps[name] = _temp_parquet(arrow_table, directory, name)
    except BaseException:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        raise
    for name, temp in temps.items():
        os.replace(temp, directory / f"{name}.parquet")


def _without_documents(existing: pa.Table | None, table: Table, doc_ids: Iterable[str]) -> pa.Table:
    if existing is None or existing.schema != table.schema:
        return table.schema.empty_table()
    keep = pc.invert(pc.is_in(existing["doc_id"], value_set=pa.array(list(doc_ids), pa.string())))
    return existing.filter(keep)


def replace_documents(
    records: Mapping[str, Sequence[Mapping[str, object]]], out_dir: str | Path
) -> dict[str, pa.Table]:
    """Store the records of some documents, replacing any earlier rows of the same doc_ids
    and keeping other documents' rows. Tables written by an older, incompatible schema are
    replaced whole. Returns the tables as written.

    ``documents`` is renamed into place last: it is the commit record. A crash between two
    renames leaves the other tables with the new rows but ``documents`` without them (or with
    their previous version), so an incremental run redoes those documents and every table
    agrees again.
    """
    doc_ids = sorted({str(row["doc_id"]) for row in records.get("documents", [])})
    merged: dict[str, pa.Table] = {}
    for name, table in TABLES.items():
        kept = _without_documents(read_table(table, out_dir), table, doc_ids)
        merged[name] = pa.concat_tables([kept, to_arrow(table, records.get(name, []))])
    write_tables_atomically(documents_last(merged), out_dir)
    return merged


def documents_last(tables: Mapping[str, pa.Table]) -> dict[str, pa.Table]:
    """The same tables, ``documents`` moved to the end (the order they are renamed in)."""
    return dict(sorted(tables.items(), key=lambda item: item[0] == DOCUMENTS_TABLE))
