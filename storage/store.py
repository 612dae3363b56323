"""Reading and writing the tables: typed by the schemas, written atomically, partitioned.

Layout of an output folder: one folder per table, one sub-folder per *group* of documents
(the first two hex characters of the doc_id, three for ``cells``), and in it one Parquet
file per *write* that stored documents of that group::

    objectives/3f/part-00000007.parquet    the objectives of the documents of group 3f
                                           stored by the group's 7th write

The number in the name is the *write id*, counted per group (each write takes the next, so
names are deterministic); the earlier layout's ``part-0.parquet`` is write 0. A file holds
whole documents, at most :data:`CHUNK_DOCUMENTS` of them, so that

- adding a document writes new small files and rewrites nothing (the cost does not depend on
  what the folder holds);
- replacing or removing one rewrites only the file(s) holding it: at most
  :data:`CHUNK_DOCUMENTS` documents, whatever the folder holds;
- when a group holds more than :data:`MAX_SMALL_FILES` files of fewer documents, a write
  merges the smallest of them by size tiers (:func:`merge_candidates`: a bounded amount
  again, a document rewritten only as its file at least doubles), and :func:`compact`
  (``piao compact``) merges every group into full files, since reading costs about 2 ms
  per file on top of its bytes.

``pd.read_parquet("out/objectives")``, DuckDB ``read_parquet('out/objectives/*/*.parquet')``
and polars read the folders as they are.

``documents`` is the commit record: a document's rows count only in the files of the write
whose ``documents`` file lists it (the latest such write). Every write stages its files,
records its renames in the journal (:mod:`storage.journal`), then renames the other tables'
files first, its new ``documents`` files next, the rewritten ``documents`` files after them
(so a replaced document is never absent from the committed view), and removes the rows it
replaced last; :func:`read_table` (the one loader) and :func:`duckdb_source` apply the rule,
so a write under way is never seen through them, and the next command that writes finishes
a write a crash cut short (:func:`storage.journal.recover`), so plain readers are right at
rest.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from schema.records import Record, column_values, key_values
from schema.tables import DERIVED_TABLES, HISTORY_INDEX, TABLES, Table
from storage import index_cache, index_file
from storage.column_search import string_rows
from storage.journal import (
    commit,
    fsync_dirs,
    fsync_file,
    fsync_files,
    journal_path,
    recover,
    staging_dir,
)

DOCUMENTS_TABLE = "documents"
#: A part's file name: ``part-<write id>.parquet`` (the earlier layout's ``part-0.parquet``
#: is write 0).
PART_GLOB = "part-*.parquet"
PART_PATTERN = re.compile(r"part-([0-9]+)\.parquet$")
WRITE_ID_DIGITS = 8
#: Documents in one file at most: what replacing or removing one document may rewrite, and
#: the unit of merging (20,000 documents in 256 groups: one file per group and table).
CHUNK_DOCUMENTS = 128
#: Files of fewer than CHUNK_DOCUMENTS documents a group may hold before a write merges
#: them (each file costs a read about 2 ms, whatever its size).
MAX_SMALL_FILES = 4
#: Parquet compression of the table files: lz4 reads ~40 % faster than zstd for ~50 % more
#: bytes (the objectives of 20,000 documents: ~890 MB in memory, ~270 MB on disk).
COMPRESSION = "lz4"
#: String columns longer than this on average are not dictionary-encoded: free texts repeat
#: little, and decoding their dictionaries costs more than it saves.
DICTIONARY_MAX_LENGTH = 32
#: Column the loader adds while reading: the write id of each row's file (dropped after).
WRITE_COLUMN = "__piao_write"
#: Column DuckDB adds while reading: each row's file (dropped after).
FILE_COLUMN = "__piao_file"
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
    "targets": "objective_code",
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
    try:  # column by column: no dict per record (memory)
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
        present = arrow[column.name]
        if present.type == column.type:  # no cast: it would import pyarrow.compute
            columns.append(present)
            continue
        try:
            columns.append(present.cast(column.type))
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


def part_name(write_id: int) -> str:
    """The file name of a write's part (``part-<20-digit write id>.parquet``)."""
    return f"part-{write_id:0{WRITE_ID_DIGITS}d}.parquet"


def write_id_of(path: str | Path) -> int:
    """The write id in a part's file name (0 for the earlier ``part-0.parquet`` and for a
    legacy single file)."""
    match = PART_PATTERN.search(path.name if isinstance(path, Path) else Path(path).name)
    return int(match.group(1)) if match else 0


def part_file(out_dir: str | Path, table: Table | str, group: str, write_id: int) -> Path:
    return Path(out_dir) / table_of(table).name / group / part_name(write_id)


def legacy_file(out_dir: str | Path, table: Table | str) -> Path:
    """Where the earlier layout kept a whole table in one file (``objectives.parquet``)."""
    return Path(out_dir) / f"{table_of(table).name}.parquet"


def is_legacy(out_dir: str | Path) -> bool:
    """Whether ``out_dir`` still holds tables in the earlier one-file-per-table layout."""
    return any(legacy_file(out_dir, name).is_file() for name in TABLES)


def table_files(out_dir: str | Path, table: Table | str) -> list[Path]:
    """The files holding a table, by group and write (the legacy single file, if any, first)."""
    table = table_of(table)
    legacy = legacy_file(out_dir, table)
    files = [legacy] if legacy.is_file() else []
    folder = Path(out_dir) / table.name
    if folder.is_dir():
        files.extend(sorted(folder.glob(f"*/{PART_GLOB}")))
    return files


def group_files(out_dir: str | Path, table: Table | str, group: str) -> dict[int, list[Path]]:
    """write id -> the files of a table within a documents group (for ``cells``, in every
    sub-group folder of the group)."""
    table = table_of(table)
    folder = Path(out_dir) / table.name
    chars = TABLE_GROUP_CHARS.get(table.name, GROUP_CHARS)
    files: dict[int, list[Path]] = defaultdict(list)
    if chars - len(group) == 1:  # cells: the group's possible sub-folders, looked up
        subs = [(f"{group}{c}", _part_names(folder, f"{group}{c}", True)) for c in GROUP_NAME_CHARS]
    elif chars == len(group):  # the group's own folder, listed by name
        subs = [(group, _part_names(folder, group, False))]
    else:
        pattern = f"{group}{'?' * (chars - len(group))}/{PART_GLOB}"
        found = sorted(folder.glob(pattern)) if folder.is_dir() else []
        for path in found:
            files[write_id_of(path)].append(path)
        return files
    # sorted by (sub-folder, name), as the paths sort; a Path made only for each file found
    for sub, name, write_id in sorted((sub, n, w) for sub, names in subs for n, w in names):
        files[write_id].append(folder / sub / name)
    return files


def _part_names(folder: Path, sub: str, strict: bool) -> list[tuple[str, int]]:
    """(name, write id) of the part files in ``folder/sub`` (none when it does not exist):
    names that :data:`PART_PATTERN` matches whole when ``strict`` (the ``cells``
    sub-folders), else those :data:`PART_GLOB` matches (the write id 0 when the name holds
    none, as :func:`write_id_of` says). Listed as strings (``os.listdir``): building and
    sorting a Path per file cost more than the listing."""
    try:
        names = os.listdir(os.path.join(folder, sub))
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for name in names:
        if strict:
            match = PART_PATTERN.fullmatch(name)
            if match:
                found.append((name, int(match.group(1))))
        elif name.startswith("part-") and name.endswith(".parquet"):
            match = PART_PATTERN.search(name)
            found.append((name, int(match.group(1)) if match else 0))
    return found


#: The characters of a group folder's name (:func:`group_of`). A documents group's
#: ``cells`` sub-folders are looked up by name among the 37 it may have: a glob listed the
#: whole ``cells`` folder (4,096 sub-folders at 20,000 documents, ~4 ms a call, several
#: calls a write).
GROUP_NAME_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz_"


# reading ----------------------------------------------------------------------------------


