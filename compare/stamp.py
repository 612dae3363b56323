"""What ``lineage`` and ``changes`` were built from: the stamp that spares their rebuild.

``piao extract`` refreshes the folder's history after every write (:mod:`compare.refresh`).
Rebuilding reads every stored document and imports pyarrow.compute and rapidfuzz: a
tenth of a second on a one-document folder, more than the extraction's own increase over
earlier versions. A re-extraction that writes the same rows (``--force``, or a new version
of piao that reads the document alike) leaves both tables as they were, so the rebuild can
be skipped when the rows they are built from are proven unchanged.

The stamp (``.piao-history.json`` in the folder, written after each refresh) holds:

- per file of the compared tables (:data:`compare.edition.COMPARED_TABLES`), its identity
  (size, modification time, inode), and per document and table the digest of its rows and
  the file they came from;
- the identity of the history's files (``lineage/``, ``changes/`` and their index) as written;
- the threshold and the fingerprint of the comparison's code;
- the summary the command prints (series, changes, the chained series).

A later refresh reads only the files whose identity changed (a re-extraction: one file per
compared table), digests their documents' rows (Arrow IPC bytes) and compares the whole map
with the stamp's: equal, and the history files untouched since, means nothing to rebuild.
Anything it cannot vouch for (no stamp, another threshold or code, a history file
rewritten by ``piao lineage``, a document's rows in two files of one table, an unreadable
file) rebuilds.
``extracted_at`` is left out of the digest: the comparison never reads it.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

    from compare.history_files import Mapper
    from compare.refresh import Refreshed

STAMP_NAME = ".piao-history.json"
#: The tables the history is built from (as :data:`compare.edition.COMPARED_TABLES`).
COMPARED_TABLES = ("documents", "objectives", "items", "dates")
#: The history tables whose files (and index) the stamp vouches for.
HISTORY_TABLES = ("lineage", "changes")
#: Columns the comparison never reads, left out of the digests (they change at every run).
VOLATILE = {"documents": frozenset({"extracted_at"})}
#: Bumped when the stamp's layout or its digests change: an older stamp rebuilds.
STAMP_VERSION = 2

#: ``table/doc_id`` -> [the file's path in the folder, the digest of the rows].
Digests = dict[str, list[str]]


@dataclass(frozen=True)
class Stamp:
    """The content of ``.piao-history.json`` (see the module doc)."""

    basis: Mapping[str, object]
    files: Mapping[str, list[int]]
    digests: Digests
    outputs: Mapping[str, list[int]]
    summary: Mapping[str, object]


def file_identity(path: Path) -> list[int] | None:
    """Size, modification time (ns) and inode of a file, None when it is missing: a write
    that rewrites the file changes at least one."""
    try:
        status = path.stat()
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns, status.st_ino]


def compared_files(data_dir: Path) -> dict[str, list[int]]:
    """The identity of every file of the compared tables, by path in the folder (the
    layout of :func:`storage.store.table_files`)."""
    import schema

    found = {}
    for name in COMPARED_TABLES:
        for path in schema.table_files(data_dir, name):
            if (identity := file_identity(path)) is not None:
                found[path.relative_to(data_dir).as_posix()] = identity
    return found


def output_files(data_dir: Path) -> dict[str, list[int] | None]:
    """The identity of the history's index (None when missing) and of every file of
    ``lineage`` and ``changes`` (the stamp is kept only by a run that wrote the whole
    folder: a listing of the history's groups is not an add's cost)."""
    import schema
    from schema.tables import HISTORY_INDEX

    found = {HISTORY_INDEX: file_identity(data_dir / HISTORY_INDEX)}
    for name in HISTORY_TABLES:
        for path in schema.table_files(data_dir, schema.DERIVED_TABLES[name]):
            found[path.relative_to(data_dir).as_posix()] = file_identity(path)
    return found


def rows_digest(rows: pa.Table) -> str:
    """The digest of a document's rows of one table, in stored order: SHA-256 of their
    Arrow IPC stream (the schema and one record batch, a slice written from its offset).
    Equal bytes mean equal rows; equal rows read from two files give equal bytes (were
    they ever to differ, the history would only be rebuilt). Digesting the rows as Python
    values cost more than the rebuild the stamp spares (four times the file reads)."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, rows.schema) as writer:
        writer.write_table(rows)
    return hashlib.sha256(sink.getvalue()).hexdigest()


