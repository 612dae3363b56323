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

import itertools
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extract.model import BBox, RawCell, RawRow
from extract.pdf_columns import boundaries_for, record_layout
from extract.pdf_layout import (
    TableLayout,
    Word,
    column_starts,
    find_layouts,
    median,
)
from extract.pdf_text import (
    cell_text,
    hyphenated_words,
    is_heading,
    line_wrapping,
    one_piece_lines,
    pdf_errors,
    require_text_layer,
    running_lines,
    without_running,
    without_running_words,
)
from extract.sections import carried_heading
from extract.stitch import PageTable, PdfReading

if TYPE_CHECKING:  # imported when this engine reads (the pdfium engine reads without it)
    import pdfplumber

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
#: A column boundary moves onto a horizontal rule's end at most this many word heights
#: away (a cell padding is well under one).
SNAP_HEIGHTS = 1.5


HRULES = "pdfplumber-hrules"


def rule_counts(page: pdfplumber.page.Page) -> tuple[int, int]:
    """(vertical, horizontal) rules the page draws (lines and thin rectangles' edges)."""
    edges = page.edges
    vertical = sum(1 for edge in edges if edge["orientation"] == "v")
    return vertical, len(edges) - vertical


def is_ruled(page: pdfplumber.page.Page) -> bool:
    """Whether the page draws table rules (lines or thin rectangles) in both directions."""
    vertical, horizontal = rule_counts(page)
    return vertical >= MIN_RULES and horizontal >= MIN_RULES


def page_strategy(page: pdfplumber.page.Page) -> str:
    """How to read one page, from what it draws: rules both ways (``pdfplumber-lines``),
    horizontal rules only, as a spreadsheet export with row borders (``pdfplumber-hrules``:
    columns from the words, rows from the rules), or none (``pdfplumber-text``)."""
    vertical, horizontal = rule_counts(page)
    if horizontal >= MIN_RULES:
        return LINES if vertical >= MIN_RULES else HRULES
    return TEXT


def choose_strategy(pages: Sequence[pdfplumber.page.Page]) -> str:
    """The strategy of the first page with text that draws rules, else ``pdfplumber-text``
    (kept for the benchmark's baseline; reading chooses per page)."""
    probed = [page for page in pages if page.chars][:3]
    return LINES if any(is_ruled(page) for page in probed) else TEXT


def text_above(
    page: pdfplumber.page.Page, top: float, floor: float, running: set[str] = frozenset()
) -> str:
    """The page text between ``floor`` and a table's ``top`` (the heading), one line,
    without running headers and footers."""
    in_band = getattr(page, "text_in_band", None)  # the pdfium page's own, from its glyphs
    if in_band is not None:
        text = in_band(floor, top + 1)
        return without_running(text, running) if text else ""
    chars = [char for char in page.chars if floor <= char["top"] and char["bottom"] <= top + 1]
    if not chars:
        return ""
    from pdfplumber.utils import extract_text

    return without_running(extract_text(chars), running)


def char_count(page: Any) -> int:
    """The number of characters of a page (a pdfium page's glyphs: its char dicts are
    made only when asked for)."""
    glyphs = getattr(page, "glyphs", None)
    return len(page.chars if glyphs is None else glyphs)


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


#: The codes WinAnsiEncoding leaves unused above 40 (octal), which the PDF reference (ISO
#: 32000-1, Annex D, note 6 to table D.2) maps to the bullet; pdfminer has no character for
#: them and reads "(cid:127)" where ReportLab drew "•".
WINANSI_BULLET_CODES = frozenset({0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D})
_BULLET = "\u2022"
_CID = re.compile(r"\(cid:(\d+)\)")


def winansi_fonts(page: pdfplumber.page.Page) -> frozenset[str]:
    """The names of the page's simple fonts encoded with WinAnsiEncoding (as the
    characters' ``fontname``)."""
    from pdfminer.pdftypes import resolve1

    fonts = resolve1((page.page_obj.resources or {}).get("Font")) or {}
    names = set()
    for spec in fonts.values():
        font = resolve1(spec) or {}
        encoding = resolve1(font.get("Encoding"))
        if isinstance(encoding, dict):
            encoding = resolve1(encoding.get("BaseEncoding"))
        if getattr(encoding, "name", None) == "WinAnsiEncoding" and "BaseFont" in font:
            names.add(resolve1(font["BaseFont"]).name)
    return frozenset(names)