def read_file(table: Table, path: Path, columns: Sequence[str] | None = None) -> pa.Table:
    """One table file (or some of its columns), validated: read and conformed to the
    schema, else :class:`CorruptTableError` naming it."""
    try:
        parquet = pq.ParquetFile(path, page_checksum_verification=True)
        present = [
            name for name in parquet.schema_arrow.names if columns is None or name in columns
        ]
        arrow = parquet.read(columns=present, use_threads=True)
    except (pa.ArrowException, OSError) as error:
        raise CorruptTableError(path, first_line(error)) from None
    return conform(table, arrow, path, columns)


def stored_doc_ids(out_dir: str | Path) -> set[str]:
    """doc_ids that ``documents`` lists (the committed documents)."""
    return set(live_write_ids(out_dir))


#: The committed ``documents`` table, whole, in one file: what a write needs to know of the
#: stored documents (which are unchanged, which a new version replaces) read at the cost of
#: one file, whatever the folder holds. Derived: renamed by the same journal as the write
#: that changes ``documents``, rebuilt from the tables when missing.
DOCUMENTS_INDEX = ".piao-documents.index"  # Parquet; no .parquet suffix: no glob takes it


def index_path(out_dir: str | Path) -> Path:
    return Path(out_dir) / DOCUMENTS_INDEX


def committed_documents(
    out_dir: str | Path, *, build: bool = True, columns: Sequence[str] | None = None
) -> pa.Table | None:
    """The committed ``documents`` rows (None when no table was written; ``columns``:
    those only), from the index (:data:`DOCUMENTS_INDEX`); when it is missing, from the
    tables, and the index is written (when ``build``: a folder written by an earlier
    version, once). The index is parsed once per process while its file is unchanged
    (every column, held by :mod:`storage.index_cache`; a write hands over the one it
    wrote)."""
    table = TABLES[DOCUMENTS_TABLE]
    path = index_path(out_dir)
    stored = (Path(out_dir) / table.name).is_dir() or legacy_file(out_dir, table).is_file()
    if path.is_file() and not stored:
        path.unlink()  # the tables were removed by hand (`make clean`): the index goes too
    if path.is_file():
        if (held := index_cache.held(path)) is not None:  # read once per process
            return _columns(table, held, columns)
        try:
            whole = conform(table, index_file.read(path), path)  # every column, held
            index_cache.hold(path, whole)
            return _columns(table, whole, columns)
        except (CorruptTableError, pa.ArrowException, OSError):
            path.unlink(missing_ok=True)  # derived: rebuilt below
    documents = read_table(table, out_dir)
    if documents is not None and build:
        _write_then_rename({path: documents})
    return documents if documents is None or columns is None else documents.select(columns)


def _columns(table: Table, documents: pa.Table, columns: Sequence[str] | None) -> pa.Table:
    """The index's ``columns`` (all when None), in the schema's order as :func:`conform`
    gives them."""
    if columns is None:
        return documents
    return documents.select([c.name for c in table.columns if c.name in columns])


def _hold_index(directory: Path, documents: pa.Table) -> None:
    """After a write has committed: hold the index it wrote (the reads after it in this
    process parse nothing, :mod:`storage.index_cache`), typed as a read types it. A table
    that cannot be held so is not: the next read parses the file (the write stands)."""
    path = index_path(directory)
    try:
        index_cache.hold(path, conform(TABLES[DOCUMENTS_TABLE], documents, path))
    except (CorruptTableError, pa.ArrowException, OSError):
        index_cache.forget()


def drop_index(out_dir: str | Path) -> None:
    """Forget the index (a change of ``documents`` made outside a journaled write)."""
    index_path(out_dir).unlink(missing_ok=True)


def _next_index(directory: Path, written: pa.Table, gone: Iterable[str]) -> pa.Table:
    """The index after a write: the committed documents but ``gone``, then ``written``
    (renamed by the write's journal, with the tables)."""
    current = committed_documents(directory, build=False)
    if current is None:
        return written
    kept = without_row_numbers(current, matching_rows(current["doc_id"], gone))
    return pa.concat_tables([kept, written.select(kept.column_names)])


def without_row_numbers(arrow: pa.Table, rows: Sequence[int]) -> pa.Table:
    """The table without the rows at these row numbers (ascending), made of slices: the cost
    grows with the rows dropped (none for an add), not with the table (a mask of every row
    cost ~7 ms an add at 20,000 documents)."""
    if not rows:
        return arrow
    pieces, start = [], 0
    for row in rows:
        if row > start:
            pieces.append(arrow.slice(start, row - start))
        start = row + 1
    if start < arrow.num_rows:
        pieces.append(arrow.slice(start))
    return pa.concat_tables(pieces) if pieces else arrow.slice(0, 0)


def matching_rows(column: pa.ChunkedArray | pa.Array, values: Iterable[object]) -> list[int]:
    """The row numbers of a column whose value is among ``values``, in order. With
    ``pyarrow.compute.is_in`` when it is imported already or the column is long (over
    :data:`PYTHON_FILTER_ROWS`); else, for a string column, by searching the values' bytes
    in the column's (:func:`storage.column_search.string_rows`), or through the column's
    values in Python, which for the index of 20,000 documents costs less than that import
    (~45 ms)."""
    wanted = set(values)
    if not wanted or not len(column):
        return []
    if "pyarrow.compute" in sys.modules or len(column) > PYTHON_FILTER_ROWS:
        import pyarrow.compute as pc

        type_ = column.type
        mask = pc.is_in(column, value_set=pa.array(list(wanted), type_))
        return pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()
    found = string_rows(column, wanted)  # the values' bytes found in the column's data
    if found is not None:
        return found
    return [row for row, value in enumerate(column.to_pylist()) if value in wanted]


def without_rows(arrow: pa.Table, dropped: Sequence[bool]) -> pa.Table:
    """The table without the rows marked ``dropped``, made of slices: ``Table.filter``
    would import pyarrow.compute, a quarter of a second of an add's start-up."""
    pieces, start = [], 0
    for row, drop in enumerate([*dropped, True]):
        if drop:
            if row > start:
                pieces.append(arrow.slice(start, row - start))
            start = row + 1
    return pa.concat_tables(pieces) if pieces else arrow.slice(0, 0)


def rows_at(arrow: pa.Table, rows: Sequence[int]) -> pa.Table:
    """The table's rows at these row numbers (increasing), made of slices: ``Table.take``
    would import pyarrow.compute."""
    pieces = [arrow.slice(row, 1) for row in rows]
    return pa.concat_tables(pieces) if pieces else arrow.slice(0, 0)


def live_write_ids(out_dir: str | Path) -> dict[str, int]:
    """doc_id -> the write whose files hold its rows: the latest write whose ``documents``
    file lists it (only a crash leaves a document listed by two writes)."""
    files = table_files(out_dir, DOCUMENTS_TABLE)
    if not files:
        return {}
    arrow = _scan(TABLES[DOCUMENTS_TABLE], files, ["doc_id"])
    live: dict[str, int] = {}
    for doc_id, write_id in zip(
        arrow["doc_id"].to_pylist(), arrow[WRITE_COLUMN].to_pylist(), strict=True
    ):
        live[doc_id] = max(write_id, live.get(doc_id, write_id))
    return live


def read_pool() -> pa.MemoryPool:
    """The memory pool the loader reads into: the C library's allocator. pyarrow's default
    (mimalloc) hands freed memory back to the system and takes it again page by page, which
    doubles the CPU time of reading every column of 20,000 documents (~900 MB of strings:
    4-5.7 s against 2.0-2.3 s, bench/bench_storage.py); jemalloc is as fast but not built
    into every pyarrow."""
    return pa.system_memory_pool()


