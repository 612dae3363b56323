"""The history of every plan in a tables folder: ``lineage`` and ``changes``, kept current.

:func:`refresh_history` rebuilds both tables whole, every series at once: the reference
that :func:`compare.refresh.refresh` (what ``piao extract`` and ``piao lineage`` run, a few
documents' editions at a time, only the series a run touched) must equal. The folder
always holds, beside the extracted tables, each objective's lineage across the editions of its
plan and the changes of every pair of consecutive editions of every series (what the report's
ente pages, ``piao sql`` and the export show), without a command to remember.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from compare.diff import changes_table
from compare.edition import load_editions
from compare.lineage import Record, Series, build_series, lineage_rows, lineage_table
from compare.match import DEFAULT_THRESHOLD
from schema import write_tables_atomically


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
    """Rebuild ``lineage.parquet`` and ``changes.parquet`` in ``data_dir`` from its documents
    (both written together, atomically); nothing is written when it holds no document."""
    editions = load_editions(data_dir)
    series = build_series(editions, threshold) if editions else []
    history = History(series, lineage_rows(series), series_changes(series))
    if editions:
        write_tables_atomically(
            {"lineage": lineage_table(history.lineage), "changes": changes_table(history.changes)},
            data_dir,
        )
    return history
