"""The grid of a borderless table, read from the position of its words, knowing no headings.

A borderless table has no rules to find its cells by, but its layout still tells them:

- rows: the lines wrapped inside a cell are one font leading apart, two table rows are
  further apart by the cell paddings; a vertical gap between text lines wider than
  :data:`ROW_GAP_FACTOR` times the line height starts a new row, and so does a gap wider
  by :data:`PITCH_TOLERANCE` than the commonest gap between lines of that type size (a
  word processor pads its cells by less than a line);
- columns: cells are aligned, so a column's text starts at the same x on many text lines
  (left-aligned text; a right-aligned number column starts within a digit or two). The
  starts of the pieces of each text line (words closer than a cell gap) are clustered; a
  cluster that recurs on :data:`MIN_ALIGNED_LINES` lines or more, and is not crossed by
  many more pieces than start there (a banner or grouped heading spanning columns crosses
  a few, the lines of a wide cell cross a chance alignment inside it on most lines), is a
  column start; so is the start of a piece printed once (a one-line heading over a column
  empty on the page) in a line whose other pieces start at known columns. Starts closer
  than :data:`MIN_COLUMN_WIDTH` word heights are one (right-aligned numbers of different
  widths). A page continuing a table adds the previous
  page's column starts that hardly any text of this page crosses (a column left empty on a
  page);
- justified cells: a word processor spreads a justified line's spare width equally over its
  spaces, so words standing equally apart (or, alone, before a word ending where justified
  lines end) are one cell's line, not cells (:func:`justified_spaces`). On a page printing
  such cells the word starts of its lines meet by chance at many x: a column start there is
  crossed by no more pieces than start at it, of close starts the one more pieces share is
  kept, and a start where only the flush last words of two-word lines start is dropped
  (:func:`without_flush_starts`);
- the table: the rows with pieces in at least two columns, the rows between them, and the
  rows just above or below them in type no larger than the table's (a banner row, header
  rows wrapping over many lines, a total row) and no further apart than the table's row
  gaps; larger type (a sector heading) or a wider gap ends it. Several tables on one page
  are the runs of table rows separated by such a heading.

The engines turn each :class:`TableLayout` into their library's own settings (pdfplumber's
explicit lines, camelot's ``table_areas`` and ``columns``) and let the library read the
cells; camelot, which returns one row per text line, has its lines grouped into the
layout's rows (:func:`row_index`). Everything here is pure: it works on :class:`Word`
boxes in pdfplumber's coordinates (x0, top, x1, bottom; origin top-left), whichever
library produced them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from operator import attrgetter
from typing import NamedTuple

#: A word joins a text line when its top is within this fraction of its height of the
#: line's top.
LINE_TOLERANCE = 0.5
#: A gap between two text lines wider than this fraction of the line height starts a row.
ROW_GAP_FACTOR = 0.6
#: Gaps between lines up to this many line heights are candidates for the leading.
PITCH_RANGE = 2.5
#: A line further than the leading gap plus this (points) below the line above starts a row.
PITCH_TOLERANCE = 0.3
#: Within a line, a horizontal gap wider than this fraction of the word height separates
#: two cells (a word space is about 0.3 of it, two cell paddings more than 0.6).
CELL_GAP_FACTOR = 0.5
#: Two word gaps of a text line within this many points of each other are the equal
#: stretched spaces of a justified line (:func:`justified_spaces`).
JUSTIFY_TOLERANCE = 0.1
#: A justified line's stretched spaces are at most this many word heights wide (wider equal
#: gaps are the gutters of columns of equal width).
JUSTIFY_MAX_GAP = 3.5
#: A page with at least this many text lines holding stretched spaces prints justified
#: cells (:func:`is_justified`; equal gaps between short cells of equal columns make a few).
JUSTIFIED_LINES = 8
#: On such a page a column start is crossed by no more pieces than start there: the word
#: starts of justified lines meet by chance at many x, each crossed by the lines around.
JUSTIFIED_CROSSING_RATIO = 1
#: Words starting within this many points of each other start at one x (a column's text
#: is placed at the same x on every line, to the hundredth of a point).
WORD_ALIGN_TOLERANCE = 0.5
#: Words of at least this many text lines starting at one x, behind a gap no wider than a
#: word space, make a column start (see :func:`aligned_word_starts`).
MIN_ALIGNED_WORDS = 3
#: Piece starts closer than this (points) are the same column start.
COLUMN_TOLERANCE = 2.0
#: A column start recurs on at least this many text lines.
MIN_ALIGNED_LINES = 2
#: A column start is crossed by at most this many pieces per piece starting there (a
#: banner or grouped heading spanning columns crosses a few; the lines of a wide cell cross
#: a chance alignment inside it on most lines).
CROSSING_RATIO = 2
#: Two column starts are at least this many word heights apart.
MIN_COLUMN_WIDTH = 2.0
#: A row above or below the table's multi-column rows joins it when its gap to the table is
#: at most this many times the table's largest gap between its multi-column rows.
TABLE_GAP_FACTOR = 1.5
#: Width (points) given to a last column with no text on the page (wider than the
#: libraries' snapping tolerances, so that it stays a column).
EMPTY_COLUMN_WIDTH = 8.0
#: Column and row edges sit this far (points) outside the text they enclose.
EDGE_MARGIN = 1.0
#: A row belongs to the table while its type is at most this many times the table's: the
#: sector heading above the table is larger.
HEADING_SIZE_RATIO = 1.3


class Word(NamedTuple):
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
_TOP_X0 = attrgetter("top", "x0")
_X0 = attrgetter("x0")
_TOP = attrgetter("top")
_BOTTOM = attrgetter("bottom")


class TableLayout(NamedTuple):
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
    for word in sorted(words, key=_TOP_X0):
        if lines and word.top - lines[-1][0].top <= LINE_TOLERANCE * (word.bottom - word.top):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [tuple(sorted(line, key=_X0)) for line in lines]


def line_top(line: Line) -> float:
    """The top of a text line's highest word."""
    return min(map(_TOP, line))


