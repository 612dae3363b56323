"""DOCX, XLSX and ODS attachments: tables read from the documents' own cell structure.

The twins of the shipped document are made by ``tests/fixtures/make_office.py`` (python-docx,
openpyxl, odfpy); once normalised they must give the same sectors, objectives, items and
dates as the text, and every cell must say where it sits (table / sheet, row, column).
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path

import pytest

import normalize
from extract import read_document
from extract.errors import ExtractError, NoTableError, UnsupportedFormatError

ROOT = Path(__file__).resolve().parents[2]
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
FIXTURES = ROOT / "tests" / "fixtures"
DOCX, XLSX, ODS = (FIXTURES / f"portomaggiore.{suffix}" for suffix in ("docx", "xlsx", "ods"))
AT = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
#: Provenance differs by construction (pages, lines, boxes, row positions); content must not.
PROVENANCE = {"doc_id", "page", "pages", "line", "bbox", "source_line", "row_index"}


def comparable(value: object) -> object:
    return " ".join(value.split()) if isinstance(value, str) else value


def content(records: list[dict]) -> list[dict]:
    return [
        {k: comparable(v) for k, v in r.items() if k not in PROVENANCE and "page" not in k}
        for r in records
    ]


@cache
def normalised(path: Path):
    return normalize.normalize_document(read_document(path), extracted_at=AT)


def cell_texts(path: Path) -> list[list[str]]:
    return [[row.texts for row in table.rows] for table in read_document(path).tables]


def assert_one_line(error: ExtractError, path: Path) -> None:
    assert "\n" not in str(error)
    assert str(error).startswith(f"{path}: ")


@pytest.mark.parametrize("path", [DOCX, XLSX, ODS], ids=lambda path: path.suffix[1:])
@pytest.mark.parametrize("table", ["sectors", "objectives", "items", "dates"])
def test_office_twin_normalises_like_text(path: Path, table: str) -> None:
    assert content(normalised(path).table(table)) == content(normalised(TEXT_SOURCE).table(table))


@pytest.mark.parametrize("path", [DOCX, XLSX, ODS], ids=lambda path: path.suffix[1:])
def test_office_twin_objectives_and_weights(path: Path, expected) -> None:
    objectives = normalised(path).table("objectives")
    codes: dict[str, list[str]] = {}
    for record in objectives:
        codes.setdefault(record["sector_code"], []).append(record["objective_code"])
    assert codes == expected.OBJECTIVE_CODES
    weights = {
        sector: sum(r["weight"] or 0 for r in objectives if r["sector_code"] == sector)
        for sector in codes
    }
    assert weights == {sector: total for sector, (total, _, _) in expected.SECTORS.items()}


@pytest.mark.parametrize(
    ("path", "source_format", "extractor"),
    [(DOCX, "docx", "python-docx"), (XLSX, "xlsx", "openpyxl"), (ODS, "ods", "odfpy")],
)
def test_office_document_header(path: Path, source_format: str, extractor: str) -> None:
    document = read_document(path)
    assert (document.source_format, document.extractor) == (source_format, extractor)
    assert [table.heading for table in document.tables] == [
        table.heading for table in read_document(TEXT_SOURCE).tables
    ]
    assert document.preamble == read_document(TEXT_SOURCE).preamble


def test_docx_table_cut_at_a_page_break_is_one_table() -> None:
    """The SAP table is two Word tables with a page break between: one sector table."""
    document = read_document(DOCX)
    sap = document.tables[1]
    assert {cell.source_table for row in sap.rows for cell in row.cells} == {2, 3}
    assert sap.pages == (3, 4)
    assert len(normalised(DOCX).table("objectives")) == 48


def test_docx_merged_cells_appear_once_at_their_first_grid_position() -> None:
    staff = read_document(DOCX).tables[0]
    banner = staff.rows[0].texts
    assert banner[0] == "DOCUMENTO UNICO DI PROGRAMMAZIONE (DUP) 2023-2025"
    assert banner[1:3] == ["", ""]
    assert banner[3].startswith("Piano Integrato Attività e Organizzazione 2023-2025")
    assert len(banner) == 11
    # Missione merged down over the rows below: text once, empty below.
    assert staff.rows[3].texts[0] == "M 01 Servizi istituzionali, generali e di gestione"
    assert staff.rows[4].texts[0] == ""


def test_docx_cells_keep_line_breaks_and_say_where_they_are() -> None:
    """The SAP table's first part writes a cell's lines as paragraphs, its second part as line
    breaks inside one paragraph: both come out as newlines."""
    document = read_document(DOCX)
    sap = document.tables[1]
    multi_line = {cell.source_table for row in sap.rows for cell in row.cells if "\n" in cell.text}
    assert multi_line == {2, 3}
    deadline = next(
        cell
        for row in sap.rows
        for cell in row.cells
        if cell.text.startswith("a) entro il 30/06/2023\nb) almeno una all'anno")
    )
    assert (deadline.source_table, deadline.source_row, deadline.column) == (2, 8, 5)
    assert deadline.bbox is None
    assert document.tables[2].rows[-1].cells[0].text == "totale"


def test_xlsx_cells_say_sheet_row_and_column() -> None:
    document = read_document(XLSX)
    staff = document.tables[0]
    first = staff.rows[0].cells[0]
    assert (first.sheet, first.source_row, first.column) == ("STAFF", 3, 0)
    assert first.page == 2  # the sheet's position (the cover sheet is 1)
    assert [table.rows[0].cells[0].sheet for table in document.tables] == [
        "STAFF",
        "SAP",
        "FIN",
        "TEC",
    ]


def test_xlsx_numbers_read_as_printed() -> None:
    """Weights are numbers and percentages numbers with a percent format in the workbook."""
    staff = read_document(XLSX).tables[0]
    last_columns = [row.texts[9:11] for row in staff.rows[3:]]
    assert ["5", "26,3158%"] in last_columns
    assert staff.rows[-1].texts[9:11] == ["19", "100%"]


def sheet_bytes(rows: list[list[object]], title: str = "Obiettivi 2024") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_without_heading_takes_the_sheet_name(tmp_path: Path) -> None:
    path = tmp_path / "obiettivi.xlsx"
    path.write_bytes(
        sheet_bytes([["Obiettivo", "Peso"], ["1.1 Bilancio", 3], ["totale", 3]], "Settore FIN")
    )
    (table,) = read_document(path).tables
    assert table.heading == "Settore FIN"
    assert [row.texts for row in table.rows] == [
        ["Obiettivo", "Peso"],
        ["1.1 Bilancio", "3"],
        ["totale", "3"],
    ]
    assert [row.cells[0].source_row for row in table.rows] == [1, 2, 3]


def test_xlsx_blocks_with_headings_make_two_tables(tmp_path: Path) -> None:
    """Two sectors on one sheet: a heading row above each header; a blank row alone (no
    text) between table rows continues the table."""
    path = tmp_path / "due_settori.xlsx"
    path.write_bytes(
        sheet_bytes(
            [
                ["PIANO DELLA PERFORMANCE 2024"],
                [],
                ["SETTORE AFFARI GENERALI (AG)"],
                ["Obiettivo", "Peso"],
                ["1.1 Protocollo", 2],
                [],
                ["1.2 Archivio", 3],
                [],
                ["SETTORE POLIZIA LOCALE (PL)"],
                ["Obiettivo", "Peso"],
                ["3.1 Sicurezza", 5],
            ]
        )
    )
    document = read_document(path)
    assert document.preamble == "PIANO DELLA PERFORMANCE 2024"
    assert [table.heading for table in document.tables] == [
        "SETTORE AFFARI GENERALI (AG)",
        "SETTORE POLIZIA LOCALE (PL)",
    ]
    assert [len(table.rows) for table in document.tables] == [3, 2]
    assert [row.cells[0].source_row for row in document.tables[0].rows] == [4, 5, 7]


def test_docx_named_pdf_is_read_as_docx_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "allegato.pdf"
    path.write_bytes(DOCX.read_bytes())
    document = read_document(path)
    assert document.source_format == "docx"
    assert document.notes[0].message == "named .pdf but the content is docx; read as docx"


def test_docx_without_tables_is_one_line(tmp_path: Path) -> None:
    import docx

    word = docx.Document()
    word.add_paragraph("Gentile sindaco,")
    word.add_paragraph("si trasmette il piano.")
    path = tmp_path / "lettera.docx"
    word.save(path)
    with pytest.raises(NoTableError) as caught:
        read_document(path)
    assert_one_line(caught.value, path)
    assert caught.value.reason == "no table in the DOCX document (2 paragraphs of text)"


def test_password_protected_xlsx_is_one_line(tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    with XLSX.open("rb") as source:
        OOXMLFile(source).encrypt("segreta", encrypted)
    path = tmp_path / "obiettivi.xlsx"
    path.write_bytes(encrypted.getvalue())
    with pytest.raises(UnsupportedFormatError) as caught:
        read_document(path)
    assert_one_line(caught.value, path)
    assert caught.value.reason == (
        "a password-protected (encrypted) Office document; remove the password and save it again"
    )


def test_legacy_xls_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "obiettivi.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(UnsupportedFormatError) as caught:
        read_document(path)
    assert_one_line(caught.value, path)
    assert "a legacy Office file (.doc/.xls)" in caught.value.reason


def test_damaged_xlsx_is_one_line(tmp_path: Path) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    path = tmp_path / "rotto.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(UnsupportedFormatError) as caught:
        read_document(path)
    assert_one_line(caught.value, path)
    assert caught.value.reason.startswith("an XLSX workbook that cannot be opened")
