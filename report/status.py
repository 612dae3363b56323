"""The document's status (``documents.status``) in the report: a doubtful reading marked on
the index and on the document's page, with its reasons in Italian (see
:mod:`normalize.status`)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import pandas as pd

DOUBTFUL = "doubtful"


def document_status(tables: Mapping[str, pd.DataFrame]) -> tuple[str | None, list[str]]:
    """(status, Italian reasons) of ONE document's tables; (None, []) for tables written
    before documents had a status."""
    documents = tables.get("documents")
    if documents is None or documents.empty or "status" not in documents.columns:
        return None, []
    row = documents.iloc[0]
    reasons = row.get("status_reasons_it")
    listed = [str(reason) for reason in reasons] if reasons is not None else []
    status = row["status"]
    return (None if pd.isna(status) else str(status)), listed


def status_mark(tables: Mapping[str, pd.DataFrame]) -> str:
    """The index's mark of a doubtful document (empty for an ok one)."""
    status, reasons = document_status(tables)
    if status != DOUBTFUL:
        return ""
    first = escape(reasons[0]) if reasons else ""
    return f"<br><span class='ko stato-dubbio' title='{first}'>⚠ lettura dubbia</span>"


def status_section(tables: Mapping[str, pd.DataFrame]) -> str:
    """The page's warning that the reading of the document contradicts itself: its
    reasons, and the command that shows how the tables were read (empty when ok)."""
    status, reasons = document_status(tables)
    if status != DOUBTFUL:
        return ""
    documents = tables["documents"]
    source = documents.iloc[0].get("source_path") or documents.iloc[0].get("source_name")
    items = "".join(f"<li>{escape(reason)}</li>" for reason in reasons)
    return (
        '<section id="stato" class="dubbio"><h2 class="ko">⚠ Lettura dubbia</h2>'
        "<p>La lettura di questo documento si contraddice: le tabelle possono contenere "
        "errori di lettura dell'impaginazione (non del documento). Motivi:</p>"
        f"<ul>{items}</ul>"
        f"<p>Per vedere come sono state lette le tabelle: <code>piao inspect "
        f"{escape(str(source))}</code></p></section>"
    )
