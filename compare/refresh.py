"""``lineage`` and ``changes`` kept current in memory and time that do not grow with the folder.

:func:`compare.history.refresh_history` loads every document's objectives, items and dates
as Python records at once: the peak of a large batch (470 MB of the run's 470 MB at 300
documents, growing by ~1.5 MB a document) and, after a one-document add, a cost that grows
with every document of the folder. :func:`refresh` writes the same two tables, but

* recomputes only the series that are *stale*: those holding a document the run wrote
  (``touched``), and those whose stored rows name a document that is no longer among their
  editions (one removed, replaced or grouped elsewhere); the other series' rows are kept
  as stored (Arrow columns, never Python records);
* loads the editions of the stale series a bounded number of documents at a time
  (:data:`CHUNK_DOCUMENTS`), each from the group files holding them (never a whole table),
  and turns their rows into Arrow before the next chunk.

What it says about the series (the ``piao extract`` summary) is computed from the tables'
columns: :class:`Refreshed`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

import schema
from compare.diff import changes_table
from compare.edition import COMPARED_TABLES, Edition, edition_from_records
from compare.history import series_changes
from compare.lineage import EditionKey, Series, chain_changes, group_editions, lineage_table
from compare.match import DEFAULT_THRESHOLD
from schema import DERIVED_TABLES, TABLES, write_tables_atomically

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
    """What :func:`refresh` wrote: every series (name order), the changes' and lineage
    rows' counts, and how many series it recomputed."""

    series: list[SeriesSummary]
    changes: int
    recomputed: int
    lineage: int = 0

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


def derived_path(data_dir: str | Path, name: str) -> Path:
    return Path(data_dir) / DERIVED_TABLES[name].file_name


def read_derived(data_dir: str | Path, name: str, columns: Sequence[str] | None = None):
    """A derived table as stored (``lineage.parquet``), or None when missing, unreadable or
    without a column of the schema (then every series is recomputed)."""
    path = derived_path(data_dir, name)
    if not path.is_file():
        return None
    try:
        parquet = pq.ParquetFile(path)
        if set(DERIVED_TABLES[name].schema.names) - set(parquet.schema_arrow.names):
            return None  # written by an earlier version, without a column added since
        return parquet.read(columns=list(columns) if columns else None)
    except (pa.ArrowException, OSError):
        return None


def misplaced_series(arrow: pa.Table, doc_column: str, placed: Mapping[str, str]) -> set[str]:
    """The series of the rows whose document is not (or no longer) in the series the row
    names, and the series that document is in now: Arrow only, whatever the rows."""
    doc_ids = pa.array(list(placed), pa.string())
    names = pa.array(list(placed.values()), pa.string())
    now = pc.take(names, pc.index_in(arrow[doc_column], value_set=doc_ids))
    wrong = pc.invert(pc.fill_null(pc.equal(now, arrow["series"]), False))
    if not pc.any(wrong).as_py():
        return set()
    stale = set(pc.unique(arrow["series"].filter(wrong)).to_pylist())
    return stale | {name for name in pc.unique(now.filter(wrong)).to_pylist() if name}


def unlisted_series(lineage: pa.Table, placed: Mapping[str, str]) -> set[str]:
    """The series of the documents that no lineage row names (written by a run whose
    refresh did not happen: interrupted, or an earlier version; a document without
    objectives, whose series is recomputed each time)."""
    doc_ids = pa.array(list(placed), pa.string())
    named = pc.is_in(doc_ids, value_set=pc.unique(lineage["doc_id"]))
    if pc.all(named).as_py():
        return set()
    return {placed[doc_id] for doc_id in doc_ids.filter(pc.invert(named)).to_pylist()}


def stale_series(
    series: Mapping[str, list[EditionKey]],
    touched: Collection[str] | None,
    lineage: pa.Table | None,
    changes: pa.Table | None,
) -> set[str]:
    """The series to recompute: every one when ``touched`` is None or the stored tables
    (``lineage``, ``changes``) are missing; else those holding a touched document, and those
    whose stored rows disagree with the documents' series now (:func:`misplaced_series`) or
    name none of a document (:func:`unlisted_series`)."""
    if touched is None or lineage is None or changes is None:
        return set(series)
    wanted = set(touched)
    stale = {name for name, keys in series.items() if any(k.doc_id in wanted for k in keys)}
    placed = {key.doc_id: name for name, keys in series.items() for key in keys}
    stale |= misplaced_series(lineage, "doc_id", placed)
    stale |= misplaced_series(changes, "old_doc_id", placed)
    stale |= misplaced_series(changes, "new_doc_id", placed)
    stale |= unlisted_series(lineage, placed)
    return stale & set(series)


def chunks(series: Mapping[str, list[EditionKey]], names: Iterable[str]) -> Iterator[list[str]]:
    """The series ``names`` in runs of about :data:`CHUNK_DOCUMENTS` documents, ordered by
    the group of their first document (a chunk reads few group folders)."""
    ordered = sorted(names, key=lambda name: (schema.group_of(series[name][0].doc_id), name))
    chunk: list[str] = []
    size = 0
    for name in ordered:
        if chunk and size + len(series[name]) > CHUNK_DOCUMENTS:
            yield chunk
            chunk, size = [], 0
        chunk.append(name)
        size += len(series[name])
    if chunk:
        yield chunk


