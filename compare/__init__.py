"""Compare stage: what changed from one edition of a plan to the next.

Reads the records of two documents (as extracted), pairs their objectives and lists the
changes as rows of the ``changes`` table (:mod:`schema`); groups documents into editions of
a plan over the years and gives each objective a ``lineage_id`` across them (``lineage``).
Imports :mod:`schema` only.
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