def line_bottom(line: Line) -> float:
    """The bottom of a text line's lowest word."""
    return max(map(_BOTTOM, line))


def median(values: Iterable[float]) -> float:
    """The middle value of ``values`` (the mean of the two middle ones for an even count), as
    :func:`statistics.median` computes it, to the same number: that module imports
    ``fractions`` and ``decimal`` (about 3 ms at every start) for this one function. Raises
    ``ValueError`` for no values."""
    ordered = sorted(values)
    count = len(ordered)
    if not count:
        raise ValueError("no median for empty data")
    middle = count // 2
    if count % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def line_height(lines: Sequence[Line]) -> float:
    """The median height of the words of the lines (0 when there is none)."""
    heights = [word.bottom - word.top for line in lines for word in line]  # Word.height
    return median(heights) if heights else 0.0


def line_anchor(line: Line) -> float:
    """Where a text line sits: the median top of its words (a bullet or symbol from another
    font, whose box is taller or shorter, does not move it)."""
    return median(map(_TOP, line))


def size_class(line: Line) -> float:
    """A line's type size to the half point (lines of one size share one leading)."""
    return round(2 * median([word.bottom - word.top for word in line])) / 2  # Word.height


def successive_gaps(lines: Sequence[Line]) -> list[float]:
    """The white space between each text line and the next, from their words' median
    boxes (the lower line's :func:`line_anchor` less the upper line's median bottom), each
    line's medians computed once."""
    anchors = [line_anchor(line) for line in lines]
    bottoms = [median(map(_BOTTOM, line)) for line in lines]
    return [anchor - bottom for bottom, anchor in zip(bottoms, anchors[1:], strict=False)]


def commonest_gaps(
    sizes: Sequence[float], gaps: Sequence[float], height: float
) -> dict[float, float]:
    """Per type size, the commonest white space (to 0.1 pt) between two successive lines
    of that size (``sizes``: the lines' :func:`size_class`, ``gaps``: their
    :func:`successive_gaps`; ``height``: the lines' median word height): the leading of
    the lines wrapped inside a cell."""
    counts: dict[float, Counter[float]] = {}
    for (upper, lower), gap in zip(pairwise(sizes), gaps, strict=True):
        if upper == lower and -height < gap <= PITCH_RANGE * height:
            counts.setdefault(lower, Counter())[round(gap, 1)] += 1
    return {size: found.most_common(1)[0][0] for size, found in counts.items()}


