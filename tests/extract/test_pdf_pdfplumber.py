"""pdfplumber engine on small pages drawn here with reportlab (no fixture file: each test
draws the geometry it is about into ``tmp_path``)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from extract.pdf_pdfplumber import HRULES, read_pdf

FONT, SIZE = "Helvetica", 9.0
#: A horizontal rule's spans (x0, x1) under a row, and one across the whole page.
Spans = list[tuple[float, float]]


def draw_ruled_page(
    path: Path,
    columns: tuple[float, ...],
    texts: list[tuple[int, float, str]],
    rules: list[tuple[float, Spans | None]],
) -> None:
    """A landscape A4 page with ``texts`` (column, top, text) at the x of their column and
    horizontal rules at each top (the spans given, or full width for None): a word
    processor's table, which draws no vertical rule."""
    width, height = landscape(A4)
    pdf = canvas.Canvas(str(path), pagesize=(width, height))
    pdf.setFont(FONT, SIZE)
    for column, top, text in texts:
        pdf.drawString(columns[column], height - top - SIZE, text)
    for top, spans in rules:
        for x0, x1 in spans or [(45.0, width - 40.0)]:
            pdf.line(x0, height - top, x1, height - top)
    pdf.save()


def test_rows_stay_apart_where_a_rule_stops_at_a_merged_cell(tmp_path: Path) -> None:
    """A word processor draws only horizontal rules; under a cell merged over two rows
    (the mission) the rule between the rows is interrupted, ending at the cell borders a
    padding left of the next column's text. The second row's description used to be read
    into the first row, the rule not reaching the column boundary read from the text."""
    path = tmp_path / "merged.pdf"
    columns = (50.0, 130.0, 300.0, 420.0)
    texts = [  # (column, top, text)
        *((0, 80.0, "Codice"), (1, 80.0, "Descrizione"), (2, 80.0, "Missione")),
        (3, 80.0, "Indicatori"),
        *((0, 96.0, "1.1"), (1, 96.0, "Programma di manutenzione"), (1, 107.0, "ordinaria")),
        *((2, 96.0, "Missione 10"), (3, 96.0, "Interventi eseguiti")),
        *((0, 124.0, "1.2"), (1, 124.0, "Nuove piste ciclabili"), (3, 124.0, "Km di piste")),
        *((0, 140.0, "Totale"), (3, 140.0, "100%")),
    ]
    interrupted = [(45.0, columns[2] - 5.0), (columns[3] - 5.0, landscape(A4)[0] - 40.0)]
    rules = [(78.0, None), (94.0, None), (122.0, interrupted), (138.0, None), (152.0, None)]
    draw_ruled_page(path, columns, texts, rules)

    reading = read_pdf(path)

    assert reading.extractor == HRULES
    assert [row.texts for fragment in reading.fragments for row in fragment.rows] == [
        ["Codice", "Descrizione", "Missione", "Indicatori"],
        ["1.1", "Programma di manutenzione ordinaria", "Missione 10", "Interventi eseguiti"],
        ["1.2", "Nuove piste ciclabili", "", "Km di piste"],
        ["Totale", "", "", "100%"],
    ]


def test_winansi_bullets_read_as_cid_127_are_bullets() -> None:
    """Regression (corpus altopiano, ReportLab): ReportLab draws "•" as WinAnsi code 127,
    which the PDF reference maps to the bullet and pdfminer reads "(cid:127)"."""
    pdf = Path(__file__).parents[1] / "fixtures/corpus/altopiano/altopiano.reportlab.pdf"
    texts = [cell.text for fragment in read_pdf(pdf).fragments for row in fragment.rows
             for cell in row.cells]  # fmt: skip
    assert not [text for text in texts if "(cid:" in text]
    assert (
        "• Controlli semestrali sulla sezione • Relazione annuale del responsabile"
        in " | ".join(texts)
    )


def test_a_heading_row_crossing_a_merged_cells_border_does_not_keep_its_rows_together(
    tmp_path: Path,
) -> None:
    """A sector heading merged across the table, printed above a cell merged over two rows
    (Writer's rendering of a spreadsheet grid with the Missione merged), crosses the x
    where the interrupted rule ends: that rule end was refused as the column border and the
    second row was read into the first, weights and all."""
    path = tmp_path / "merged_under_heading.pdf"
    columns = (50.0, 90.0, 200.0, 420.0)
    texts = [  # (column, top, text)
        *((0, 80.0, "Punti"), (1, 80.0, "Missione"), (2, 80.0, "Obiettivo")),
        (3, 80.0, "Indicatori"),
        (0, 96.0, "AREA SERVIZI FINANZIARI E TRIBUTARI DELL'ENTE - FIN"),
        *((0, 112.0, "25"), (1, 112.0, "Missione 01"), (2, 112.0, "OB. 1 RISCOSSIONE")),
        (3, 112.0, "Avvisi emessi"),
        *((0, 140.0, "75"), (2, 140.0, "OB. 2 CONTROLLO"), (3, 140.0, "Servizi misurati")),
        *((0, 156.0, "100"), (1, 156.0, "Totale punti area FIN")),
    ]
    interrupted = [(45.0, columns[1] - 5.0), (columns[2] - 5.0, landscape(A4)[0] - 40.0)]
    rules = [(78.0, None), (94.0, None), (110.0, None), (138.0, interrupted)]
    draw_ruled_page(path, columns, texts, [*rules, (154.0, None), (168.0, None)])

    reading = read_pdf(path)

    rows = [row.texts for fragment in reading.fragments for row in fragment.rows]
    assert reading.extractor == HRULES
    assert ["25", "Missione 01", "OB. 1 RISCOSSIONE", "Avvisi emessi"] in rows
    assert ["75", "", "OB. 2 CONTROLLO", "Servizi misurati"] in rows


# a ruled table cut by the page end ---------------------------------------------------------

from extract.pdf_pdfplumber import open_floor  # noqa: E402


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"orientation": orientation, "x0": x0, "top": top, "x1": x1, "bottom": bottom}


def _cut_table(closed: bool) -> list[dict]:
    """Three columns down to y=555; the first column's cell (merged over rows that go on to
    the next page) has no bottom rule unless ``closed``."""
    edges = [_edge("v", x, 500, x, 555) for x in (40, 258, 378, 507)]
    edges += [_edge("h", 40, 500, 507, 500), _edge("h", 258, 555, 507, 555)]
    return edges + ([_edge("h", 40, 555, 258, 555)] if closed else [])


def test_open_floor_of_a_cut_merged_cell_is_closed():
    assert open_floor(_cut_table(closed=False)) == [555]


def test_closed_floor_needs_no_rule():
    assert open_floor(_cut_table(closed=True)) == []
