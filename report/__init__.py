"""Report stage: the analyst's view of the tables — summary, charts, one HTML page per document,
and DuckDB views over the Parquet folder.

Reads the tables through :mod:`schema` and pandas; imports nothing of ``piao``.
"""

from report.charts import deadline_chart, quality_chart, weight_chart
from report.data import (
    REPORT_TABLES,
    deadlines,
    document_ids,
    for_document,
    load_tables,
    weight_by_sector_mission,
)
from report.html import render_html
from report.sql import connect, create_database, view_statements
from report.summary import SectorSummary, Summary, summary

__all__ = [
    "REPORT_TABLES",
    "SectorSummary",
    "Summary",
    "connect",
    "create_database",
    "deadline_chart",
    "deadlines",
    "document_ids",
    "for_document",
    "load_tables",
    "quality_chart",
    "render_html",
    "summary",
    "view_statements",
    "weight_by_sector_mission",
    "weight_chart",
]