def group_rows(lines: Sequence[Line]) -> list[Row]:
    """Text lines grouped into table rows: a gap wider than ROW_GAP_FACTOR line heights
    (the cell paddings) starts a new row, and so does a gap wider than the commonest gap
    between lines of the lower line's size by more than PITCH_TOLERANCE (a word
    processor's thin cell padding); the lines wrapped in a cell are one leading apart."""
    height = line_height(lines)
    threshold = ROW_GAP_FACTOR * height
    sizes = [size_class(line) for line in lines]
    gaps = successive_gaps(lines)
    leading = commonest_gaps(sizes, gaps, height)
    rows: list[list[Line]] = []
    row_bottom = 0.0
    for index, line in enumerate(lines):
        expected = leading.get(sizes[index])
        wrapped = line_top(line) - row_bottom <= threshold and (
            index == 0 or expected is None or gaps[index - 1] <= expected + PITCH_TOLERANCE
        )
        if rows and wrapped:
            rows[-1].append(line)
            row_bottom = max(row_bottom, line_bottom(line))
        else:
            rows.append([line])
            row_bottom = line_bottom(line)
    return [tuple(row) for row in rows]


def justified_spaces(line: Line, edges: Sequence[float] = ()) -> frozenset[int]:
    """Indexes of the words of a line that follow a stretched word space of a justified
    cell line: a gap wider than a cell gap but at most JUSTIFY_MAX_GAP word heights, equal
    (within JUSTIFY_TOLERANCE) to the gap before or after it, or, alone, before a word that
    ends at one of the ``edges`` (:func:`justified_edges`: where justified lines end). A word
    processor spreads a justified line's spare width equally over its spaces, so its words
    stand equally apart and its last word ends at the cell's right edge, while the gutter
    to the next cell's text is another width."""
    gaps = [word.x0 - previous.x1 for previous, word in pairwise(line)]
    found = set()
    for index, gap in enumerate(gaps):
        word = line[index + 1]
        height = word.bottom - word.top  # Word.height, without the property's call
        if not CELL_GAP_FACTOR * height < gap <= JUSTIFY_MAX_GAP * height:
            continue
        neighbours = gaps[max(index - 1, 0) : index] + gaps[index + 1 : index + 2]
        if any(abs(gap - other) <= JUSTIFY_TOLERANCE for other in neighbours) or any(
            abs(word.x1 - edge) <= JUSTIFY_TOLERANCE for edge in edges
        ):
            found.add(index + 1)
    return frozenset(found)


def justified_edges(
    lines: Sequence[Line], plain: Sequence[frozenset[int]] | None = None
) -> tuple[float, ...]:
    """The x where the runs of equally stretched words of justified lines end (their cell's
    right edge), when MIN_ALIGNED_WORDS runs or more end there (within JUSTIFY_TOLERANCE).
    ``plain``: each line's :func:`justified_spaces` without edges, when already known."""
    ends = []
    if plain is None:
        plain = [justified_spaces(line) for line in lines]
    for line, stretched in zip(lines, plain, strict=True):
        for index in sorted(stretched):
            if index + 1 not in stretched:  # the last word of a run
                ends.append(line[index].x1)
    edges: list[list[float]] = []
    for x in sorted(ends):
        if edges and x - edges[-1][-1] <= JUSTIFY_TOLERANCE:
            edges[-1].append(x)
        else:
            edges.append([x])
    return tuple(median(run) for run in edges if len(run) >= MIN_ALIGNED_WORDS)


def is_justified(
    lines: Sequence[Line],
    edges: Sequence[float] = (),
    stretched: Sequence[frozenset[int]] | None = None,
) -> bool:
    """Whether the page prints justified cells: at least JUSTIFIED_LINES of its text lines
    hold stretched word spaces (:func:`justified_spaces`; ``stretched``: each line's, when
    already known)."""
    if stretched is None:
        stretched = [justified_spaces(line, edges) for line in lines]
    return sum(1 for spaces in stretched if spaces) >= JUSTIFIED_LINES


