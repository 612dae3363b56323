"""The borderless layout (extract.pdf_layout) on synthetic pages of word boxes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.pdf_layout import (
    CELL_GAP_FACTOR,
    COLUMN_TOLERANCE,
    EDGE_MARGIN,
    EMPTY_COLUMN_WIDTH,
    WORD_ALIGN_TOLERANCE,
    Word,
    aligned_word_starts,
    boundary_before,
    cell_segments,
    column_starts,
    crossing_counter,
    find_column_starts,
    find_layout,
    find_layouts,
    group_rows,
    is_justified,
    justified_edges,
    justified_spaces,
    median,
    page_spaces,
    row_index,
    text_lines,
    without_flush_starts,
)

#: Column headings of the synthetic table: any words do, the layout knows no meanings.
HEADINGS = ("alfa uno", "beta gamma", "delta due", "epsilon zeta eta", "iota tre",
            "kappa lambda", "mu quattro", "nu xi", "omicron pi rho", "sigma cinque",
            "tau upsilon")  # fmt: skip

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
        for left, keyword in zip(LEFTS, HEADINGS, strict=True):
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
    """Without the header, the columns empty on this page come from the previous page."""
    alone = find_layout(page(with_header=False))
    assert alone is not None and len(alone.columns) == 4  # columns 0, 3 and 9 hold text
    layout = find_layout(page(with_header=False), carried=LEFTS)
    assert layout is not None
    assert layout.boundaries == tuple(left - EDGE_MARGIN for left in LEFTS[1:])
    assert len(layout.rows) - 1 == 2  # the two data rows; the larger heading lies above


def test_two_tables_on_one_page_are_split_at_the_heading_between() -> None:
    words = page() + [
        Word(w.text, w.x0, w.top + 200, w.x1, w.bottom + 200) for w in page(with_header=True)
    ]
    layouts = find_layouts(words)
    assert len(layouts) == 2
    assert layouts[1].rows[0] == 266.0 - EDGE_MARGIN
    assert layouts[0].rows[-1] < 236.0  # above the second heading


def test_a_right_aligned_wider_number_starts_its_column() -> None:
    """A total's "100,00%" right-aligned under "7,58%" values starts left of them."""
    words = []
    for number, text in enumerate(["7,58%", "9,09%", "7,58%", "100,00%"]):
        top = 100.0 + number * 16
        words += [word("testo", 30.0, top), word("descrizione", 80.0, top)]
        words.append(word(text, 200.0 - CHAR_WIDTH * len(text), top))
    layout = find_layout(words)
    assert layout is not None and len(layout.columns) == 4
    assert layout.boundaries[-1] == 200.0 - CHAR_WIDTH * 7 - EDGE_MARGIN


def test_row_index_by_the_middle_of_a_line() -> None:
    edges = (10.0, 20.0, 30.0)
    assert row_index(edges, 12.0, 16.0) == 0
    assert row_index(edges, 18.0, 24.0) == 1
    assert row_index(edges, 0.0, 2.0) == 0  # above the table: its first row
    assert row_index(edges, 40.0, 44.0) == 1  # below: its last row


# hold-out layouts: a narrow spreadsheet column filled to its border ---------------


def filled_column_page() -> list[Word]:
    """A header and three rows where the first column's text ("Miss. 10") runs up to the
    second column's text ("2.1.1") with a gap no wider than a word space, as a spreadsheet
    export of a narrow column prints it; the third column is well apart."""
    words = cell_words(["Miss."], 30.0, 20.0) + cell_words(["Codice"], 51.0, 20.0)
    words += cell_words(["Obiettivo"], 120.0, 20.0)
    for number, mission in enumerate(("10", "10", "03")):
        top = 40.0 + number * (LEADING + PADDING)
        words += [word("Miss.", 30.0, top), word(mission, 44.5, top)]  # ends at 49.5
        words += [word("2.1.1", 51.0, top), word("TITOLO", 120.0, top)]  # gap 1.5: a space
    return words


def test_filled_narrow_column_is_split_at_its_aligned_word_starts() -> None:
    layout = find_layout(filled_column_page())
    assert layout is not None
    assert column_starts(layout) == (30.0, 51.0, 120.0)


def test_words_aligned_behind_a_repeated_prefix_make_no_column() -> None:
    words = cell_words(["Obiettivo"], 30.0, 20.0) + cell_words(["Target"], 120.0, 20.0)
    for number in range(3):  # "Almeno 40", "Almeno 20", ...: aligned by the prefix only
        top = 40.0 + number * (LEADING + PADDING)
        words += cell_words(["TITOLO"], 30.0, top) + cell_words(
            [f"Almeno {number}0 ore"], 120.0, top
        )
    assert aligned_word_starts(text_lines(words)) == (120.0,)
    layout = find_layout(words)
    assert layout is not None
    assert column_starts(layout) == (30.0, 120.0)


