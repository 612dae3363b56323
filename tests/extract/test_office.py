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


def sectors_bytes(sheets: dict[str, list[list[object]]], banners: bool) -> bytes:
    """A workbook with one sheet per sector: the rows given, and (``banners``) each one-value
    row that directly precedes a row of several values merged across the sheet's columns."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        width = max(len(row) for row in rows)
        for number, row in enumerate(rows, start=1):
            sheet.append(row)
            following = rows[number] if number < len(rows) else []
            if banners and len(row) == 1 and len(following) > 1:
                sheet.merge_cells(
                    start_row=number, start_column=1, end_row=number, end_column=width
                )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


BANNER = "PIANO DELLA PERFORMANCE 2025-2027 - OBIETTIVI OPERATIVI"
SECTOR_SHEETS: dict[str, list[list[object]]] = {
    "SGP": [
        ["AREA SERVIZI GENERALI E PERSONALE - SGP"],
        [],
        [BANNER],
        ["N.", "Obiettivo operativo", "Indicatore", "Scadenza", "Punti"],
        ["Ob. 1", "GESTIONE DEL PERSONALE. Concorsi", "1) Concorsi banditi", "31.12.2025", 60],
        ["Ob. 2", "TRASPARENZA. Controlli", "1) Controlli", "30/06/2025", 40],
        ["TOTALE AREA SGP", None, None, None, 100],
    ],
    "PL": [
        ["AREA POLIZIA LOCALE - PL"],
        [],
        [BANNER],
        ["N.", "Obiettivo operativo", "Indicatore", "Scadenza", "Punti"],
        ["Ob. 1", "SICUREZZA URBANA. Telecamere", "1) Telecamere installate", "30/06/2026", 100],
        ["TOTALE AREA PL", None, None, None, 100],
    ],
}


def test_xlsx_banner_merged_above_the_header_is_a_row_not_the_sector_heading(
    tmp_path: Path,
) -> None:
    """Defect (basso_reno, roccabella, fontanelle xlsx): a banner merged across the sheet
    just above the header was read as the table's heading, so the sector heading above it
    went to the preamble (first sheet) or was joined with the banner ("PLPPPO"). The banner
    is the table's first row, as in the text rendering; the heading is the sector's."""
    path = tmp_path / "settori.xlsx"
    path.write_bytes(sectors_bytes(SECTOR_SHEETS, banners=True))
    document = read_document(path)
    assert document.preamble == ""
    assert [table.heading for table in document.tables] == [
        "AREA SERVIZI GENERALI E PERSONALE - SGP",
        "AREA POLIZIA LOCALE - PL",
    ]
    assert [table.rows[0].texts for table in document.tables] == [[BANNER, "", "", "", ""]] * 2
    assert [table.rows[0].cells[0].source_row for table in document.tables] == [3, 3]
    objectives = normalize.normalize_document(document, extracted_at=AT).table("objectives")
    assert [(r["sector_code"], r["objective_code"], r["weight"]) for r in objectives] == [
        ("SGP", "1", 60),
        ("SGP", "2", 40),
        ("PL", "1", 100),
    ]


def test_xlsx_unmerged_one_value_rows_above_the_header_stay_the_heading(tmp_path: Path) -> None:
    """Only a row merged across columns joins the table: the same sheets without merges
    keep both lines as text (the banner, last, is then the heading of the second sheet)."""
    path = tmp_path / "settori.xlsx"
    path.write_bytes(sectors_bytes(SECTOR_SHEETS, banners=False))
    document = read_document(path)
    assert document.preamble == "AREA SERVIZI GENERALI E PERSONALE - SGP"
    assert [table.heading for table in document.tables] == [
        BANNER,
        f"AREA POLIZIA LOCALE - PL {BANNER}",
    ]
    assert [table.rows[0].texts[0] for table in document.tables] == ["N.", "N."]


def test_xlsx_rows_are_as_wide_as_the_sheet_so_a_header_printed_once_carries(
    tmp_path: Path,
) -> None:
    """Defect (monteluce xlsx): a last column empty in every data row (Note) made the rows
    narrower than the header, so the second sector on the sheet, printed without a header,
    could not take the first's header and lost its title and responsible."""
    path = tmp_path / "servizi.xlsx"
    header = ["Codice", "Obiettivo", "Descrizione", "Pesatura", "Responsabile", "Note"]
    path.write_bytes(
        sheet_bytes(
            [
                ["SERVIZIO VIABILITA (VT)"],
                [],
                header,
                ["OB.01", "Strade sicure", "Manutenzione delle strade", "100%", "Ing. Galli"],
                ["Totale", None, None, "100%"],
                [],
                ["SERVIZIO AMBIENTE (AMB)"],
                [],
                ["OB.01", "Raccolta differenziata", "Aumento della raccolta", "100%", "Dott. Riva"],
                ["Totale", None, None, "100%"],
            ]
        )
    )
    document = read_document(path)
    assert {len(row.texts) for table in document.tables for row in table.rows} == {6}
    objectives = normalize.normalize_document(document, extracted_at=AT).table("objectives")
    assert [(r["sector_code"], r["title"], r["responsible"]) for r in objectives] == [
        ("VT", "Strade sicure", "Ing. Galli"),
        ("AMB", "Raccolta differenziata", "Dott. Riva"),
    ]