def restore_winansi_bullets(page: pdfplumber.page.Page) -> None:
    """Give the page's characters read as "(cid:127)" in a WinAnsi font their bullet, in
    place, before any table or word is read from them (see :data:`WINANSI_BULLET_CODES`)."""
    unknown = [char for char in page.chars if char["text"].startswith("(cid:")]
    fonts = winansi_fonts(page) if unknown else frozenset()
    for char in unknown:
        code = _CID.fullmatch(char["text"])
        if code and int(code.group(1)) in WINANSI_BULLET_CODES and char["fontname"] in fonts:
            char["text"] = _BULLET


#: Two characters closer than this fraction of their size are one word (pdfplumber's
#: ``x_tolerance_ratio``): a word space is about 0.28 of the size, and a narrow spreadsheet
#: column filled to its border is apart from the next column's text by about 0.35 of it
#: (two thin paddings, no space character), where the default 3 points would join the
#: texts of two cells into one word ("Miss. 10" and "2.1.1" read "102.1.1").
WORD_GAP_RATIO = 0.3


def page_words(page: pdfplumber.page.Page) -> list[Word]:
    """The page's words as layout words."""
    return [
        Word(word["text"], word["x0"], word["top"], word["x1"], word["bottom"])
        for word in page.extract_words(x_tolerance_ratio=WORD_GAP_RATIO)
    ]


def explicit_settings(layout: TableLayout) -> dict[str, Any]:
    """pdfplumber table settings that draw the layout's grid as explicit lines."""
    return {
        **EXPLICIT_SETTINGS,
        "explicit_vertical_lines": list(layout.columns),
        "explicit_horizontal_lines": list(layout.rows),
    }


def hrules_settings(layout: TableLayout) -> dict[str, Any]:
    """Columns from the layout, rows from the page's horizontal rules (and the layout's top
    and bottom, where the export draws no rule)."""
    return {
        **LINES_SETTINGS,
        "vertical_strategy": "explicit",
        "explicit_vertical_lines": list(layout.columns),
        "explicit_horizontal_lines": [layout.rows[0], layout.rows[-1]],
    }


def rule_ends(page: pdfplumber.page.Page, bbox: BBox) -> list[tuple[float, float, float]]:
    """Where the page's horizontal rules inside bbox start or end, as (x, above, below):
    the x, and the tops of the nearest rules above and below that run across x (the table's
    top and bottom without one): the rows of the cell left open there, a cell merged over
    several rows."""
    x0, top, x1, bottom = bbox
    rules = [
        edge for edge in page.edges if edge["orientation"] == "h" and top <= edge["top"] <= bottom
    ]
    ends = []
    for rule in rules:
        for x in (rule["x0"], rule["x1"]):
            if not x0 < x < x1:
                continue
            across = [edge["top"] for edge in rules if edge["x0"] < x < edge["x1"]]
            above = max((t for t in across if t < rule["top"]), default=top)
            below = min((t for t in across if t > rule["top"]), default=bottom)
            ends.append((x, above, below))
    return ends


def snapped_to_rules(
    layout: TableLayout, ends: Sequence[tuple[float, float, float]], words: Sequence[Word]
) -> TableLayout:
    """The layout with each column boundary moved onto a rule end near it that no word
    crosses: the cell border the export drew.

    The layout puts a boundary just left of its column's text, a cell padding right of the
    border; a rule interrupted under a cell merged over several rows ends at the border, so
    it would not reach the boundary and pdfplumber would merge the cells of the row below
    into the row above. A rule end counts when it lies within SNAP_HEIGHTS word heights of
    the boundary and no word crosses it in the rows of the merged cell (``ends`` from
    :func:`rule_ends`): a heading row spanning the table, above or below, may cross it."""
    inside = [word for word in words if is_inside(word, layout.bbox)]
    if not inside or not ends:
        return layout
    reach = SNAP_HEIGHTS * median(word.height for word in inside)

    def crossed(end: float, above: float, below: float) -> bool:
        return any(
            word.x0 < end < word.x1 and above <= (word.top + word.bottom) / 2 <= below
            for word in inside
        )

    def snapped(boundary: float) -> float:
        free = [
            end
            for end, above, below in ends
            if abs(end - boundary) <= reach and not crossed(end, above, below)
        ]
        return min(free, key=lambda end: abs(end - boundary), default=boundary)

    columns = (layout.columns[0], *map(snapped, layout.boundaries), layout.columns[-1])
    return layout._replace(columns=columns)


