"""The history of every plan in a tables folder: ``lineage`` and ``changes``, kept current.

:func:`refresh_history` rebuilds both tables whole, every series at once: the reference
that :func:`compare.refresh.refresh` (what ``piao extract`` and ``piao lineage`` run, a few
documents' editions at a time, only the series a run touched) must equal. The folder
always holds, beside the extracted tables, each objective's lineage across the editions of its
plan and the changes of every pair of consecutive editions of every series (what the report's
ente pages, ``piao sql`` and the export show), without a command to remember.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from compare.diff import changes_table
from compare.edition import load_editions
from compare.lineage import Record, Series, build_series, lineage_rows, lineage_table
from compare.match import DEFAULT_THRESHOLD


@dataclass(frozen=True)
class History:
    """What :func:`refresh_history` wrote: the series, and the rows of both tables."""

    series: list[Series]
    lineage: list[Record]
    changes: list[Record]

    @property
    def chained(self) -> list[Series]:
        """The series of two editions or more (those with changes to show)."""
        return [one for one in self.series if len(one.keys) > 1]


def series_changes(series: Sequence[Series]) -> list[Record]:
    """The changes of every consecutive pair of every series, each row with its ente and
    series, series by series and pair by pair."""
    return [
        row | {"ente": one.keys[position + 1].ente, "series": one.name}
        for one in series
        for position, rows in enumerate(one.changes)
        for row in rows
    ]


def refresh_history(data_dir: str | Path, threshold: float = DEFAULT_THRESHOLD) -> History:
    """Rebuild ``lineage`` and ``changes`` in ``data_dir`` from its documents (every group's
    files and the index written together, atomically); nothing is written when it holds no
    document."""
    editions = load_editions(data_dir)
    series = build_series(editions, threshold) if editions else []
    history = History(series, lineage_rows(series), series_changes(series))
    if editions:
        write_history(data_dir, history)
    return history


def write_history(data_dir: str | Path, history: History) -> None:
    """Write the whole history in the grouped layout (:mod:`compare.history_files`): each
    group's rows in the order of ``history``, the index, the other files removed."""
    from compare import history_files as files

    keys = {one.name: one.keys for one in history.series}
    part = {name: files.series_part(found) for name, found in keys.items()}
    lineage: dict[str, list[Record]] = defaultdict(list)
    changes: dict[str, list[Record]] = defaultdict(list)
    for row in history.lineage:
        lineage[part[str(row["series"])]].append(row)
    for row in history.changes:
        changes[part[str(row["series"])]].append(row)
    rows: list[dict[str, object]] = []

    def parts() -> Iterator[tuple[str, pa.Table, pa.Table]]:
        for group in sorted(set(part.values())):
            tables = lineage_table(lineage[group]), changes_table(changes[group])
            mine = {name: found for name, found in keys.items() if part[name] == group}
            rows.extend(files.index_rows(mine, *tables))
            yield group, *tables

    files.write_parts(data_dir, parts(), lambda: files.index_table(rows), every=True)
