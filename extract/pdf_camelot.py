"""camelot engine: ``lattice`` for ruled tables, ``stream`` for borderless ones.

camelot finds the tables and their cells (one table per page, like every reader); the page
text above each table (the sector heading), the text-layer check and the choice between
lattice and stream come from pypdfium2, which reads a page's text in a rectangle cheaply.
The page fragments are then stitched by :mod:`extract.stitch`, exactly as for pdfplumber.

``camelot-stream`` reads each page on the grid that :mod:`extract.pdf_layout` finds in the
page's words (read with pypdfium2): the table area below the heading (``table_areas``), the
column boundaries (``columns``). camelot groups text into rows by the distance of each line
to the first line of the row (``row_tol``), so it cannot keep a cell of many wrapped lines in
one row: it returns one row per text line, and those are grouped into the layout's rows
(the gaps between rows are wider than the line spacing), cell by cell.

camelot works in PDF coordinates (origin bottom-left); bboxes are converted to pdfplumber's
(x0, top, x1, bottom) with the origin top-left.
"""

from __future__ import annotations

import ctypes
import dataclasses
import logging
import re
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium

from extract.model import BBox, RawCell, RawRow
from extract.pdf_columns import boundaries_for, record_layout
from extract.pdf_layout import (
    TableLayout,
    Word,
    column_starts,
    find_layouts,
    row_index,
    text_lines,
)
from extract.pdf_text import (
    RUNNING_BAND,
    cell_text,
    hyphenated_words,
    is_heading,
    line_wrapping,
    one_piece_lines,
    pdf_errors,
    reader_join,
    require_text_layer,
    running_lines,
    without_running,
    without_running_words,
)
from extract.sections import carried_heading
from extract.stitch import PageTable, PdfReading

LATTICE = "camelot-lattice"
STREAM = "camelot-stream"

#: ``engine="vector"`` reads the ruled lines from the PDF's vector graphics instead of
#: rendering each page and detecting them with OpenCV: ~10x faster on office exports,
#: whose rules are vector strokes. ``split_text``: a text run crossing a drawn cell border
#: is cut there, as in stream (below): a spreadsheet cell filled to its border and the
#: next cell's text are one pdfminer run, which lattice would give whole to one cell.
#: ``detect_vertical`` off: a character alone on a cell's line ("3" of "3 pubblicazioni"
#: wrapped) and the first one of the line below, at the same x, are otherwise one vertical
#: text line for pdfminer, and the cell reads "3 p ubblicazioni".
LATTICE_KWARGS: dict[str, Any] = {
    "flavor": "lattice",
    "engine": "vector",
    "line_scale": 40,
    "split_text": True,
    "layout_kwargs": {"detect_vertical": False},
}
#: A text run that crosses a column boundary is cut there, character by character (as
#: pdfplumber assigns characters to cells): a cell filled to its edge and the next cell's
#: text are one run for pdfminer when only a space's width lies between them (a spreadsheet
#: export), and kept whole the run fused the two cells. The boundaries come from the
#: layout, left of each column's text, so a run crosses one only where cells touch.
STREAM_KWARGS: dict[str, Any] = {"flavor": "stream", "split_text": True}
#: A word's top and bottom from its baseline, in font sizes (as a font's ascent/descent).
ASCENT, DESCENT = 0.8, 0.2
#: A page is "ruled" when it draws at least this many path objects (rules, cell borders).
MIN_PATHS = 6


def page_has_rules(page: pypdfium2.PdfPage) -> bool:
    """Whether a page draws enough vector paths to hold a ruled table."""
    paths = page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_PATH], max_depth=2)
    return sum(1 for _ in zip(range(MIN_PATHS), paths, strict=False)) >= MIN_PATHS


def page_text_in(page: pypdfium2.PdfPage, bbox: BBox, running: set[str] = frozenset()) -> str:
    """The page text inside a pdfplumber-style bbox (x0, top, x1, bottom), one line,
    without running headers and footers."""
    x0, top, x1, bottom = bbox
    height = page.get_height()
    text = page.get_textpage().get_text_bounded(
        left=x0, bottom=height - bottom, right=x1, top=height - top
    )
    return without_running(text, running)