def is_inside(word: Word, bbox: BBox) -> bool:
    """Whether a word's middle lies inside a pdfplumber-style bbox."""
    x0, top, x1, bottom = bbox
    return x0 <= (word.x0 + word.x1) / 2 <= x1 and top <= (word.top + word.bottom) / 2 <= bottom


def read_tables(tables: Sequence[Any], page: int) -> list[tuple[BBox, list[RawRow]]]:
    """pdfplumber tables as (bbox, rows), top to bottom."""
    ordered = sorted(tables, key=lambda table: table.bbox[1])
    return [(tuple(table.bbox), ruled_rows(table, page)) for table in ordered]


def layout_table(
    page: pdfplumber.page.Page, settings: dict[str, Any], layout: TableLayout
) -> tuple[BBox, list[RawRow]]:
    """The table on a layout's grid: the rows of every table pdfplumber finds on it (a grid
    row without text may split it), boxed by the layout. Rows drawn by rules are looked for
    inside the layout only (another table on the page draws its own)."""
    if settings["horizontal_strategy"] == "lines":  # the rules of this table only
        page = page.crop(layout.bbox, strict=False)
    tables = sorted(page.find_tables(settings), key=lambda table: table.bbox[1])
    rows = [row for table in tables for row in ruled_rows(table, page.page_number)]
    return layout.bbox, rows


#: Points within which a rule lies on the lowest line of a page's vertical rules.
FLOOR_TOLERANCE = 1.5


def open_floor(edges: Sequence[dict[str, Any]]) -> list[float]:
    """The y of the lowest end of the page's vertical rules when no horizontal rule closes
    it all along: a ruled table cut by the page end leaves the cells merged over rows that
    go on to the next page without their bottom border (Chromium), and pdfplumber would
    then lose their text; a rule drawn there closes them. [] when the floor is closed."""
    verticals = [edge for edge in edges if edge["orientation"] == "v"]
    if not verticals:
        return []
    floor = max(edge["bottom"] for edge in verticals)
    ending = sorted(
        edge["x0"] for edge in verticals if abs(edge["bottom"] - floor) <= FLOOR_TOLERANCE
    )
    covered = [
        (edge["x0"], edge["x1"])
        for edge in edges
        if edge["orientation"] == "h" and abs(edge["top"] - floor) <= FLOOR_TOLERANCE
    ]
    gaps = [
        (left, right)
        for left, right in itertools.pairwise(ending)
        if right - left > FLOOR_TOLERANCE
        and not any(
            x0 <= left + FLOOR_TOLERANCE and x1 >= right - FLOOR_TOLERANCE for x0, x1 in covered
        )
    ]
    return [floor] if gaps and covered else []


def page_tables(
    page: pdfplumber.page.Page, strategy: str, carried: tuple[float, ...], words: list[Word]
) -> tuple[list[tuple[BBox, list[RawRow]]], tuple[float, ...]]:
    """The tables read on a page with the page's strategy, as (bbox, rows) top to bottom,
    and the column starts to carry to the next page. ``words`` are the page's words less
    its running header/footer lines."""
    if strategy == LINES:
        floor = open_floor(page.edges)
        settings = (
            {**LINES_SETTINGS, "explicit_horizontal_lines": floor} if floor else LINES_SETTINGS
        )
        return read_tables(page.find_tables(settings), page.page_number), carried
    layouts = find_layouts(words, carried, boundaries_for(page.page_number))
    if layouts:
        carried = column_starts(layouts[-1])
    if strategy == HRULES:
        layouts = [
            snapped_to_rules(layout, rule_ends(page, layout.bbox), words) for layout in layouts
        ]
    for layout in layouts:
        record_layout(page.page_number, layout.columns, layout.rows)
    make = hrules_settings if strategy == HRULES else explicit_settings
    return [layout_table(page, make(layout), layout) for layout in layouts], carried