def rows_by_document(table: pa.Table) -> dict[str, pa.Table]:
    """doc_id -> its rows of ``table`` in stored order, as one record batch: the runs of
    consecutive rows it has (a file holds a document's rows together) sliced and, when
    there are several, joined (no ``pyarrow.compute``: start-up)."""
    import pyarrow as pa

    runs: dict[str, list[tuple[int, int]]] = {}
    for doc_id, run in itertools.groupby(
        enumerate(table.column("doc_id").to_pylist()), key=lambda row: row[1]
    ):
        positions = [position for position, _ in run]
        runs.setdefault(str(doc_id), []).append((positions[0], len(positions)))
    return {
        doc_id: table.slice(*spans[0])
        if len(spans) == 1
        else pa.concat_tables([table.slice(*span) for span in spans]).combine_chunks()
        for doc_id, spans in runs.items()
    }


def file_digests(data_dir: Path, relative: str) -> dict[str, str]:
    """doc_id -> the digest of its rows in one file of a compared table (read validated,
    as the loader reads it, without the volatile columns)."""
    import schema

    name = table_of_file(relative)
    arrow = schema.read_file(schema.TABLES[name], data_dir / relative)
    dropped = VOLATILE.get(name, frozenset())
    kept = arrow.select([column for column in arrow.column_names if column not in dropped])
    kept = kept.combine_chunks()  # one record batch whatever the file's row groups
    return {doc_id: rows_digest(rows) for doc_id, rows in rows_by_document(kept).items()}


def readable_digests(data_dir: Path, relative: str) -> dict[str, str] | None:
    """:func:`file_digests`, None when the file is unreadable (a job of a worker process:
    the caller decides what an unreadable file means)."""
    import schema

    try:
        return file_digests(data_dir, relative)
    except (schema.CorruptTableError, OSError):
        return None


def table_of_file(relative: str) -> str:
    """The table a file in the folder belongs to (``objectives/9e/part-3.parquet`` or the
    legacy ``objectives.parquet``)."""
    return relative.split("/", 1)[0].removesuffix(".parquet")


def current_digests(
    data_dir: Path,
    files: Mapping[str, list[int]],
    previous: Stamp | None,
    mapper: Mapper = map,
) -> Digests | None:
    """Every document's digest per compared table, the files unchanged since ``previous``
    taken from it and the others read (by ``mapper``, file by file); None when a
    document's rows of one table are in two files (a crash left one: only the loader knows
    which counts) or a file is unreadable."""
    kept = {} if previous is None else previous.digests
    unchanged = {
        relative
        for relative, identity in files.items()
        if previous is not None and previous.files.get(relative) == identity
    }
    digests: Digests = {}
    for key, (relative, digest) in kept.items():
        if relative in unchanged:
            digests[key] = [relative, digest]
    changed = sorted(set(files) - unchanged)
    found_in = mapper(partial(readable_digests, data_dir), changed)
    for relative, found in zip(changed, found_in, strict=True):
        if found is None:
            return None
        for doc_id, digest in found.items():
            key = f"{table_of_file(relative)}/{doc_id}"
            if key in digests:
                return None
            digests[key] = [relative, digest]
    return digests


def same_rows(left: Digests, right: Digests) -> bool:
    """Whether two digest maps name the same rows of the same documents (wherever the
    files holding them)."""
    return {key: value[1] for key, value in left.items()} == {
        key: value[1] for key, value in right.items()
    }


def read_stamp(data_dir: Path) -> Stamp | None:
    """The folder's stamp, None when missing, unreadable or of another layout."""
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        data = json.loads((data_dir / STAMP_NAME).read_text(encoding="utf-8"))
        if data.get("version") == STAMP_VERSION:
            return Stamp(
                data["basis"], data["files"], data["digests"], data["outputs"], data["summary"]
            )
    return None


def write_stamp(data_dir: Path, stamp: Stamp) -> None:
    """Write the stamp atomically (temp file, then rename); a folder that cannot be
    written keeps none, and the next refresh rebuilds."""
    data = {
        "version": STAMP_VERSION,
        "basis": dict(stamp.basis),
        "files": dict(stamp.files),
        "digests": stamp.digests,
        "outputs": dict(stamp.outputs),
        "summary": dict(stamp.summary),
    }
    with contextlib.suppress(OSError):
        handle, name = tempfile.mkstemp(prefix=".piao-history.", dir=data_dir)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, sort_keys=True)
            os.replace(name, data_dir / STAMP_NAME)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(name)


def forget_stamp(data_dir: Path) -> None:
    """Remove the stamp (before a rebuild: a crash midway leaves none, never a stale one)."""
    with contextlib.suppress(OSError):
        (data_dir / STAMP_NAME).unlink()


@dataclass(frozen=True)
class ChainSummary:
    """One series of two editions or more, as ``piao extract`` reports it."""

    ente: str | None
    editions: list[str]
    changes: int