# ------------------------------------------------ bisection helpers against their definition

COORD = st.integers(0, 24).map(lambda x: x / 2)  # coarse: ties and tolerance edges are common
SPANS = st.lists(st.tuples(COORD, COORD), max_size=30)


@given(SPANS, COORD, st.integers(0, 8).map(lambda w: w / 2))
def test_crossing_counter_counts_the_spans_running_across(spans, left, width):
    """Spans may run backwards (x1 < x0: a word box a PDF draws right to left)."""
    right = left + width
    expected = sum(1 for x0, x1 in spans if x0 < left and x1 > right)
    assert crossing_counter(spans)(left, right) == expected


@settings(max_examples=400)
@given(SPANS.map(sorted), COORD, COORD)
def test_boundary_before_is_the_start_or_a_stray_piece_reaching_into_the_column(
    spans, previous, start
):
    own = [x1 for x0, x1 in spans if abs(x0 - previous) <= COLUMN_TOLERANCE]
    text_end = max((x1 for x1 in own if x1 <= start + COLUMN_TOLERANCE), default=previous)
    strays = [x0 for x0, x1 in spans if text_end < x0 < start - COLUMN_TOLERANCE and x1 > start]
    assert boundary_before(spans, previous, start) == min([start, *strays]) - EDGE_MARGIN


@settings(max_examples=400)
@given(st.lists(COORD, max_size=8).map(sorted), COORD, COORD)
def test_a_split_is_found_by_bisection_as_by_testing_every_start(splits, x0, gap):
    """Two words are one cell's piece unless their gap is a cell gap or the second starts
    at a split (apart from the first): the split found by bisection, as by testing each."""
    previous = Word("a", x0 - gap - 5, 0, x0 - gap, SIZE)
    word = Word("b", x0, 0, x0 + 5, SIZE)
    apart = word.x0 - previous.x1
    at_split = apart > WORD_ALIGN_TOLERANCE and any(
        abs(x0 - x) <= WORD_ALIGN_TOLERANCE for x in splits
    )
    joined = apart <= CELL_GAP_FACTOR * SIZE and not at_split
    segments = cell_segments((previous, word), splits, stretched=frozenset())
    assert segments == ([(previous, word)] if joined else [(previous,), (word,)])


# --- boundaries given by a layout hints file ------------------------------------------------

#: Boundaries a user gives for the synthetic page: between the columns that hold text
#: (0 | 3 | 9), in the gutters left of LEFTS[3] and LEFTS[9].
GIVEN = (LEFTS[3] - 4.0, LEFTS[9] - 4.0)


def test_given_boundaries_are_the_columns_and_the_rows_are_still_found() -> None:
    layout = find_layout(page(), boundaries=GIVEN)
    assert layout is not None
    assert layout.boundaries == GIVEN
    assert layout.rows[0] == 66.0 - EDGE_MARGIN  # the DUP header row, not the heading
    assert len(layout.rows) - 1 == 4  # DUP row, column header row, two data rows


def test_given_boundaries_replace_the_found_ones_on_a_page_without_header() -> None:
    """The carried starts are not used: the given boundaries are the columns."""
    layout = find_layout(page(with_header=False), carried=LEFTS, boundaries=GIVEN)
    assert layout is not None
    assert layout.columns[1:-1] == GIVEN
    assert layout.columns[0] == LEFTS[0] - EDGE_MARGIN
    assert len(layout.rows) - 1 == 2


def test_a_boundary_beyond_the_text_keeps_an_empty_last_column() -> None:
    layout = find_layout(page(with_header=False), boundaries=(*GIVEN, 820.0))
    assert layout is not None
    assert layout.boundaries == (*GIVEN, 820.0)
    assert layout.columns[-1] == 820.0 + EMPTY_COLUMN_WIDTH


# --- justified cells ------------------------------------------------------------------------

#: Two justified columns: cells from JL to JR (left) and from KL to KR (right), 2 x 2.85 pt
#: of padding between them, like LibreOffice Writer's default.
JL, JR, KL, KR = 40.0, 100.0, 105.7, 165.7


def justified_line(texts: list[str], left: float, right: float, top: float) -> list[Word]:
    """The words of one justified line: the first at ``left``, the last ending at ``right``,
    the spare width spread equally over the spaces."""
    widths = [CHAR_WIDTH * len(text) for text in texts]
    space = (right - left - sum(widths)) / (len(texts) - 1)
    words, x = [], left
    for text, width in zip(texts, widths, strict=True):
        words.append(Word(text, x, top, x + width, top + SIZE))
        x += width + space
    return words


