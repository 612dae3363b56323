"""The pdfium engine against pdfplumber, its reference: the same page model, the same cells.

The engine (``extract/pdf_pdfium.py``) reads characters and paths with pypdfium2 and hands
them to pdfplumber's table code; these tests compare it with the pdfplumber engine row by
row, cell by cell, on the ruled and borderless fixtures and on every corpus PDF (reportlab,
Writer and Calc renderings, ``tests/fixtures/corpus/make_corpus.py``). The one known
difference is listed in KNOWN_DIFFERENCES, with its reason.
"""

from __future__ import annotations

import ctypes
from functools import cache
from operator import itemgetter
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from pdfplumber.utils import extract_text, extract_words

from extract import pdf_pdfium, pdf_pdfplumber, read_document
from extract.pdf_layout import Word
from extract.stitch import PdfReading

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RULED = FIXTURES / "portomaggiore_ruled.pdf"
BORDERLESS = FIXTURES / "portomaggiore_borderless.pdf"
CORPUS = sorted((FIXTURES / "corpus").glob("*/*.pdf"))
PDFS = [RULED, BORDERLESS, *CORPUS]
#: Coordinates: pdfium's are 32-bit floats (see the engine's module doc).
TOLERANCE = 1e-3


@cache
def reading(path: Path, engine: str) -> PdfReading:
    module = pdf_pdfium if engine == "pdfium" else pdf_pdfplumber
    return module.read_pdf(path)


def cells(path: Path, engine: str) -> list[tuple[int, str, list[list[tuple[int, str]]]]]:
    """Per fragment: page, heading and each row's (column, text) cells."""
    return [
        (
            fragment.page,
            fragment.heading,
            [[(cell.column, cell.text) for cell in row.cells] for row in fragment.rows],
        )
        for fragment in reading(path, engine).fragments
    ]


@pytest.mark.parametrize("path", PDFS, ids=[path.name for path in PDFS])
def test_same_cells_as_pdfplumber(path: Path) -> None:
    """Identical on every PDF, the ReportLab bullets included (WinAnsi code 127: pdfium
    maps it to "•", the pdfplumber engine too, see ``restore_winansi_bullets``)."""
    ours, reference = cells(path, "pdfium"), cells(path, "pdfplumber")
    assert len(ours) == len(reference)
    for mine, theirs in zip(ours, reference, strict=True):
        assert mine[:2] == theirs[:2]
        assert len(mine[2]) == len(theirs[2])
        for row, expected in zip(mine[2], theirs[2], strict=True):
            assert row == expected


@pytest.mark.parametrize("path", PDFS, ids=[path.name for path in PDFS])
def test_same_boxes_strategies_and_preamble_as_pdfplumber(path: Path) -> None:
    ours, reference = reading(path, "pdfium"), reading(path, "pdfplumber")
    assert ours.extractor == reference.extractor.replace("pdfplumber-", "pdfium-")
    assert (ours.page_count, ours.preamble, ours.pages_without_text) == (
        reference.page_count,
        reference.preamble,
        reference.pages_without_text,
    )
    boxes = [
        (mine.bbox, theirs.bbox)
        for fragment, other in zip(ours.fragments, reference.fragments, strict=True)
        for row, other_row in zip(fragment.rows, other.rows, strict=True)
        for mine, theirs in zip(row.cells, other_row.cells, strict=True)
    ]
    if path.name.endswith(".lines.pdf"):  # label lines, no table drawn: no fragment at all
        assert not ours.fragments and not reference.fragments
        return
    assert boxes
    for mine, theirs in boxes:
        assert mine == pytest.approx(theirs, abs=TOLERANCE)


def page_models(path: Path, number: int) -> tuple[pdfplumber.page.Page, pdfplumber.page.Page]:
    """pdfplumber's page ``number`` (1-based) and the same page as pdfium reads it."""
    pdf = pdfplumber.open(path)
    outline = pdf.pages[number - 1]
    document = pypdfium2.PdfDocument(str(path))
    descents = pdf_pdfium.font_descents(pdf.pages)
    page, _count = pdf_pdfium.read_page_counted(document[number - 1], outline, descents)
    return outline, page


