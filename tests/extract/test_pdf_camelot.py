"""camelot engine on small borderless pages drawn here with reportlab (no fixture file:
each test draws the geometry it is about into ``tmp_path``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from extract.pdf_camelot import STREAM, read_pdf

FONT, SIZE, LEADING = "Helvetica", 9.0, 11.0
#: Where each test's table starts (points from the top of the page).
TABLE_TOP = 80.0

Placed = tuple[str, float, float]
"""A text line drawn at (x, top of its line), in points from the page's top-left."""


def draw_page(path: Path, lines: Sequence[Placed], rules: Sequence[float] = ()) -> Path:
    """One landscape A4 page with the given text lines and full-width horizontal rules
    (at the given tops), as a spreadsheet export draws its row borders."""
    width, height = landscape(A4)
    pdf = canvas.Canvas(str(path), pagesize=(width, height))
    pdf.setFont(FONT, SIZE)
    for text, x, top in lines:
        pdf.drawString(x, height - top - SIZE, text)
    for top in rules:
        pdf.line(40, height - top, width - 40, height - top)
    pdf.save()
    return path


def texts(path: Path) -> list[list[str]]:
    """The cell texts of every row camelot's stream reading returns."""
    reading = read_pdf(path, flavor=STREAM)
    return [list(row.texts) for fragment in reading.fragments for row in fragment.rows]


def test_text_running_up_to_the_next_column_stays_in_its_cell(tmp_path: Path) -> None:
    """A deadline whose text ends one space before the responsible's column starts (a
    spreadsheet cell filled to its edge) is printed as one text run: camelot used to keep
    the run whole in the column it starts in, fusing the two cells."""
    deadline = "entro il 30/06/2025"
    # the deadline column is exactly as wide as its text plus one space
    columns = (50.0, 130.0, 260.0, 260.0 + stringWidth(deadline + " ", FONT, SIZE))
    header = ("Codice", "Obiettivo", "Scadenza", "Responsabile")
    rows = [
        ("1.1", "Digitalizzazione", deadline, "Dott. Fanti"),
        ("1.2", "Trasparenza", deadline, "Dott. Fanti"),
        ("2.1", "Cultura", "31.12.2025", "Sig.ra Orsi"),
        ("2.2", "Mobilita", "31.12.2025", "Geom. Re"),
    ]
    lines: list[Placed] = []
    rules = []
    for index, row in enumerate([header, *rows]):
        top = TABLE_TOP + index * 2 * LEADING
        rules.append(top - LEADING / 2)
        lines += [(text, x, top) for text, x in zip(row, columns, strict=True)]
    path = draw_page(tmp_path / "touching.pdf", lines, rules)

    assert texts(path) == [list(header), *map(list, rows)]


def test_list_bullets_without_unicode_in_camelot_are_kept(tmp_path: Path) -> None:
    """A bullet drawn in a standard font has no Unicode value for camelot's parser, which
    read it as empty text: each bulleted list came out as one run that no item splitter
    can cut. pdfium names the glyph, and the bullet is put back."""
    columns = (50.0, 130.0, 330.0)
    header = ("Codice", "Indicatori", "Target")
    rows = [
        ("1.1", ("Controlli semestrali", "Relazione annuale"), ("2 controlli", "Pubblicazione")),
        ("1.2", ("Servizi attivati", "Pratiche on line"), ("Almeno 5", "60% delle pratiche")),
        ("2.1", ("Eventi organizzati",), ("Almeno 12",)),
    ]
    lines: list[Placed] = [(text, x, TABLE_TOP) for text, x in zip(header, columns, strict=True)]
    top = TABLE_TOP + 3 * LEADING
    for code, indicators, targets in rows:
        lines.append((code, columns[0], top))
        for column, items in ((1, indicators), (2, targets)):
            lines += [
                (f"\u2022 {item}", columns[column], top + index * LEADING)
                for index, item in enumerate(items)
            ]
        top += (len(indicators) + 2) * LEADING
    path = draw_page(tmp_path / "bullets.pdf", lines)

    assert texts(path) == [
        list(header),
        ["1.1", "• Controlli semestrali • Relazione annuale", "• 2 controlli • Pubblicazione"],
        ["1.2", "• Servizi attivati • Pratiche on line", "• Almeno 5 • 60% delle pratiche"],
        ["2.1", "• Eventi organizzati", "• Almeno 12"],
    ]


def test_a_one_character_line_over_the_next_line_of_its_cell_stays_apart(tmp_path: Path) -> None:
    """A ruled cell wrapped after one character ("3" over "pubblicazioni", both at the
    cell's left edge): pdfminer's vertical text lines made "3p" one line, and the cell read
    "3 p ubblicazioni"."""
    width, height = landscape(A4)
    pdf = canvas.Canvas(str(tmp_path / "ruled.pdf"), pagesize=(width, height))
    pdf.setFont(FONT, SIZE)
    xs, tops = (50.0, 200.0, 300.0, 400.0), (TABLE_TOP, TABLE_TOP + 20, TABLE_TOP + 50)
    for x in xs:
        pdf.line(x, height - tops[0], x, height - tops[-1])
    for top in tops:
        pdf.line(xs[0], height - top, xs[-1], height - top)
    cells = [
        (("Indicatore",), ("Baseline",), ("Target",)),
        (("Pubblicazioni trimestrali",), ("3", "pubblicazioni"), ("4", "pubblicazioni")),
    ]
    for row, top in zip(cells, tops, strict=False):
        for lines, x in zip(row, xs, strict=False):
            for index, text in enumerate(lines):
                pdf.drawString(x + 3, height - top - 3 - SIZE - index * LEADING, text)
    pdf.save()

    reading = read_pdf(tmp_path / "ruled.pdf")
    rows = [list(row.texts) for fragment in reading.fragments for row in fragment.rows]
    assert rows == [
        ["Indicatore", "Baseline", "Target"],
        ["Pubblicazioni trimestrali", "3 pubblicazioni", "4 pubblicazioni"],
    ]
