"""The borderless layout (extract.pdf_layout) on synthetic pages of word boxes."""

from __future__ import annotations

from extract.pdf_layout import (
    EDGE_MARGIN,
    HEADER_KEYWORDS,
    Word,
    cell_segments,
    column_starts,
    find_layout,
    group_rows,
    header_cells,
    row_index,
    text_lines,
)

#: Column starts of the synthetic table (left-aligned cells), in points.
LEFTS = (30.0, 98.0, 173.0, 243.0, 367.0, 472.0, 557.0, 611.0, 671.0, 731.0, 772.0)
SIZE = 6.5
LEADING = 7.8
PADDING = 8.0
CHAR_WIDTH = 2.5


def word(text: str, x0: float, top: float, size: float = SIZE) -> Word:
    """A word box of ``text`` with a fixed advance per character."""
    return Word(text, x0, top, x0 + CHAR_WIDTH * len(text), top + size)


def cell_words(text_lines_: list[str], x0: float, top: float, size: float = SIZE) -> list[Word]:
    """The words of a left-aligned cell with one text line per item, LEADING apart."""
    words = []
    for number, line in enumerate(text_lines_):
        x = x0
        for text in line.split():
            words.append(word(text, x, top + number * LEADING, size))
            x += CHAR_WIDTH * (len(text) + 1)
    return words


def page(with_header: bool = True) -> list[Word]:
    """A heading (12 pt), a DUP header row, the column header row, then two data rows of
    two lines each; rows are LEADING + PADDING apart, lines of a cell LEADING apart."""
    words = [word("OBIETTIVI", 34.0, 36.0, 12.0), word("SETTORE", 120.0, 36.0, 12.0)]
    top = 66.0
    if with_header:
        words += cell_words(["DOCUMENTO UNICO"], LEFTS[0], top, 6.0)
        top += LEADING + PADDING
        for left, keyword in zip(LEFTS, HEADER_KEYWORDS, strict=True):
            words += cell_words(keyword.split(), left, top, 6.0)  # one word a line
        top += 3 * LEADING + PADDING
    for code in ("1.1.1 uno", "1.1.2 due"):
        words += cell_words(["M 01"], LEFTS[0], top)
        words += cell_words([code, "seconda riga"], LEFTS[3], top)
        words += cell_words(["5"], LEFTS[9], top)
        top += 2 * LEADING + PADDING
    return words


def test_lines_wrapped_in_a_cell_stay_in_one_row() -> None:
    rows = group_rows(text_lines(page()))
    # heading, DUP row, column header (3 lines), two data rows of 2 lines each
    assert [len(row) for row in rows] == [1, 1, 3, 2, 2]


def test_cell_segments_split_at_cell_gaps_not_word_spaces() -> None:
    line = (word("a", 10, 0), word("b", 14, 0), word("c", 40, 0))  # space 1.5, gap 23.5
    assert [[w.text for w in segment] for segment in cell_segments(line)] == [["a", "b"], ["c"]]


def test_header_cells_read_top_to_bottom() -> None:
    header = group_rows(text_lines(page()))[2]
    cells = header_cells(header)
    assert [x0 for x0, _ in cells] == list(LEFTS)
    assert [text for _, text in cells] == list(HEADER_KEYWORDS)


def test_columns_start_at_the_header_cells() -> None:
    layout = find_layout(page())
    assert layout is not None
    assert layout.boundaries == tuple(left - EDGE_MARGIN for left in LEFTS[1:])
    assert column_starts(layout) == LEFTS


def test_heading_lies_above_the_table_and_header_rows_inside() -> None:
    layout = find_layout(page())
    assert layout is not None
    assert layout.rows[0] == 66.0 - EDGE_MARGIN  # the DUP header row, not the heading
    assert len(layout.rows) - 1 == 4  # DUP row, column header row, two data rows


def test_a_page_without_header_continues_the_previous_columns() -> None:
    assert find_layout(page(with_header=False)) is None
    layout = find_layout(page(with_header=False), carried=LEFTS)
    assert layout is not None
    assert layout.boundaries == tuple(left - EDGE_MARGIN for left in LEFTS[1:])
    assert len(layout.rows) - 1 == 3  # the heading-like line, then the two data rows


def test_row_index_by_the_middle_of_a_line() -> None:
    edges = (10.0, 20.0, 30.0)
    assert row_index(edges, 12.0, 16.0) == 0
    assert row_index(edges, 18.0, 24.0) == 1
    assert row_index(edges, 0.0, 2.0) == 0  # above the table: its first row
    assert row_index(edges, 40.0, 44.0) == 1  # below: its last row