def group_rows(data_dir: str | Path, group: str, doc_ids: Collection[str]) -> dict[str, list]:
    """table -> the committed rows of ``doc_ids`` (all in ``group``) in the compared tables,
    read from that group's files only."""
    listed = schema.group_index(data_dir, group)
    live: dict[str, int] = {}
    for write_id, ids in listed.items():
        for doc_id in ids:
            live[doc_id] = max(write_id, live.get(doc_id, write_id))
    rows: dict[str, list] = {}
    for name in COMPARED_TABLES:
        table = TABLES[name]
        found = rows.setdefault(name, [])
        for write_id, paths in sorted(schema.group_files(data_dir, table, group).items()):
            for path in paths:
                arrow = schema.read_file(table, path)
                ids = arrow["doc_id"].to_pylist()
                keep = [d in doc_ids and live.get(d) == write_id for d in ids]
                if any(keep):
                    found.extend(schema.without_rows(arrow, [not k for k in keep]).to_pylist())
    return rows


def read_editions(data_dir: str | Path, doc_ids: Collection[str]) -> dict[str, Edition]:
    """The editions of ``doc_ids`` (doc_id -> edition), each read from its group's files."""
    by_group: dict[str, set[str]] = {}
    for doc_id in doc_ids:
        by_group.setdefault(schema.group_of(doc_id), set()).add(doc_id)
    records: dict[str, dict[str, list]] = {}
    for group, ids in sorted(by_group.items()):
        for name, rows in group_rows(data_dir, group, ids).items():
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
        editions = read_editions(data_dir, [k.doc_id for name in chunk for k in series[name]])
        built = []
        for name in chunk:
            keys = [key for key in series[name] if key.doc_id in editions]
            ordered = [editions[key.doc_id] for key in keys]
            built.append(Series(name, keys, ordered, chain_changes(ordered, threshold)))
        lineage = lineage_table([row for one in built for row in one.lineage])
        yield lineage, changes_table(series_changes(built))


def kept_rows(arrow: pa.Table | None, stale: Collection[str], schema: pa.Schema) -> pa.Table:
    """The stored rows of the series that are not stale."""
    if arrow is None:
        return schema.empty_table()
    keep = pc.invert(pc.is_in(arrow["series"], value_set=pa.array(list(stale), pa.string())))
    return arrow.filter(keep).select(schema.names).cast(schema)


def in_series_order(arrow: pa.Table, names: Sequence[str]) -> pa.Table:
    """The rows series by series in ``names`` order, each series' rows in their order."""
    if arrow.num_rows == 0:
        return arrow
    position = pc.index_in(arrow["series"], value_set=pa.array(list(names), pa.string()))
    return arrow.take(pc.sort_indices(position))


def substantive_counts(changes: pa.Table) -> Counter[str]:
    """series -> its changes that are not recomputed weights."""
    if changes.num_rows == 0:
        return Counter()
    substantive = changes.filter(pc.invert(pc.fill_null(changes["recomputed"], False)))
    counted = pc.value_counts(substantive["series"]).to_pylist()
    return Counter({row["values"]: row["counts"] for row in counted})


def distinct_lineage_ids(lineage: pa.Table) -> Counter[str]:
    """series -> how many distinct lineage_id values its rows hold."""
    if lineage.num_rows == 0:
        return Counter()
    grouped = lineage.group_by("series").aggregate([("lineage_id", "count_distinct")])
    names, counts = grouped["series"].to_pylist(), grouped["lineage_id_count_distinct"]
    return Counter(dict(zip(names, counts.to_pylist(), strict=True)))


def refresh(
    data_dir: str | Path,
    touched: Collection[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    count_lineage_ids: bool = False,
) -> Refreshed:
    """Bring ``lineage.parquet`` and ``changes.parquet`` of ``data_dir`` up to date after a
    run that wrote the documents ``touched`` (None: recompute every series), both written
    together, atomically; the same rows, in the same order, as
    :func:`compare.history.refresh_history`. Nothing is written when the folder holds no
    document. ``count_lineage_ids``: count each series' lineage ids (``piao lineage``)."""
    series = stored_series(data_dir)
    if not series:
        return Refreshed([], 0, 0)
    stored = {name: read_derived(data_dir, name) for name in ("lineage", "changes")}
    stale = stale_series(series, touched, stored["lineage"], stored["changes"])
    lineage_schema = DERIVED_TABLES["lineage"].schema
    changes_schema = DERIVED_TABLES["changes"].schema
    parts = [
        (
            kept_rows(stored.pop("lineage"), stale, lineage_schema),
            kept_rows(stored.pop("changes"), stale, changes_schema),
        )
    ]
    parts.extend(computed(data_dir, series, sorted(stale), threshold))
    names = list(series)
    lineage = in_series_order(pa.concat_tables([p[0] for p in parts]), names)
    changes = in_series_order(pa.concat_tables([p[1] for p in parts]), names)
    del parts
    write_tables_atomically({"lineage": lineage, "changes": changes}, data_dir)
    counts = substantive_counts(changes)
    ids = distinct_lineage_ids(lineage) if count_lineage_ids else Counter()
    summaries = [
        SeriesSummary(name, keys, counts.get(name, 0), ids.get(name, 0))
        for name, keys in series.items()
    ]
    return Refreshed(summaries, changes.num_rows, len(stale), lineage.num_rows)
