"""Rows cut by a page break, re-joined after the header is mapped (normalize.pages).

Unit tests on small synthetic tables, then the PDF fixtures (both engines): every row their
layout broke across pages (``*.breaks.json``, written by ``tests/fixtures/make_pdfs.py``) is
one row again, and the data rows equal the text engine's.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from extract import RawDocument, RawRow, RawTable, read_document
from extract.model import RawCell
from normalize.pages import is_continuation, join_cell_parts, rejoin_across_pages
from normalize.quality import Finding
from normalize.settings import NormalizeSettings

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
RULED = FIXTURES / "portomaggiore_ruled.pdf"
BORDERLESS = FIXTURES / "portomaggiore_borderless.pdf"
SETTINGS = NormalizeSettings()
HEADER = ["Missione", "Indirizzi/Obiettivi strategici", "Linee programmatiche",
          "Obiettivi gestionali", "Indicatore di risultato", "Valore indicatore",
          "Tempi di realizzazione", "Assessore di riferimento", "Settore di riferimento",
          "priorità/peso assegnato da giunta", "Ponderazione relativa obiettivo"]  # fmt: skip
#: The mapping of HEADER (canonical column -> index).
MAPPING = {"mission": 0, "strategic": 1, "programme_line": 2, "objective": 3, "indicator": 4,
           "target": 5, "deadline": 6, "assessore": 7, "responsible": 8, "weight": 9,
           "weighting_pct": 10}  # fmt: skip
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def row(texts: list[str], page: int) -> RawRow:
    cells = tuple(RawCell(text=t, column=i, page=page) for i, t in enumerate(texts))
    return RawRow(cells=cells, pages=(page,))


def padded(**cells: str) -> list[str]:
    texts = [""] * 11
    for key, value in cells.items():
        texts[int(key[1:])] = value
    return texts


def rejoined(rows: list[RawRow]) -> tuple[RawTable, list[Finding]]:
    findings: list[Finding] = []
    table = RawTable("SETTORE PROVA (PRV)", tuple(rows), 0)
    return rejoin_across_pages(table, SETTINGS, "PRV", findings), findings


def test_continuation_has_no_key_cells_and_no_weight() -> None:
    cut = padded(c3="1.1.1 PRIMO", c9="4")
    assert is_continuation(cut, padded(c3="lavoro - attraverso", c8="servizio"), MAPPING)
    assert not is_continuation(cut, padded(c3="1.1.3 Realizzazione", c9="4"), MAPPING)
    assert not is_continuation(cut, padded(c0="M 02", c3="servizio"), MAPPING)
    assert not is_continuation(cut, padded(c1="5.2 Biblioteca e attività culturali"), MAPPING)
    assert not is_continuation(cut, [""] * 11, MAPPING)


def test_sap_4_1_2_1_mentioned_codes_in_a_continued_cell_still_continue() -> None:
    """The SAP 4.1.2.1 cell names 4.1.3.1 and 4.1.4.1; cut before "4.1.3.1 SCUOLA ...", its
    second part opens with a code but has no weight while the cut row has one."""
    cut = padded(c3="POTENZIAMENTO DEI SERVIZI\n4.1.2.1 SCUOLE D'INFANZIA", c9="5")
    rest = padded(c3="4.1.3.1 SCUOLA PRIMARIA E SECONDARIA", c4="c) contributi")
    assert is_continuation(cut, rest, MAPPING)
    assert not is_continuation(padded(c3="4.1.1.1 X"), rest, MAPPING)  # neither weighs


def test_without_weight_column_a_code_opens_a_new_row() -> None:
    mapping = {"objective": 0, "indicator": 1, "target": 2}
    assert not is_continuation(["1.1 A", "x", "y"], ["1.2 B", "z", ""], mapping)
    assert is_continuation(["1.1 A", "x", "y"], ["", "z", "w"], mapping)


def test_weight_printed_in_the_second_part_is_joined() -> None:
    """A weight centred vertically in its cell lands in the part on the next page."""
    assert is_continuation(padded(c3="1.1.1 PRIMO"), padded(c4="b) altro", c9="3"), MAPPING)


def test_row_broken_over_three_pages_is_rejoined_once_per_break() -> None:
    first = row(padded(c0="M 01", c3="1.1.1 ANTI", c4="a) uno", c9="5", c10="26%"), 1)
    rows = [
        row(HEADER, 1),
        row(padded(c0="M 02", c3="2.1.1 X", c4="b", c9="3", c10="10%"), 1),
        first,
        row(HEADER, 2),
        row(padded(c4="due"), 2),
        row(HEADER, 3),
        row(padded(c4="tre", c8="Dirigente"), 3),
        row(padded(c0="totale", c9="8", c10="100%"), 3),
    ]
    table, findings = rejoined(rows)
    joined = table.rows[2]
    assert joined.pages == (1, 2, 3)
    assert joined.texts[4] == "a) uno due tre" and joined.texts[8] == "Dirigente"
    assert [r.texts[0] for r in table.rows] == ["Missione", "M 02", "M 01", "Missione",
                                                "Missione", "totale"]  # fmt: skip
    assert [(f.rule, f.page, f.objective_code) for f in findings] == [
        ("row_rejoined_across_pages", 1, "1.1.1"),
        ("row_rejoined_across_pages", 2, "1.1.1"),
    ]
    assert "1.1.1 ANTI" in findings[0].message and "page 2 to page 3" in findings[1].message


def test_title_cut_mid_line_reads_on() -> None:
    rows = [
        row(HEADER, 1),
        row(padded(c3="1.2.1 GESTIONE DEL", c9="3", c10="100%"), 1),
        row(HEADER, 2),
        row(padded(c3="PERSONALE e formazione", c4="b) due"), 2),
    ]
    table, findings = rejoined(rows)
    assert table.rows[1].texts[3] == "1.2.1 GESTIONE DEL PERSONALE e formazione"
    assert [f.rule for f in findings] == ["row_rejoined_across_pages"]


def test_a_list_item_on_the_next_page_keeps_its_line() -> None:
    assert join_cell_parts("a) uno", "b) due") == "a) uno\nb) due"
    assert join_cell_parts("GESTIONE DEL", "PERSONALE") == "GESTIONE DEL PERSONALE"


def test_no_join_after_a_total_or_on_the_same_page() -> None:
    rows = [
        row(HEADER, 1),
        row(padded(c3="1.1.1 A", c9="3"), 1),
        row(padded(c4="same page"), 1),
        row(padded(c0="totale", c9="3"), 1),
        row(HEADER, 2),
        row(padded(c4="after a total"), 2),
    ]
    table, findings = rejoined(rows)
    assert len(table.rows) == len(rows) and findings == []


# --- the PDF fixtures -------------------------------------------------------------------

CASES = [
    pytest.param("pdfplumber", RULED, id="pdfplumber-ruled"),
    pytest.param("camelot", RULED, id="camelot-ruled"),
    pytest.param("pdfplumber", BORDERLESS, id="pdfplumber-borderless"),
    pytest.param("camelot", BORDERLESS, id="camelot-borderless"),
]


def clean(text: str) -> str:
    """Cell text as the PDF prints it: HTML tags stripped, whitespace collapsed."""
    return " ".join(_TAG.sub(" ", text).split())


def row_key(raw: RawRow) -> str:
    return " | ".join(clean(text).lower() for text in raw.texts if clean(text))


def data_rows(table: RawTable, header_rows: int = 3) -> list[list[str]]:
    """Cleaned cells of the rows that are not header rows (fuzzy, as the normaliser does)."""
    headers = [row_key(raw) for raw in table.rows[:header_rows]]
    return [
        [clean(text) for text in raw.texts]
        for raw in table.rows
        if not any(fuzz.ratio(row_key(raw), header) >= 90 for header in headers)
    ]


@cache
def document(path: Path, engine: str) -> RawDocument:
    return read_document(path, engine=engine)


@cache
def rejoined_document(path: Path, engine: str) -> tuple[list[RawTable], list[Finding]]:
    findings: list[Finding] = []
    tables = [
        rejoin_across_pages(table, SETTINGS, table.heading[-4:-1], findings)
        for table in document(path, engine).tables
    ]
    return tables, findings


@pytest.mark.parametrize(("engine", "path"), CASES)
def test_pdf_rows_rejoined_equal_text_rows(engine: str, path: Path) -> None:
    tables, _ = rejoined_document(path, engine)
    text_tables = document(TEXT_SOURCE, "text").tables
    for pdf_table, text_table in zip(tables, text_tables, strict=True):
        pdf_rows, text_rows = data_rows(pdf_table), data_rows(text_table)
        assert len(pdf_rows) == len(text_rows), pdf_table.heading
        for pdf_row, text_row in zip(pdf_rows, text_rows, strict=True):
            assert pdf_row == text_row


@pytest.mark.parametrize(("engine", "path"), CASES)
def test_broken_rows_are_rejoined(engine: str, path: Path) -> None:
    tables, findings = rejoined_document(path, engine)
    rows = {tuple(raw.pages): raw for table in tables for raw in table.rows}
    expected = json.loads(path.with_suffix(".breaks.json").read_text())
    # One finding per page break a row crosses: a row over three pages is re-joined twice.
    assert len(findings) == sum(len(broken["pages"]) - 1 for broken in expected)
    assert {finding.rule for finding in findings} == {"row_rejoined_across_pages"}
    for broken in expected:
        raw = rows[tuple(broken["pages"])]
        assert clean(broken["row"]) in " ".join(raw.texts)
        for page in broken["pages"][:-1]:
            assert any(f.page == page and f.severity == "info" for f in findings)


@pytest.mark.parametrize(("engine", "path"), CASES)
def test_known_broken_row_staff_1_1_2(engine: str, path: Path) -> None:
    """STAFF 1.1.2 is cut by the page 2/3 break of both fixtures: one row, pages (2, 3)."""
    tables, findings = rejoined_document(path, engine)
    (raw,) = [r for r in tables[0].rows if r.texts[3].startswith("1.1.2 REALIZZAZIONE")]
    assert raw.pages == (2, 3)
    text_row = next(
        r for r in document(TEXT_SOURCE, "text").tables[0].rows if r.texts[3].startswith("1.1.2")
    )
    assert [clean(text) for text in raw.texts] == [clean(text) for text in text_row.texts]
    assert raw.texts[8].endswith("responsabile del servizio")
    (finding,) = [f for f in findings if f.page == 2]
    assert finding.objective_code == "1.1.2"
    assert "1.1.2 REALIZZAZIONE" in finding.message and "page 2 to page 3" in finding.message


# --- a word processor's rendering of the shipped document ------------------------------

WRITER = FIXTURES / "corpus" / "portomaggiore" / "portomaggiore.writer.pdf"


@cache
def writer_objectives(engine: str) -> list[dict]:
    import datetime as dt

    import normalize

    raw = read_document(WRITER, engine=engine)
    at = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    return normalize.normalize_document(raw, extracted_at=at).table("objectives")


@pytest.mark.parametrize("engine", ["pdfplumber", "camelot"])
def test_sap_4_1_2_1_cut_by_page_breaks_stays_one_objective(engine: str) -> None:
    """LibreOffice Writer's borderless rendering (tests/fixtures/corpus, narrow columns,
    headings wrapped over 6-8 lines, cell padding thinner than a line): the SAP 4.1.2.1 cell
    names 4.1.2.1, 4.1.3.1 and 4.1.4.1 and runs over two page breaks; the parts after each
    break open with a code but carry no weight: one objective, as in the text."""
    objectives = writer_objectives(engine)
    by_sector: dict[str, list[str]] = {}
    for objective in objectives:
        by_sector.setdefault(objective["sector_code"], []).append(objective["objective_code"])
    assert {sector: len(codes) for sector, codes in by_sector.items()} == {
        "STAFF": 5,
        "SAP": 16,
        "FIN": 10,
        "TEC": 17,
    }
    (sap,) = [
        o for o in objectives if (o["sector_code"], o["objective_code"]) == ("SAP", "4.1.2.1")
    ]
    assert sap["codes"] == ["4.1.2.1", "4.1.3.1", "4.1.4.1"]
    assert sap["weight"] == 5 and len(sap["source_pages"]) >= 2
    assert "4.1.3.1 SCUOLA PRIMARIA E SECONDARIA" in sap["description"]


def test_continuation_is_found_whatever_the_column_order() -> None:
    """Weight first, code in its own last column: the same decision as in the shipped
    layout, taken from the mapped header, not from column positions."""
    header = ["Peso", "Indicatori", "Descrizione e risultato atteso", "Codice"]
    rows = [
        row(header, 1),
        row(["3", "a) uno", "GESTIONE DEL", "1.2.1"], 1),
        row(header, 2),
        row(["", "b) due", "PERSONALE e formazione", ""], 2),
        row(["2", "a) altro", "ARCHIVIO", "1.2.2"], 2),
    ]
    table, findings = rejoined(rows)
    assert [r.texts for r in table.rows if r.texts != header] == [
        ["3", "a) uno\nb) due", "GESTIONE DEL PERSONALE e formazione", "1.2.1"],
        ["2", "a) altro", "ARCHIVIO", "1.2.2"],
    ]
    assert table.rows[1].pages == (1, 2)
    assert [f.rule for f in findings] == ["row_rejoined_across_pages"]


def test_next_indicator_of_a_group_merged_over_the_break_is_not_joined() -> None:
    mapping = {"objective": 0, "indicator": 1, "target": 2}
    assert not is_continuation(["", "Seconda voce", "10"], ["", "Terza voce", "12"], mapping)
    assert is_continuation(["", "Seconda voce", "10"], ["", "che continua", ""], mapping)


def test_indicator_rows_with_baseline_over_the_break_are_not_joined() -> None:
    mapping = {"objective": 0, "indicator": 1, "baseline": 2, "target": 3}
    assert not is_continuation(["1.1 A", "x", "5", "6"], ["", "y", "7", "8"], mapping)


def test_cut_row_read_before_its_columns_are_realigned_is_still_joined() -> None:
    """A row shifted to column 0 holds text under the objective's own columns: cut, not a
    group's indicator row, whatever its second part prints."""
    mapping = {"mission": 0, "objective": 1, "indicator": 2, "target": 3}
    previous = ["9.3.2.6 OPERE", "Dirigente", "firma", "entro aprile"]
    assert is_continuation(previous, ["", "", "revisione", "entro maggio"], mapping)


def test_a_one_line_dash_list_reads_on_into_its_next_page_part() -> None:
    """A PDF reader joins a cell's lines ("- A - B"); the part after the page break ("- C")
    used to start a new line, so A and C opened lines and B's dash stopped counting: two
    items, "B - C" glued. The list now reads on inline, like its first part."""
    from normalize.items import split_marked
    from normalize.pages import join_cell_parts

    joined = join_cell_parts("- Procedimenti mappati - Richieste via e-mail", "- Schede on-line")

    assert joined == "- Procedimenti mappati - Richieste via e-mail - Schede on-line"
    assert [p.text for p in split_marked(joined).pieces] == [
        "Procedimenti mappati",
        "Richieste via e-mail",
        "Schede on-line",
    ]


def test_a_list_on_lines_of_its_own_keeps_the_next_part_on_a_new_line() -> None:
    from normalize.pages import join_cell_parts

    assert join_cell_parts("<p>- A</p> <p>- B</p>", "- C").endswith("\n- C")
    assert join_cell_parts("Titolo tagliato", "- C") == "Titolo tagliato\n- C"
