"""PDF engines against the text engine: the PDF of a document must give the same tables.

The PDFs are generated from the shipped text attachment by ``tests/fixtures/make_pdfs.py``;
``*.breaks.json`` beside them lists the rows their layout broke across pages.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from extract import RawDocument, RawRow, RawTable, read_document

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
RULED = FIXTURES / "portomaggiore_ruled.pdf"
BORDERLESS = FIXTURES / "portomaggiore_borderless.pdf"
#: Pages of each fixture: the borderless layout's wider cell padding takes one more page.
PAGE_COUNTS = {RULED: 19, BORDERLESS: 20}
SECTORS = ("STAFF", "SAP", "FIN", "TEC")
HEADER_ROWS = 3

_TAG = re.compile(r"</?[a-zA-Z][^>]*>")

#: (engine, fixture, extractor it must choose per document). Every engine reads both PDFs
#: exactly: the ruled one from its rules, the borderless one from its words' layout.
CASES = [
    pytest.param("pdfplumber", RULED, "pdfplumber-lines", id="pdfplumber-ruled"),
    pytest.param("pdfium", RULED, "pdfium-lines", id="pdfium-ruled"),
    pytest.param("auto", RULED, "pdfium-lines", id="auto-ruled"),
    pytest.param("camelot", RULED, "camelot-lattice", id="camelot-ruled"),
    pytest.param("pdfplumber", BORDERLESS, "pdfplumber-text", id="pdfplumber-borderless"),
    pytest.param("pdfium", BORDERLESS, "pdfium-text", id="pdfium-borderless"),
    pytest.param("auto", BORDERLESS, "pdfium-text", id="auto-borderless"),
    pytest.param("camelot", BORDERLESS, "camelot-stream", id="camelot-borderless"),
]


def clean(text: str) -> str:
    """Cell text as the PDF prints it: HTML tags stripped, whitespace collapsed."""
    return " ".join(_TAG.sub(" ", text).split())


def row_key(row: RawRow) -> str:
    return " | ".join(clean(text).lower() for text in row.texts if clean(text))


def data_rows(table: RawTable) -> list[list[str]]:
    """Cleaned cells of the rows that are not header rows (fuzzy, as the normaliser does)."""
    headers = [row_key(row) for row in table.rows[:HEADER_ROWS]]
    return [
        [clean(text) for text in row.texts]
        for row in table.rows
        if not any(fuzz.ratio(row_key(row), header) >= 90 for header in headers)
    ]


@cache
def text_document() -> RawDocument:
    return read_document(TEXT_SOURCE)


@cache
def pdf_document(path: Path, engine: str) -> RawDocument:
    return read_document(path, engine=engine)


@pytest.mark.parametrize(("engine", "path", "extractor"), CASES)
def test_four_sector_tables_with_headings(engine: str, path: Path, extractor: str) -> None:
    document = pdf_document(path, engine)
    assert document.source_format == "pdf"
    assert document.extractor == extractor
    assert [table.heading for table in document.tables] == [
        table.heading for table in text_document().tables
    ]
    assert [table.heading.rsplit("(", 1)[1].rstrip(")") for table in document.tables] == list(
        SECTORS
    )


@pytest.mark.parametrize(("engine", "path", "extractor"), CASES)
def test_rows_keep_their_page_boundaries(engine: str, path: Path, extractor: str) -> None:
    """Extraction re-joins nothing: every row lies on one page, the part of a row cut by a
    page break comes first on the next page (re-joined by normalize.pages), and no
    re-join note is made here."""
    document = pdf_document(path, engine)
    assert all(len(row.pages) == 1 for table in document.tables for row in table.rows)
    assert not [note for note in document.notes if note.rule == "row_rejoined_across_pages"]
    staff = document.tables[0]
    index = next(i for i, row in enumerate(staff.rows) if row.texts[3].startswith("1.1.2 REAL"))
    cut, rest = staff.rows[index], staff.rows[index + 1 + HEADER_ROWS]
    assert (cut.pages, rest.pages) == ((2,), (3,))
    assert [row.pages for row in staff.rows[index + 1 : index + 1 + HEADER_ROWS]] == [(3,)] * 3
    assert any(rest.texts) and not rest.texts[9]


@pytest.mark.parametrize(("engine", "path", "extractor"), CASES)
def test_every_cell_has_provenance(engine: str, path: Path, extractor: str) -> None:
    document = pdf_document(path, engine)
    for table in document.tables:
        for row in table.rows:
            assert [cell.column for cell in row.cells] == list(range(11))
            for cell in row.cells:
                assert cell.page in row.pages
                if cell.text:
                    x0, top, x1, bottom = cell.bbox
                    assert 0 <= x0 < x1 <= 842 and 0 <= top < bottom <= 596


@pytest.mark.parametrize(("engine", "path", "extractor"), CASES)
def test_defects_preserved_in_pdf(engine: str, path: Path, extractor: str) -> None:
    """The source's defects come out of the PDF as they are in the text."""
    document = pdf_document(path, engine)
    tec = data_rows(document.tables[3])
    shifted = next(row for row in tec if row[3].startswith("1.3 Attrarre"))
    assert shifted[:3] == ["", "", ""] and shifted[10] == "5"
    at_zero = next(row for row in tec if row[0].startswith("9.3.2.6"))
    assert at_zero[8:] == ["", "", ""]
    sap = data_rows(document.tables[1])
    assert ["", "5.2 Biblioteca e attività culturali"] + [""] * 9 in sap
    assert all(table.rows[-1].texts[0] == "totale" for table in document.tables)


@pytest.mark.parametrize(("engine", "path", "extractor"), CASES)
def test_preamble_and_page_count(engine: str, path: Path, extractor: str) -> None:
    document = pdf_document(path, engine)
    assert document.preamble == text_document().preamble
    assert document.page_count == PAGE_COUNTS[path]