class PageSpaces(NamedTuple):
    """The stretched word spaces of a page's text lines, found once per page (the column
    starts, the pieces and the table's cells all read them)."""

    edges: tuple[float, ...]
    """Where the page's justified lines end (:func:`justified_edges`)."""
    stretched: list[frozenset[int]]
    """Per text line, its :func:`justified_spaces` at those edges."""


def page_spaces(lines: Sequence[Line]) -> PageSpaces:
    """The :class:`PageSpaces` of a page's text lines: each line's stretched spaces are
    looked for once without edges, and again at the edges only when the page has some (at
    no edge the two are the same)."""
    plain = [justified_spaces(line) for line in lines]
    edges = justified_edges(lines, plain)
    if not edges:
        return PageSpaces(edges, plain)
    return PageSpaces(edges, [justified_spaces(line, edges) for line in lines])


def cell_segments(
    line: Line,
    splits: Sequence[float] = (),
    edges: Sequence[float] = (),
    stretched: frozenset[int] | None = None,
) -> list[Line]:
    """The words of a line split into the pieces that lie in different cells: at a gap
    wider than a word space (not a justified line's stretched space:
    :func:`justified_spaces`), and at the ``splits`` (aligned word starts, ascending)
    whatever the gap. ``edges``: as for :func:`justified_spaces`; ``stretched``: the line's
    stretched spaces at those edges, when already known."""
    segments: list[list[Word]] = []
    previous: Word | None = None
    if stretched is None:
        stretched = justified_spaces(line, edges)
    count = len(splits)
    for index, word in enumerate(line):
        if previous is None:
            segments.append([word])
            previous = word
            continue
        x0 = word.x0
        gap = x0 - previous.x1
        joined = gap <= CELL_GAP_FACTOR * (word.bottom - word.top) or index in stretched
        if joined and count and gap > WORD_ALIGN_TOLERANCE:  # the word starts at a split
            nearest = bisect_left(splits, x0 - WORD_ALIGN_TOLERANCE)
            joined = not (nearest < count and splits[nearest] <= x0 + WORD_ALIGN_TOLERANCE)
        if joined:
            segments[-1].append(word)
        else:
            segments.append([word])
        previous = word
    return [tuple(segment) for segment in segments]


def aligned_word_starts(
    lines: Sequence[Line],
    carried: Sequence[float] = (),
    edges: Sequence[float] = (),
    known: Sequence[frozenset[int]] | None = None,
) -> tuple[float, ...]:
    """The x where words start behind another word of their line on MIN_ALIGNED_WORDS text
    lines or more (all within WORD_ALIGN_TOLERANCE), which no more words cross than start
    there, and where some line shows a cell gap before its word (the header, a row whose
    cell on the left is short) or the previous page had a column start.

    A column whose neighbour's text fills its cell to the border (a narrow spreadsheet
    column) is apart from it by two thin paddings, no wider than a word space, yet its text
    starts at one x on every line; words of a list meet at one x by chance behind a repeated
    prefix ("a) Almeno 40", "b) Almeno 20"), but no line opens a cell there. ``known``:
    each line's :func:`justified_spaces` at ``edges``, when already found."""
    stretched: dict[int, frozenset[int]] = dict(enumerate(known or ()))  # per line, read once

    def justified(index: int, line: Line) -> frozenset[int]:
        if index not in stretched:
            stretched[index] = justified_spaces(line, edges)
        return stretched[index]

    starts = sorted(
        [
            (
                word.x0,
                index,
                word.x0 - previous.x1 > CELL_GAP_FACTOR * (word.bottom - word.top)  # .height
                and position not in justified(index, line),
            )
            for index, line in enumerate(lines)
            for position, (previous, word) in enumerate(pairwise(line), start=1)
            if word.x0 - previous.x1 > WORD_ALIGN_TOLERANCE
        ]
    )
    clusters: list[list[tuple[float, int, bool]]] = []
    for start in starts:
        if clusters and start[0] - clusters[-1][0][0] <= WORD_ALIGN_TOLERANCE:
            clusters[-1].append(start)
        else:
            clusters.append([start])
    crossing_words = crossing_counter([(word.x0, word.x1) for line in lines for word in line])
    aligned = []
    for cluster in clusters:
        x = cluster[0][0]
        line_count = len({index for _, index, _ in cluster})
        if line_count < MIN_ALIGNED_WORDS:
            continue
        if not any(clear for _, _, clear in cluster) and not any(
            abs(x - start) <= COLUMN_TOLERANCE for start in carried
        ):
            continue
        crossing = crossing_words(x - WORD_ALIGN_TOLERANCE, x + WORD_ALIGN_TOLERANCE)
        if crossing <= line_count:
            aligned.append(x)
    return tuple(aligned)


