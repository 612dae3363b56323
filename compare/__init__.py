"""Compare stage: what changed from one edition of a plan to the next.

Reads the records of two documents (as extracted), pairs their objectives and lists the
changes as rows of the ``changes`` table (:mod:`schema`); groups documents into editions of
a plan over the years and gives each objective a ``lineage_id`` across them (``lineage``).
Imports :mod:`schema` only. The names below are imported on first use (see
:data:`_HOMES`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compare.diff import (
        changes_table,
        diff_dates,
        diff_editions,
        diff_fields,
        diff_items,
        diff_pair,
        field_change,
    )
    from compare.edition import (
        Edition,
        edition_from_records,
        load_edition,
        load_editions,
        resolve_doc_id,
    )
    from compare.lineage import (
        EditionKey,
        Series,
        build_series,
        chain_changes,
        edition_key,
        group_editions,
        lineage_rows,
        lineage_table,
    )
    from compare.match import DEFAULT_THRESHOLD, Matching, Pair, match_objectives, similarity
    from compare.report import REPORT_FORMATS, render_chain_report, render_report, summary_lines

#: Where each public name lives: imported on first use (start-up: a refresh of an
#: unchanged history imports neither rapidfuzz nor the diff and report code).
_HOMES = {
    "DEFAULT_THRESHOLD": "compare.match",
    "Edition": "compare.edition",
    "EditionKey": "compare.lineage",
    "Matching": "compare.match",
    "Pair": "compare.match",
    "REPORT_FORMATS": "compare.report",
    "Series": "compare.lineage",
    "build_series": "compare.lineage",
    "chain_changes": "compare.lineage",
    "changes_table": "compare.diff",
    "diff_dates": "compare.diff",
    "diff_editions": "compare.diff",
    "diff_fields": "compare.diff",
    "diff_items": "compare.diff",
    "diff_pair": "compare.diff",
    "edition_from_records": "compare.edition",
    "edition_key": "compare.lineage",
    "field_change": "compare.diff",
    "group_editions": "compare.lineage",
    "lineage_rows": "compare.lineage",
    "lineage_table": "compare.lineage",
    "load_edition": "compare.edition",
    "load_editions": "compare.edition",
    "match_objectives": "compare.match",
    "render_chain_report": "compare.report",
    "render_report": "compare.report",
    "resolve_doc_id": "compare.edition",
    "similarity": "compare.match",
    "summary_lines": "compare.report",
}


#: The package's modules, reachable as attributes (``compare.lineage.slug``) before any
#: import of them, as when this package imported them all.
_MODULES = frozenset({"diff", "edition", "history", "lineage", "match", "report", "stamp", "text"})


def __getattr__(name: str) -> object:
    """A public name of the package (:data:`_HOMES`) or one of its modules, imported on
    first use."""
    if name in _MODULES:
        return importlib.import_module(f"compare.{name}")
    if name in _HOMES:
        value = getattr(importlib.import_module(_HOMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'compare' has no attribute {name!r}")


__all__ = [
    "DEFAULT_THRESHOLD",
    "REPORT_FORMATS",
    "Edition",
    "EditionKey",
    "Matching",
    "Pair",
    "Series",
    "build_series",
    "chain_changes",
    "changes_table",
    "diff_dates",
    "diff_editions",
    "diff_fields",
    "diff_items",
    "diff_pair",
    "edition_from_records",
    "edition_key",
    "field_change",
    "group_editions",
    "lineage_rows",
    "lineage_table",
    "load_edition",
    "load_editions",
    "match_objectives",
    "render_chain_report",
    "render_report",
    "resolve_doc_id",
    "similarity",
    "summary_lines",
]
