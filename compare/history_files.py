"""Where ``lineage`` and ``changes`` are kept: one file per group of series, and an index.

Like the extracted tables, the history is a folder per table with one sub-folder per group:

* ``<out>/lineage/<gg>/part-00000000.parquet`` and ``<out>/changes/<gg>/part-00000000.parquet``
  hold the rows of the series whose group is ``gg`` (:func:`part_of`: 256 groups), series
  by series in name order, each series' rows in the order of
  :func:`compare.history.refresh_history`;
* ``<out>/.piao-history.index`` (:data:`schema.tables.HISTORY_INDEX`) holds one row per
  document: its series, the group of that series, its edition key and how many rows it has
  in each table.

A series' group comes from what decides the series (:attr:`EditionKey.group`: the ente as
matched and the attachment), never from its name, which changes when an edition with
another spelling of the ente becomes the first: a series' rows stay in one file whatever
editions join or leave it. A document without ente is a series of its own, in the group of
its doc_id (the documents' group). So a refresh after an add reads and rewrites the files of
the groups of the series it touched, and finds which those are in the index, not by reading
every group. Plain readers read the folders as they read the tables
(``pandas.read_parquet("data/clean/lineage")``, ``read_parquet('lineage/*/*.parquet')``).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

import schema
from compare.lineage import EditionKey
from schema import DERIVED_TABLES
from schema.tables import HISTORY_INDEX

#: The one file of a group (the store's name for a write id of 0: the tables' globs take it).
PART_FILE = "part-00000000.parquet"
#: The history's tables, each a folder of group files.
HISTORY_TABLES = ("lineage", "changes")
#: A ``map`` that reads and builds the history (the builtin, or one that runs the jobs on
#: worker processes, :meth:`piao.parallel.WorkerProcesses.map`): the function applied to
#: each item, the results in the items' order.
Mapper = Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]]

INDEX_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("series", pa.string()),
        pa.field("part", pa.string()),
        pa.field("ente", pa.string()),
        pa.field("attachment", pa.string()),
        pa.field("year", pa.int32()),
        pa.field("source_name", pa.string()),
        pa.field("ente_key", pa.string()),
        pa.field("edition_seq", pa.int32()),
        pa.field("lineage", pa.int32()),
        pa.field("changes", pa.int32()),
        pa.field("substantive", pa.int32()),
    ]
)
"""One row per document: its series and group, its :class:`EditionKey` fields, its place in
the series, its lineage rows, and the change rows (all, and not recomputed) whose newer
edition it is."""


def part_of(group: tuple[str, str]) -> str:
    """The group (two hex characters) of the series decided by ``group``
    (:attr:`EditionKey.group`): a stable hash of the ente as matched and the attachment;
    for a document without ente (``("", doc_id)``), its documents group."""
    ente, other = group
    if not ente:
        return schema.group_of(other)
    return hashlib.sha1(f"{ente}\x1f{other}".encode()).hexdigest()[:2]


def series_part(keys: Sequence[EditionKey]) -> str:
    """The group of a series, from its first edition's key (all share the group)."""
    return part_of(keys[0].group)


def part_path(data_dir: str | Path, name: str, part: str) -> Path:
    return Path(data_dir) / name / part / PART_FILE


def index_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / HISTORY_INDEX


def legacy_path(data_dir: str | Path, name: str) -> Path:
    """Where the earlier layout kept a whole history table (``lineage.parquet``)."""
    return Path(data_dir) / DERIVED_TABLES[name].file_name


def holds_legacy(data_dir: str | Path) -> bool:
    """Whether the folder still holds a history table as one file (migrated by the next
    refresh, which recomputes every series)."""
    return any(legacy_path(data_dir, name).is_file() for name in HISTORY_TABLES)


def stored_parts(data_dir: str | Path, name: str) -> set[str]:
    """The groups holding a file of ``name`` (a listing of its folder: the whole refresh's
    cleanup, never an add's)."""
    folder = Path(data_dir) / name
    return (
        {path.parent.name for path in folder.glob(f"*/{PART_FILE}")} if folder.is_dir() else set()
    )


def read_part(data_dir: str | Path, name: str, part: str) -> pa.Table | None:
    """The stored rows of one group (None when it has no file); raises
    :class:`schema.CorruptTableError` for a file that cannot be read."""
    path = part_path(data_dir, name, part)
    if not path.is_file():
        return None
    return schema.read_file(DERIVED_TABLES[name], path)


def read_index(data_dir: str | Path) -> pa.Table | None:
    """The history index, None when missing, unreadable or of another layout (then every
    series is recomputed and the index written again)."""
    path = index_path(data_dir)
    if not path.is_file():
        return None
    with contextlib.suppress(pa.ArrowException, OSError):
        arrow = schema.read_index_file(path)  # Arrow IPC behind a checksum (or Parquet)
        if arrow.schema.remove_metadata() == INDEX_SCHEMA:
            return arrow
    return None


def key_of(row: Mapping[str, object]) -> EditionKey:
    """The edition key an index row keeps."""
    year = row["year"]
    return EditionKey(
        doc_id=str(row["doc_id"]),
        ente=str(row["ente"]) if row["ente"] is not None else None,
        attachment=str(row["attachment"]) if row["attachment"] is not None else None,
        year=int(str(year)) if year is not None else None,
        source_name=str(row["source_name"]),
        series_name=str(row["series"]) if row["series"] is not None else None,
        ente_key=str(row["ente_key"]) if row["ente_key"] is not None else None,
    )


