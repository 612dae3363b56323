"""Reading and writing the tables: typed by the schemas, written atomically, partitioned.

Layout of an output folder: one folder per table, one sub-folder per *group* of documents
(the first two hex characters of the doc_id: at most 256 groups), one Parquet file per group::

    objectives/3f/part-0.parquet     every objective of the documents whose doc_id starts 3f

Writing one document rewrites only its group's files (a few dozen documents at 20,000), so a
write costs the same whatever the folder holds up to that scale; a read opens at most 256
files per table. ``pd.read_parquet("out/objectives")``, DuckDB
``read_parquet('out/objectives/*/*.parquet')`` and polars read the folders as they are.

``documents`` is the commit record: its group file is renamed into place after the other
tables' files, and :func:`read_table` (the one loader) keeps only the rows of documents that
``documents`` lists, so a crash between two renames is never seen through it.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from schema.records import Record, column_values
from schema.tables import TABLES, Table

DOCUMENTS_TABLE = "documents"
PART_NAME = "part-0.parquet"
#: Characters of the doc_id that name its group folder (2 hex characters: 256 groups).
GROUP_CHARS = 2
#: Tables split finer: ``cells`` holds most of the bytes (70,000 rows for 80 documents), so
#: its groups use 3 characters (4,096 groups, ~5 documents each at 20,000), which keeps the
#: cost of writing one document low; it is the table read least.
TABLE_GROUP_CHARS = {"cells": 3}
#: Where corrupt table files are moved aside by :func:`move_aside`.
CORRUPT_DIR = ".corrupt"
#: Column given a ``~N`` suffix when a row's key repeats an earlier row's (None: the row is
#: dropped, its key has no text column to tell it apart).
DISAMBIGUATING_COLUMN = {
    "documents": None,
    "sectors": "sector_code",
    "objectives": "objective_code",
    "items": "objective_code",
    "dates": "objective_code",
    "quality": "location",
    "cells": None,
}
Records = Mapping[str, Sequence[Mapping[str, object]]]


class CorruptTableError(OSError):
    """A table file that cannot be read as the schema says (truncated, not Parquet, columns
    of another type). An OSError whose ``filename`` is the file and whose ``strerror`` is
    one line saying what is wrong and the way out, as the CLI prints any OSError."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = Path(path)
        self.detail = detail
        super().__init__(
            errno.EIO,
            f"corrupt table file ({detail}); run `piao extract --out {self.out_dir} "
            "--rebuild` to move it aside and re-extract its documents from their sources",
            str(self.path),
        )

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"

    @property
    def out_dir(self) -> Path:
        """The output folder the file belongs to."""
        for parent in self.path.parents:
            if parent.name in TABLES:
                return parent.parent
        return self.path.parent


# typing -----------------------------------------------------------------------------------