def _scan(table: Table, files: Sequence[Path], names: Sequence[str] | None) -> pa.Table:
    """The files' rows (``names`` or every column, typed by the schema) with the write id
    of the file each row comes from in :data:`WRITE_COLUMN`. One threaded scan; when a file
    fails it, the files are read one by one so that the bad one is named."""
    import pyarrow.compute as pc  # imported when used: start-up time
    import pyarrow.dataset as ds  # (it imports pandas: 0.4 s)

    wanted = list(names) if names is not None else table.column_names
    try:
        scanned = ds.dataset(list(map(str, files)), schema=table.schema, format=_checked_format())
        arrow = scanned.to_table(columns=[*wanted, "__filename"], memory_pool=read_pool())
        paths = arrow["__filename"].combine_chunks().dictionary_encode()
        ids = pa.array([write_id_of(name) for name in paths.dictionary.to_pylist()], pa.int64())
        write_ids = pc.take(ids, paths.indices)
        arrow = arrow.drop_columns(["__filename"])
    except (pa.ArrowException, OSError):
        parts = [read_file(table, path, wanted) for path in files]
        write_ids = pa.array(
            [
                write_id_of(path)
                for path, part in zip(files, parts, strict=True)
                for _ in range(part.num_rows)
            ],
            pa.int64(),
        )
        arrow = pa.concat_tables(parts)
    return arrow.append_column(WRITE_COLUMN, write_ids)


def _checked_format():  # -> pyarrow.dataset.ParquetFileFormat
    """Parquet read with its pages' checksums verified (a file written with them: every
    file since they were added; older files have none to verify)."""
    import pyarrow.dataset as ds

    options = ds.ParquetFragmentScanOptions(page_checksum_verification=True)
    return ds.ParquetFileFormat(default_fragment_scan_options=options)


def _committed(arrow: pa.Table, live: Mapping[str, int], *, by_write: bool = True) -> pa.Table:
    """The rows whose file is the write that ``documents`` lists their document under (of
    a document that ``documents`` lists, when not ``by_write``: a table derived from the
    stored ones and written whole, such as ``lineage``)."""
    import pyarrow.compute as pc  # imported when used: start-up time

    listed = pa.array(list(live), pa.string())
    if not by_write:  # every document a row names (changes: old_doc_id, new_doc_id) listed
        named = [c for c in ("doc_id", "old_doc_id", "new_doc_id") if c in arrow.column_names]
        keep = pc.is_in(arrow[named[0]], value_set=listed)
        for column in named[1:]:
            keep = pc.and_(keep, pc.is_in(arrow[column], value_set=listed))
        arrow = arrow if pc.all(keep).as_py() else arrow.filter(keep)
        return arrow.drop_columns([WRITE_COLUMN])
    expected = pc.take(
        pa.array(list(live.values()), pa.int64()), pc.index_in(arrow["doc_id"], listed)
    )
    keep = pc.fill_null(pc.equal(arrow[WRITE_COLUMN], expected), False)
    if not pc.all(keep).as_py():
        arrow = arrow.filter(keep)
    return arrow.drop_columns([WRITE_COLUMN])


def read_table(
    table: Table | str, out_dir: str | Path, *, columns: Sequence[str] | None = None
) -> pa.Table | None:
    """The one loader: a table as stored in ``out_dir`` (None when it has not been written).

    Every file is validated (a corrupt one raises :class:`CorruptTableError`, one line
    naming it); columns added to the schema since a file was written are null; only the
    rows committed in ``documents`` are returned (see the module doc), so a write cut short
    by a crash is never seen. ``columns`` selects some columns (all by default).
    """
    table = table_of(table)
    files = table_files(out_dir, table)
    if not files:
        return None
    names = list(dict.fromkeys(["doc_id", *columns])) if columns is not None else None
    stored = TABLES.get(table.name) == table  # written by replace_documents
    arrow = _committed(_scan(table, files, names), live_write_ids(out_dir), by_write=stored)
    return arrow.select(list(columns)) if columns is not None else arrow


def read_pandas(table: Table | str, out_dir: str | Path):  # -> pandas.DataFrame
    """:func:`read_table` as a pandas DataFrame (empty with the schema's columns when the
    table has not been written)."""
    table = table_of(table)
    arrow = read_table(table, out_dir)
    return (arrow if arrow is not None else table.schema.empty_table()).to_pandas()


def duckdb_source(table: Table | str, out_dir: str | Path, *, absolute: bool = True) -> str | None:
    """A DuckDB ``SELECT`` over a stored table, as :func:`read_table` sees it (only rows
    committed in ``documents``); None when the table has not been written. The glob reads
    the files present when the query runs, so a view over it stays current."""
    table = table_of(table)
    files = table_files(out_dir, table)
    if not files:
        return None
    for path in files:  # a corrupt file is named here rather than by DuckDB mid-query
        conform(table, _footer_schema(path).empty_table(), path)
    directory = Path(out_dir).resolve() if absolute else Path(out_dir)

    def source(name: str) -> str:
        legacy = legacy_file(directory, name)
        pattern = legacy if legacy.is_file() else directory / name / "*" / PART_GLOB
        text = pattern.as_posix().replace("'", "''")
        return f"read_parquet('{text}', union_by_name = true, filename = '{FILE_COLUMN}')"

    write_id = (
        f"coalesce(try_cast(regexp_extract({FILE_COLUMN}, '{PART_PATTERN.pattern}', 1) "
        "AS BIGINT), 0)"
    )
    live = (
        f"SELECT doc_id, max({write_id}) AS {WRITE_COLUMN} FROM {source(DOCUMENTS_TABLE)} "
        "GROUP BY doc_id"
    )
    if TABLES.get(table.name) != table:  # derived, written whole: documents listed
        committed = f"doc_id IN (SELECT doc_id FROM ({live}))"
    else:
        committed = f"(doc_id, {write_id}) IN ({live})"
    return f"SELECT * EXCLUDE ({FILE_COLUMN}) FROM {source(table.name)} WHERE {committed}"


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


def temp_beside(target: Path, suffix: str = ".tmp") -> Path:
    """A new empty temp file for ``target``: in the output folder's staging folder when
    ``target`` is a table file (out of every reader's way, and what
    :func:`storage.journal.recover` empties after a crash, without looking at any group),
    else in ``target``'s folder (created if missing), hidden and named after it
    (``.objectives.…tmp``), so a rename puts it in place."""
    out_dir = table_out_dir(target)
    folder = staging_dir(out_dir) if out_dir is not None else target.parent
    folder.mkdir(parents=True, exist_ok=True)
    prefix = f".{target.name.split('.')[0]}."
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    os.close(handle)
    return Path(name)


def table_out_dir(target: Path) -> Path | None:
    """The output folder of a table file (``<out>/<table>/<group>/part-….parquet``), or
    None for any other file."""
    if target.name in (DOCUMENTS_INDEX, HISTORY_INDEX):
        return target.parent
    if len(target.parts) >= 3 and target.parent.parent.name in {*TABLES, *DERIVED_TABLES}:
        return target.parent.parent.parent
    return None


def make_readable(temp: Path) -> None:
    """Give a finished temp file the permissions of a new file (mkstemp makes it 0600)."""
    os.chmod(temp, 0o666 & ~_current_umask())


def _write_parquet(arrow: pa.Table, where: Path | pa.NativeFile) -> None:
    """``arrow`` written as every table file is: compressed, dictionary-encoded columns,
    page checksums."""
    pq.write_table(
        arrow,
        where,
        compression=COMPRESSION,
        use_dictionary=dictionary_columns(arrow),
        write_page_checksum=True,
    )


def _filled_temp(target: Path, fill: Callable[[Path], object]) -> Path:
    """A temp file for ``target`` filled by ``fill`` and readable (not yet flushed to the
    disk: the commit flushes a write's files together, :func:`storage.journal.commit`);
    removed when filling it fails."""
    temp = temp_beside(target)
    try:
        fill(temp)
        make_readable(temp)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _temp_parquet(arrow_table: pa.Table, target: Path) -> Path:
    if target.name in INDEX_FILES:  # derived, read and written whole by every add
        return _filled_temp(target, lambda temp: index_file.write(arrow_table, temp))
    return _filled_temp(target, lambda temp: _write_parquet(arrow_table, temp))


