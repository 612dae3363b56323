"""Report stage: the analyst's view of the tables — summary, charts, one HTML page per document,
a report folder across administrations and editions, exports (CSV, Excel) and DuckDB views
over the Parquet folder.

Reads the tables through :mod:`schema` and pandas; imports nothing of ``piao``.
"""

from report.charts import deadline_chart, quality_chart, series_chart, weight_chart
from report.data import (
    ALL_TABLES,
    REPORT_TABLES,
    deadlines,
    document_ids,
    export_tables,
    for_document,
    load_arrow_tables,
    load_tables,
    weight_by_sector_mission,
)
from report.export import EXPORT_FORMATS, export
from report.html import render_html
from report.site import INDEX, site_pages
from report.sql import connect, create_database, view_statements
from report.summary import SectorSummary, Summary, summary

__all__ = [
    "ALL_TABLES",
    "EXPORT_FORMATS",
    "INDEX",
    "REPORT_TABLES",
    "SectorSummary",
    "Summary",
    "connect",
    "create_database",
    "deadline_chart",
    "deadlines",
    "document_ids",
    "export",
    "export_tables",
    "for_document",
    "load_arrow_tables",
    "load_tables",
    "quality_chart",
    "render_html",
    "series_chart",
    "site_pages",
    "summary",
    "view_statements",
    "weight_by_sector_mission",
    "weight_chart",
]