def crossing_counter(spans: Sequence[tuple[float, float]]) -> Callable[[float, float], int]:
    """A function counting the spans (x0, x1) that start left of ``left`` and end right of
    ``right`` (``left`` <= ``right``), by bisection: those starting left of ``left``, less
    those ending at ``right`` or before, plus those both starting at ``left`` or after and
    ending at ``right`` or before (looked for among the spans starting in [left, right]
    when no span ends before it starts, else among them all)."""
    x0s = sorted(x0 for x0, _ in spans)
    x1s = sorted(x1 for _, x1 in spans)
    by_start = sorted(spans)
    forward = all(x0 <= x1 for x0, x1 in spans)

    def count(left: float, right: float) -> int:
        first = bisect_left(x0s, left)
        last = bisect_right(x0s, right) if forward else len(by_start)
        inside = sum(1 for _, x1 in by_start[first:last] if x1 <= right)
        return first - bisect_right(x1s, right) + inside

    return count


Piece = tuple[int, Line]
"""A piece of a text line lying in one cell: (index of its text line, its words)."""


def line_pieces(
    lines: Sequence[Line],
    splits: Sequence[float] = (),
    edges: Sequence[float] = (),
    stretched: Sequence[frozenset[int]] | None = None,
) -> list[Piece]:
    """Every text line split into its cell pieces (at cell gaps and at ``splits``, the
    aligned word starts; ``edges`` as for :func:`justified_spaces`, ``stretched`` each
    line's stretched spaces at them when already known), with the line's index."""
    if stretched is None:
        stretched = [justified_spaces(line, edges) for line in lines]
    return [
        (index, piece)
        for index, (line, spaces) in enumerate(zip(lines, stretched, strict=True))
        for piece in cell_segments(line, splits, edges, spaces)
    ]


def piece_x0(piece: Piece) -> float:
    return piece[1][0].x0


def piece_x1(piece: Piece) -> float:
    return piece[1][-1].x1


def start_clusters(pieces: Sequence[Piece]) -> list[tuple[float, int, int]]:
    """The piece starts clustered (COLUMN_TOLERANCE apart at most): per cluster its
    leftmost x, the number of text lines starting a piece there and of pieces."""
    clusters: list[tuple[float, float, set[int], int]] = []
    for piece in sorted(pieces, key=piece_x0):
        x0 = piece_x0(piece)
        if clusters and x0 - clusters[-1][1] <= COLUMN_TOLERANCE:
            left, _, lines, count = clusters[-1]
            clusters[-1] = (left, x0, lines | {piece[0]}, count + 1)
        else:
            clusters.append((x0, x0, {piece[0]}, 1))
    return [(left, len(lines), count) for left, _, lines, count in clusters]


def crossings(pieces: Sequence[Piece]) -> Callable[[float], int]:
    """A function counting the pieces that run across x (start more than COLUMN_TOLERANCE
    left of it and end more than that right of it)."""
    count = crossing_counter([(piece_x0(piece), piece_x1(piece)) for piece in pieces])
    return lambda x: count(x - COLUMN_TOLERANCE, x + COLUMN_TOLERANCE)