#: The derived index files, kept as Arrow IPC behind a checksum (:mod:`storage.index_file`).
INDEX_FILES = frozenset({DOCUMENTS_INDEX, HISTORY_INDEX})


class EncodedPart(bytes):
    """A table file's bytes encoded in another process (a batch's worker,
    :func:`parquet_bytes`), planned and written as they are: the writer encodes nothing."""


def parquet_bytes(arrow: pa.Table) -> EncodedPart:
    """A table encoded as :func:`_temp_parquet` writes it (compression, dictionary-encoded
    columns, page checksums)."""
    sink = pa.BufferOutputStream()
    _write_parquet(arrow, sink)
    return EncodedPart(sink.getvalue().to_pybytes())


def _temp_bytes(data: bytes, target: Path) -> Path:
    """A temp file for ``target`` holding ``data`` (an :class:`EncodedPart`)."""
    return _filled_temp(target, lambda temp: temp.write_bytes(data))


def dictionary_columns(arrow: pa.Table) -> list[str]:
    """The columns worth dictionary-encoding: all but long free texts."""
    return [
        field.name
        for field in arrow.schema
        if not pa.types.is_string(field.type)
        or mean_bytes(arrow[field.name]) <= DICTIONARY_MAX_LENGTH
    ]


def mean_bytes(column: pa.ChunkedArray) -> float:
    """The mean length in UTF-8 bytes of a string column's values (nulls left out), read
    from the arrays' offsets: no pyarrow.compute import on the write path (start-up)."""
    total = sum(string_bytes(chunk) for chunk in column.chunks)
    values = len(column) - column.null_count
    return total / values if values else 0.0


def string_bytes(chunk: pa.Array) -> int:
    """The bytes of a string array's values: the span of its offsets (buffer 1)."""
    if not len(chunk):
        return 0
    offset_type = pa.int64() if pa.types.is_large_string(chunk.type) else pa.int32()
    offsets = pa.Array.from_buffers(
        offset_type, len(chunk) + 1, [None, chunk.buffers()[1]], offset=chunk.offset
    )
    return offsets[-1].as_py() - offsets[0].as_py()


def remove_stale_temps(out_dir: str | Path) -> list[Path]:
    """Make ``out_dir`` whole after a crash (:func:`storage.journal.recover`) and delete
    the temp files that writes of earlier versions left beside the tables (they staged
    there); returns those. Looks in every group folder: ``piao compact``'s cleanup, not
    something to do on every write.

    Only call it when no other process is writing to ``out_dir``.
    """
    directory = Path(out_dir)
    recover(directory)
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


def _write_then_rename(targets: Mapping[Path, pa.Table | Path | None]) -> None:
    """Write each table to a temp file beside its target, then rename them all in the
    order given (a None table deletes its target at its turn; a Path is a temp file already
    written beside its target); a failure before the renames leaves no temp file and no
    change."""
    temps: dict[Path, Path] = {}
    try:
        for target, arrow in targets.items():
            if isinstance(arrow, Path):
                temps[target] = arrow
            elif arrow is not None:
                temps[target] = _temp_parquet(arrow, target)
    except BaseException:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        raise
    fsync_files(temps.values())
    for target in targets:
        if target in temps:
            os.replace(temps[target], target)
        else:
            target.unlink(missing_ok=True)
    fsync_dirs(target.parent for target in targets)


def stage_table(arrow_table: pa.Table, target: Path) -> Path:
    """Write ``arrow_table`` to a staged temp file for ``target`` (a table file of a folder,
    the history's group files, or an index), for :func:`commit_staged` (which flushes it to
    the disk with the write's other files before deciding the write): a write
    that builds its files one at a time stages each and frees its rows before the next."""
    return _temp_parquet(arrow_table, target)


def commit_staged(targets: Mapping[Path, Path | None]) -> None:
    """Rename the staged files onto their targets (None removes one) through the journal,
    all or none (:func:`_stage_and_commit`); the staged files are removed when the write
    was not decided."""
    _stage_and_commit(targets)


def _stage_and_commit(targets: Mapping[Path, pa.Table | Path | EncodedPart | None]) -> None:
    """Write each table to a staged temp file (a Path is one already staged), then commit
    the renames in the order given through the journal (:func:`storage.journal.commit`):
    a crash before the journal is whole changes nothing, one after it is finished by the
    next command that writes."""
    if not targets:
        return
    out_dir = table_out_dir(next(iter(targets)))
    assert out_dir is not None, "a plan holds table files only"
    staged: dict[Path, Path] = {}
    try:
        for target, arrow in targets.items():
            if isinstance(arrow, Path):
                staged[target] = arrow
            elif isinstance(arrow, EncodedPart):
                staged[target] = _temp_bytes(arrow, target)
            elif arrow is not None:
                staged[target] = _temp_parquet(arrow, target)
        steps = [(target, staged.get(target)) for target in targets]
        commit(out_dir, steps)
    except BaseException:
        if not journal_path(out_dir).exists():  # not decided: nothing changed
            for temp in staged.values():
                temp.unlink(missing_ok=True)
        raise


def unique_keys(records: Records) -> tuple[dict[str, list[dict[str, object]]], list[dict]]:
    """Records whose keys are unique in every table, and a ``duplicate_key`` quality record
    for each row whose key repeated an earlier row's.

    The n-th row with the same key gets ``~n`` appended to the table's disambiguating
    column (objective_code for objectives, items and dates, as normalisation does for a
    repeated objective code; sector_code for sectors; location for quality), so a repeated
    table keeps its rows under keys of their own; a repeated row of a table whose key has no
    text column (documents, cells) is dropped. A new key avoids the keys of the rows before
    it (:class:`StreamedKeys`), the same rule for a document gathered whole and for one
    streamed a sector at a time.
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
    """One table's rows made unique by the one key rule (:class:`StreamedKeys`: the rule a
    document streamed part by part needs), so that the stored keys never depend on the
    size of the input."""
    if _keys_are_unique(table, rows):  # the usual case: the rows kept as they are, not copied
        return list(rows), []
    return StreamedKeys(table).unique(rows)


def _renamed(
    table: Table,
    row: Mapping[str, object],
    column: str,
    number: int,
    is_taken: Callable[[tuple], bool],
) -> tuple[dict[str, object] | Record, tuple]:
    """A copy of a repeated row, and its key, with ``~n`` appended to its disambiguating
    ``column``: the first n from ``number`` up whose key is not taken."""
    new_row = _copy_row(row)
    while True:
        new_row[column] = f"{row.get(column) or ''}~{number}"
        new_key = tuple(new_row.get(k) for k in table.key)
        if not is_taken(new_key):
            return new_row, new_key
        number += 1


def _copy_row(row: Mapping[str, object]) -> dict[str, object] | Record:
    """A copy of a row, compact when the row is (a :class:`~schema.records.Record`)."""
    return type(row)(**row) if isinstance(row, Record) else dict(row)


def _keys_are_unique(table: Table, rows: Sequence[Mapping[str, object]]) -> bool:
    """Whether no two rows share a key, told without keeping a copy of every key
    (memory): keys in increasing order (cells come so) are unique; otherwise a set of
    the keys' hashes decides, a repeated hash sending the rows to the exact check."""

    def keys() -> Iterable[tuple]:
        return key_values(rows, table.key)

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