def to_top_origin(x1: float, y1: float, x2: float, y2: float, height: float) -> BBox:
    """camelot's (x1, y1, x2, y2), origin bottom-left -> (x0, top, x1, bottom), top-left."""
    return (min(x1, x2), height - max(y1, y2), max(x1, x2), height - min(y1, y2))


def table_rows(table: Any, page_number: int, height: float) -> list[RawRow]:
    """One RawRow per camelot row, one cell per grid column (spanned cells left empty)."""
    rows = []
    for row_cells, row_texts in zip(table.cells, table.df.values.tolist(), strict=True):
        cells = tuple(
            RawCell(
                text=cell_text(text),
                column=column,
                page=page_number,
                bbox=to_top_origin(cell.x1, cell.y1, cell.x2, cell.y2, height),
            )
            for column, (cell, text) in enumerate(zip(row_cells, row_texts, strict=True))
        )
        if any(cell.text for cell in cells):
            rows.append(RawRow(cells=cells, pages=(page_number,)))
    return rows


def page_fragments(
    tables: Sequence[Any],
    page: pypdfium2.PdfPage,
    page_number: int,
    floor: float = 0.0,
    running: set[str] = frozenset(),
) -> Iterator[PageTable]:
    """The camelot tables of one page, top to bottom, each with the text printed between it
    and the table above (or ``floor``)."""
    height, width = page.get_height(), page.get_width()
    boxes = [(to_top_origin(*table._bbox, height), table) for table in tables]
    for bbox, table in sorted(boxes, key=lambda item: item[0][1]):
        above = page_text_in(page, (0.0, floor, width, bbox[1]), running) if bbox[1] > floor else ""
        floor = bbox[3]
        rows = table_rows(table, page_number, height)
        yield PageTable(
            page=page_number, heading=above if is_heading(above) else "", rows=tuple(rows)
        )


def run_camelot(path: Path, kwargs: dict[str, Any], pages: str = "all") -> list[Any]:
    """camelot's tables on the given pages (its progress warnings silenced)."""
    import camelot  # slow to import: only when this engine runs

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.getLogger("camelot").setLevel(logging.ERROR)
        return list(camelot.read_pdf(str(path), pages=pages, suppress_stdout=True, **kwargs))


def page_words(page: pypdfium2.PdfPage) -> list[Word]:
    """The page's words (runs of non-blank characters) with their boxes, top-left origin.

    x from the characters' boxes; y from the first character's baseline and font size
    (ASCENT above, DESCENT below): glyph boxes jitter by glyph, the baseline does not, and
    the lines wrapped in a cell must come out exactly one leading apart."""
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    height = page.get_height()
    words = []
    x, y = ctypes.c_double(), ctypes.c_double()
    for match in re.finditer(r"\S+", text):
        start, end = match.span()
        boxes = [textpage.get_charbox(index, loose=True) for index in range(start, end)]
        left, right = min(box[0] for box in boxes), max(box[2] for box in boxes)
        pdfium.FPDFText_GetCharOrigin(textpage, start, x, y)
        size = pdfium.FPDFText_GetFontSize(textpage, start)
        baseline = height - y.value
        words.append(
            Word(match.group(), left, baseline - ASCENT * size, right, baseline + DESCENT * size)
        )
    return words


def stream_kwargs(layout: TableLayout, height: float) -> dict[str, Any]:
    """camelot stream settings that read the layout's table: its area (PDF coordinates,
    origin bottom-left) and its column boundaries."""
    x0, top, x1, bottom = layout.bbox
    return {
        **STREAM_KWARGS,
        "table_areas": [f"{x0:.2f},{height - top:.2f},{x1:.2f},{height - bottom:.2f}"],
        "columns": [",".join(f"{x:.2f}" for x in layout.boundaries)],
    }


def union(boxes: Sequence[BBox | None]) -> BBox | None:
    """The bbox covering all the given boxes (None when there is none)."""
    present = [box for box in boxes if box is not None]
    if not present:
        return None
    return (
        min(box[0] for box in present),
        min(box[1] for box in present),
        max(box[2] for box in present),
        max(box[3] for box in present),
    )


def merge_column(cells: Sequence[RawCell]) -> RawCell:
    """One cell from the same column of consecutive text lines: texts joined as the lines
    of a cell, box around the lines that have text."""
    filled = [cell for cell in cells if cell.text]
    return RawCell(
        text=reader_join(cell.text for cell in filled),
        column=cells[0].column,
        page=cells[0].page,
        bbox=union([cell.bbox for cell in filled]) or cells[0].bbox,
    )