def find_column_starts(
    lines: Sequence[Line], carried: Sequence[float] = (), spaces: PageSpaces | None = None
) -> tuple[float, ...]:
    """The x where columns start (see the module doc): recurring piece starts crossed by
    fewer pieces than start there, plus the carried starts that no piece crosses, at least
    MIN_COLUMN_WIDTH word heights apart (the leftmost of closer ones kept); a carried start
    counts as one piece. ``spaces``: the lines' :func:`page_spaces`, when already found."""
    edges, stretched = page_spaces(lines) if spaces is None else spaces
    splits = aligned_word_starts(lines, carried, edges, stretched)
    pieces = line_pieces(lines, splits, edges, stretched)
    crossing = crossings(pieces)
    justified = is_justified(lines, edges, stretched)
    ratio = JUSTIFIED_CROSSING_RATIO if justified else CROSSING_RATIO
    clusters = [
        (left, count)
        for left, line_count, count in start_clusters(pieces)
        if line_count >= MIN_ALIGNED_LINES and crossing(left) <= ratio * count
    ]
    accepted = [left for left, _ in clusters]
    accepted += [x for x in carried if crossing(x) <= CROSSING_RATIO]
    accepted += completing_starts(pieces, accepted, crossing, ratio)
    support = dict(clusters) if justified else {}
    width = MIN_COLUMN_WIDTH * line_height(lines)
    starts: list[float] = []
    for x in sorted(accepted):
        if not starts or x - starts[-1] >= width:
            starts.append(x)
        elif support.get(x, 1) > support.get(starts[-1], 1):
            starts[-1] = x  # justified cells: the start more pieces share, not a chance one
    return tuple(without_flush_starts(pieces, starts) if justified else starts)


def without_flush_starts(pieces: Sequence[Piece], starts: Sequence[float]) -> list[float]:
    """The column starts less those where only the last words of justified lines start: in
    a justified cell, a line of two words ends its second word at the cell's right edge.
    A start is dropped when every piece starting there ends at one x (within
    JUSTIFY_TOLERANCE), and some piece starting between the previous start and it runs past
    it but not past the next start (a line of the same cell; a true column's left
    neighbour ends before it, a banner row spans further)."""
    kept = list(starts)
    index = 1
    while index < len(kept):
        x, previous = kept[index], kept[index - 1]
        after = kept[index + 1] if index + 1 < len(kept) else float("inf")
        ends = [piece_x1(piece) for piece in pieces if abs(piece_x0(piece) - x) <= COLUMN_TOLERANCE]
        across = any(
            previous - COLUMN_TOLERANCE <= piece_x0(piece) < x - COLUMN_TOLERANCE
            and x < piece_x1(piece) < after
            for piece in pieces
        )
        if ends and across and max(ends) - min(ends) <= JUSTIFY_TOLERANCE:
            del kept[index]
        else:
            index += 1
    return kept


def completing_starts(
    pieces: Sequence[Piece],
    accepted: Sequence[float],
    crossing: Callable[[float], int],
    ratio: float = CROSSING_RATIO,
) -> list[float]:
    """Starts of pieces printed once (a one-line heading over a column left empty on the
    page), in a line whose other pieces start at two accepted columns or more, when hardly
    any piece crosses them (``crossing``: :func:`crossings` of the pieces)."""
    known = sorted(accepted)

    def is_known(x: float) -> bool:  # the starts nearest x on either side are the ones in reach
        index = bisect_left(known, x)
        return any(
            abs(x - start) <= COLUMN_TOLERANCE for start in known[max(index - 1, 0) : index + 1]
        )

    by_line: dict[int, list[float]] = {}
    for index, piece in pieces:
        by_line.setdefault(index, []).append(piece[0].x0)
    extra = []
    for starts in by_line.values():
        if len(starts) < 2:  # a line of one piece has no two known starts
            continue
        known_here = [is_known(x) for x in starts]
        if sum(known_here) < 2:
            continue
        extra += [
            x
            for x, seen in zip(starts, known_here, strict=True)
            if not seen and crossing(x) <= ratio
        ]
    return extra


def column_of(starts: Sequence[float], x: float) -> int:
    """The index of the column a piece starting at x lies in (-1 left of the first)."""
    return bisect_right(starts, x + COLUMN_TOLERANCE) - 1


def columns_spanned(
    row: Row, starts: Sequence[float], segments: Callable[[Line], Sequence[Line]]
) -> int:
    """In how many columns a row has text (``segments``: as for :func:`column_edges`)."""
    return len({column_of(starts, piece[0].x0) for line in row for piece in segments(line)})


