"""The files a write will read or replace, checked before it starts.

A run validates, before it writes anything, the table files its writes are going to read
or replace, so a corrupt one fails the run with one line naming it (and the tables are as
they were), while a corrupt file the run never opens costs it nothing: ``piao check``
reads every file. What a write of some documents reads, in each group it writes to:

- the group's ``documents`` files (what they list decides which files hold what);
- the files, of every table, of the writes that hold a document it replaces or removes
  (rewritten without it, or removed);
- the small files a merge after it will read, when its new files take the group past
  :data:`storage.store.MAX_SMALL_FILES` (:func:`storage.store.merge_candidates`).

A plain add of a new document into a group with room for one more small file reads only
the group's ``documents`` files: a cost bounded by the files per group, whatever the
folder holds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from schema.tables import TABLES, Table
from storage.store import (
    CHUNK_DOCUMENTS,
    DOCUMENTS_TABLE,
    CorruptTableError,
    _footer_schema,
    conform,
    group_files,
    group_index,
    group_of,
    latest_write_id,
    merge_candidates,
)


def files_a_write_reads(
    out_dir: str | Path, written: Iterable[str], gone: Iterable[str]
) -> list[tuple[Table, Path]]:
    """(table, file) of every stored file that writing the documents ``written`` (each
    possibly in a write of its own) and taking out those of ``gone`` (replaced, removed,
    or re-extracted: ``written`` ones already stored) reads or replaces, the ``documents``
    files of each group first (see the module doc). Raises :class:`CorruptTableError` when
    a ``documents`` file of those groups cannot be read."""
    directory = Path(out_dir)
    written, gone = list(written), set(gone)
    new_in_group = Counter(group_of(doc_id) for doc_id in dict.fromkeys(written))
    groups = sorted(set(new_in_group) | {group_of(doc_id) for doc_id in gone})
    documents = TABLES[DOCUMENTS_TABLE]
    found: list[tuple[Table, Path]] = []
    for group in groups:
        for paths in group_files(directory, documents, group).values():
            found.extend((documents, path) for path in paths)
    _check(found)  # group_index reads them: a corrupt one is named here, not mid-read
    for group in groups:
        index = group_index(directory, group)
        touched = {w for w, listed in index.items() if gone.intersection(listed)}
        touched.update(_merged_after(directory, group, index, gone, new_in_group[group]))
        for name, table in TABLES.items():
            if name == DOCUMENTS_TABLE:
                continue
            for write_id, paths in group_files(directory, table, group).items():
                if write_id in touched:
                    found.extend((table, path) for path in paths)
    return found


def _merged_after(
    directory: Path, group: str, index: dict[int, list[str]], gone: set[str], new_files: int
) -> list[int]:
    """The stored writes of a group that a merge after the run's writes would read: the
    run's ``new_files`` (at most one per document it writes there) added to the group as
    it will be without ``gone``; none when no merge is due. A run of several documents in
    the group may write them in fewer, larger files, which other merges take: then every
    small write of the group is counted in (a superset, bounded by the run's size)."""
    after = {w: [d for d in listed if d not in gone] for w, listed in index.items()}
    after = {w: listed for w, listed in after.items() if listed}
    first = latest_write_id(directory, group) + 1
    planned = {first + n: ["new"] for n in range(new_files)}
    merged = merge_candidates({**after, **planned})
    if merged and new_files > 1:
        return [w for w, listed in after.items() if len(listed) < CHUNK_DOCUMENTS]
    return [w for w in merged if w in after]


def _check(files: Iterable[tuple[Table, Path]]) -> None:
    """The files' footers and columns checked; raises the first error."""
    for table, path in files:
        conform(table, _footer_schema(path).empty_table(), path)


def validate_write(
    out_dir: str | Path, written: Iterable[str], gone: Iterable[str]
) -> list[CorruptTableError]:
    """Every file :func:`files_a_write_reads` names that cannot be read (footer and
    columns, as :func:`storage.store.validate_tables` checks them), as errors (empty when
    sound)."""
    try:
        files = files_a_write_reads(out_dir, written, gone)
    except CorruptTableError as error:
        return [error]
    errors = []
    for table, path in files:
        if table.name == DOCUMENTS_TABLE:  # checked by files_a_write_reads
            continue
        try:
            conform(table, _footer_schema(path).empty_table(), path)
        except CorruptTableError as error:
            errors.append(error)
    return errors