def replace_documents(
    records: Records, out_dir: str | Path, *, remove: Iterable[str] = ()
) -> dict[str, int]:
    """Store the records of some documents, replacing any earlier rows of the same doc_ids,
    removing the documents in ``remove`` and keeping the others. Keys are made unique first
    (:func:`unique_keys`). Returns the rows written per table.

    The documents written go into new files (one per table and group, at most
    :data:`CHUNK_DOCUMENTS` documents each); only the files holding a document replaced or
    removed are rewritten, and a group's small files are merged when it has more than
    :data:`MAX_SMALL_FILES`. Renames put the rewritten ``documents`` files before the
    new ones (a crash leaves at worst a document missing from ``documents``, which the next
    run redoes) and the removal of replaced rows last (see the module doc).
    """
    directory = Path(out_dir)
    recover(directory)
    if is_legacy(directory):
        migrate_legacy(directory)
    records, _ = unique_keys(records)
    arrows = {name: to_arrow(table, records.get(name, [])) for name, table in TABLES.items()}
    _replace(directory, arrows, remove)
    return {name: len(records.get(name, [])) for name in TABLES}


def replace_tables(
    arrows: Mapping[str, pa.Table],
    out_dir: str | Path,
    *,
    remove: Iterable[str] = (),
    encoded: Mapping[str, Mapping[str, EncodedPart]] | None = None,
) -> dict[str, int]:
    """:func:`replace_documents` for records already typed (table -> Arrow table of the
    schema's columns) whose keys are unique: the rows of documents that
    :func:`unique_keys` made unique one by one, under distinct doc_ids (a batch's
    documents as its workers send them, :mod:`piao.packed`), so the writer does no work
    per row in Python. ``encoded``: doc_id -> table -> the Parquet bytes of the document's
    rows of that table (:func:`parquet_bytes`), written as they are for a file that holds
    that document alone (the usual file of a batch: a flush of 50 documents spreads them
    over ~45 of the 256 groups). Returns the rows written per table."""
    directory = Path(out_dir)
    recover(directory)
    if is_legacy(directory):
        migrate_legacy(directory)
    typed = {
        name: arrows[name] if name in arrows else table.schema.empty_table()
        for name, table in TABLES.items()
    }
    _replace(directory, typed, remove, encoded or {})
    return {name: typed[name].num_rows for name in TABLES}


def _replace(
    directory: Path,
    arrows: Mapping[str, pa.Table],
    remove: Iterable[str],
    encoded: Mapping[str, Mapping[str, EncodedPart]] | None = None,
) -> None:
    """The write of :func:`replace_documents`, from the typed tables."""
    written = list(dict.fromkeys(map(str, arrows[DOCUMENTS_TABLE]["doc_id"].to_pylist())))
    gone = set(written) | {str(doc_id) for doc_id in remove}
    by_group: dict[str, list[str]] = defaultdict(list)
    for doc_id in written:
        by_group[group_of(doc_id)].append(doc_id)
    groups = sorted({group_of(doc_id) for doc_id in gone} | set(by_group))
    indexes = {group: group_index(directory, group) for group in groups}
    plan = _Plan(commit_first=True)
    for group in groups:
        _drop_documents(plan, directory, group, indexes[group], gone)
    folds = write_folds(directory, by_group, indexes, gone)
    tables, documents_by_group = _with_folds(plan, directory, arrows, by_group, indexes, folds)
    _add_chunks(plan, directory, tables, documents_by_group, encoded)
    next_index = _next_index(directory, arrows[DOCUMENTS_TABLE], gone)
    plan.cleanup[index_path(directory)] = next_index
    plan.apply()
    _hold_index(directory, next_index)
    merge_small_files(directory, [g for g in sorted(by_group) if g not in folds])


def folded_writes(
    directory: Path,
    group: str,
    index: Mapping[int, Sequence[str]],
    written: Sequence[str],
    gone: set[str],
) -> list[int]:
    """The group's earlier writes whose documents a write of ``written`` (doc_ids of the
    group) takes into its own new file, doing in the same write the merge that would
    follow it (:func:`merge_candidates` of the group as it will be): the taken files are
    read once and not written a second time, and the write commits once. Empty when no
    merge is due, when the new file is not among those merged (a write of many documents),
    or when a taken write holds a document the write replaces or removes (its file is
    rewritten by the write: the merge then follows it, :func:`merge_small_files`)."""
    if not written or len(written) >= CHUNK_DOCUMENTS:
        return []
    new_write = max(latest_write_id(directory, group), *index, 0) + 1  # _add_chunks' id
    after = {w: [d for d in listed if d not in gone] for w, listed in index.items()}
    after = {w: listed for w, listed in after.items() if listed}
    taken = merge_candidates({**after, new_write: list(written)})
    if new_write not in taken:
        return []
    earlier = [w for w in taken if w != new_write]
    if any(gone.intersection(index[w]) for w in earlier):
        return []
    return earlier


def write_folds(
    directory: Path,
    by_group: Mapping[str, Sequence[str]],
    indexes: Mapping[str, Mapping[int, Sequence[str]]],
    gone: set[str],
) -> dict[str, list[int]]:
    """The merges a write does in its own commit (group -> the earlier writes it takes,
    :func:`folded_writes`): only for a write into one group, an add of a document or a
    few. A batch's write spreads its documents over many groups, and folding them all made
    it hold every folded group's rows at once: a 900-document batch peaked at 137 MiB
    against 117 MiB with the merges after the write, one group at a time
    (:func:`merge_small_files`, docs/storage.md)."""
    if len(by_group) != 1:
        return {}
    ((group, written),) = by_group.items()
    taken = folded_writes(directory, group, indexes[group], written, gone)
    return {group: taken} if taken else {}


def _with_folds(
    plan: _Plan,
    directory: Path,
    arrows: Mapping[str, pa.Table],
    by_group: Mapping[str, Sequence[str]],
    indexes: Mapping[str, Mapping[int, Sequence[str]]],
    folds: Mapping[str, Sequence[int]],
) -> tuple[dict[str, pa.Table], dict[str, list[str]]]:
    """The tables and documents by group that :func:`_add_chunks` writes once the folded
    writes (group -> write ids, :func:`folded_writes`) are taken in: their committed rows
    come before the new documents' (the order of :func:`merge_group`), and their files are
    planned for removal."""
    if not folds:
        return dict(arrows), {group: list(ids) for group, ids in by_group.items()}
    extra: dict[str, list[pa.Table]] = defaultdict(list)
    groups = {g: list(ids) for g, ids in by_group.items()}
    for group, taken in folds.items():
        docs = live_documents(indexes[group], taken)
        groups[group] = list(docs) + groups[group]
        for name, (rows, files) in taken_tables(directory, group, taken, docs).items():
            if files:
                extra[name].append(rows)
            for path in files:
                plan.drop(path, None)
    tables = {
        name: pa.concat_tables([*extra[name], arrow]) if extra.get(name) else arrow
        for name, arrow in arrows.items()
    }
    return tables, groups


def live_documents(index: Mapping[int, Sequence[str]], taken: Iterable[int]) -> dict[str, int]:
    """The documents whose committed rows are in the writes ``taken`` of a group (write
    id -> the doc_ids its ``documents`` file lists), in write order, with their write: a
    document listed again by a later write counts there only (the commit rule)."""
    live: dict[str, int] = {}
    for write_id, listed in sorted(index.items()):
        live.update(dict.fromkeys(listed, write_id))
    return {d: w for w in sorted(taken) for d in dict.fromkeys(index[w]) if live[d] == w}


def taken_tables(
    directory: Path, group: str, taken: Iterable[int], docs: Mapping[str, int]
) -> dict[str, tuple[pa.Table, list[Path]]]:
    """table -> the committed rows of the documents ``docs`` (doc_id -> its write) in
    the group's files of the writes ``taken``, and those files: what a merge rewrites and
    removes."""
    taken = set(taken)
    found = {}
    for name, table in TABLES.items():
        files = [
            path
            for write_id, paths in group_files(directory, table, group).items()
            if write_id in taken
            for path in paths
        ]
        rows = _committed_rows(table, files, docs) if files else table.schema.empty_table()
        found[name] = (rows, files)
    return found


def merge_small_files(directory: Path, groups: Iterable[str]) -> None:
    """After a write: merge the small files of each group that holds more than
    :data:`MAX_SMALL_FILES` of them (:func:`merge_group`)."""
    for group in groups:
        if merge_candidates(group_index(directory, group)):
            merge_group(directory, group, small_only=True)


