"""Compare stage: what changed from one edition of a plan to the next.

Reads the records of two documents (as extracted), pairs their objectives and lists the
changes as rows of the ``changes`` table (:mod:`schema`). Imports :mod:`schema` only.
"""

from compare.diff import (
    changes_table,
    diff_dates,
    diff_editions,
    diff_fields,
    diff_items,
    diff_pair,
    field_change,
)
from compare.edition import Edition, edition_from_records, load_edition, resolve_doc_id
from compare.match import DEFAULT_THRESHOLD, Matching, Pair, match_objectives, similarity
from compare.report import REPORT_FORMATS, render_report, summary_lines

__all__ = [
    "DEFAULT_THRESHOLD",
    "REPORT_FORMATS",
    "Edition",
    "Matching",
    "Pair",
    "changes_table",
    "diff_dates",
    "diff_editions",
    "diff_fields",
    "diff_items",
    "diff_pair",
    "edition_from_records",
    "field_change",
    "load_edition",
    "match_objectives",
    "render_report",
    "resolve_doc_id",
    "similarity",
    "summary_lines",
]
