"""PDF engines against the text engine: the PDF of a document must give the same tables.

The PDFs are generated from the shipped text attachment by ``tests/fixtures/make_pdfs.py``;
``*.breaks.json`` beside them lists the rows their layout broke across pages.
"""

from __future__ import annotations

import json
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

#: (engine, fixture, extractor it must choose per document). Both engines read both PDFs
#: exactly: the ruled one from its rules, the borderless one from its words' layout.
CASES = [
    pytest.param("pdfplumber", RULED, "pdfplumber-lines", id="pdfplumber-ruled"),
    pytest.param("auto", RULED, "pdfplumber-lines", id="auto-ruled"),
    pytest.param("camelot", RULED, "camelot-lattice", id="camelot-ruled"),
    pytest.param("pdfplumber", BORDERLESS, "pdfplumber-text", id="pdfplumber-borderless"),
    pytest.param("auto", BORDERLESS, "pdfplumber-text", id="auto-borderless"),
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


def breaks(path: Path) -> list[dict]:
    return json.loads(path.with_suffix(".breaks.json").read_text())


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
def test_data_rows_equal_text_engine(engine: str, path: Path, extractor: str) -> None:
    document = pdf_document(path, engine)
    for pdf_table, text_table in zip(document.tables, text_document().tables, strict=True):
        pdf_rows, text_rows = data_rows(pdf_table), data_rows(text_table)
        assert len(pdf_rows) == len(text_rows), pdf_table.heading
        for pdf_row, text_row in zip(pdf_rows, text_rows, strict=True):
            assert pdf_row == text_row


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
def test_broken_rows_are_rejoined(engine: str, path: Path, extractor: str) -> None:
    document = pdf_document(path, engine)
    rows = {tuple(row.pages): row for table in document.tables for row in table.rows}
    notes = [note for note in document.notes if note.rule == "row_rejoined_across_pages"]
    expected = breaks(path)
    # One note per page break a row crosses: a row over three pages is re-joined twice.
    assert len(notes) == sum(len(broken["pages"]) - 1 for broken in expected)
    for broken in expected:
        row = rows[tuple(broken["pages"])]
        assert clean(broken["row"]) in " ".join(row.texts)
        for page in broken["pages"][:-1]:
            assert any(note.page == page and note.severity == "info" for note in notes)


@pytest.mark.parametrize(("engine", "path", "extractor"), CASES)
def test_known_broken_row_staff_1_1_2(engine: str, path: Path, extractor: str) -> None:
    """STAFF 1.1.2 is cut by the page 2/3 break of both fixtures: one row, pages (2, 3)."""
    assert {"sector": "STAFF", "pages": [2, 3]}.items() <= breaks(path)[0].items()
    document = pdf_document(path, engine)
    staff = document.tables[0]
    (row,) = [row for row in staff.rows if row.texts[3].startswith("1.1.2 REALIZZAZIONE")]
    assert row.pages == (2, 3)
    text_row = next(r for r in text_document().tables[0].rows if r.texts[3].startswith("1.1.2"))
    assert [clean(text) for text in row.texts] == [clean(text) for text in text_row.texts]
    assert row.texts[8].endswith("responsabile del servizio")
    (note,) = [note for note in document.notes if note.page == 2]
    assert note.rule == "row_rejoined_across_pages"
    assert "1.1.2 REALIZZAZIONE" in note.message and "page 2 to page 3" in note.message


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