def merge_candidates(index: Mapping[int, Sequence[str]]) -> list[int]:
    """The writes of a group (write id -> the doc_ids its ``documents`` file lists) that
    the merge after a write takes, by size tiers; none while the group holds at most
    :data:`MAX_SMALL_FILES` small files (fewer than :data:`CHUNK_DOCUMENTS` documents).

    Past that, the smallest small files, as few as bring the group back to
    :data:`MAX_SMALL_FILES`, then each next larger one as long as it holds no more
    documents than those taken so far. A document is thus rewritten by a merge only with
    at least as many others (its file at least doubles, at most log2(CHUNK_DOCUMENTS) = 7
    times until its file is full) or while its file is among the smallest: an add costs a
    bounded merge whatever its group holds, where merging every small file rewrote, every
    few adds, all the documents of the group's partial file (up to 127). The one rule of
    both the merge and the check of what a write will read (:mod:`storage.write_check`).
    """
    small = [w for w, listed in index.items() if len(listed) < CHUNK_DOCUMENTS]
    if len(small) <= MAX_SMALL_FILES:
        return []
    by_size = sorted(small, key=lambda w: (len(index[w]), -w))  # the newest first at a tie
    taken = by_size[: len(small) - MAX_SMALL_FILES + 1]
    held = sum(len(index[w]) for w in taken)
    for write_id in by_size[len(taken) :]:
        if len(index[write_id]) > held:
            break
        taken.append(write_id)
        held += len(index[write_id])
    return sorted(taken)


def group_index(out_dir: str | Path, group: str) -> dict[int, list[str]]:
    """write id -> the doc_ids that the group's ``documents`` file of that write lists."""
    documents = TABLES[DOCUMENTS_TABLE]
    return {
        write_id: [
            str(d)
            for path in paths
            for d in read_file(documents, path, ["doc_id"])["doc_id"].to_pylist()
        ]
        for write_id, paths in group_files(out_dir, documents, group).items()
    }


@dataclass
class _Plan:
    """The files a write puts in place (tables), in the order they are renamed: other
    tables' new files, then ``documents``' rewritten files (``uncommits``) and new ones
    (``commits``) in the order ``commit_first`` says, then the other tables' rewritten files
    (``cleanup``). A None table deletes the file."""

    commit_first: bool
    new: dict[Path, pa.Table | Path | EncodedPart] = field(default_factory=dict)
    commits: dict[Path, pa.Table | Path | EncodedPart] = field(default_factory=dict)
    uncommits: dict[Path, pa.Table | None] = field(default_factory=dict)
    cleanup: dict[Path, pa.Table | None] = field(default_factory=dict)

    def add(self, path: Path, arrow: pa.Table | Path | EncodedPart) -> None:
        """Plan a new file: a table to write, a temp file already written (a Path), or a
        file's bytes encoded already (an :class:`EncodedPart`)."""
        (self.commits if _is_documents(path) else self.new)[path] = arrow

    def drop(self, path: Path, arrow: pa.Table | None) -> None:
        (self.uncommits if _is_documents(path) else self.cleanup)[path] = arrow

    def apply(self) -> None:
        middle = [self.commits, self.uncommits]
        steps = [self.new, *(middle if self.commit_first else middle[::-1]), self.cleanup]
        _stage_and_commit({path: arrow for step in steps for path, arrow in step.items()})


def _is_documents(path: Path) -> bool:
    return path.parent.parent.name == DOCUMENTS_TABLE


def _drop_documents(
    plan: _Plan, directory: Path, group: str, index: Mapping[int, list[str]], gone: set[str]
) -> None:
    """Plan the rewrite of a group's files that hold documents in ``gone`` (without them),
    and the removal of the files a crash left behind (writes that ``documents`` never
    listed in the group)."""
    for name, table in TABLES.items():
        for write_id, paths in group_files(directory, table, group).items():
            if write_id not in index:  # never committed: a crash left it
                for path in paths:
                    plan.drop(path, None)
                continue
            hit = set(index[write_id]) & gone
            subs = {group_of(doc_id, name) for doc_id in hit}
            keep = [doc_id for doc_id in index[write_id] if doc_id not in gone]
            for path in paths:
                if path.parent.name in subs:
                    plan.drop(path, _without_others(table, path, keep))


def _without_others(table: Table, path: Path, keep: Sequence[str]) -> pa.Table | None:
    """A file's rows of the documents in ``keep`` (None when none is left). A file of
    none of them is not read (the usual re-extraction of a document: no read, and no
    pyarrow.compute import)."""
    if not keep:
        return None
    import pyarrow.compute as pc  # imported when used: start-up time

    arrow = read_file(table, path)
    arrow = arrow.filter(pc.is_in(arrow["doc_id"], value_set=pa.array(keep, pa.string())))
    return arrow if arrow.num_rows else None


def _add_chunks(
    plan: _Plan,
    directory: Path,
    arrows: Mapping[str, pa.Table],
    by_group: Mapping[str, Sequence[str]],
    encoded: Mapping[str, Mapping[str, EncodedPart]] | None = None,
) -> None:
    """Plan new files for the documents of ``by_group`` (group -> doc_ids), at most
    :data:`CHUNK_DOCUMENTS` per file, under write ids after every file of their group (a
    file of one document whose ``encoded`` bytes are given: those bytes)."""
    encoded = encoded or {}
    runs = {name: doc_runs(arrow) for name, arrow in arrows.items()}
    for group in sorted(by_group):
        chunks = _batched(by_group[group], CHUNK_DOCUMENTS)
        first = latest_write_id(directory, group) + 1
        for write_id, chunk in enumerate(chunks, start=first):
            for name, arrow in arrows.items():
                members: dict[str, list[str]] = defaultdict(list)
                for doc_id in chunk:
                    if doc_id in runs[name]:
                        members[group_of(doc_id, name)].append(doc_id)
                for sub, doc_ids in members.items():
                    ready = encoded.get(doc_ids[0], {}).get(name) if len(doc_ids) == 1 else None
                    rows = ready or rows_in_runs(arrow, runs[name], doc_ids)
                    plan.add(part_file(directory, name, sub, write_id), rows)


def doc_runs(arrow: pa.Table) -> dict[str, list[tuple[int, int]]]:
    """doc_id -> the (first row, row count) of each run of its rows in the table: one pass
    over the doc_id column, after which the rows of any documents are slices
    (:func:`rows_in_runs`), so a write of many documents splits its tables into files at a
    cost linear in its rows (a mask per file made it quadratic)."""
    runs: dict[str, list[tuple[int, int]]] = defaultdict(list)
    current, start = None, 0
    ids = arrow["doc_id"].to_pylist()
    for row, doc_id in enumerate(ids):
        if doc_id != current:
            if current is not None:
                runs[str(current)].append((start, row - start))
            current, start = doc_id, row
    if current is not None:
        runs[str(current)].append((start, len(ids) - start))
    return dict(runs)


def rows_in_runs(
    arrow: pa.Table, runs: Mapping[str, Sequence[tuple[int, int]]], doc_ids: Iterable[str]
) -> pa.Table:
    """The rows of the documents ``doc_ids``, in the table's order, as slices of it (the
    table itself when they are all its rows: a write of one document, no copy)."""
    picked = sorted(run for doc_id in doc_ids for run in runs.get(doc_id, ()))
    if picked == [(0, arrow.num_rows)]:
        return arrow
    pieces = [arrow.slice(start, count) for start, count in picked]
    return pa.concat_tables(pieces) if pieces else arrow.slice(0, 0)


def latest_write_id(out_dir: str | Path, group: str) -> int:
    """The highest write id among a group's files in every table (0 when it has none): a
    new write takes the next, so that it sorts after them (and never reuses the name of a
    file a crash left). Counting per group keeps the names deterministic."""
    return max(
        (write_id for name in TABLES for write_id in group_files(out_dir, name, group)),
        default=0,
    )


