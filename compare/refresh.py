"""``lineage`` and ``changes`` kept current in memory and time that do not grow with the folder.

:func:`compare.history.refresh_history` loads every document's objectives, items and dates
as Python records at once, and recomputes every series. :func:`refresh` writes the same
rows (series by series, each in the same order) into the grouped layout of
:mod:`compare.history_files`, and

* after a run that says which documents it wrote (``touched``), recomputes only the *stale*
  series: those of the documents written, of the documents the history index lists that
  the folder no longer holds (replaced, removed), and of the documents it does not list
  (written by a run whose refresh did not happen). A touched document's series is decided
  from its own key columns; the other editions of that series are found in the index,
  among the documents of the same group only. It reads and rewrites the files of those
  series' groups and the index, nothing else: no pass over every stored row;
* else (``piao lineage``, no index, the earlier single files, a group file that disagrees
  with the index, two series of one name) recomputes every series, group by group: each
  group's rows are built, staged and freed before the next (the peak is one group's rows);
* loads the editions a bounded number of documents at a time (:data:`CHUNK_DOCUMENTS`),
  each from the group files holding them (never a whole table).

Neither path imports pyarrow.compute (a twentieth of a second of an add's start-up): rows
are dropped and merged with slices, counted in Python.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pyarrow as pa

import schema
from compare import history_files as files
from compare.diff import changes_table
from compare.edition import COMPARED_TABLES, Edition, edition_from_records
from compare.history import series_changes
from compare.lineage import (
    EditionKey,
    Series,
    chain_changes,
    edition_key,
    group_editions,
    group_keys,
    lineage_table,
)
from compare.match import DEFAULT_THRESHOLD
from schema import DERIVED_TABLES, TABLES

#: The documents columns that place a document among the editions (:func:`edition_key`).
KEY_COLUMNS = (
    "doc_id",
    "ente",
    "ente_key",
    "plan_kind",
    "plan_title",
    "period_start",
    "source_name",
)
#: Documents whose editions are held at once (a series larger than this is held whole).
CHUNK_DOCUMENTS = 16


@dataclass(frozen=True)
class SeriesSummary:
    """What the summary says of one series: its editions and its substantive changes."""

    name: str
    keys: list[EditionKey]
    changes: int
    #: Its distinct lineage_id values (objectives followed across its editions).
    lineage_ids: int = 0

    @property
    def ente(self) -> str | None:
        return self.keys[0].ente if self.keys else None


@dataclass(frozen=True)
class Refreshed:
    """What :func:`refresh` wrote: the series it reports (name order), the changes' and
    lineage rows' counts, and how many series it recomputed. After a refresh of every series
    ``series`` lists them all; after a refresh of the stale series, only the chained ones
    (those the summary prints), and ``total`` counts them all."""

    series: list[SeriesSummary]
    changes: int
    recomputed: int
    lineage: int = 0
    total: int | None = None

    @property
    def series_count(self) -> int:
        """How many series the folder holds."""
        return self.total if self.total is not None else len(self.series)

    @property
    def chained(self) -> list[SeriesSummary]:
        """The series of two editions or more (those with changes to show)."""
        return [one for one in self.series if len(one.keys) > 1]


def stored_series(data_dir: str | Path) -> dict[str, list[EditionKey]]:
    """series -> its editions in order, for every committed document (from the documents
    index: one file, a few columns)."""
    documents = schema.committed_documents(data_dir, columns=list(KEY_COLUMNS))
    if documents is None or documents.num_rows == 0:
        return {}
    return group_editions(documents.to_pylist())


def chunks(series: Mapping[str, list[EditionKey]], names: Iterable[str]) -> Iterator[list[str]]:
    """The series ``names`` in runs of about :data:`CHUNK_DOCUMENTS` documents, in the order
    given (a group's series in name order: its rows come out in the order they are stored)."""
    chunk: list[str] = []
    size = 0
    for name in names:
        if chunk and size + len(series[name]) > CHUNK_DOCUMENTS:
            yield chunk
            chunk, size = [], 0
        chunk.append(name)
        size += len(series[name])
    if chunk:
        yield chunk


#: Columns the comparison never reads, left unread: a time zone's timestamps become Python
#: values through pandas, whose import brings pyarrow.compute (start-up time of an add).
UNREAD = {"documents": frozenset({"extracted_at"})}


def read_columns(table: schema.Table) -> list[str]:
    """The columns of ``table`` the comparison reads (all but :data:`UNREAD`)."""
    unread = UNREAD.get(table.name, frozenset())
    return [name for name in table.column_names if name not in unread]


#: What a series of one edition is built from: its lineage rows name its objectives only,
#: and it has no pair of editions to compare (items and dates, the largest files, unread).
FIRST_EDITION_TABLES = ("documents", "objectives")


def group_rows(
    data_dir: str | Path,
    group: str,
    doc_ids: Collection[str],
    tables: Sequence[str] = COMPARED_TABLES,
) -> dict[str, list]:
    """table -> the committed rows of ``doc_ids`` (all in ``group``) in ``tables`` (the
    compared tables), read from the group's files of the writes holding them only (an add's
    one new file, not every file of its group)."""
    listed = schema.group_index(data_dir, group)
    live: dict[str, int] = {}
    for write_id, ids in listed.items():
        for doc_id in ids:
            live[doc_id] = max(write_id, live.get(doc_id, write_id))
    holding = {live[doc_id] for doc_id in doc_ids if doc_id in live}  # the files to read
    rows: dict[str, list] = {}
    for name in tables:
        table = TABLES[name]
        found = rows.setdefault(name, [])
        for write_id, paths in sorted(schema.group_files(data_dir, table, group).items()):
            if write_id not in holding:  # no committed row of doc_ids: not read
                continue
            for path in paths:
                arrow = schema.read_file(table, path, columns=read_columns(table))
                ids = arrow["doc_id"].to_pylist()
                keep = [d in doc_ids and live.get(d) == write_id for d in ids]
                if any(keep):
                    found.extend(schema.without_rows(arrow, [not k for k in keep]).to_pylist())
    return rows


def read_editions(
    data_dir: str | Path, doc_ids: Collection[str], tables: Sequence[str] = COMPARED_TABLES
) -> dict[str, Edition]:
    """The editions of ``doc_ids`` (doc_id -> edition), each read from its group's files
    (their rows of ``tables`` only)."""
    by_group: dict[str, set[str]] = {}
    for doc_id in doc_ids:
        by_group.setdefault(schema.group_of(doc_id), set()).add(doc_id)
    records: dict[str, dict[str, list]] = {}
    for group, ids in sorted(by_group.items()):
        for name, rows in group_rows(data_dir, group, ids, tables).items():
            for row in rows:
                records.setdefault(str(row["doc_id"]), {}).setdefault(name, []).append(row)
    return {
        doc_id: edition_from_records(found)
        for doc_id, found in records.items()
        if found.get("documents")
    }


def computed(
    data_dir: str | Path,
    series: Mapping[str, list[EditionKey]],
    names: Iterable[str],
    threshold: float,
) -> Iterator[tuple[pa.Table, pa.Table]]:
    """The lineage and changes rows of the series ``names``, a chunk at a time, as Arrow."""
    for chunk in chunks(series, names):
        chained = any(len(series[name]) > 1 for name in chunk)
        tables = COMPARED_TABLES if chained else FIRST_EDITION_TABLES
        ids = [k.doc_id for name in chunk for k in series[name]]
        editions = read_editions(data_dir, ids, tables)
        built = []
        for name in chunk:
            keys = [key for key in series[name] if key.doc_id in editions]
            ordered = [editions[key.doc_id] for key in keys]
            built.append(Series(name, keys, ordered, chain_changes(ordered, threshold)))
        lineage = lineage_table([row for one in built for row in one.lineage])
        yield lineage, changes_table(series_changes(built))


def part_rows(
    data_dir: str | Path,
    series: Mapping[str, list[EditionKey]],
    names: Sequence[str],
    threshold: float,
) -> tuple[pa.Table, pa.Table]:
    """The lineage and changes rows of the series ``names`` (one group's, in name order)."""
    built = list(computed(data_dir, series, names, threshold))
    lineage_schema = DERIVED_TABLES["lineage"].schema
    changes_schema = DERIVED_TABLES["changes"].schema
    if not built:
        return lineage_schema.empty_table(), changes_schema.empty_table()
    return (
        pa.concat_tables([files.conformed(one[0], lineage_schema) for one in built]),
        pa.concat_tables([files.conformed(one[1], changes_schema) for one in built]),
    )


def series_rows(
    data_dir: str | Path, threshold: float, series: Mapping[str, list[EditionKey]]
) -> tuple[pa.Table, pa.Table]:
    """:func:`part_rows` of every series of ``series`` (one group's, in name order): a job
    of a worker process, given only the series it builds."""
    return part_rows(data_dir, series, list(series), threshold)


def groups_rows(
    data_dir: str | Path,
    series: Mapping[str, list[EditionKey]],
    groups: Sequence[Sequence[str]],
    threshold: float,
    mapper: files.Mapper,
) -> Iterator[tuple[pa.Table, pa.Table]]:
    """:func:`part_rows` of each group's series names of ``groups``, in order, run by
    ``mapper`` (each job given the series of its group only)."""
    jobs = ({name: series[name] for name in names} for names in groups)
    return iter(mapper(partial(series_rows, data_dir, threshold), jobs))


def lineage_id_counts(lineage: pa.Table) -> Counter[str]:
    """series -> how many distinct lineage_id values its rows hold."""
    ids: dict[str, set[object]] = defaultdict(set)
    names = lineage.column("series").to_pylist()
    for name, lineage_id in zip(names, lineage.column("lineage_id").to_pylist(), strict=True):
        ids[name].add(lineage_id)
    return Counter({name: len(found) for name, found in ids.items()})


def refresh_every(
    data_dir: str | Path,
    documents: pa.Table,
    threshold: float,
    count_lineage_ids: bool,
    mapper: files.Mapper = map,
) -> Refreshed:
    """Recompute every series, group by group (each group's rows staged, then freed; built
    by ``mapper``), and write the whole history (other groups' files and the earlier
    single files removed)."""
    series = group_editions(documents.to_pylist())
    by_part: dict[str, list[str]] = defaultdict(list)
    for name, keys in series.items():  # name order
        by_part[files.series_part(keys)].append(name)
    index_parts: list[pa.Table] = []  # each group's index rows, as Arrow (not Python dicts)
    substantive: Counter[str] = Counter()
    ids: Counter[str] = Counter()

    def parts() -> Iterator[tuple[str, pa.Table, pa.Table]]:
        ordered = sorted(by_part)
        built = groups_rows(data_dir, series, [by_part[p] for p in ordered], threshold, mapper)
        for part, (lineage, changes) in zip(ordered, built, strict=True):
            rows = files.index_rows({n: series[n] for n in by_part[part]}, lineage, changes)
            for row in rows:
                substantive[str(row["series"])] += int(str(row["substantive"]))
            index_parts.append(files.index_table(rows))
            if count_lineage_ids:
                ids.update(lineage_id_counts(lineage))
            yield part, lineage, changes

    def index() -> pa.Table:
        return pa.concat_tables(index_parts) if index_parts else files.index_table([])

    files.write_parts(data_dir, parts(), index, every=True)
    summaries = [
        SeriesSummary(name, keys, substantive.get(name, 0), ids.get(name, 0))
        for name, keys in series.items()
    ]
    written = index()
    changes = sum(written.column("changes").to_pylist())
    lineage = sum(written.column("lineage").to_pylist())
    return Refreshed(summaries, changes, len(series), lineage)


_SUFFIX = re.compile(r"-[0-9a-z_]{8}$")


def base_names(name: str) -> set[str]:
    """A series name and the names it is a suffixed form of (``<name>-<8 characters>``,
    what :func:`compare.lineage.group_keys` makes of a second series of one name)."""
    found = {name}
    while len(name) > 9 and name[-9] == "-" and _SUFFIX.search(name):
        name = name[:-9]
        found.add(name)
    return found


def collides(names: Iterable[str], others: set[str]) -> bool:
    """Whether a name of ``names`` and one of ``others`` are one name, or one a suffixed
    form of the other: then which is suffixed depends on every series of the folder. (Set
    operations first: only the names of ``others`` that look suffixed are looked at one by
    one.)"""
    mine: set[str] = set()
    for name in names:
        mine |= base_names(name)
    if mine & others:
        return True
    return any(base_names(other) & mine for other in others if other[-9:-8] == "-")


def index_summary(index: pa.Table, recomputed: int) -> Refreshed:
    """The counts of the folder's history from its index: series, change and lineage rows,
    and the chained series with their editions and substantive changes."""
    names = index.column("series").to_pylist()
    positions = index.column("edition_seq").to_pylist()
    chained = {name for name, seq in zip(names, positions, strict=True) if seq > 1}
    members: dict[str, list[tuple[int, EditionKey, int]]] = defaultdict(list)
    rows = [row for row, name in enumerate(names) if name in chained] if chained else []
    for record in files.records_at(index, rows):  # the chained series' rows only, at once
        key = files.key_of(record)
        members[record["series"]].append(  # type: ignore[index]
            (int(str(record["edition_seq"])), key, int(str(record["substantive"])))
        )
    summaries = []
    for name in sorted(members):
        ordered = sorted(members[name], key=lambda one: one[0])
        keys = [key for _, key, _ in ordered]
        summaries.append(SeriesSummary(name, keys, sum(count for _, _, count in ordered)))
    return Refreshed(
        summaries,
        sum(index.column("changes").to_pylist()),
        recomputed,
        sum(index.column("lineage").to_pylist()),
        total=len(set(names)),
    )


def refresh_stale(
    data_dir: str | Path,
    documents: pa.Table,
    index: pa.Table,
    touched: Collection[str],
    threshold: float,
    mapper: files.Mapper = map,
) -> Refreshed | None:
    """Recompute the stale series only (see the module doc; their groups' rows built by
    ``mapper``), reading and rewriting the files of their groups and the index; None when
    that cannot be decided from them (two series of one name, a group file that disagrees
    with the index): then every series is."""
    doc_ids = documents.column("doc_id").to_pylist()
    committed = set(doc_ids)
    indexed = set(index.column("doc_id").to_pylist())
    gone = indexed - committed
    fresh_ids = (committed & set(touched)) | (committed - indexed)
    if not gone and not fresh_ids:
        return index_summary(index, 0)
    # rows become Python records only where they matter: the moved documents' and the
    # rows of the stale series' groups, found by their values' bytes (matching_rows: no
    # pass over every row in Python), each set converted at once (one slice per run)
    moved_ids = gone | fresh_ids
    fresh_rows = schema.matching_rows(documents.column("doc_id"), fresh_ids)
    fresh = {
        record["doc_id"]: edition_key(record) for record in files.records_at(documents, fresh_rows)
    }
    before_rows = schema.matching_rows(index.column("doc_id"), moved_ids)
    before = [files.key_of(record) for record in files.records_at(index, before_rows)]
    stale = {key.group for key in fresh.values()} | {key.group for key in before}
    parts = {files.part_of(group) for group in stale}
    in_parts = schema.matching_rows(index.column("part"), parts)
    part_records = files.records_at(index, in_parts)
    members = list(fresh.values())
    old_names: set[str] = set()
    dropped: list[int] = []
    for row, record in zip(in_parts, part_records, strict=True):
        key = files.key_of(record)
        moved = key.doc_id in moved_ids
        if key.group not in stale and not moved:
            continue
        dropped.append(row)
        old_names.add(key.series)
        if not moved:
            members.append(key)
    series = group_keys(members)
    if any(name != keys[0].own_series for name, keys in series.items()):
        return None  # two stale series of one name: which is suffixed is the folder's order
    others = set(index.column("series").to_pylist()) - old_names
    if collides(set(series) | old_names, others):
        return None
    expected = expected_rows(part_records)
    by_part: dict[str, list[str]] = defaultdict(list)
    for name, keys in series.items():
        by_part[files.series_part(keys)].append(name)
    replaced = old_names | set(series)
    new_rows: list[dict[str, object]] = []
    recomputed = len(series)

    def rewritten() -> Iterator[tuple[str, pa.Table, pa.Table]]:
        ordered = sorted(parts)
        groups = [by_part.get(part, []) for part in ordered]
        built = groups_rows(data_dir, series, groups, threshold, mapper)
        for part, (lineage, changes) in zip(ordered, built, strict=True):
            stored = [files.read_part(data_dir, name, part) for name in files.HISTORY_TABLES]
            for name, arrow in zip(files.HISTORY_TABLES, stored, strict=True):
                if (arrow.num_rows if arrow is not None else 0) != expected[name].get(part, 0):
                    raise Disagrees(f"{name}/{part}")
            new_rows.extend(
                files.index_rows({n: series[n] for n in by_part.get(part, [])}, lineage, changes)
            )
            yield (
                part,
                *(
                    merged(arrow, fresh_rows, name, replaced)
                    for name, arrow, fresh_rows in zip(
                        files.HISTORY_TABLES, stored, (lineage, changes), strict=True
                    )
                ),
            )

    def next_index() -> pa.Table:
        return pa.concat_tables(
            [schema.without_row_numbers(index, dropped), files.index_table(new_rows)]
        )

    written: list[pa.Table] = []

    def keep_index() -> pa.Table:
        written.append(next_index())
        return written[0]

    try:
        files.write_parts(data_dir, rewritten(), keep_index, every=False)
    except (Disagrees, schema.CorruptTableError):
        return None
    return index_summary(written[0], recomputed)


class Disagrees(Exception):
    """A group file whose rows are not those the index counts (written by hand, or by a
    run whose refresh was cut short): every series is recomputed."""


def expected_rows(records: Iterable[Mapping[str, object]]) -> dict[str, Counter[str]]:
    """table -> group -> the rows the index says its file holds, from the index's
    ``records`` (every row of the groups counted)."""
    counted: dict[str, Counter[str]] = {name: Counter() for name in files.HISTORY_TABLES}
    for record in records:
        for name in files.HISTORY_TABLES:
            counted[name][str(record["part"])] += int(str(record[name]))
    return counted


def merged(stored: pa.Table | None, added: pa.Table, name: str, replaced: set[str]) -> pa.Table:
    """A group's stored rows without those of the series ``replaced``, with ``added``,
    series by series in name order."""
    table_schema = DERIVED_TABLES[name].schema
    if stored is None:
        return files.conformed(added, table_schema)
    drop = [series in replaced for series in stored.column("series").to_pylist()]
    return files.merged_by_series(schema.without_rows(stored, drop), added, table_schema)


def refresh(
    data_dir: str | Path,
    touched: Collection[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    count_lineage_ids: bool = False,
    mapper: files.Mapper = map,
) -> Refreshed:
    """Bring ``lineage`` and ``changes`` of ``data_dir`` up to date after a run that wrote
    the documents ``touched`` (None: recompute every series), the files of every group it
    rewrites and the index written together, atomically (one journaled write); each series'
    rows those of :func:`compare.history.refresh_history`, in the same order. Nothing is
    written when the folder holds no document. ``count_lineage_ids``: count each series'
    lineage ids (``piao lineage``, which recomputes every series). ``mapper`` builds the
    groups' rows (the builtin ``map``, or worker processes: the same rows)."""
    documents = schema.committed_documents(data_dir, columns=list(KEY_COLUMNS))
    if documents is None or documents.num_rows == 0:
        return Refreshed([], 0, 0)
    if (
        touched is not None
        and not count_lineage_ids
        and not files.holds_legacy(data_dir)
        and (index := files.read_index(data_dir)) is not None
    ):
        done = refresh_stale(data_dir, documents, index, touched, threshold, mapper)
        if done is not None:
            return done
    return refresh_every(data_dir, documents, threshold, count_lineage_ids, mapper)
