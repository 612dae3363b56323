"""The history of every plan in a tables folder: ``lineage`` and ``changes``, kept current.

``piao extract`` calls :func:`refresh_history` after writing documents, so that the folder
always holds, beside the extracted tables, each objective's lineage across the editions of its
plan and the changes of every pair of consecutive editions of every series (what the report's
ente pages, ``piao sql`` and the export show), without a command to remember.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from compare import stamp
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


def summarize(history: History) -> HistorySummary:
    """The counts of a history: each chained series with its editions (year, else source
    name) and its substantive changes (recomputed ones left out)."""
    chained = [
        ChainSummary(
            one.ente,
            [str(k.year) if k.year is not None else str(k.source_name) for k in one.keys],
            sum(1 for rows in one.changes for r in rows if not r.get("recomputed")),
        )
        for one in history.chained
    ]
    return HistorySummary(len(history.series), len(history.changes), chained)


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
    data_dir: str | Path, threshold: float = DEFAULT_THRESHOLD, *, code: str = ""
) -> HistorySummary:
    """:func:`refresh_history` unless the stamp (:mod:`compare.stamp`) proves that the rows
    it reads are those it was last built from, with the same threshold and code, and that
    nobody rewrote ``lineage``/``changes`` since: then nothing is rebuilt (a re-extraction
    that writes the same rows reads one file per compared table). ``code`` is the
    fingerprint of the comparison's code (the caller's: a change of it rebuilds). Returns
    the counts."""
    directory = Path(data_dir)
    basis = {"threshold": threshold, "code": code}
    files = stamp.compared_files(directory)
    previous = stamp.read_stamp(directory)
    if previous is not None and (
        previous.basis != basis or previous.outputs != stamp.output_files(directory)
    ):
        previous = None  # another threshold or code, or the history rewritten since
    digests = stamp.current_digests(directory, files, previous)
    if previous is not None and digests is not None and stamp.same_rows(digests, previous.digests):
        kept = stamp.Stamp(basis, files, digests, previous.outputs, previous.summary)
        stamp.write_stamp(directory, kept)
        return summary_from_record(previous.summary)
    stamp.forget_stamp(directory)
    summary = summarize(refresh_history(directory, threshold))
    if digests is not None:
        outputs = stamp.output_files(directory)
        record = summary_record(summary)
        stamp.write_stamp(directory, stamp.Stamp(basis, files, digests, outputs, record))
    return summary