def to_arrow(table: Table, records: Sequence[Mapping[str, object]]) -> pa.Table:
    """Records -> Arrow table with exactly the schema's columns and types (raises on a
    record that does not fit, naming the table)."""
    try:  # column by column: no dict per record (memory, issue 10 item 7)
        return pa.Table.from_pydict(
            {name: column_values(records, name) for name in table.column_names},
            schema=table.schema,
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
        raise ValueError(f"records do not fit table {table.name!r}: {error}") from error


def conform(
    table: Table, arrow: pa.Table, path: Path, names: Sequence[str] | None = None
) -> pa.Table:
    """A stored table with the schema's columns (or those ``names``), in order: a column
    added to the schema since the file was written is filled with nulls (columns are added,
    never renamed); raises :class:`CorruptTableError` when a column cannot be read as its
    type."""
    wanted = [c for c in table.columns if names is None or c.name in names]
    target = pa.schema([column.field for column in wanted])
    if arrow.schema == target:
        return arrow
    columns = []
    for column in wanted:
        if column.name not in arrow.column_names:
            if not column.nullable:
                raise CorruptTableError(path, f"column {column.name} is missing")
            columns.append(pa.nulls(arrow.num_rows, column.type))
            continue
        try:
            columns.append(arrow[column.name].cast(column.type))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
            raise CorruptTableError(path, f"column {column.name}: {first_line(error)}") from None
    return pa.Table.from_arrays(columns, schema=target)


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


# layout -----------------------------------------------------------------------------------


def group_of(doc_id: str, table: Table | str = DOCUMENTS_TABLE) -> str:
    """The group folder of a document in a table: the first characters of its doc_id
    (two, or :data:`TABLE_GROUP_CHARS`); a table's group lies within the documents group."""
    chars = TABLE_GROUP_CHARS.get(table_of(table).name, GROUP_CHARS)
    prefix = re.sub(r"[^0-9a-z]", "_", str(doc_id)[:chars].lower())
    return prefix or "_"


def table_of(table: Table | str) -> Table:
    return TABLES[table] if isinstance(table, str) else table


def group_file(out_dir: str | Path, table: Table | str, group: str) -> Path:
    return Path(out_dir) / table_of(table).name / group / PART_NAME


def legacy_file(out_dir: str | Path, table: Table | str) -> Path:
    """Where the earlier layout kept a whole table in one file (``objectives.parquet``)."""
    return Path(out_dir) / f"{table_of(table).name}.parquet"


def is_legacy(out_dir: str | Path) -> bool:
    """Whether ``out_dir`` still holds tables in the earlier one-file-per-table layout."""
    return any(legacy_file(out_dir, name).is_file() for name in TABLES)


def table_files(out_dir: str | Path, table: Table | str) -> list[Path]:
    """The files holding a table, in group order (the legacy single file, if any, first)."""
    table = table_of(table)
    legacy = legacy_file(out_dir, table)
    files = [legacy] if legacy.is_file() else []
    folder = Path(out_dir) / table.name
    if folder.is_dir():
        files.extend(sorted(folder.glob(f"*/{PART_NAME}")))
    return files


# reading ----------------------------------------------------------------------------------


def read_file(table: Table, path: Path, columns: Sequence[str] | None = None) -> pa.Table:
    """One table file (or some of its columns), validated: read and conformed to the
    schema, else :class:`CorruptTableError` naming it."""
    try:
        parquet = pq.ParquetFile(path)
        present = [
            name for name in parquet.schema_arrow.names if columns is None or name in columns
        ]
        arrow = parquet.read(columns=present, use_threads=True)
    except (pa.ArrowException, OSError) as error:
        raise CorruptTableError(path, first_line(error)) from None
    return conform(table, arrow, path, columns)


def read_group(table: Table | str, out_dir: str | Path, group: str) -> pa.Table:
    """The rows stored in one group (empty when it has none)."""
    table = table_of(table)
    path = group_file(out_dir, table, group)
    return read_file(table, path) if path.is_file() else table.schema.empty_table()


def stored_doc_ids(out_dir: str | Path) -> set[str]:
    """doc_ids that ``documents`` lists (the committed documents)."""
    documents = TABLES[DOCUMENTS_TABLE]
    return {
        str(doc_id)
        for path in table_files(out_dir, documents)
        for doc_id in read_file(documents, path, ["doc_id"])["doc_id"].to_pylist()
    }


def read_table(
    table: Table | str, out_dir: str | Path, *, columns: Sequence[str] | None = None
) -> pa.Table | None:
    """The one loader: a table as stored in ``out_dir`` (None when it has not been written).

    Every file is validated (a corrupt one raises :class:`CorruptTableError`, one line
    naming it); columns added to the schema since a file was written are null; only rows of
    documents listed in ``documents`` are returned, so a write cut short by a crash is never
    seen. ``columns`` selects some columns (all by default).
    """
    table = table_of(table)
    files = table_files(out_dir, table)
    if not files:
        return None
    import pyarrow.compute as pc  # imported when used: start-up time (issue 11)
    import pyarrow.dataset as ds  # (it imports pandas: 0.4 s)

    names = list(dict.fromkeys(["doc_id", *columns])) if columns is not None else None
    try:  # one threaded scan; a file that fails it is then named by read_file
        arrow = ds.dataset(files, schema=table.schema, format="parquet").to_table(names)
    except (pa.ArrowException, OSError):
        arrow = pa.concat_tables([read_file(table, path, names) for path in files])
    if table.name != DOCUMENTS_TABLE:
        listed = pa.array(sorted(stored_doc_ids(out_dir)), pa.string())
        committed = pc.is_in(arrow["doc_id"], value_set=listed)
        if not pc.all(committed).as_py():
            arrow = arrow.filter(committed)
    return arrow.select(list(columns)) if columns is not None else arrow


def read_pandas(table: Table | str, out_dir: str | Path):  # -> pandas.DataFrame
    """:func:`read_table` as a pandas DataFrame (empty with the schema's columns when the
    table has not been written)."""
    table = table_of(table)
    arrow = read_table(table, out_dir)
    return (arrow if arrow is not None else table.schema.empty_table()).to_pandas()


def duckdb_source(table: Table | str, out_dir: str | Path, *, absolute: bool = True) -> str | None:
    """A DuckDB ``SELECT`` over a stored table, as :func:`read_table` sees it (only rows of
    documents listed in ``documents``); None when the table has not been written. The glob
    reads the files present when the query runs, so a view over it stays current."""
    table = table_of(table)
    files = table_files(out_dir, table)
    if not files:
        return None
    for path in files:  # a corrupt file is named here rather than by DuckDB mid-query
        conform(table, _footer_schema(path).empty_table(), path)
    directory = Path(out_dir).resolve() if absolute else Path(out_dir)

    def source(name: str) -> str:
        legacy = legacy_file(directory, name)
        pattern = legacy if legacy.is_file() else directory / name / "*" / PART_NAME
        text = pattern.as_posix().replace("'", "''")
        return f"read_parquet('{text}', union_by_name = true)"

    select = f"SELECT * FROM {source(table.name)}"
    if table.name == DOCUMENTS_TABLE:
        return select
    return f"{select} WHERE doc_id IN (SELECT doc_id FROM {source(DOCUMENTS_TABLE)})"


def validate_tables(out_dir: str | Path, *, full: bool = False) -> list[CorruptTableError]:
    """Every table file of ``out_dir`` that cannot be read, as errors (empty when sound).

    By default only each file's footer and columns are checked (cheap: what a truncated or
    overwritten file fails); ``full`` reads every file whole.
    """
    errors = []
    for table in TABLES.values():
        for path in table_files(out_dir, table):
            try:
                if full:
                    read_file(table, path)
                else:
                    conform(table, _footer_schema(path).empty_table(), path)
            except CorruptTableError as error:
                errors.append(error)
    return errors


def _footer_schema(path: Path) -> pa.Schema:
    try:
        return pq.read_schema(path)
    except (pa.ArrowException, OSError) as error:
        raise CorruptTableError(path, first_line(error)) from None


# writing ----------------------------------------------------------------------------------


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
    stale = [path for name in TABLES for path in directory.glob(f".{name}.*.tmp")]
    stale += [path for name in TABLES for path in directory.glob(f"{name}/*/.*.tmp")]
    stale = [path for path in stale if path.is_file()]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def write_tables_atomically(tables: Mapping[str, pa.Table], out_dir: str | Path) -> None:
    """Write every table (``name`` -> ``<name>.parquet``) to a temp file first, then rename
    them all into place. Used for small single-file outputs (``piao diff``'s changes).

    A crash while writing leaves the previous files untouched; a file is never half-written.
    """
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    _write_then_rename({directory / f"{name}.parquet": arrow for name, arrow in tables.items()})


def _write_then_rename(targets: Mapping[Path, pa.Table]) -> None:
    """Write each table to a temp file beside its target, then rename them all in the
    order given; a failure before the renames leaves no temp file and no change."""
    temps: dict[Path, Path] = {}
    try:
        for target, arrow in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            temps[target] = _temp_parquet(arrow, target.parent, target.name.split(".")[0])
    except BaseException:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        raise
    for target, temp in temps.items():
        os.replace(temp, target)


def unique_keys(records: Records) -> tuple[dict[str, list[dict[str, object]]], list[dict]]:
    """Records whose keys are unique in every table, and a ``duplicate_key`` quality record
    for each row whose key repeated an earlier row's.

    The n-th row with the same key gets ``~n`` appended to the table's disambiguating
    column (objective_code for objectives, items and dates, as normalisation does for a
    repeated objective code; sector_code for sectors; location for quality), so a repeated
    table keeps its rows under keys of their own; a repeated row of a table whose key has no
    text column (documents, cells) is dropped.
    """
    out: dict[str, list[dict[str, object]]] = {}
    findings: list[dict[str, object]] = []
    for name in [*(name for name in records if name != "quality"), "quality"]:
        rows = [*records.get(name, []), *findings] if name == "quality" else records[name]
        table = TABLES.get(name)
        if table is None:
            out[name] = [dict(row) for row in rows]
            continue
        kept, found = _unique_rows(table, rows)
        out[name] = kept
        if name != "quality":
            findings.extend(found)
    return out, findings


def _unique_rows(table: Table, rows: Sequence[Mapping[str, object]]) -> tuple[list, list]:
    if _keys_are_unique(table, rows):  # the usual case: the rows kept as they are, not copied
        return list(rows), []
    column = DISAMBIGUATING_COLUMN.get(table.name)
    seen: Counter[tuple] = Counter()
    taken: set[tuple] = {tuple(row.get(k) for k in table.key) for row in rows}
    kept: list[dict[str, object]] = []
    findings: list[dict[str, object]] = []
    for row in rows:
        key = tuple(row.get(k) for k in table.key)
        seen[key] += 1
        if seen[key] == 1:
            kept.append(dict(row))
            continue
        new_row = _copy_row(row)
        if column is not None:
            position = table.key.index(column)
            number = seen[key]
            while True:
                new_row[column] = f"{row.get(column) or ''}~{number}"
                new_key = tuple(new_row.get(k) for k in table.key)
                if new_key not in taken:
                    break
                number += 1
            taken.add(new_key)
            kept.append(new_row)
            what = f"kept as {column} {new_key[position]!r}"
        else:
            what = "dropped"
        findings.append(_duplicate_finding(table, row, seen[key], what))
    return kept, findings


def _copy_row(row: Mapping[str, object]) -> dict[str, object] | Record:
    """A copy of a row, compact when the row is (a :class:`~schema.records.Record`)."""
    return type(row)(**row) if isinstance(row, Record) else dict(row)


def _keys_are_unique(table: Table, rows: Sequence[Mapping[str, object]]) -> bool:
    """Whether no two rows share a key, told without keeping a copy of every key (memory,
    issue 10 item 7): keys in increasing order (cells come so) are unique; otherwise a set of
    the keys' hashes decides, a repeated hash sending the rows to the exact check."""

    def keys() -> Iterator[tuple]:
        return (tuple(row.get(k) for k in table.key) for row in rows)

    previous = None
    try:
        for key in keys():
            if previous is not None and not key > previous:
                break
            previous = key
        else:
            return True
    except TypeError:  # None among the key values: not comparable
        pass
    hashes: set[int] = set()
    for key in keys():
        digest = hash(key)
        if digest in hashes:
            return False
        hashes.add(digest)
    return True


def _duplicate_finding(
    table: Table, row: Mapping[str, object], occurrence: int, what: str
) -> dict[str, object]:
    key = ", ".join(f"{k}={row.get(k)!r}" for k in table.key if k != "doc_id")
    return {
        "doc_id": row.get("doc_id"),
        "severity": "warning",
        "rule": "duplicate_key",
        "sector_code": row.get("sector_code"),
        "objective_code": row.get("objective_code"),
        "location": f"{table.name} ({key}) occurrence {occurrence}",
        "message": f"row {occurrence} of {table.name} with key ({key}); {what}",
        "page": row.get("page") if isinstance(row.get("page"), int) else None,
        "line": row.get("line") if isinstance(row.get("line"), int) else None,
    }


def _by_group(records: Records) -> dict[str, dict[str, list[Mapping[str, object]]]]:
    """Records split by the documents group of their doc_id."""
    grouped: dict[str, dict[str, list[Mapping[str, object]]]] = defaultdict(
        lambda: {name: [] for name in TABLES}
    )
    for name, rows in records.items():
        if name not in TABLES:
            continue
        for row in rows:
            grouped[group_of(str(row["doc_id"]))][name].append(row)
    return grouped


def _merged_group(
    out_dir: Path, group: str, new: Mapping[str, Sequence[Mapping[str, object]]], gone: set[str]
) -> dict[Path, pa.Table]:
    """The files of one documents group after the write, by path: earlier rows of other
    documents kept (rows of documents that ``documents`` does not list are dropped:
    leftovers of a crash), then the new rows. A table split finer (cells) has only the
    sub-groups of the documents written or removed rewritten."""
    documents = read_group(DOCUMENTS_TABLE, out_dir, group)
    kept_docs = {str(d) for d in documents["doc_id"].to_pylist()} - gone
    keep = pa.array(sorted(kept_docs), pa.string())
    touched = {d for d in gone if group_of(d) == group}
    touched |= {str(row["doc_id"]) for row in new.get(DOCUMENTS_TABLE, [])}
    merged = {}
    for name, table in TABLES.items():
        rows: dict[str, list[Mapping[str, object]]] = defaultdict(list)
        for row in new.get(name, []):
            rows[group_of(str(row["doc_id"]), table)].append(row)
        for sub in sorted({group_of(d, table) for d in touched} | set(rows)):
            earlier = documents if name == DOCUMENTS_TABLE else read_group(table, out_dir, sub)
            if earlier.num_rows:  # (a new group has none: pyarrow.compute is not imported)
                import pyarrow.compute as pc  # start-up time (issue 11)

                kept = pc.is_in(earlier["doc_id"], value_set=keep)
                if not pc.all(kept).as_py():  # copy only when some rows go
                    earlier = earlier.filter(kept)
            merged[group_file(out_dir, table, sub)] = pa.concat_tables(
                [earlier, to_arrow(table, rows.get(sub, []))]
            )
    return merged


def replace_documents(
    records: Records, out_dir: str | Path, *, remove: Iterable[str] = ()
) -> dict[str, int]:
    """Store the records of some documents, replacing any earlier rows of the same doc_ids,
    removing the documents in ``remove`` and keeping the others. Keys are made unique first
    (:func:`unique_keys`). Returns the rows written per table.

    Only the groups of the documents written or removed are rewritten. Every file is written
    to a temp file first; the renames put the ``documents`` files last (the commit), those
    of groups that only lose documents first, so that a crash leaves at worst a document
    missing from ``documents``, which the next run redoes.
    """
    directory = Path(out_dir)
    if is_legacy(directory):
        migrate_legacy(directory)
    records, _ = unique_keys(records)
    written = {str(row["doc_id"]) for row in records.get("documents", [])}
    gone = written | {str(doc_id) for doc_id in remove}
    grouped = _by_group(records)
    groups = sorted({group_of(doc_id) for doc_id in gone} | set(grouped))
    tables: dict[Path, pa.Table] = {}
    commits: dict[Path, pa.Table] = {}
    for group in sorted(groups, key=lambda g: g in grouped):  # removal-only groups first
        merged = _merged_group(directory, group, grouped.get(group, {}), gone)
        for target, arrow in merged.items():
            is_commit = target.parent.parent.name == DOCUMENTS_TABLE
            (commits if is_commit else tables)[target] = arrow
    _write_then_rename({**tables, **commits})
    return {name: len(records.get(name, [])) for name in TABLES}


def documents_last(tables: Mapping[str, pa.Table]) -> dict[str, pa.Table]:
    """The same tables, ``documents`` moved to the end (the order they are renamed in)."""
    return dict(sorted(tables.items(), key=lambda item: item[0] == DOCUMENTS_TABLE))


# maintenance ------------------------------------------------------------------------------


def migrate_legacy(out_dir: str | Path) -> int:
    """Move tables of the earlier layout (``objectives.parquet`` ...) into group folders,
    once; returns the number of documents moved (0 when there was nothing to migrate).

    The group files are written (documents last) before the single files are removed
    (documents last again), so a crash midway leaves a folder the next call migrates again.
    """
    import pyarrow.compute as pc  # imported when used: start-up time (issue 11)

    directory = Path(out_dir)
    if not is_legacy(directory):
        return 0
    legacy = {}
    for name, table in TABLES.items():
        path = legacy_file(directory, name)
        legacy[name] = read_file(table, path) if path.is_file() else table.schema.empty_table()
    listed = {str(d) for d in legacy[DOCUMENTS_TABLE]["doc_id"].to_pylist()}
    targets: dict[Path, pa.Table] = {}
    for name, arrow in documents_last(legacy).items():
        groups = pa.array([group_of(d, name) for d in arrow["doc_id"].to_pylist()], pa.string())
        for group in sorted({group_of(d, name) for d in listed}):
            committed = pc.is_in(arrow["doc_id"], value_set=pa.array(sorted(listed)))
            part = arrow.filter(pc.and_(pc.equal(groups, group), committed))
            targets[group_file(directory, name, group)] = part
    _write_then_rename(targets)
    for name in documents_last(TABLES):
        legacy_file(directory, name).unlink(missing_ok=True)
    return len(listed)


def move_aside(path: Path) -> Path:
    """Move a corrupt table file into ``<out>/.corrupt/`` (kept for inspection, out of the
    readers' way); returns where it went."""
    error = CorruptTableError(path, "")
    relative = path.relative_to(error.out_dir)
    target = error.out_dir / CORRUPT_DIR / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(path, target)
    return target