def records_at(arrow: pa.Table, positions: Sequence[int]) -> list[dict[str, object]]:
    """The rows at ``positions`` (ascending) as records, consecutive ones taken as one
    slice: the cost grows with the rows taken, with no slice per row (a slice and its
    conversion cost ~80 us, whatever its rows) and no pyarrow.compute."""
    records: list[dict[str, object]] = []
    start = count = 0
    for position in positions:
        if count and position == start + count:
            count += 1
            continue
        if count:
            records.extend(arrow.slice(start, count).to_pylist())
        start, count = position, 1
    if count:
        records.extend(arrow.slice(start, count).to_pylist())
    return records


def index_rows(
    series: Mapping[str, Sequence[EditionKey]], lineage: pa.Table, changes: pa.Table
) -> list[dict[str, object]]:
    """The index rows of ``series`` whose rows are ``lineage`` and ``changes``."""
    rows_of = Counter(lineage.column("doc_id").to_pylist())
    newer = changes.column("new_doc_id").to_pylist()
    recomputed = changes.column("recomputed").to_pylist()
    changed = Counter(newer)
    substantive = Counter(doc for doc, again in zip(newer, recomputed, strict=True) if not again)
    return [
        {
            "doc_id": key.doc_id,
            "series": name,
            "part": series_part(keys),
            "ente": key.ente,
            "attachment": key.attachment,
            "year": key.year,
            "source_name": key.source_name,
            "ente_key": key.ente_key,
            "edition_seq": position + 1,
            "lineage": rows_of.get(key.doc_id, 0),
            "changes": changed.get(key.doc_id, 0),
            "substantive": substantive.get(key.doc_id, 0),
        }
        for name, keys in series.items()
        for position, key in enumerate(keys)
    ]


def index_table(rows: Sequence[Mapping[str, object]]) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=INDEX_SCHEMA)


def conformed(arrow: pa.Table, table_schema: pa.Schema) -> pa.Table:
    """``arrow`` with the columns and types of ``table_schema`` (cast only when they differ:
    ``Table.cast`` imports pyarrow.compute)."""
    if arrow.schema == table_schema:
        return arrow
    return arrow.select(table_schema.names).cast(table_schema)


def series_runs(arrow: pa.Table) -> list[tuple[str, int, int]]:
    """(series, first row, rows) of each run of one series in a table stored series by
    series."""
    runs: list[tuple[str, int, int]] = []
    for position, name in enumerate(arrow.column("series").to_pylist()):
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1], runs[-1][2] + 1)
        else:
            runs.append((str(name), position, 1))
    return runs


def merged_by_series(kept: pa.Table, added: pa.Table, table_schema: pa.Schema) -> pa.Table:
    """The rows of two tables stored series by series in name order, as one table in name
    order (each series' rows as they were): slices, no sort and no pyarrow.compute."""
    kept, added = conformed(kept, table_schema), conformed(added, table_schema)
    pieces = [(name, 0, start, size) for name, start, size in series_runs(kept)]
    pieces += [(name, 1, start, size) for name, start, size in series_runs(added)]
    runs: list[tuple[int, int, int]] = []  # adjacent runs of one table made one slice
    for _, which, start, size in sorted(pieces):
        if runs and runs[-1][0] == which and runs[-1][1] + runs[-1][2] == start:
            runs[-1] = (which, runs[-1][1], runs[-1][2] + size)
        else:
            runs.append((which, start, size))
    tables = (kept, added)
    slices = [tables[which].slice(start, size) for which, start, size in runs]
    return pa.concat_tables(slices) if slices else table_schema.empty_table()


def write_parts(
    data_dir: str | Path,
    parts: Iterable[tuple[str, pa.Table, pa.Table]],
    index: Callable[[], pa.Table],
    *,
    every: bool,
) -> None:
    """Stage each group's ``(group, lineage, changes)`` as it comes (its rows can be freed
    before the next group's are built: the peak is one group's rows), then the ``index``,
    and commit them all in one journaled write (a group left without rows loses its file).
    ``every``: the groups given are the whole history: the files of other groups and the
    earlier single files are removed."""
    directory = Path(data_dir)
    targets: dict[Path, Path | None] = {}
    written: set[str] = set()
    try:
        for part, lineage, changes in parts:
            written.add(part)
            for name, arrow in zip(HISTORY_TABLES, (lineage, changes), strict=True):
                target = part_path(directory, name, part)
                targets[target] = schema.stage_table(arrow, target) if arrow.num_rows else None
        if every:
            for name in HISTORY_TABLES:
                for part in sorted(stored_parts(directory, name) - written):
                    targets[part_path(directory, name, part)] = None
        target = index_path(directory)
        targets[target] = schema.stage_table(index(), target)
        if every:  # last: the journal's folder is told by the first target
            targets.update({legacy_path(directory, name): None for name in HISTORY_TABLES})
    except BaseException:
        for staged in targets.values():
            if staged is not None:
                staged.unlink(missing_ok=True)
        raise
    schema.commit_staged(targets)