#: Rows up to which a table is filtered with a mask made in Python rather than with
#: pyarrow.compute (whose import costs a quarter of a second of a one-document add).
PYTHON_FILTER_ROWS = 200_000


def _committed_rows(table: Table, files: Sequence[Path], live: Mapping[str, int]) -> pa.Table:
    """The rows of the files (a group's, for a merge) that are committed: of a document in
    ``live`` whose write is the file's. Each file read on its own (no pyarrow.dataset
    import, which brings pandas: the merge a one-document add may do stays cheap)."""
    parts = []
    for path in files:
        arrow = read_file(table, path)
        write_id = write_id_of(path)
        dropped = [live.get(doc_id) != write_id for doc_id in arrow["doc_id"].to_pylist()]
        parts.append(without_rows(arrow, dropped) if any(dropped) else arrow)
    return pa.concat_tables(parts) if parts else table.schema.empty_table()


def rows_of(arrow: pa.Table, doc_ids: Sequence[str]) -> pa.Table:
    """The rows of the documents ``doc_ids``: the table itself when it holds no other
    document (a write of one document, the usual case: no copy, and no pyarrow.compute
    import, see start-up in the README)."""
    ids = arrow["doc_id"].to_pylist()
    wanted = set(doc_ids)
    if set(ids) <= wanted:
        return arrow
    if arrow.num_rows <= PYTHON_FILTER_ROWS:
        return without_rows(arrow, [doc_id not in wanted for doc_id in ids])
    import pyarrow.compute as pc  # imported when used: start-up time

    return arrow.filter(pc.is_in(arrow["doc_id"], value_set=pa.array(doc_ids, pa.string())))


def _batched(items: Sequence[str], size: int) -> list[list[str]]:
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


# maintenance ------------------------------------------------------------------------------