def merge_lines(lines: Sequence[RawRow]) -> RawRow:
    """One table row from the text-line rows camelot returned for it."""
    columns = zip(*(line.cells for line in lines), strict=True)
    return RawRow(cells=tuple(merge_column(cells) for cells in columns), pages=lines[0].pages)


def words_in(words: Sequence[Word], bbox: BBox) -> list[Word]:
    """The words whose middle lies inside a pdfplumber-style bbox."""
    x0, top, x1, bottom = bbox
    return [
        word
        for word in words
        if x0 <= (word.x0 + word.x1) / 2 <= x1 and top <= (word.top + word.bottom) / 2 <= bottom
    ]


def is_subsequence(short: str, long: str) -> bool:
    """Whether ``short`` is ``long`` with some characters left out."""
    rest = iter(long)
    return all(char in rest for char in short)


def with_lost_glyphs(text: str, words: Sequence[Word]) -> str:
    """camelot's text of one cell of one text line, with the symbols it lost put back.

    camelot's PDF parser (playa) reads a glyph whose font gives it no Unicode value as
    empty text (a list bullet drawn from a standard font's code 127, say), where pdfium
    maps it by its glyph name ("•"); without its bullets a list reads as one run. The
    words pdfium reads in the cell are taken when they hold camelot's text and only
    symbols besides (never letters or digits: a word cut at a column boundary stays cut)."""
    if not words:
        return text
    pdfium = reader_join(" ".join(word.text for word in line) for line in text_lines(words))
    ours, theirs = "".join(text.split()), "".join(pdfium.split())
    if ours == theirs or not is_subsequence(ours, theirs):
        return text
    lost = list(theirs)
    for char in ours:
        lost.remove(char)
    return pdfium if not any(char.isalnum() for char in lost) else text


def restore_glyphs(lines: Sequence[RawRow], words: Sequence[Word]) -> list[RawRow]:
    """camelot's text-line rows with the symbols camelot lost put back (see
    :func:`with_lost_glyphs`), cell by cell."""
    return [
        dataclasses.replace(
            line,
            cells=tuple(
                dataclasses.replace(
                    cell, text=with_lost_glyphs(cell.text, words_in(words, cell.bbox))
                )
                if cell.bbox is not None
                else cell
                for cell in line.cells
            ),
        )
        for line in lines
    ]


def layout_rows(lines: Sequence[RawRow], edges: Sequence[float]) -> list[RawRow]:
    """camelot's text-line rows grouped into the layout's table rows (by their middle)."""
    groups: dict[int, list[RawRow]] = {}
    for line in lines:
        _, top, _, bottom = line.cells[0].bbox or (0.0, 0.0, 0.0, 0.0)
        groups.setdefault(row_index(edges, top, bottom), []).append(line)
    return [merge_lines(group) for _, group in sorted(groups.items())]


def stream_page(
    path: Path,
    page: pypdfium2.PdfPage,
    number: int,
    carried: tuple[float, ...],
    words: Sequence[Word],
    running: set[str],
) -> tuple[list[PageTable], tuple[float, ...]]:
    """The borderless tables of one page: camelot stream on each table layout the page's
    words show (several sectors may share a page); and the column starts to carry on."""
    fragments: list[PageTable] = []
    floor = 0.0
    for layout in find_layouts(words, carried, boundaries_for(number)):
        carried = column_starts(layout)
        record_layout(number, layout.columns, layout.rows)
        tables = run_camelot(path, stream_kwargs(layout, page.get_height()), pages=str(number))
        fragments += [
            fragment._replace(
                rows=tuple(layout_rows(restore_glyphs(fragment.rows, words), layout.rows)),
            )
            for fragment in page_fragments(tables, page, number, floor, running)
        ]
        floor = layout.bbox[3]
    return fragments, carried


def band_lines(page: pypdfium2.PdfPage) -> list[tuple[str, float, float, float]]:
    """The text lines in the top and bottom running bands of a ruled page, as
    :func:`extract.pdf_text.running_lines` takes them (read cheaply, without word boxes: on a
    lattice page they only keep running lines out of the headings)."""
    height, width = page.get_height(), page.get_width()
    band = RUNNING_BAND * height
    lines = []
    textpage = page.get_textpage()
    for top, bottom in ((0.0, band), (height - band, height)):
        text = textpage.get_text_bounded(
            left=0, bottom=height - bottom, right=width, top=height - top
        )
        lines += [(line, top, bottom, height) for line in text.splitlines() if line.strip()]
    return lines


