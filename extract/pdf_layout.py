"""The grid of a borderless table, read from the position of its words.

A borderless table has no rules to find its cells by, but its layout still tells them:

- columns: every cell is left-aligned, so each column's text starts at the same x. The
  column header row (found by its words: "Missione", "Indicatore di risultato", ...) has
  one cell per column, so the start of each header cell is the left edge of a column;
- rows: the lines wrapped inside a cell are one font leading apart, two table rows are
  further apart by the cell paddings; a vertical gap between text lines wider than
  :data:`ROW_GAP_FACTOR` times the line height starts a new row;
- the table top: the header rows above the column header row belong to the table, the
  sector heading printed above it (larger type) does not.

The engines turn this :class:`TableLayout` into their library's own settings (pdfplumber's
explicit lines, camelot's ``table_areas`` and ``columns``) and let the library read the
cells; camelot, which returns one row per text line, has its lines grouped into the
layout's rows (:func:`row_index`). Everything here is pure: it works on :class:`Word`
boxes in pdfplumber's coordinates (x0, top, x1, bottom; origin top-left), whichever
library produced them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import median

from rapidfuzz import fuzz

#: The column headers of a PIAO objective table, in column order, as printed (fuzzy).
HEADER_KEYWORDS = (
    "missione",
    "indirizzi/obiettivi strategici",
    "linee programmatiche",
    "obiettivi gestionali",
    "indicatore di risultato",
    "valore indicatore",
    "tempi di realizzazione",
    "assessore di riferimento",
    "settore di riferimento",
    "priorità/peso",
    "ponderazione",
)
#: A row is the column header row when its cells match at least this many keywords.
MIN_HEADER_KEYWORDS = 6
#: rapidfuzz partial_ratio (0-100) for a header cell to match a keyword.
KEYWORD_SIMILARITY = 85.0
#: A word joins a text line when its top is within this fraction of its height of the
#: line's top.
LINE_TOLERANCE = 0.5
#: A gap between two text lines wider than this fraction of the line height starts a row.
ROW_GAP_FACTOR = 0.6
#: Within a line, a horizontal gap wider than this fraction of the word height separates
#: two cells (a word space is about 0.3 of it, two cell paddings more than 0.6).
CELL_GAP_FACTOR = 0.5
#: Header cell starts closer than this (points) are the same column.
COLUMN_TOLERANCE = 2.0
#: Column and row edges sit this far (points) outside the text they enclose.
EDGE_MARGIN = 1.0
#: A row above the column header belongs to the table while its type is at most this
#: many times the header's height: the sector heading above the table is larger.
HEADING_SIZE_RATIO = 1.3


@dataclass(frozen=True, slots=True)
class Word:
    """One word and its box (pdfplumber coordinates: origin top-left, in points)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        """The word's height: its font size, near enough."""
        return self.bottom - self.top


