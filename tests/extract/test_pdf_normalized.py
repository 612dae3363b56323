"""Once normalised, both PDFs (ruled and borderless) give the same objectives, items and
dates as the text.

Provenance (document id, pages, lines, cell boxes, row ids) differs by construction and is
left out of the comparison; everything the normaliser reads from the cells must be equal.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest

import normalize
from extract import read_document

ROOT = Path(__file__).resolve().parents[2]
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
FIXTURES = ROOT / "tests" / "fixtures"
PDFS = [FIXTURES / "portomaggiore_ruled.pdf", FIXTURES / "portomaggiore_borderless.pdf"]
AT = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
#: row_index counts the RawTable rows, repeated header rows included: they repeat per page.
PROVENANCE = {
    "doc_id",
    "page",
    "pages",
    "line",
    "bbox",
    "source_line",
    "row_id",
    "cell_id",
    "row_index",
}


def comparable(value: object) -> object:
    """Strings with whitespace collapsed: a PDF cell cannot tell a paragraph break (kept as a
    newline from the text's ``</p> <p>``) from a line wrapped by the layout."""
    return " ".join(value.split()) if isinstance(value, str) else value


def content(records: list[dict]) -> list[dict]:
    """The records without their provenance fields."""
    return [
        {k: comparable(v) for k, v in r.items() if k not in PROVENANCE and "page" not in k}
        for r in records
    ]


@cache
def normalised(path: Path, engine: str):
    """The normalised tables of a document (cached: each is compared three times)."""
    return normalize.normalize_document(read_document(path, engine=engine), extracted_at=AT)


@pytest.mark.parametrize("path", PDFS, ids=lambda path: path.stem.rsplit("_", 1)[1])
@pytest.mark.parametrize("engine", ["pdfplumber", "camelot"])
@pytest.mark.parametrize("table", ["objectives", "items", "dates"])
def test_pdf_normalises_like_text(path: Path, engine: str, table: str) -> None:
    text = normalised(TEXT_SOURCE, "text")
    pdf = normalised(path, engine)
    assert pdf.table(table), f"no {table} read from {path.name}"
    assert content(pdf.table(table)) == content(text.table(table))
