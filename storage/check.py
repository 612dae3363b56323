"""Integrity of an output folder, checked in full (``piao check``).

Every table file is read whole, its pages' checksums verified (files are written with
them), and typed by the schema; then the folder is checked against the commit rule as a
plain reader sees it: no write left half done (a journal or staged files), no file of a
write that ``documents`` does not list (rows a plain reader would see and the loader
hides), no key repeated among the committed rows, and the index of the committed
documents equal to the ``documents`` table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from schema.tables import TABLES
from storage import journal
from storage.store import (
    DOCUMENTS_TABLE,
    GROUP_CHARS,
    CorruptTableError,
    committed_documents,
    group_files,
    group_index,
    index_path,
    is_legacy,
    read_file,
    read_table,
    table_files,
)


@dataclass
class CheckReport:
    """What :func:`check_folder` found: files and rows read, and one line per problem."""

    files: int = 0
    rows: int = 0
    corrupt: list[CorruptTableError] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.corrupt and not self.problems


def check_folder(out_dir: str | Path) -> CheckReport:
    """Read every table file of ``out_dir`` in full and check the folder (see the module
    doc); the folder is not changed."""
    directory = Path(out_dir)
    report = CheckReport()
    for table in TABLES.values():
        for path in table_files(directory, table):
            report.files += 1
            try:
                report.rows += read_file(table, path).num_rows
            except CorruptTableError as error:
                report.corrupt.append(error)
    if journal.journal_path(directory).exists() or any((directory / journal.STAGING).glob("*")):
        report.problems.append(
            f"{directory}: a write was cut short; the next `piao extract` or `piao compact` "
            "finishes or drops it"
        )
    if report.corrupt or is_legacy(directory):
        return report
    report.problems += uncommitted_files(directory)
    report.problems += repeated_keys(directory)
    report.problems += index_mismatch(directory)
    return report


def uncommitted_files(directory: Path) -> list[str]:
    """Files of writes that their group's ``documents`` files do not list (one line each)."""
    groups = {
        path.name[:GROUP_CHARS]
        for name in TABLES
        if (directory / name).is_dir()
        for path in (directory / name).iterdir()
        if path.is_dir()
    }
    found = []
    for group in sorted(groups):
        listed = group_index(directory, group)
        for name in TABLES:
            for write_id, paths in group_files(directory, name, group).items():
                if write_id not in listed:
                    found += [
                        f"{path}: rows of a write that documents does not list" for path in paths
                    ]
    return found


def repeated_keys(directory: Path) -> list[str]:
    """Tables whose committed rows repeat a key (one line each)."""
    found = []
    for name, table in TABLES.items():
        arrow = read_table(table, directory, columns=list(table.key))
        if arrow is None or not arrow.num_rows:
            continue
        distinct = arrow.group_by(list(table.key)).aggregate([]).num_rows
        if distinct != arrow.num_rows:
            found.append(f"{directory / name}: {arrow.num_rows - distinct} rows repeat a key")
    return found


def index_mismatch(directory: Path) -> list[str]:
    """A line when the index of committed documents lists other documents than the
    ``documents`` table (the next write rebuilds a missing index; a wrong one is removed
    by ``piao extract --rebuild``)."""
    if not index_path(directory).is_file():
        return []
    documents = read_table(DOCUMENTS_TABLE, directory, columns=["doc_id"])
    listed = set() if documents is None else set(documents["doc_id"].to_pylist())
    try:
        index = committed_documents(directory, build=False)
    except (pa.ArrowException, OSError) as error:
        return [f"{index_path(directory)}: unreadable ({error})"]
    indexed = set() if index is None else set(index["doc_id"].to_pylist())
    if indexed == listed:
        return []
    return [
        f"{index_path(directory)}: lists {len(indexed - listed)} documents not in documents "
        f"and misses {len(listed - indexed)}"
    ]