BOX = ("x0", "top", "x1", "bottom")


def boxes(objects: list[dict]) -> list[float]:
    """The coordinates of the objects, one flat list (for pytest.approx)."""
    return [obj[key] for obj in objects for key in BOX]


@pytest.mark.parametrize(
    ("path", "number"),
    [
        (RULED, 2),
        (BORDERLESS, 3),
        (FIXTURES / "corpus" / "roccabella" / "roccabella.calc.pdf", 1),
        (FIXTURES / "corpus" / "terre_sillaro" / "terre_sillaro.writer.pdf", 1),
        (FIXTURES / "corpus" / "roccabella" / "roccabella.writer.pdf", 2),
    ],
    ids=["ruled", "borderless", "calc", "writer-hrules", "writer"],
)
def test_page_model_is_pdfminers(path: Path, number: int) -> None:
    """Characters (text, box) and edges as pdfminer/pdfplumber read them, in print order."""
    reference, page = page_models(path, number)
    assert [char["text"] for char in page.chars] == [char["text"] for char in reference.chars]
    assert boxes(page.chars) == pytest.approx(boxes(reference.chars), abs=TOLERANCE)

    def edges(found: list[dict]) -> list[dict]:
        return sorted(found, key=lambda edge: (edge["orientation"], *(edge[k] for k in BOX)))

    mine, theirs = edges(page.edges), edges(reference.edges)
    assert [edge["orientation"] for edge in mine] == [edge["orientation"] for edge in theirs]
    assert boxes(mine) == pytest.approx(boxes(theirs), abs=TOLERANCE)
    assert {kind: len(found) for kind, found in page.objects.items()} == {
        kind: len(found) for kind, found in reference.objects.items()
    }


def test_calc_descent_as_pdfminer_reads_it() -> None:
    """Calc's DejaVu fonts declare a descent of 0, which pdfminer uses and pdfium replaces
    by the font file's (-0.176): the characters' bottoms follow the declaration."""
    reference, page = page_models(FIXTURES / "corpus" / "roccabella" / "roccabella.calc.pdf", 1)
    assert page.chars[0]["bottom"] == pytest.approx(reference.chars[0]["bottom"], abs=TOLERANCE)
    descents = pdf_pdfium.font_descents(pdfplumber.open(RULED).pages)
    assert descents["Helvetica"] == pytest.approx(-0.207)  # the AFM metrics, not pdfium's


def test_line_end_hyphen_is_a_hyphen_not_pdfiums_mark() -> None:
    """pdfium reads a hyphen ending a text line as U+0002; the page prints "-"."""
    reference, page = page_models(RULED, 3)
    text = "".join(char["text"] for char in page.chars)
    assert "\x02" not in text
    assert "formazione-iniziative" in text.replace("\n", "")
    assert text == "".join(char["text"] for char in reference.chars)


def test_writer_characters_in_printing_order() -> None:
    """pdfium's text page moves some runs along a line (in a Writer header cell); the
    engine puts the characters back in printing order.

    pdfium also drops the space a Writer line keeps after its last hyphen ("DVR- " /
    "nomina"): a blank at a line end, which no word, cell text or layout uses."""
    path = FIXTURES / "corpus" / "portomaggiore" / "portomaggiore.writer.pdf"
    reference, page = page_models(path, 7)
    ours = "".join(char["text"] for char in page.chars)
    theirs = "".join(char["text"] for char in reference.chars)
    assert "".join(ours.split()) == "".join(theirs.split())
    assert len(theirs) - len(ours) == 2  # "DVR- " and "ON-LINE- ": their blanks only
    textpage = pypdfium2.PdfDocument(str(path))[6].get_textpage()
    pdfium_order = "".join(textpage.get_text_range().replace("\x02", "-").split())
    assert pdfium_order != "".join(theirs.split())  # the defect the engine repairs