def justified_page() -> list[Word]:
    """A header row (left-aligned) over two columns of justified paragraphs (ten lines),
    whose lines of two words end flush at the cell edge and whose word starts meet by
    chance."""
    words = cell_words(["prima", "colonna"], JL, 60.0) + cell_words(["seconda"], KL, 60.0)
    top = 60.0 + 2 * LEADING + PADDING
    lefts = [["uno", "due", "tre"], ["quattro", "cinque", "sei"], ["settembre", "ottobre"],
             ["nove", "dieci", "undici"], ["dodicesimo", "tredici"]]  # fmt: skip
    rights = [["alfa", "beta", "gamma"], ["deltaplano", "elicottero"], ["teta", "iota", "kappa"],
              ["lambdacismo", "mitologia"], ["ni", "xi", "omicron"]]  # fmt: skip
    for number, (left, right) in enumerate(zip(lefts * 2, rights * 2, strict=True)):
        words += justified_line(left, JL, JR, top + number * LEADING)
        words += justified_line(right, KL, KR, top + number * LEADING)
    last = top + 2 * len(lefts) * LEADING
    words += cell_words(["fine"], JL, last) + cell_words(["fine"], KL, last)
    return words


def test_a_justified_line_is_one_piece_however_wide_its_spaces() -> None:
    line = tuple(justified_line(["uno", "due", "tre"], JL, JR, 0.0))
    assert line[1].x0 - line[0].x1 > 15  # far wider than a cell gap
    assert justified_spaces(line) == {1, 2}
    assert [[w.text for w in piece] for piece in cell_segments(line)] == [["uno", "due", "tre"]]


def test_unequal_wide_gaps_are_cell_gaps() -> None:
    line = (word("uno", 40, 0), word("due", 60, 0), word("tre", 90, 0))  # gaps 12.5, 22.5
    assert justified_spaces(line) == frozenset()
    assert len(cell_segments(line)) == 3


def test_a_two_word_line_ending_where_justified_lines_end_is_one_piece() -> None:
    line = tuple(justified_line(["settembre", "ottobre"], JL, JR, 0.0))
    assert justified_spaces(line) == frozenset()
    assert justified_spaces(line, (JR,)) == {1}


def test_justified_cells_start_their_columns_at_the_cells_only() -> None:
    lines = text_lines(justified_page())
    assert is_justified(lines)
    assert justified_edges(lines) == (JR, KR)
    assert find_column_starts(lines) == (JL, KL)


def test_page_spaces_reads_each_lines_stretched_spaces_once_at_the_pages_edges() -> None:
    lines = text_lines(justified_page())
    edges, stretched = page_spaces(lines)
    assert edges == (JR, KR)
    assert stretched == [justified_spaces(line, (JR, KR)) for line in lines]
    two_words = next(i for i, line in enumerate(lines) if line[0].text == "settembre")
    assert stretched[two_words] == {1, 3, 4}  # "ottobre" ends at JR; "teta iota kappa"
    assert justified_spaces(lines[two_words]) == {3, 4}  # without the edges


def test_page_spaces_without_justified_lines_has_no_edges() -> None:
    lines = text_lines(cell_words(["uno due", "tre"], JL, 0.0) + cell_words(["x"], KL, 0.0))
    assert page_spaces(lines) == ((), [frozenset(), frozenset()])


def test_a_start_where_only_flush_last_words_start_is_dropped() -> None:
    pieces = [(0, (word("sette", JL, 0),)), (0, (Word("otto", 85.0, 0, JR, SIZE),)),
              (1, (Word("uno due", JL, 8, JR, 8 + SIZE),)), (1, (word("x", KL, 8),))]  # fmt: skip
    assert without_flush_starts(pieces, [JL, 85.0, KL]) == [JL, KL]
    assert without_flush_starts(pieces[:1] + pieces[2:], [JL, KL]) == [JL, KL]


def test_a_right_aligned_number_column_is_kept() -> None:
    """Numbers right-aligned in their column all end at one x, but nothing of the column on
    the left runs into them: a column, not the last words of justified lines."""
    pieces = [
        (0, (Word("uno due", JL, 0, JR, SIZE),)),
        (0, (Word("12,5%", 150.0, 0, 162.5, SIZE),)),
        (1, (word("tre", JL, 8),)),
        (1, (Word("7%", 157.5, 8, 162.5, 8 + SIZE),)),
    ]
    assert without_flush_starts(pieces, [JL, 150.0]) == [JL, 150.0]


@given(st.lists(st.floats(-1e6, 1e6) | st.integers(-1000, 1000), min_size=1, max_size=30))
def test_median_is_the_statistics_modules_to_the_same_number(values):
    import statistics

    ours = median(values)
    assert ours == statistics.median(values)
    assert type(ours) is type(statistics.median(values))


def test_median_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="no median"):
        median([])