def page_fragments(
    page: pdfplumber.page.Page, tables: Sequence[tuple[BBox, list[RawRow]]], running: set[str]
) -> tuple[list[PageTable], str]:
    """The page's tables as fragments, each with the heading printed between it and the
    table above; and the text below the last table, or the page's text when it holds no
    table (a heading whose table is on the next page)."""
    fragments = []
    floor = 0.0
    for (_, top, _, bottom), rows in tables:
        above = text_above(page, top, floor, running)
        floor = bottom
        heading = above if is_heading(above) else ""
        fragments.append(PageTable(page=page.page_number, heading=heading, rows=tuple(rows)))
    return fragments, text_above(page, page.height, floor, running)


def read_fragments(
    pages: Sequence[pdfplumber.page.Page], strategy: str | None, words: Sequence[Sequence[Word]]
) -> tuple[list[PageTable], list[str]]:
    """Every page read with its own strategy (or the forced one), from its ``words``: the
    fragments in reading order, a heading left alone at the foot of a page given to the
    next page's first table, and the strategies used."""
    running = running_lines(
        [
            one_piece_lines(page_words_, float(page.height))
            for page, page_words_ in zip(pages, words, strict=True)
        ]
    )
    fragments: list[PageTable] = []
    used: list[str] = []
    carried: tuple[float, ...] = ()
    pending = ""
    for page, page_words_ in zip(pages, words, strict=True):
        if not char_count(page):
            continue
        chosen = strategy or page_strategy(page)
        layout_words = without_running_words(page_words_, running, float(page.height))
        tables, carried = page_tables(page, chosen, carried, layout_words)
        found, below = page_fragments(page, tables, running)
        if found and pending:
            found[0] = found[0]._replace(heading=carried_heading(found[0].heading, pending))
        if found:
            used.append(chosen)
            pending = ""
        if is_heading(below):
            pending = carried_heading(below, pending)
        fragments += found
    return fragments, used


def read_pages(
    pages: Sequence[pdfplumber.page.Page],
    strategy: str | None,
    producer: str | None,
    words_of: Callable[[pdfplumber.page.Page], list[Word]] = page_words,
) -> tuple[list[PageTable], list[str]]:
    """The fragments of every page (:func:`read_fragments`), their cells' lines joined by
    the producer's wrapping convention and the hyphenated words the document prints whole
    (:func:`extract.pdf_text.line_wrapping`). ``words_of`` reads a page's layout words (an
    engine may give a faster equivalent of :func:`page_words`)."""
    words = [words_of(page) if char_count(page) else [] for page in pages]
    printed = hyphenated_words(word.text for page_words_ in words for word in page_words_)
    with line_wrapping(producer, printed):
        return read_fragments(pages, strategy, words)


def extractor_name(used: Sequence[str], strategy: str | None) -> str:
    """The document's extractor: the one strategy its pages used, or them all joined."""
    names = sorted(set(used)) or [strategy or TEXT]
    return names[0] if len(names) == 1 else "+".join(names)


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

    ``strategy`` forces ``pdfplumber-lines``, ``pdfplumber-hrules`` or ``pdfplumber-text``
    on every page; None picks per page from what the page draws.
    """
    import pdfplumber

    with pdf_errors(path), pdfplumber.open(path) as pdf:
        pages = pdf.pages
        textless = require_text_layer(path, [len(page.chars) for page in pages])
        for page in pages:
            restore_winansi_bullets(page)
        fragments, used = read_pages(pages, strategy, pdf.metadata.get("Producer"))
        preamble = preamble_text(pages, fragments)
        return PdfReading(extractor_name(used, strategy), fragments, len(pages), preamble, textless)