def row_gap(upper: Row, lower: Row) -> float:
    """The vertical gap between two rows."""
    return min(line_top(line) for line in lower) - max(line_bottom(line) for line in upper)


def table_blocks(
    rows: Sequence[Row],
    starts: Sequence[float],
    segments: Callable[[Line], Sequence[Line]],
) -> list[tuple[int, int]]:
    """The (first, last) row indexes of each table on the page (see the module doc;
    ``segments``: as for :func:`column_edges`)."""
    multi = [index for index, row in enumerate(rows) if columns_spanned(row, starts, segments) >= 2]
    if not multi:
        return []
    size = median(
        [word.bottom - word.top for index in multi for line in rows[index] for word in line]
    )
    limit = HEADING_SIZE_RATIO * size
    heights = [row_height(row) for row in rows]  # each row's once: fits is asked again

    def fits(index: int) -> bool:
        return heights[index] <= limit

    multi = [index for index in multi if fits(index)]

    blocks: list[list[int]] = [[multi[0], multi[0]]]
    for index in multi[1:]:
        between = range(blocks[-1][1] + 1, index)
        if all(fits(other) for other in between):
            blocks[-1][1] = index
        else:
            blocks.append([index, index])
    result = []
    for first, last in blocks:
        gaps = [row_gap(rows[i], rows[i + 1]) for i in range(first, last)]
        allowed = max(TABLE_GAP_FACTOR * max(gaps, default=0.0), 2 * size)
        while first > 0 and fits(first - 1) and row_gap(rows[first - 1], rows[first]) <= allowed:
            first -= 1
        while (
            last + 1 < len(rows)
            and fits(last + 1)
            and row_gap(rows[last], rows[last + 1]) <= allowed
        ):
            last += 1
        if result and first <= result[-1][1]:
            first = result[-1][1] + 1
        result.append((first, last))
    return result


def row_height(row: Row) -> float:
    """The median word height of a row: the size of its type."""
    return line_height(row)


def row_edges(rows: Sequence[Row]) -> tuple[float, ...]:
    """The y edges of the rows: halfway across each gap, EDGE_MARGIN outside the ends."""
    tops = [min(line_top(line) for line in row) for row in rows]
    bottoms = [max(line_bottom(line) for line in row) for row in rows]
    inner = [(bottom + top) / 2 for bottom, top in zip(bottoms, tops[1:], strict=False)]
    return (tops[0] - EDGE_MARGIN, *inner, bottoms[-1] + EDGE_MARGIN)


def boundary_before(spans: Sequence[tuple[float, float]], previous: float, start: float) -> float:
    """Where the column starting at ``start`` begins: just left of it, or of a piece that
    starts in the gap after the previous column's text and runs into this column (a wider
    right-aligned number such as a total's "100,00%"). ``spans`` are the pieces' (x0, x1),
    sorted: the pieces starting near an x are found by bisection (within a point more
    than the tolerance, then tested exactly)."""
    x0s = [x0 for x0, _ in spans]
    near = spans[
        bisect_left(x0s, previous - COLUMN_TOLERANCE - 1.0) : bisect_right(
            x0s, previous + COLUMN_TOLERANCE + 1.0
        )
    ]
    text_end = max(
        (
            x1
            for x0, x1 in near
            if abs(x0 - previous) <= COLUMN_TOLERANCE and x1 <= start + COLUMN_TOLERANCE
        ),
        default=previous,
    )
    gap = spans[bisect_right(x0s, text_end) : bisect_left(x0s, start - COLUMN_TOLERANCE)]
    strays = [x0 for x0, x1 in gap if x1 > start]  # text_end < x0 < start - tolerance
    return min([start, *strays]) - EDGE_MARGIN


