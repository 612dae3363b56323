"""A layout's own heading words reach the PDF readers: a page headed with such a
word starts a new sector table, as a SETTORE heading does, instead of continuing the table
of the page before."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from extract import read_document
from piao.pipeline import process_document

HEADER = ["Codice", "Obiettivo operativo", "Indicatore", "Scadenza", "Peso"]
UNITS = {
    "CENTRO DI RESPONSABILITÀ SEGRETERIA (SEG)": [
        ["1.1.1", "ANTICORRUZIONE. Aggiornare le misure", "a) Relazione RPCT", "31/12/2025", "3"],
        ["1.1.2", "TRASPARENZA. Pubblicare i dati", "a) Sezione aggiornata", "30/06/2025", "2"],
    ],
    "CENTRO DI RESPONSABILITÀ TRIBUTI (TRI)": [
        ["4.1.1", "RISCOSSIONE. Recuperare l'evasione", "a) Avvisi emessi", "30/11/2025", "4"],
        ["4.1.2", "SPORTELLO. Ridurre i tempi di attesa", "a) Tempo medio", "31/10/2025", "1"],
    ],
}


def unit_pages_pdf(path: Path) -> Path:
    """Two ruled tables, one per page, each under a heading naming its unit with words no
    default heading word matches."""
    style = getSampleStyleSheet()["Heading2"]
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")])
    story: list = []
    for heading, rows in UNITS.items():
        story += [Paragraph(heading, style), Table([HEADER, *rows], style=grid), PageBreak()]
    SimpleDocTemplate(str(path), pagesize=landscape(A4), invariant=1).build(story[:-1])
    return path


def test_without_the_word_the_second_unit_continues_the_first_table(tmp_path: Path) -> None:
    document = read_document(unit_pages_pdf(tmp_path / "plan.pdf"))
    assert len(document.tables) == 1


def test_a_layout_heading_word_starts_a_table_on_its_page(tmp_path: Path) -> None:
    document = read_document(
        unit_pages_pdf(tmp_path / "plan.pdf"), heading_words=("CENTRO DI RESPONSABILITÀ",)
    )
    assert [table.heading for table in document.tables] == list(UNITS)


def test_layout_file_beside_a_pdf_splits_its_sectors(tmp_path: Path) -> None:
    pdf = unit_pages_pdf(tmp_path / "plan.pdf")
    (tmp_path / "plan.pdf.layout.toml").write_text(
        '[sectors]\nwords = ["Centro di responsabilità"]\n', encoding="utf-8"
    )
    objectives = process_document(pdf).table("objectives")
    by_sector = {
        sector: [o["objective_code"] for o in objectives if o["sector_code"] == sector]
        for sector in ("SEG", "TRI")
    }
    assert by_sector == {"SEG": ["1.1.1", "1.1.2"], "TRI": ["4.1.1", "4.1.2"]}