def read_fragments(
    path: Path, pages: Sequence[pypdfium2.PdfPage], chars: Sequence[int], flavor: str | None
) -> tuple[list[PageTable], list[str]]:
    """Every page with text read by the flavour its drawing asks for (or the forced one):
    lattice where it draws rules (one camelot run over those pages), stream elsewhere and
    where lattice finds no table (rules in one direction only). Returns the fragments in
    reading order, a heading alone at the foot of a page given to the next page's first
    table, and the flavours used."""
    ruled = [
        number
        for number, (page, count) in enumerate(zip(pages, chars, strict=True), start=1)
        if count and flavor != STREAM and (flavor == LATTICE or page_has_rules(page))
    ]
    by_page: dict[int, list[Any]] = {}
    if ruled:
        for table in run_camelot(path, LATTICE_KWARGS, pages=",".join(map(str, ruled))):
            by_page.setdefault(int(table.page), []).append(table)
    words = {
        number: page_words(page)
        for number, (page, count) in enumerate(zip(pages, chars, strict=True), start=1)
        if count and number not in by_page
    }
    running = running_lines(
        [
            one_piece_lines(words[number], page.get_height())
            if number in words
            else band_lines(page)
            if count
            else []
            for number, (page, count) in enumerate(zip(pages, chars, strict=True), start=1)
        ]
    )
    fragments: list[PageTable] = []
    used: list[str] = []
    carried: tuple[float, ...] = ()
    pending = ""
    for number, (page, count) in enumerate(zip(pages, chars, strict=True), start=1):
        if not count:
            continue
        if by_page.get(number):
            found = list(page_fragments(by_page[number], page, number, running=running))
            chosen = LATTICE
        else:
            page_words_ = without_running_words(words[number], running, page.get_height())
            found, carried = stream_page(path, page, number, carried, page_words_, running)
            chosen = STREAM
        if found and pending:
            found[0] = found[0]._replace(heading=carried_heading(found[0].heading, pending))
        if found:
            used.append(chosen)
            pending = ""
        below = text_below(page, found, running)
        if is_heading(below):
            pending = carried_heading(below, pending)
        fragments += found
    return fragments, used


def text_below(page: pypdfium2.PdfPage, fragments: Sequence[PageTable], running: set[str]) -> str:
    """The page text below its last table, or all of it when it holds none (a heading whose
    table is on the next page)."""
    boxes = [cell.bbox for fragment in fragments for row in fragment.rows for cell in row.cells]
    bottom = max((box[3] for box in boxes if box is not None), default=-1.0)
    return page_text_in(page, (0.0, bottom + 1, page.get_width(), page.get_height()), running)


def read_pdf(path: Path, flavor: str | None = None) -> PdfReading:
    """Read the document with camelot (see :class:`PdfReading`).

    ``flavor`` forces ``camelot-lattice`` or ``camelot-stream``; None picks per page
    (lattice where the page draws rules and lattice finds a table there, else stream).
    """
    with pdf_errors(path):
        document = pypdfium2.PdfDocument(str(path))
        try:
            pages = [document[index] for index in range(len(document))]
            chars = [page.get_textpage().count_chars() for page in pages]
            textless = require_text_layer(path, chars)
            printed = hyphenated_words(
                page.get_textpage().get_text_range()
                for page, count in zip(pages, chars, strict=True)
                if count
            )
            with line_wrapping(document.get_metadata_dict().get("Producer"), printed):
                fragments, used = read_fragments(path, pages, chars, flavor)
            names = sorted(set(used)) or [flavor or STREAM]
            chosen = names[0] if len(names) == 1 else "+".join(names)
            first = min((fragment.page for fragment in fragments), default=len(pages) + 1)
            preamble = "\n".join(
                line
                for page in pages[: first - 1]
                for raw in page.get_textpage().get_text_range().splitlines()
                if (line := " ".join(raw.split()))
            )
            return PdfReading(chosen, fragments, len(pages), preamble, textless)
        finally:
            document.close()