def test_ods_banner_spanning_columns_is_a_row_not_the_sector_heading(tmp_path: Path) -> None:
    """The ODS twin of the banner defect: a cell spanning columns (number-columns-spanned)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    book = OpenDocumentSpreadsheet()
    for title, rows in SECTOR_SHEETS.items():
        sheet = Table(name=title)
        for texts in rows:
            row = TableRow()
            spanning = texts == [BANNER]
            for value in texts:
                cell = TableCell(valuetype="string", numbercolumnsspanned=5 if spanning else 1)
                if value is not None:
                    cell.addElement(P(text=str(value)))
                row.addElement(cell)
            for _ in range(4 if spanning else 0):
                row.addElement(CoveredTableCell())
            sheet.addElement(row)
        book.spreadsheet.addElement(sheet)
    buffer = io.BytesIO()
    book.write(buffer)
    path = tmp_path / "settori.ods"
    path.write_bytes(buffer.getvalue())
    document = read_document(path)
    assert document.preamble == ""
    assert [table.heading for table in document.tables] == [
        "AREA SERVIZI GENERALI E PERSONALE - SGP",
        "AREA POLIZIA LOCALE - PL",
    ]
    assert [table.rows[0].texts for table in document.tables] == [[BANNER, "", "", "", ""]] * 2


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


def test_docx_cards_printed_as_paragraphs_are_read_as_rows(tmp_path: Path) -> None:
    """Labels repeated card after card (``Finalità:``, ``Peso:``, ``Settore:``): every
    paragraph from the first card's title on is a row, ``Label: value`` as two cells, and the
    indicator tables' rows keep their place."""
    import docx

    word = docx.Document()
    word.add_paragraph("UNIONE DEI COMUNI DI PROVA")
    for number in (1, 2, 3):
        word.add_paragraph(f"Obiettivo n. {number} – Titolo {number}")
        word.add_paragraph("Settore: Polizia Locale")
        word.add_paragraph(f"Finalità: scopo {number}")
        word.add_paragraph(f"Peso: {number}0 punti")
        table = word.add_table(rows=2, cols=3)
        printed = (("Indicatore", "Target", "Scadenza"), (f"Verbali {number}", "100", "31/12/2025"))
        for row, texts in zip(table.rows, printed, strict=True):
            for cell, text in zip(row.cells, texts, strict=True):
                cell.text = text
    path = tmp_path / "schede.docx"
    word.save(path)
    [table] = read_document(path).tables
    assert table.heading == "UNIONE DEI COMUNI DI PROVA"
    assert [list(row.texts) for row in table.rows[:6]] == [
        ["Obiettivo n. 1 – Titolo 1"],
        ["Settore", "Polizia Locale"],
        ["Finalità", "scopo 1"],
        ["Peso", "10 punti"],
        ["Indicatore", "Target", "Scadenza"],
        ["Verbali 1", "100", "31/12/2025"],
    ]
    assert len(table.rows) == 18
