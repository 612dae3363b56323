"""pdfplumber engine: ruled tables from the drawn lines, borderless ones from word layout.

Each page is parsed once: one ``page.find_tables(settings)`` per page, the cells' text from
the same page objects, the heading from the characters above each table on that page. The
page fragments are then stitched into sector tables by :mod:`extract.stitch`.

- ``pdfplumber-lines`` (ruled tables): the table grid is the drawn rules
  (``vertical_strategy``/``horizontal_strategy`` = ``"lines"``); merged cells come back as
  ``None`` and are kept as empty cells, so every row has the full grid of columns.
- ``pdfplumber-text`` (borderless tables): the grid is read from the words' positions by
  :mod:`extract.pdf_layout` (columns from the column header row, rows from the vertical
  gaps wider than the line spacing) and handed to pdfplumber as explicit lines
  (``vertical_strategy``/``horizontal_strategy`` = ``"explicit"``); the heading above the
  table lies outside the grid. A page that repeats no column header continues the
  previous page's columns.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pdfplumber
from pdfplumber.utils import extract_text

from extract.model import BBox, RawCell, RawRow
from extract.pdf import cell_text, is_heading, join_lines, pdf_errors, require_text_layer
from extract.pdf_layout import TableLayout, Word, column_starts, find_layout
from extract.stitch import PageTable, PdfReading

LINES = "pdfplumber-lines"
TEXT = "pdfplumber-text"

LINES_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "intersection_tolerance": 3,
}
#: Settings for a borderless table; the explicit lines come from its :class:`TableLayout`.
EXPLICIT_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "explicit",
    "horizontal_strategy": "explicit",
    "snap_tolerance": 0.5,
    "intersection_tolerance": 0.5,
}
#: A page is "ruled" when it has at least this many vertical and horizontal rules.
MIN_RULES = 3


def is_ruled(page: pdfplumber.page.Page) -> bool:
    """Whether the page draws table rules (lines or thin rectangles) in both directions."""
    edges = page.edges
    vertical = sum(1 for edge in edges if edge["orientation"] == "v")
    horizontal = len(edges) - vertical
    return vertical >= MIN_RULES and horizontal >= MIN_RULES


def choose_strategy(pages: Sequence[pdfplumber.page.Page]) -> str:
    """``pdfplumber-lines`` when the document has ruled tables, else ``pdfplumber-text``.

    Decided once per document on the first pages with text, so one engine reads all pages.
    """
    probed = [page for page in pages if page.chars][:3]
    return LINES if any(is_ruled(page) for page in probed) else TEXT


def text_above(page: pdfplumber.page.Page, top: float, floor: float) -> str:
    """The page text between ``floor`` and a table's ``top`` (the heading), one line."""
    chars = [char for char in page.chars if floor <= char["top"] and char["bottom"] <= top + 1]
    return join_lines(extract_text(chars).splitlines()) if chars else ""


def grid_row(texts: Sequence[str | None], boxes: Sequence[BBox | None], page: int) -> RawRow:
    """A RawRow with one cell per grid column (merged/missing cells become empty cells)."""
    cells = tuple(
        RawCell(text=cell_text(text), column=column, page=page, bbox=box)
        for column, (text, box) in enumerate(zip(texts, boxes, strict=True))
    )
    return RawRow(cells=cells, pages=(page,))


def ruled_rows(table: Any, page: int) -> list[RawRow]:
    """Rows of a ruled table: pdfplumber's cells, text and bbox, in grid columns."""
    texts = table.extract()
    return [
        grid_row(row_texts, row.cells, page)
        for row, row_texts in zip(table.rows, texts, strict=True)
        if any(text and text.strip() for text in row_texts)
    ]


def ruled_fragments(page: pdfplumber.page.Page) -> Iterator[PageTable]:
    """The ruled tables of one page, top to bottom, each with the text printed above it."""
    tables = sorted(page.find_tables(LINES_SETTINGS), key=lambda table: table.bbox[1])
    floor = 0.0
    for table in tables:
        _, top, _, bottom = table.bbox
        above = text_above(page, top, floor)
        floor = bottom
        yield PageTable(
            page=page.page_number,
            heading=above if is_heading(above) else "",
            rows=tuple(ruled_rows(table, page.page_number)),
        )


def page_words(page: pdfplumber.page.Page) -> list[Word]:
    """The page's words as layout words."""
    return [
        Word(word["text"], word["x0"], word["top"], word["x1"], word["bottom"])
        for word in page.extract_words()
    ]


def explicit_settings(layout: TableLayout) -> dict[str, Any]:
    """pdfplumber table settings that draw the layout's grid as explicit lines."""
    return {
        **EXPLICIT_SETTINGS,
        "explicit_vertical_lines": list(layout.columns),
        "explicit_horizontal_lines": list(layout.rows),
    }


def borderless_fragment(page: pdfplumber.page.Page, layout: TableLayout) -> PageTable:
    """The borderless table of a page, read by pdfplumber on the layout's grid."""
    tables = page.find_tables(explicit_settings(layout))
    rows = [row for table in tables for row in ruled_rows(table, page.page_number)]
    above = text_above(page, layout.rows[0], 0.0)
    return PageTable(
        page=page.page_number, heading=above if is_heading(above) else "", rows=tuple(rows)
    )


def borderless_fragments(pages: Sequence[pdfplumber.page.Page]) -> Iterator[PageTable]:
    """One fragment per page that holds (part of) a borderless table."""
    carried: tuple[float, ...] = ()
    for page in pages:
        layout = find_layout(page_words(page), carried)
        if layout is None:
            continue
        carried = column_starts(layout)
        yield borderless_fragment(page, layout)


def preamble_text(pages: Sequence[pdfplumber.page.Page], fragments: Sequence[PageTable]) -> str:
    """The text of the pages before the first table (title page), one line per text line."""
    first_table_page = min((fragment.page for fragment in fragments), default=len(pages) + 1)
    lines = [
        " ".join(line.split())
        for page in pages[: first_table_page - 1]
        for line in page.extract_text().splitlines()
    ]
    return "\n".join(line for line in lines if line)


def read_pdf(path: Path, strategy: str | None = None) -> PdfReading:
    """Read every page once into table fragments (see :class:`PdfReading`).

    ``strategy`` forces ``pdfplumber-lines`` or ``pdfplumber-text``; None picks per document.
    """
    with pdf_errors(path), pdfplumber.open(path) as pdf:
        pages = pdf.pages
        textless = require_text_layer(path, [len(page.chars) for page in pages])
        chosen = strategy or choose_strategy(pages)
        fragments = (
            [fragment for page in pages for fragment in ruled_fragments(page)]
            if chosen == LINES
            else list(borderless_fragments(pages))
        )
        preamble = preamble_text(pages, fragments)
        return PdfReading(chosen, fragments, len(pages), preamble, textless)