@pytest.mark.parametrize("path", [RULED, BORDERLESS], ids=["ruled", "borderless"])
def test_words_and_text_as_pdfplumbers(path: Path) -> None:
    """The engine's word and text extraction gives pdfplumber's output on every page and
    on cell-sized runs of characters."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = page.chars
            assert pdf_pdfium.chars_words(chars) == extract_words(chars)
            ratio = pdf_pdfplumber.WORD_GAP_RATIO
            assert pdf_pdfium.chars_words(chars, ratio) == extract_words(
                chars, x_tolerance_ratio=ratio
            )
            glyphs = pdf_pdfium.glyphs_of(chars)
            assert pdf_pdfium.layout_words(glyphs, ratio) == pdf_pdfplumber.page_words(page)
            for start in range(0, len(chars), 151):
                run = chars[start : start + 200]
                assert pdf_pdfium.chars_text(glyphs[start : start + 200]) == extract_text(run)


def test_rotated_characters_left_to_pdfplumber() -> None:
    chars = [
        {"text": "A", "x0": 10.0, "x1": 16.0, "top": 10.0, "bottom": 22.0, "doctop": 10.0,
         "upright": False, "height": 12.0, "width": 6.0},
        {"text": "B", "x0": 10.0, "x1": 16.0, "top": 22.0, "bottom": 34.0, "doctop": 22.0,
         "upright": False, "height": 12.0, "width": 6.0},
    ]  # fmt: skip
    assert pdf_pdfium.chars_words(chars) == extract_words(chars)
    assert [word["text"] for word in pdf_pdfium.chars_words(chars)] == ["AB"]


def glyph(text: str, x0: float, top: float, size: float = 10.0) -> pdf_pdfium.Glyph:
    """An upright glyph one advance of 6 points wide."""
    return (text, x0, top, x0 + 6.0, top + size, size, True, "F", 0.0, 6.0)


def test_line_chained_over_the_tolerance_is_split_by_its_words_tops() -> None:
    """Character tops 0, 2.5 and 5 chain into one line (3 points apart at most), but its
    words' tops (0 and 5) are two text lines, as pdfplumber's extract_text makes them."""
    line = [glyph("a", 0.0, 0.0), glyph("b", 6.0, 2.5), glyph("c", 20.0, 5.0)]
    assert pdf_pdfium.line_texts(line) == ["ab", "c"]
    chars = pdf_pdfium.char_dicts(line, 1, 0.0)
    assert pdf_pdfium.chars_text(line) == extract_text(chars) == "ab\nc"


def test_line_within_the_tolerance_is_one_text_line() -> None:
    line = [
        glyph("a", 0.0, 1.0),
        glyph("b", 6.0, 0.0),
        glyph(" ", 12.0, 1.0),
        glyph("c", 20.0, 3.0),
    ]
    assert pdf_pdfium.line_texts(line) == ["ab c"]
    assert pdf_pdfium.line_texts([glyph(" ", 0.0, 0.0)]) == []


def general_line_texts(line: list[pdf_pdfium.Glyph]) -> list[str]:
    """:func:`pdf_pdfium.line_texts` for a line of one top, word by word."""
    words = pdf_pdfium.word_chars(line)
    return [" ".join(map(pdf_pdfium.word_text, words))] if words else []


def test_level_line_text_is_the_word_by_word_text() -> None:
    """Blanks (a run of them too) and a start further than the tolerance right of the
    previous end (38.5 > 35 + 3) break words; a start within it (29 <= 26 + 3) does not."""
    line = [
        glyph("a", 0.0, 2.0),
        glyph("b", 6.0, 2.0),
        glyph(" ", 12.0, 2.0),
        glyph("\t", 14.0, 2.0),
        glyph("c", 20.0, 2.0),
        glyph("d", 29.0, 2.0),
        glyph("e", 38.5, 2.0),
    ]
    assert pdf_pdfium.level_line_text(line) == "ab cd e"
    assert general_line_texts(line) == ["ab cd e"]
    assert pdf_pdfium.line_texts(line) == ["ab cd e"]
    blank = [glyph(" ", 0.0, 0.0), glyph(" ", 8.0, 0.0)]
    assert pdf_pdfium.level_line_text(blank) == "" and pdf_pdfium.line_texts(blank) == []


NAN = float("nan")


@pytest.mark.parametrize(
    ("line", "texts"),
    [
        ([glyph("a", 0.0, 0.0), glyph("b", 6.0, 1.0)], ["ab"]),  # tops differ
        ([glyph("a", 0.0, NAN), glyph("b", 6.0, NAN)], None),  # not equal to itself
        ([glyph("a", 6.0, 0.0), glyph("b", 0.0, 0.0)], ["a b"]),  # right to left
        ([glyph("a", 0.0, 0.0), glyph("\ufb01", 6.0, 0.0)], ["afi"]),  # a ligature
        ([glyph("ff", 0.0, 0.0), glyph("", 6.0, 0.0)], ["ff "]),  # "" is a word
    ],
    ids=["tops", "nan", "unsorted", "ligature", "empty"],
)
def test_level_line_text_leaves_other_lines_to_the_general_path(
    line: list[pdf_pdfium.Glyph], texts: list[str] | None
) -> None:
    assert pdf_pdfium.level_line_text(line) is None
    if texts is not None:
        assert pdf_pdfium.line_texts(line) == texts


def test_clusters_keep_each_clusters_items_in_their_order() -> None:
    """Runs of equal values go to their cluster whole, interleaved clusters as well."""
    items = [(0.0, "a"), (0.0, "b"), (9.0, "c"), (1.0, "d"), (9.0, "e"), (0.0, "f")]
    groups = pdf_pdfium.clusters(items, itemgetter(0), 3)
    assert groups == [[items[0], items[1], items[3], items[5]], [items[2], items[4]]]


def test_sorted_middles_are_the_middles_in_the_order_of_their_indexes() -> None:
    """``middles`` sorts the vertical middles themselves: the same list as reading them in
    the order of the indexes sorted by them (equal middles too)."""
    with pdf_pdfium.open_pages(RULED) as pdf:
        page = pdf.pages[0]
        _, v_mids, tops, by_top = page.middles()
    assert len(tops) > 100
    assert tops == [v_mids[index] for index in by_top]
    assert len(set(tops)) < len(tops)


@pytest.mark.parametrize("ratio", [None, 0.1])
def test_line_layout_words_are_the_layout_words_of_word_chars(ratio: float | None) -> None:
    """One pass gives the words of word_chars with their texts and boxes: a blank, a start
    out of reach ("c", 2 points right of "b": within 3 points, beyond a tenth of the size)
    and a top more than the tolerance away break words; the box spans every character (a
    taller "n", a lower "e"); ligatures are expanded; an empty text is a word alone."""
    line = [
        glyph("\ufb01", 0.0, 2.0),
        glyph("n", 6.0, 0.0, 14.0),
        glyph("e", 12.0, 1.0),
        glyph(" ", 18.0, 1.0),
        glyph("a", 20.0, 1.0),
        glyph("b", 26.0, 1.0),
        glyph("c", 34.0, 1.0),
        glyph("d", 40.0, 5.0),
        glyph("", 46.0, 1.0),
        glyph("x", 46.0, 1.0),
    ]
    words = pdf_pdfium.line_layout_words(line, ratio)
    assert words == [
        Word(pdf_pdfium.word_text(word), *pdf_pdfium.word_box(word))
        for word in pdf_pdfium.word_chars(line, ratio)
    ]
    texts = ["fine", "ab", "c", "d", "", "x"] if ratio else ["fine", "abc", "d", "", "x"]
    assert [word.text for word in words] == texts
    assert words[0] == Word("fine", 0.0, 0.0, 18.0, 14.0)
    assert all(type(word) is Word for word in words)


def test_cell_chars_reuse_the_last_bisection_along_a_line() -> None:
    """Chars left to right over three cells, then a second line starting left again: each
    lands in the cell its middle lies in, as testing every cell finds it (a middle on a
    left edge belongs to that cell, one in the gap between two cells or below a cell's
    bottom to none)."""
    cells = [(0.0, 0.0, 10.0, 20.0), None, (12.0, 0.0, 20.0, 10.0), (20.0, 0.0, 30.0, 20.0)]
    h_mids = [1.0, 9.0, 11.0, 12.0, 15.0, 20.0, 29.0, 30.0, 2.0, 15.0, 25.0, -1.0]
    v_mids = [5.0] * 8 + [15.0] * 4
    chars = [(index,) for index in range(len(h_mids))]
    found = list(range(len(h_mids)))

    def every_cell_tested(cell: tuple[float, float, float, float] | None) -> list[tuple[int]]:
        if cell is None:
            return []
        x0, top, x1, bottom = cell
        return [
            char for char in chars if x0 <= h_mids[char[0]] < x1 and top <= v_mids[char[0]] < bottom
        ]

    in_cells = pdf_pdfium.cell_chars(cells, found, h_mids, v_mids, chars)  # type: ignore[arg-type]
    assert in_cells == [every_cell_tested(cell) for cell in cells]
    assert in_cells == [[(0,), (1,), (8,)], [], [(3,), (4,)], [(5,), (6,), (10,)]]
    # a NaN left edge: every char bisected (it sorts as left of every middle)
    nan_left = [(float("nan"), 0.0, 10.0, 20.0), (20.0, 0.0, 30.0, 20.0)]
    in_cells = pdf_pdfium.cell_chars(nan_left, found, h_mids, v_mids, chars)  # type: ignore[arg-type]
    assert in_cells == [[(0,), (1,), (8,), (11,)], [(5,), (6,), (10,)]]


def test_a_one_character_word_has_its_own_box_and_its_ligature_expanded() -> None:
    word = pdf_pdfium.line_layout_words([glyph("\ufb02", 3.0, 4.0)])
    assert word == [Word("fl", 3.0, 4.0, 9.0, 14.0)] and word[0].height == 10.0


@pytest.mark.parametrize(
    ("segments", "kind"),
    [
        ([("m", [(0, 0)]), ("l", [(10, 0)])], "line"),
        ([("m", [(0, 0)]), ("l", [(10, 0)]), ("h", [])], "line"),
        (
            [("m", [(0, 0)]), ("l", [(0, 5)]), ("l", [(9, 5)]), ("l", [(9, 0)]),
             ("l", [(0, 0)]), ("h", [])],
            "rect",
        ),
        (
            [("m", [(0, 0)]), ("l", [(0, 5)]), ("l", [(9, 6)]), ("l", [(9, 0)]), ("h", [])],
            "curve",
        ),
        ([("m", [(0, 0)]), ("c", [(1, 1), (2, 2), (3, 0)])], "curve"),
    ],
    ids=["line", "closed-line", "rectangle", "quadrilateral", "bezier"],
)  # fmt: skip
def test_paths_classified_as_pdfminer(segments: list, kind: str) -> None:
    assert pdf_pdfium.shape_object(segments)[0] == kind


def test_a_path_is_painted_subpath_by_subpath() -> None:
    segments = [("m", [(0, 0)]), ("l", [(5, 0)]), ("m", [(0, 3)]), ("l", [(5, 3)])]
    parts = pdf_pdfium.subpaths(segments)
    assert [pdf_pdfium.shape_object(part) for part in parts] == [
        ("line", [(0, 0), (5, 0)]),
        ("line", [(0, 3), (5, 3)]),
    ]


def test_rectangle_dict_as_pdfplumbers() -> None:
    points = [(10.0, 20.0), (10.0, 30.0), (50.0, 30.0), (50.0, 20.0), (10.0, 20.0)]
    rect = pdf_pdfium.path_dict("rect", points, top_y=100.0, page_number=1)
    assert (rect["x0"], rect["top"], rect["x1"], rect["bottom"]) == (10.0, 70.0, 50.0, 80.0)


def test_exact_gives_the_decimal_the_content_wrote() -> None:
    assert pdf_pdfium.exact(ctypes.c_float(549.2756).value) == 549.2756


def test_textpage_reference_names_the_text_page_of_the_typed_calls() -> None:
    document = pypdfium2.PdfDocument(str(RULED))
    try:
        textpage = document[0].get_textpage()
        reference = pdf_pdfium.textpage_reference(textpage)
        count = textpage.count_chars()
        codes = [pdf_pdfium._GET_UNICODE(reference, index) for index in range(count)]
        typed = [pypdfium2.raw.FPDFText_GetUnicode(textpage, index) for index in range(count)]
        textpage.close()
    finally:
        document.close()
    assert count > 100
    assert codes == typed


def test_characters_of_a_run_on_one_line_share_their_vertical_position() -> None:
    """Computed once per line of a text object: one float object each, not one per glyph."""
    with pdf_pdfium.open_pages(RULED) as pdf:
        first, second = pdf.pages[0].glyphs[:2]
    assert first[0] + second[0] == "AL"
    assert (first[2], first[4]) == (second[2], second[4])  # top, bottom
    assert first[2] is second[2] and first[4] is second[4] and first[8] is second[8]


def test_auto_reads_pdfs_with_pdfium() -> None:
    document = read_document(RULED)
    assert document.extractor == "pdfium-lines"
    assert len(document.tables) == 4


def test_auto_ocr_counts_the_text_layer_while_the_engine_reads(monkeypatch) -> None:
    """With ``--ocr auto`` (the default) the pdfium engine counts each page's characters as
    it reads the page: no separate pass builds pdfium's text pages only to count them."""
    from extract import ocr

    def separate_pass(path: Path, mode: str) -> list[int]:
        raise AssertionError("pages_to_ocr read the PDF again")

    monkeypatch.setattr(ocr, "pages_to_ocr", separate_pass)
    document = read_document(BORDERLESS)
    assert (document.extractor, len(document.tables)) == ("pdfium-text", 4)