def merge_group(out_dir: str | Path, group: str, *, small_only: bool = False) -> int:
    """Merge a group's files into files of :data:`CHUNK_DOCUMENTS` documents (only its
    files of fewer documents when ``small_only``: what a write does, bounded); returns the
    number of files merged (0 when there was nothing to merge).

    The merged files are renamed in before the old ones are removed, ``documents`` last
    (see the module doc), so a crash leaves the documents readable from either.
    """
    directory = Path(out_dir)
    index = group_index(directory, group)
    merged = merge_candidates(index) if small_only else sorted(index)
    docs = live_documents(index, merged)
    needed = -(-len(docs) // CHUNK_DOCUMENTS)
    oversized = any(len(index[w]) > CHUNK_DOCUMENTS for w in merged)
    if len(merged) <= needed and not oversized and len(docs) == sum(len(index[w]) for w in merged):
        return 0
    plan = _Plan(commit_first=True)
    arrows = {}
    for name, (rows, files) in taken_tables(directory, group, merged, docs).items():
        arrows[name] = rows
        for path in files:
            plan.drop(path, None)
    _add_chunks(plan, directory, arrows, {group: list(docs)})
    plan.apply()
    return len(merged)


def compact(out_dir: str | Path) -> tuple[int, int]:
    """Merge every group's files into files of :data:`CHUNK_DOCUMENTS` documents and
    delete what crashes left (``piao compact``; also migrates the legacy layout). Returns
    the number of table files before and after."""
    directory = Path(out_dir)
    before = sum(len(table_files(directory, name)) for name in TABLES)
    if is_legacy(directory):
        migrate_legacy(directory)
    groups = {
        path.name[:GROUP_CHARS]
        for name in TABLES
        if (directory / name).is_dir()
        for path in (directory / name).iterdir()
        if path.is_dir()
    }
    for group in sorted(groups):
        index = group_index(directory, group)
        plan = _Plan(commit_first=True)
        _drop_documents(plan, directory, group, index, set())
        plan.apply()
        merge_group(directory, group)
    for name in TABLES:  # folders left empty by the merges
        for folder in sorted((directory / name).glob("*/")) if (directory / name).is_dir() else []:
            with contextlib.suppress(OSError):
                folder.rmdir()
    return before, sum(len(table_files(directory, name)) for name in TABLES)


def migrate_legacy(out_dir: str | Path) -> int:
    """Move tables of the earlier layout (``objectives.parquet`` ...) into group folders,
    once; returns the number of documents moved (0 when there was nothing to migrate).

    The group files are written (documents last) before the single files are removed
    (documents last again), so a crash midway leaves a folder the next call migrates again.
    """

    directory = Path(out_dir)
    if not is_legacy(directory):
        return 0
    drop_index(directory)
    legacy = {}
    for name, table in TABLES.items():
        path = legacy_file(directory, name)
        legacy[name] = read_file(table, path) if path.is_file() else table.schema.empty_table()
    listed = list(dict.fromkeys(map(str, legacy[DOCUMENTS_TABLE]["doc_id"].to_pylist())))
    by_group: dict[str, list[str]] = defaultdict(list)
    for doc_id in listed:
        by_group[group_of(doc_id)].append(doc_id)
    plan = _Plan(commit_first=True)
    _add_chunks(plan, directory, legacy, by_group)
    plan.apply()
    for name in sorted(TABLES, key=lambda name: name == DOCUMENTS_TABLE):
        legacy_file(directory, name).unlink(missing_ok=True)
    return len(listed)


def restore_documents_file(path: Path, saved: pa.Table | None) -> int:
    """Write again a ``documents`` file that was moved aside, from the index of committed
    documents taken before (``saved``): the rows of the documents whose rows the same
    write put in the other tables of its group. Returns the documents restored (0 when
    ``path`` is not a documents file, or nothing could be restored)."""
    import pyarrow.compute as pc  # imported when used: start-up time

    if saved is None or not _is_documents(path):
        return 0
    group, write_id = path.parent.name, write_id_of(path)
    out_dir = path.parent.parent.parent
    doc_ids: set[str] = set()
    for table in TABLES.values():
        for file in group_files(out_dir, table, group).get(write_id, []):
            with contextlib.suppress(CorruptTableError):
                doc_ids.update(map(str, read_file(table, file, ["doc_id"])["doc_id"].to_pylist()))
    rows = saved.filter(pc.is_in(saved["doc_id"], value_set=pa.array(sorted(doc_ids), pa.string())))
    if rows.num_rows:
        _write_then_rename({path: rows})
    return rows.num_rows


def move_aside(path: Path) -> Path:
    """Move a corrupt table file into ``<out>/.corrupt/`` (kept for inspection, out of the
    readers' way); returns where it went."""
    error = CorruptTableError(path, "")
    drop_index(error.out_dir)
    relative = path.relative_to(error.out_dir)
    target = error.out_dir / CORRUPT_DIR / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(path, target)
    return target


# streaming one large document -------------------------------------------------------------

#: Bytes of Arrow data in one row group of a streamed table's file.
STREAM_ROW_GROUP_BYTES = 2**20


def key_digest(key: tuple) -> int:
    """A 64-bit digest of a row's key, the same in every process (Python's ``hash`` of a
    string is not): what :class:`StreamedKeys` keeps instead of the key."""
    return int.from_bytes(hashlib.blake2b(repr(key).encode(), digest_size=8).digest(), "big")


class StreamedKeys:
    """Key uniqueness of one table's rows arriving part by part (:class:`DocumentStream`).

    The one key rule (:func:`unique_keys` applies it too): the n-th row with a key gets
    ``~n`` appended to the table's disambiguating column (or is dropped), and a
    ``duplicate_key`` finding. Only a digest of each key written is kept (tens of bytes a
    row, not the rows), so a new key avoids the keys of the rows *before* it: a row whose
    own key repeats a key made earlier by a rename is renamed in turn.
    """

    def __init__(self, table: Table) -> None:
        self.table = table
        self.column = DISAMBIGUATING_COLUMN.get(table.name)
        self.taken: set[int] = set()
        #: Occurrences of each key seen more than once, by digest.
        self.seen: dict[int, int] = {}

    def unique(self, rows: Iterable[Mapping[str, object]]) -> tuple[list, list]:
        """(the rows to write, the ``duplicate_key`` findings of the others)."""
        kept: list[Mapping[str, object]] = []
        findings: list[dict[str, object]] = []
        names = self.table.key
        for row in rows:
            key = tuple(row.get(k) for k in names)
            digest = key_digest(key)
            if digest not in self.taken:
                self.taken.add(digest)
                kept.append(row)
                continue
            occurrence = self.seen.get(digest, 1) + 1
            self.seen[digest] = occurrence
            if self.column is None:
                findings.append(_duplicate_finding(self.table, row, occurrence, "dropped"))
                continue
            new_row, new_key = _renamed(
                self.table, row, self.column, occurrence, lambda k: key_digest(k) in self.taken
            )
            self.taken.add(key_digest(new_key))
            kept.append(new_row)
            what = f"kept as {self.column} {new_row[self.column]!r}"
            findings.append(_duplicate_finding(self.table, row, occurrence, what))
        return kept, findings


def row_groups(batches: Iterable[pa.RecordBatch], size: int) -> Iterator[pa.Table]:
    """The batches gathered into tables of ``size`` bytes or just over (the last smaller)."""
    held: list[pa.RecordBatch] = []
    held_bytes = 0
    for batch in batches:
        held.append(batch)
        held_bytes += batch.nbytes
        if held_bytes >= size:
            yield pa.Table.from_batches(held)
            held, held_bytes = [], 0
    if held:
        yield pa.Table.from_batches(held)


@dataclass
class _StreamedPart:
    """One table's file of a streamed write. Rows are appended as they come to an Arrow
    IPC spill file (a Parquet writer open per table held ~15 MB each); :meth:`close` turns
    it into the Parquet temp file beside the target, one table at a time, a row group of
    :data:`STREAM_ROW_GROUP_BYTES` at a time."""

    target: Path
    spill: Path | None = None
    writer: pa.ipc.RecordBatchStreamWriter | None = None
    temp: Path | None = None

    def append(self, arrow: pa.Table) -> None:
        if self.writer is None:
            self.spill = temp_beside(self.target, ".arrow.tmp")
            self.writer = pa.ipc.new_stream(str(self.spill), arrow.schema)
        self.writer.write_table(arrow)

    def close(self) -> None:
        """The spilled rows written as the Parquet temp file (:attr:`temp`), their columns'
        encoding chosen from the first row group as :func:`_temp_parquet` does."""
        if self.writer is None:
            return
        self.temp = temp_beside(self.target)
        parquet: pq.ParquetWriter | None = None
        for arrow in row_groups(self.spilled(), STREAM_ROW_GROUP_BYTES):
            if parquet is None:
                parquet = pq.ParquetWriter(
                    str(self.temp),
                    arrow.schema,
                    compression=COMPRESSION,
                    use_dictionary=dictionary_columns(arrow),
                    write_page_checksum=True,
                )
            parquet.write_table(arrow)
        if parquet is not None:
            parquet.close()
        make_readable(self.temp)
        fsync_file(self.temp)

    def spilled(self) -> Iterator[pa.RecordBatch]:
        """The rows appended so far, batch by batch, read back from the spill file (removed
        once read); nothing more can be appended."""
        if self.writer is None:
            return
        self.writer.close()
        self.writer = None
        assert self.spill is not None
        with pa.OSFile(str(self.spill)) as source:
            yield from pa.ipc.open_stream(source)
        self.spill.unlink()
        self.spill = None

    def discard(self) -> None:
        with contextlib.suppress(Exception):
            if self.writer is not None:
                self.writer.close()
        for path in (self.spill, self.temp):
            if path is not None:
                path.unlink(missing_ok=True)


class DocumentStream:
    """The write of one document whose records come part by part (a large attachment, a
    sector at a time): what :func:`replace_documents` does for it, holding only the
    current part's rows (memory).

    Each table's rows are made unique as they come (:class:`StreamedKeys`) and appended to
    a temp file beside the table's new file; the ``duplicate_key`` findings follow the other
    quality rows, in the order :func:`unique_keys` gives them. :meth:`commit` then renames
    the files into place exactly as :func:`replace_documents` would (``documents``, the
    commit record, after the other tables; earlier rows of the document and those of
    ``remove`` taken out after), so a crash leaves the tables as they were; :meth:`abort`
    removes what was written when the document is not to be committed.
    """

    def __init__(self, out_dir: str | Path, doc_id: str, *, remove: Iterable[str] = ()) -> None:
        self.directory = Path(out_dir)
        self.doc_id = doc_id
        self.remove = tuple(remove)
        recover(self.directory)
        if is_legacy(self.directory):
            migrate_legacy(self.directory)
        self.write_id = latest_write_id(self.directory, group_of(doc_id)) + 1
        self.keys = {name: StreamedKeys(table) for name, table in TABLES.items()}
        #: Tables in the order their first rows came (the order of their findings).
        self.order: list[str] = []
        #: Each table's duplicate_key findings, spilled to disk until the end (there is one
        #: per row of a document that repeats its tables).
        self.deferred: dict[str, _StreamedPart] = {}
        self.parts = {
            name: _StreamedPart(
                part_file(self.directory, name, group_of(doc_id, name), self.write_id)
            )
            for name in TABLES
        }
        #: Rows written per table, and quality rows per severity.
        self.counts: Counter[str] = Counter()
        self.severities: Counter[str] = Counter()

    def add(self, records: Records) -> None:
        """Write a part of the document's records (table -> rows, rows in document order)."""
        for name, rows in records.items():
            if name not in self.order:
                self.order.append(name)
            kept, findings = self.keys[name].unique(rows)
            if findings and name != "quality":
                self._defer(name, findings)
            self._write(name, kept)

    def _defer(self, name: str, findings: Sequence[Mapping[str, object]]) -> None:
        """Keep a table's duplicate_key findings on disk, for :meth:`commit`."""
        if name not in self.deferred:
            self.deferred[name] = _StreamedPart(self.parts["quality"].target)
        self.deferred[name].append(to_arrow(TABLES["quality"], findings))

    def _write(self, name: str, rows: Sequence[Mapping[str, object]]) -> None:
        if not rows:
            return
        self.counts[name] += len(rows)
        if name == "quality":
            self.severities.update(str(row.get("severity")) for row in rows)
        self.parts[name].append(to_arrow(TABLES[name], rows))

    def commit(self) -> dict[str, int]:
        """Write the duplicate_key findings, close the files and put them in place;
        returns the rows written per table."""
        try:
            for name in self.order:
                if name not in self.deferred:
                    continue
                for findings in self.deferred.pop(name).spilled():
                    kept, _ = self.keys["quality"].unique(findings.to_pylist())
                    self._write("quality", kept)
            for part in self.parts.values():
                part.close()
            gone = {self.doc_id, *self.remove}
            plan = _Plan(commit_first=True)
            for group in sorted({group_of(doc_id) for doc_id in gone}):
                index = group_index(self.directory, group)
                _drop_documents(plan, self.directory, group, index, gone)
            for part in self.parts.values():
                if part.temp is not None:
                    plan.add(part.target, part.temp)
            documents = self.parts[DOCUMENTS_TABLE].temp
            written = (
                pq.read_table(documents)
                if documents is not None
                else TABLES[DOCUMENTS_TABLE].schema.empty_table()
            )
            next_index = _next_index(self.directory, written, gone)
            plan.cleanup[index_path(self.directory)] = next_index
            plan.apply()
            _hold_index(self.directory, next_index)
        except BaseException:
            self.abort()
            raise
        merge_small_files(self.directory, [group_of(self.doc_id)])
        return {name: self.counts[name] for name in TABLES}

    def abort(self) -> None:
        """Remove what was written (nothing of the tables changes)."""
        for part in [*self.parts.values(), *self.deferred.values()]:
            part.discard()