@dataclass(frozen=True)
class HistorySummary:
    """What a refresh leaves in the folder, counted: series, change rows, chained series."""

    series: int
    changes: int
    chained: list[ChainSummary]


def summarize(refreshed: Refreshed) -> HistorySummary:
    """The counts of a refresh: each chained series with its editions (year, else source
    name) and its substantive changes (recomputed ones left out)."""
    chained = [
        ChainSummary(
            one.ente,
            [str(k.year) if k.year is not None else str(k.source_name) for k in one.keys],
            one.changes,
        )
        for one in refreshed.chained
    ]
    return HistorySummary(refreshed.series_count, refreshed.changes, chained)


def summary_record(summary: HistorySummary) -> dict[str, object]:
    """A summary as plain JSON values (kept in the stamp)."""
    return {
        "series": summary.series,
        "changes": summary.changes,
        "chained": [[one.ente, one.editions, one.changes] for one in summary.chained],
    }


def summary_from_record(record: Mapping[str, object]) -> HistorySummary:
    """The summary :func:`summary_record` kept."""
    chained = record["chained"]
    assert isinstance(chained, list)
    return HistorySummary(
        int(str(record["series"])),
        int(str(record["changes"])),
        [ChainSummary(ente, list(editions), int(changes)) for ente, editions, changes in chained],
    )


def refresh_if_changed(
    data_dir: str | Path,
    threshold: float | None = None,
    *,
    code: str = "",
    touched: Collection[str] | None = None,
    mapper: Mapper = map,
) -> HistorySummary:
    """:func:`compare.refresh.refresh` of the documents ``touched`` (None: every series)
    unless the stamp proves that the rows it reads are those it was last built from, with
    the same threshold and code, and that nobody rewrote ``lineage``/``changes`` since: then
    nothing is rebuilt (a re-extraction that writes the same rows reads one file per
    compared table). A stamp of another threshold or code recomputes every series.
    ``code`` is the fingerprint of the comparison's code (the caller's: a change of it
    rebuilds); ``threshold`` None is the default one. Nothing but this module and
    :mod:`schema` is imported unless a rebuild is needed (rapidfuzz, pyarrow.compute:
    start-up). ``mapper`` runs the reading of files and groups (the builtin ``map``, or
    worker processes: the same results). Returns the counts."""
    directory = Path(data_dir)
    if touched is not None and not covers_folder(directory, touched):
        forget_stamp(directory)  # its digests would have to be taken over the whole folder
        return summarize(refreshed(directory, touched, threshold, mapper))
    basis = {"threshold": threshold, "code": code}
    files = compared_files(directory)
    previous = read_stamp(directory)
    digests = current_digests(directory, files, previous, mapper)  # unchanged files: the stamp's
    if (
        previous is not None
        and digests is not None
        and previous.basis == basis  # not for another threshold or code,
        and previous.outputs == output_files(directory)  # nor a history rewritten since
        and same_rows(digests, previous.digests)
    ):
        kept = Stamp(basis, files, digests, previous.outputs, previous.summary)
        write_stamp(directory, kept)
        return summary_from_record(previous.summary)
    forget_stamp(directory)
    if previous is not None and previous.basis != basis:
        touched = None  # another threshold or comparison code: every series again
    summary = summarize(refreshed(directory, touched, threshold, mapper))
    if digests is not None:
        outputs = output_files(directory)
        record = summary_record(summary)
        write_stamp(directory, Stamp(basis, files, digests, outputs, record))
    return summary


def covers_folder(data_dir: Path, touched: Collection[str]) -> bool:
    """Whether the run wrote every document the folder holds (a first extraction, a
    ``--force`` over all of it): only then is the stamp, whose digests and file identities
    span the whole folder, worth its cost. An add into a large folder refreshes the series
    it touched and keeps no stamp: statting and digesting every file would cost more than
    the refresh it could spare, and grow with the folder. The stored documents are read
    from the documents index (one small file)."""
    import schema

    stored = schema.committed_documents(data_dir, build=False, columns=["doc_id"])
    if stored is None:
        return True
    touched = set(touched)
    if stored.num_rows > len(touched):  # more documents than the run wrote: told at once
        return False
    return set(stored.column("doc_id").to_pylist()) <= touched


def refreshed(
    directory: Path,
    touched: Collection[str] | None,
    threshold: float | None,
    mapper: Mapper = map,
) -> Refreshed:
    """:func:`compare.refresh.refresh` of ``touched`` (None: every series) with
    ``threshold`` (None: the default one), its groups read by ``mapper``."""
    from compare.refresh import refresh

    if threshold is None:
        return refresh(directory, touched, mapper=mapper)
    return refresh(directory, touched, threshold, mapper=mapper)