def test_char_counts_are_pdfiums_text_page_counts() -> None:
    """The counts that decide OCR are those of pdfium's text pages (generated characters
    included), as ``pages_to_ocr`` counts them."""
    document = pypdfium2.PdfDocument(str(RULED))
    expected = [document[index].get_textpage().count_chars() for index in range(len(document))]
    with pdf_pdfium.open_pages(RULED) as pdf:
        assert pdf.char_counts == expected
        assert all(count > 0 for count in expected)


def test_ligature_glyph_is_one_character_as_wide_as_the_glyph() -> None:
    """LibreOffice Calc prints "ffi" as one glyph; pdfium splits it into three characters at
    one origin, pdfminer reads one character "ffi": the words stay whole ("uffici")."""
    path = FIXTURES / "corpus" / "valle_rio" / "valle_rio.calc.pdf"
    reference, page = page_models(path, 4)
    assert [char["text"] for char in page.chars] == [char["text"] for char in reference.chars]
    assert "ffi" in [char["text"] for char in page.chars]
    assert boxes(page.chars) == pytest.approx(boxes(reference.chars), abs=TOLERANCE)


def test_chromium_page_keeps_its_spaces_and_sizes() -> None:
    """Chromium sets 17.33 in a 0.75 text matrix and pdfium drops its printed spaces: the
    characters are pdfminer's (13-point size, the spaces back)."""
    path = FIXTURES / "corpus" / "colle_alto" / "colle_alto.chromium.pdf"
    reference, page = page_models(path, 1)
    assert "".join(c["text"] for c in page.chars) == "".join(c["text"] for c in reference.chars)
    assert {round(c["size"], 2) for c in page.chars} == {
        round(c["size"], 2) for c in reference.chars
    }
