"""Words never glued: a PDF that scales its page (as headless Chromium prints) and places
each word by itself, without space glyphs, read by the pdfium engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from extract import pdf_pdfium

#: CSS pixels to points, the scale Chromium's pages are drawn with.
PX = 0.75
SIZE_PX = 8 / PX
WORDS = ("TRASPARENZA", "E", "PREVENZIONE", "DELLA", "CORRUZIONE")


def draw_words(canvas: Canvas, x: float, y: float, words: tuple[str, ...]) -> None:
    """Each word its own text object, a space's width apart, no space glyph."""
    for word in words:
        canvas.setFont("Helvetica", SIZE_PX)
        canvas.drawString(x, y, word)
        x += stringWidth(word + " ", "Helvetica", SIZE_PX)


def scaled_table_pdf(path: Path) -> None:
    """A ruled 3 x 2 table, drawn in CSS pixels under a 0.75 page scale."""
    canvas = Canvas(str(path), invariant=1)
    canvas.transform(PX, 0, 0, PX, 0, 0)
    top, columns, rows = 1000, (60, 160, 560, 700), (1000, 970, 940)
    for x in columns:
        canvas.line(x, rows[-1], x, top)
    for y in rows:
        canvas.line(columns[0], y, columns[-1], y)
    for row, (code, words, weight) in enumerate(
        [("Codice", ("Obiettivo",), "Peso"), ("1.1.2", WORDS, "35")]
    ):
        y = rows[row] - 20
        draw_words(canvas, columns[0] + 4, y, (code,))
        draw_words(canvas, columns[1] + 4, y, words)
        draw_words(canvas, columns[2] + 4, y, (weight,))
    canvas.save()


@pytest.fixture(scope="module")
def scaled_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spaces") / "scaled.pdf"
    scaled_table_pdf(path)
    return path


def test_type_size_includes_the_page_scale(scaled_pdf: Path) -> None:
    """pdfium's font size leaves out the matrix; the char's size and advance take it in,
    as pdfminer's do."""
    with pdf_pdfium.open_pages(scaled_pdf) as pdf:
        chars = pdf.pages[0].chars
    assert {round(char["size"], 3) for char in chars} == {8.0}
    first = chars[0]
    assert first["x1"] - first["x0"] == pytest.approx(stringWidth("C", "Helvetica", 8), abs=1e-3)


def test_words_placed_apart_are_not_glued(scaled_pdf: Path) -> None:
    reading = pdf_pdfium.read_pdf(scaled_pdf)
    rows = [[cell.text for cell in row.cells] for row in reading.fragments[0].rows]
    assert rows[1] == ["1.1.2", " ".join(WORDS), "35"]