def column_edges(
    starts: Sequence[float],
    rows: Sequence[Row],
    segments: Callable[[Line], Sequence[Line]],
) -> tuple[float, ...]:
    """The x edges of the columns: before each column start right of the table's first
    text, and around all the table's text (a carried column left empty on this page keeps
    its place, so that every page of a table has the same columns). ``segments`` gives a
    line's cell pieces at the starts (:func:`cell_segments`, computed once per page by
    :func:`find_layouts`)."""
    lines = [line for row in rows for line in row]
    words = [word for line in lines for word in line]
    left = min(word.x0 for word in words) - EDGE_MARGIN
    right = max(word.x1 for word in words) + EDGE_MARGIN
    inside = [x for x in starts if left + EDGE_MARGIN + COLUMN_TOLERANCE < x]
    right = max([right, *(x + EMPTY_COLUMN_WIDTH for x in inside)])
    spans = sorted((piece[0].x0, piece[-1].x1) for line in lines for piece in segments(line))
    lefts = [left + EDGE_MARGIN, *inside]
    bounds = [boundary_before(spans, lefts[i], lefts[i + 1]) for i in range(len(inside))]
    return (left, *bounds, right)


def given_starts(lines: Sequence[Line], boundaries: Sequence[float]) -> tuple[float, ...]:
    """Column starts for boundaries given by the user (:mod:`extract.pdf_columns`): the
    page's leftmost text, then each boundary shifted by COLUMN_TOLERANCE, so that
    :func:`column_of` puts a piece in the column right of a boundary exactly when it starts
    at or right of it."""
    left = min(word.x0 for line in lines for word in line)
    inner = [x + COLUMN_TOLERANCE for x in boundaries if x + COLUMN_TOLERANCE > left]
    return (min(left, boundaries[0]), *inner) if inner else (left,)


def given_edges(boundaries: Sequence[float], rows: Sequence[Row]) -> tuple[float, ...]:
    """The x edges of a table whose boundaries are given: around all its text (at least
    EMPTY_COLUMN_WIDTH beyond the first and last boundary) and at each boundary."""
    words = [word for row in rows for line in row for word in line]
    left = min([min(word.x0 for word in words) - EDGE_MARGIN, boundaries[0] - EMPTY_COLUMN_WIDTH])
    right = max([max(word.x1 for word in words) + EDGE_MARGIN, boundaries[-1] + EMPTY_COLUMN_WIDTH])
    return (left, *boundaries, right)


def find_layouts(
    words: Iterable[Word], carried: Sequence[float] = (), boundaries: Sequence[float] = ()
) -> list[TableLayout]:
    """The borderless tables of a page, top to bottom (empty when it holds none).

    ``carried`` are the previous page's column starts (a table continued from there may
    leave a column empty on this page). ``boundaries``, when given (x ascending, from a
    layout hints file: :mod:`extract.pdf_columns`), are the columns' boundaries: only the
    tables' rows are found."""
    lines = text_lines(words)
    if not lines:
        return []
    rows = group_rows(lines)
    given = bool(boundaries)
    spaces = page_spaces(lines)
    if given:
        starts = given_starts(lines, boundaries)
    else:
        starts = find_column_starts(lines, carried, spaces)
    edges, stretched = spaces
    pieces = {
        id(line): cell_segments(line, starts, edges, found)
        for line, found in zip(lines, stretched, strict=True)
    }

    def segments(line: Line) -> list[Line]:
        return pieces[id(line)]

    layouts = []
    for first, last in table_blocks(rows, starts, segments):
        block = rows[first : last + 1]
        if boundaries:
            columns = given_edges(boundaries, block)
        else:
            columns = column_edges(starts, block, segments)
        if len(columns) >= 3:
            layouts.append(TableLayout(columns=columns, rows=row_edges(block)))
    return layouts


def find_layout(
    words: Iterable[Word], carried: Sequence[float] = (), boundaries: Sequence[float] = ()
) -> TableLayout | None:
    """The first borderless table of a page, or None (see :func:`find_layouts`)."""
    layouts = find_layouts(words, carried, boundaries)
    return layouts[0] if layouts else None


def row_index(edges: Sequence[float], top: float, bottom: float) -> int:
    """The layout row (index between the y ``edges``) that holds the middle of a text line;
    a line beyond the first or last edge belongs to the first or last row."""
    middle = (top + bottom) / 2
    return min(max(bisect_right(edges, middle) - 1, 0), len(edges) - 2)


def column_starts(layout: TableLayout) -> tuple[float, ...]:
    """The column starts of a layout, to carry over to the next page."""
    return (layout.columns[0] + EDGE_MARGIN, *(x + EDGE_MARGIN for x in layout.boundaries))