Line = tuple[Word, ...]
Row = tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class TableLayout:
    """The grid of one borderless table on one page.

    ``columns`` are the x edges (left edge, the boundaries between columns, right edge),
    ``rows`` the y edges (top of the first row, boundaries, bottom of the last row), in
    pdfplumber coordinates.
    """

    columns: tuple[float, ...]
    rows: tuple[float, ...]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) of the whole table."""
        return (self.columns[0], self.rows[0], self.columns[-1], self.rows[-1])

    @property
    def boundaries(self) -> tuple[float, ...]:
        """The x positions between columns (camelot's ``columns``)."""
        return self.columns[1:-1]


def text_lines(words: Iterable[Word]) -> list[Line]:
    """Words grouped into text lines, top to bottom, each line's words left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda word: (word.top, word.x0)):
        if lines and word.top - lines[-1][0].top <= LINE_TOLERANCE * word.height:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [tuple(sorted(line, key=lambda word: word.x0)) for line in lines]


def line_top(line: Line) -> float:
    """The top of a text line's highest word."""
    return min(word.top for word in line)


def line_bottom(line: Line) -> float:
    """The bottom of a text line's lowest word."""
    return max(word.bottom for word in line)


def line_height(lines: Sequence[Line]) -> float:
    """The median height of the words of the lines (0 when there is none)."""
    heights = [word.height for line in lines for word in line]
    return median(heights) if heights else 0.0


def group_rows(lines: Sequence[Line]) -> list[Row]:
    """Text lines grouped into table rows: a gap wider than ROW_GAP_FACTOR line heights
    (the cell paddings) starts a new row; the lines wrapped in a cell are closer."""
    threshold = ROW_GAP_FACTOR * line_height(lines)
    rows: list[list[Line]] = []
    row_bottom = 0.0
    for line in lines:
        if rows and line_top(line) - row_bottom <= threshold:
            rows[-1].append(line)
            row_bottom = max(row_bottom, line_bottom(line))
        else:
            rows.append([line])
            row_bottom = line_bottom(line)
    return [tuple(row) for row in rows]


def cell_segments(line: Line) -> list[Line]:
    """The words of a line split into the pieces that lie in different cells."""
    segments: list[list[Word]] = []
    for word in line:
        if segments and word.x0 - segments[-1][-1].x1 <= CELL_GAP_FACTOR * word.height:
            segments[-1].append(word)
        else:
            segments.append([word])
    return [tuple(segment) for segment in segments]


def header_cells(row: Row) -> list[tuple[float, str]]:
    """The cells of a header row as (left x, text): its line pieces grouped by their start
    x (within COLUMN_TOLERANCE of the cell's left), each cell's pieces read top to bottom."""
    pieces = sorted(
        (segment[0].x0, segment[0].top, " ".join(word.text for word in segment))
        for line in row
        for segment in cell_segments(line)
    )
    cells: list[tuple[float, list[tuple[float, str]]]] = []
    for x0, top, text in pieces:
        if cells and x0 - cells[-1][0] <= COLUMN_TOLERANCE:
            cells[-1][1].append((top, text))
        else:
            cells.append((x0, [(top, text)]))
    return [(x0, " ".join(text for _, text in sorted(parts))) for x0, parts in cells]


def keyword_matches(cells: Sequence[tuple[float, str]]) -> int:
    """How many column header keywords one of the cells matches (fuzzy, case-insensitive)."""
    texts = [text.lower() for _, text in cells]
    return sum(
        1
        for keyword in HEADER_KEYWORDS
        if any(fuzz.partial_ratio(keyword, text) >= KEYWORD_SIMILARITY for text in texts)
    )


def is_header_row(row: Row) -> bool:
    """Whether a row is the column header row (its cells name the PIAO columns)."""
    return keyword_matches(header_cells(row)) >= MIN_HEADER_KEYWORDS


def row_height(row: Row) -> float:
    """The median word height of a row: the size of its type."""
    return line_height(row)


def table_start(rows: Sequence[Row], header: int) -> int:
    """Index of the table's first row: the rows just above the column header row in type
    no larger than the header's (the DUP/PIAO header rows), not the heading above them."""
    limit = HEADING_SIZE_RATIO * row_height(rows[header])
    start = header
    while start > 0 and row_height(rows[start - 1]) <= limit:
        start -= 1
    return start


def row_edges(rows: Sequence[Row]) -> tuple[float, ...]:
    """The y edges of the rows: halfway across each gap, EDGE_MARGIN outside the ends."""
    tops = [min(line_top(line) for line in row) for row in rows]
    bottoms = [max(line_bottom(line) for line in row) for row in rows]
    inner = [(bottom + top) / 2 for bottom, top in zip(bottoms, tops[1:], strict=False)]
    return (tops[0] - EDGE_MARGIN, *inner, bottoms[-1] + EDGE_MARGIN)


def column_edges(lefts: Sequence[float], rows: Sequence[Row]) -> tuple[float, ...]:
    """The x edges of the columns: just left of each column's text start, and around all
    the table's text (a word may start left of the first header, or end anywhere)."""
    words = [word for row in rows for line in row for word in line]
    left = min([lefts[0], *(word.x0 for word in words)]) - EDGE_MARGIN
    right = max(word.x1 for word in words) + EDGE_MARGIN
    return (left, *(x - EDGE_MARGIN for x in lefts[1:]), right)


def find_layout(words: Iterable[Word], carried: Sequence[float] = ()) -> TableLayout | None:
    """The table grid of a page, or None when the page holds no table.

    The columns come from the page's column header row; a page without one continues the
    previous page's table when ``carried`` (that page's column starts) is given.
    """
    rows = group_rows(text_lines(words))
    header = next((index for index, row in enumerate(rows) if is_header_row(row)), None)
    if header is not None:
        lefts = [x0 for x0, _ in header_cells(rows[header])]
        rows = rows[table_start(rows, header) :]
    elif carried and rows:
        lefts = list(carried)
    else:
        return None
    return TableLayout(columns=column_edges(lefts, rows), rows=row_edges(rows))


def row_index(edges: Sequence[float], top: float, bottom: float) -> int:
    """The layout row (index between the y ``edges``) that holds the middle of a text line;
    a line beyond the first or last edge belongs to the first or last row."""
    middle = (top + bottom) / 2
    return min(max(bisect_right(edges, middle) - 1, 0), len(edges) - 2)


def column_starts(layout: TableLayout) -> tuple[float, ...]:
    """The column starts of a layout, to carry over to a page that repeats no header."""
    return (layout.columns[0] + EDGE_MARGIN, *(x + EDGE_MARGIN for x in layout.boundaries))
