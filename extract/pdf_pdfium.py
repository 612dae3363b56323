"""pdfium engine: pdfplumber's page model and table finder on what pypdfium2 reads.

Most of the pdfplumber engine's time is pdfminer parsing the page content in Python. This
engine reads the same page model with pdfium (C++): the characters with their boxes, the
lines, rectangles and curves the page draws. It reads them through :class:`PdfiumPage`,
which has the part of pdfplumber's ``Page`` API piao's reading uses, with pdfplumber's
algorithms ported onto plain tuples (the table finder in :mod:`extract.pdf_grid`, words and
text here), and reads every page with exactly the code of :mod:`extract.pdf_pdfplumber`
(strategy per page, borderless grid from :mod:`extract.pdf_layout`, headings, running
lines, stitching). So the cells come out as pdfplumber's, as long as the page model is the
same; to make it so, each object is built the way pdfminer builds it:

- a character's x0 is its origin, x1 the origin plus its advance width (the font's width
  of the glyph); its bottom is the baseline plus the font's descent as pdfminer reads it
  (the font descriptor's ``/Descent``, the AFM metrics for a standard 14 font), its top
  one font size higher. pdfium's own char boxes differ (glyph bounds; the loose box uses
  the font file's ascent and descent), so the descents are read once per document from
  the font dictionaries with pdfminer's font classes (no page content parsed: see
  :func:`font_descents`), and the page boxes with pdfminer's document parser
  (:mod:`extract.pdf_outline`: pdfium gives neither to the same number). Characters
  pdfium generates (spaces and line ends it infers) are left out, but for a space between
  two printed characters of one line a space's width apart (a printed space whose glyph
  pdfium did not keep, as on pages Chromium prints), a hyphen ending a line (which pdfium
  marks U+0002) is a hyphen, and the characters are put back in printing order (pdfium's
  text page moves some runs).
- a path is split into its subpaths; a subpath of one segment is a line, a closed
  axis-aligned four-sided one a rectangle, anything else a curve through its segment end
  points (pdfminer's ``paint_path``). Paths inside form XObjects are read with the form's
  matrix.
- pdfium works in 32-bit floats; its coordinates are rounded to DECIMALS, which gives back
  the numbers the page content wrote (cell boxes then agree with pdfminer's to about
  1e-5 points; the borderless layout's comparisons of line gaps need that).

pdfplumber's functions are replaced by equivalents giving the same output faster (the
tests check them against pdfplumber): ``TableFinder`` (:func:`extract.pdf_grid.find_tables`),
``Table.extract`` (:class:`IndexedTable`: characters found by bisection), ``Page.edges``,
``Page.crop`` and, for pdfplumber's default settings, ``extract_words`` and
``extract_text`` (:func:`chars_words`, :func:`chars_text`; a cell's text is made from its
words' tops and texts only, the layout's words straight from the characters by
:func:`layout_words`). The characters are tuples (:data:`Glyph`), not pdfplumber's dicts,
which :attr:`PdfiumPage.chars` makes only when asked for. pdfplumber itself is imported
only for a rotated page, for settings the ports do not cover and for non-upright text.

Where the time goes: the characters. Per character the engine makes two pdfium calls (its
text object, its origin) through ctypes without declared argument types (pypdfium2's typed
signatures cost more than the call); the code points come from one ``FPDFText_GetText``
per page, and what a text object's characters share (font, size, matrix, glyph widths)
is read once per run of them. ``bench/bench_pdf.py`` measures the engine against bare
pdfplumber. Known differences from
pdfminer's page model: a glyph without a Unicode value reads as pdfium maps it (a bullet
"•" where pdfminer prints "(cid:127)"); the blank that follows a line-end hyphen is
dropped by pdfium; a rotated page is left to pdfplumber (:func:`read_page_counted`).
"""

from __future__ import annotations

import ctypes
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from itertools import compress, groupby, islice, pairwise, repeat
from operator import itemgetter, le, not_
from pathlib import Path
from typing import Any, NamedTuple

import pypdfium2
import pypdfium2.raw as pdfium
from pdfminer.pdftypes import dict_value, resolve1

from extract import pdf_grid, pdf_pdfplumber
from extract.pdf_fonts import font_descent
from extract.pdf_layout import Word
from extract.pdf_outline import read_outline
from extract.pdf_text import pdf_errors, require_text_layer
from extract.stitch import PdfReading

#: pdfplumber's word and line tolerances (``pdfplumber.utils.text``), in points.
DEFAULT_X_TOLERANCE = 3
DEFAULT_Y_TOLERANCE = 3
#: pdfplumber's expansion of ligature characters in words (``pdfplumber.utils.text``).
LIGATURES = {
    "\ufb00": "ff",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb06": "st",
    "\ufb05": "st",
}
PREFIX = "pdfium-"
LINES = PREFIX + "lines"
TEXT = PREFIX + "text"
HRULES = PREFIX + "hrules"
#: Nesting of form XObjects read for paths (pdfminer reads them all; real exports nest one).
MAX_FORM_DEPTH = 8
#: pdfium's coordinates are 32-bit floats (7 significant digits, 4 decimals on an A4
#: page); rounded to this many decimals they are the numbers the page content wrote.
DECIMALS = 4
_SCALE = 10**DECIMALS
#: The code pdfium reads a hyphen ending a text line as (it takes it for a soft hyphen).
_PDFIUM_HYPHEN = 0x02
_X0, _X1, _TOP, _BOTTOM, _TEXT, _UPRIGHT = (
    itemgetter(key) for key in ("x0", "x1", "top", "bottom", "text", "upright")
)
_FIRST = itemgetter(0)
#: A character as the reading uses it: (text, x0, top, x1, bottom, size, upright, fontname,
#: y0, width), pdfplumber's char dict's values (its other keys follow from these and the
#: page: :func:`char_dicts`). A tuple costs a third of a dict to make, for 68,000 of them.
Glyph = tuple[str, float, float, float, float, float, bool, str, float, float]
_G_TEXT, _G_X0, _G_TOP, _G_X1, _G_BOTTOM, _G_SIZE, _G_UPRIGHT = map(itemgetter, range(7))
_LIGATURE_CHARS = frozenset("".join(LIGATURES))
_NEW_TUPLE = tuple.__new__
_INFINITY = float("inf")
_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
_SEGMENT_KIND = {
    pdfium.FPDF_SEGMENT_MOVETO: "m",
    pdfium.FPDF_SEGMENT_LINETO: "l",
    pdfium.FPDF_SEGMENT_BEZIERTO: "c",
}

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class PdfiumPage:
    """A page model like pdfplumber's ``Page`` whose objects (chars, lines, rects, curves)
    were read by pdfium, with the part of pdfplumber's page API that piao's reading uses,
    giving pdfplumber's results without importing it: ``edges``
    (:func:`extract.pdf_grid.page_edges`), ``crop`` (pdfplumber's ``crop_to_bbox`` on each
    object list, as its cropped page does), ``find_tables`` (:mod:`extract.pdf_grid`, read
    by :class:`IndexedTable`), ``extract_words`` and ``extract_text`` (:func:`chars_words`
    and :func:`chars_text` for pdfplumber's default settings; pdfplumber, imported then,
    for others). ``outline`` is the page's frame (:class:`extract.pdf_outline.PageFrame`,
    or a pdfplumber page: the same attributes)."""

    def __init__(
        self,
        objects: dict[str, list[dict[str, Any]]],
        outline: Any,
        bbox: tuple[float, float, float, float] | None = None,
        glyphs: list[Glyph] | None = None,
        parent: PdfiumPage | None = None,
    ) -> None:
        """The page ``outline`` with the given objects (lines, rects, curves) and
        characters (``glyphs``), cropped to ``bbox`` when given (``parent``: the page it
        was cropped from, whose char dicts its own are cropped from)."""
        self.glyphs: list[Glyph] = [] if glyphs is None else glyphs
        self._chars: list[dict[str, Any]] | None = None
        self._parent = parent
        self.root_page = self
        self.page_obj = outline.page_obj
        self.page_number = outline.page_number
        self.initial_doctop = outline.initial_doctop
        self.rotation = outline.rotation
        self.mediabox, self.cropbox = outline.mediabox, outline.cropbox
        self.bbox = outline.bbox if bbox is None else bbox
        self._objects = objects
        self._outline = outline
        self._edges: list[dict[str, Any]] | None = None
        self._middles: tuple[list[float], list[float], list[float], list[int]] | None = None

    @property
    def objects(self) -> dict[str, list[dict[str, Any]]]:
        """The page's objects by kind ("char", "line", "rect", "curve")."""
        if not self.glyphs:
            return self._objects
        return {**self._objects, "char": self.chars}

    @property
    def chars(self) -> list[dict[str, Any]]:
        """The page's characters as pdfplumber's char dicts, in printing order (made
        when first asked for: the reading itself uses :attr:`glyphs`)."""
        if self._chars is None:
            if self._parent is not None:
                self._chars = cropped_objects(self._parent.chars, self.bbox)
            else:
                self._chars = char_dicts(self.glyphs, self.page_number, self.initial_doctop)
        return self._chars

    @property
    def lines(self) -> list[dict[str, Any]]:
        """The page's lines (pdfplumber's dicts)."""
        return self._objects.get("line", [])

    @property
    def rects(self) -> list[dict[str, Any]]:
        """The page's rectangles (pdfplumber's dicts)."""
        return self._objects.get("rect", [])

    @property
    def curves(self) -> list[dict[str, Any]]:
        """The page's curves (pdfplumber's dicts)."""
        return self._objects.get("curve", [])

    @property
    def edges(self) -> list[dict[str, Any]]:
        """pdfplumber's ``Page.edges`` (computed once per page)."""
        if self._edges is None:
            self._edges = pdf_grid.page_edges(self.lines, self.rects, self.curves)
        return self._edges

    @property
    def width(self) -> float:
        """The width of the page's box."""
        return self.bbox[2] - self.bbox[0]

    @property
    def height(self) -> float:
        """The height of the page's box."""
        return self.bbox[3] - self.bbox[1]

    def crop(
        self, bbox: tuple[float, float, float, float], relative: bool = False, strict: bool = True
    ) -> PdfiumPage:
        """The page cropped to bbox, as pdfplumber's ``Page.crop``."""
        if relative:
            x0, top = self.bbox[:2]
            bbox = (bbox[0] + x0, bbox[1] + top, bbox[2] + x0, bbox[3] + top)
        if strict:
            check_proposed_bbox(bbox, self.bbox)
        cropped = {kind: cropped_objects(found, bbox) for kind, found in self._objects.items()}
        return PdfiumPage(cropped, self._outline, bbox, cropped_glyphs(self.glyphs, bbox), self)

    def extract_words(self, **kwargs: Any) -> list[dict[str, Any]]:
        """pdfplumber's ``extract_words`` (:func:`chars_words` for its default settings,
        or a gap tolerance relative to the type size, ``x_tolerance_ratio``)."""
        if set(kwargs) <= {"x_tolerance_ratio"}:
            return chars_words(self.chars, kwargs.get("x_tolerance_ratio"))
        from pdfplumber.utils import extract_words

        return extract_words(self.chars, **kwargs)

    def extract_text(self, **kwargs: Any) -> str:
        """pdfplumber's ``Page.extract_text``: :func:`chars_text` for its default
        settings (the same text: the tests compare them on every fixture page), else
        pdfplumber's text map of the page's characters."""
        if not kwargs:
            return chars_text(self.glyphs)
        from pdfplumber.utils import chars_to_textmap

        defaults = {"layout_bbox": self.bbox, "layout_width": self.width}
        defaults["layout_height"] = self.height
        return chars_to_textmap(self.chars, **{**defaults, **kwargs}).as_string

    def text_in_band(self, floor: float, ceiling: float) -> str:
        """pdfplumber's ``extract_text`` of the page's characters whose top is at or
        below ``floor`` and whose bottom is at or above ``ceiling`` (:func:`chars_text`;
        "" when there is none)."""
        # a glyph's top is its [2], its bottom its [4]
        return chars_text([g for g in self.glyphs if floor <= g[2] and g[4] <= ceiling])

    def find_tables(self, table_settings: Any = None) -> list[IndexedTable]:
        """pdfplumber's tables of the page, found by :func:`extract.pdf_grid.find_tables`
        and read by :class:`IndexedTable`."""
        try:
            found = pdf_grid.find_tables(self.edges, self.bbox, table_settings or {})
        except ValueError:  # settings the port does not cover: pdfplumber's own finder
            from pdfplumber.table import TableFinder, TableSettings

            finder = TableFinder(self, TableSettings.resolve(table_settings))  # type: ignore[arg-type]
            found = [table.cells for table in finder.tables]
        return [IndexedTable(self, cells) for cells in found]

    def chars_between(self, top: float, bottom: float) -> list[int]:
        """The indexes (ascending) of the page's chars whose vertical middle lies in
        [top, bottom)."""
        _, _, tops, by_top = self.middles()
        return sorted(by_top[bisect_left(tops, top) : bisect_left(tops, bottom)])

    def middles(self) -> tuple[list[float], list[float], list[float], list[int]]:
        """The chars' horizontal and vertical middles (by index), the vertical middles
        sorted and the indexes in that order (computed once per page)."""
        if self._middles is None:
            chars = self.glyphs
            h_mids = [(char[1] + char[3]) / 2 for char in chars]  # x0, x1
            v_mids = [(char[2] + char[4]) / 2 for char in chars]  # top, bottom
            by_top = sorted(range(len(chars)), key=v_mids.__getitem__)
            # the middles in the order of by_top: sorting them gives it (the same sort of
            # the same values), without looking each one up
            self._middles = (h_mids, v_mids, sorted(v_mids), by_top)
        return self._middles


def check_proposed_bbox(
    bbox: tuple[float, float, float, float], parent: tuple[float, float, float, float]
) -> None:
    """pdfplumber's ``test_proposed_bbox``: a crop box must have an area and lie wholly
    inside the page's box (ValueError otherwise)."""
    x0, top, x1, bottom = bbox
    if x0 > x1 or top > bottom:
        raise ValueError(f"{bbox} has a negative width or height.")
    if (x1 - x0) * (bottom - top) == 0:
        raise ValueError(f"Bounding box {bbox} has an area of zero.")
    overlap = bbox_overlap(bbox, parent)
    if overlap is None:
        raise ValueError(
            f"Bounding box {bbox} is entirely outside parent page bounding box {parent}"
        )
    if (overlap[2] - overlap[0]) * (overlap[3] - overlap[1]) < (x1 - x0) * (bottom - top):
        raise ValueError(
            f"Bounding box {bbox} is not fully within parent page bounding box {parent}"
        )


def bbox_overlap(
    first: tuple[float, float, float, float], second: tuple[float, float, float, float]
) -> tuple[float, float, float, float] | None:
    """pdfplumber's ``get_bbox_overlap``: the box two boxes share (None when they share
    no area and no edge longer than a point)."""
    left, top = max(first[0], second[0]), max(first[1], second[1])
    right, bottom = min(first[2], second[2]), min(first[3], second[3])
    width, height = right - left, bottom - top
    if height >= 0 and width >= 0 and height + width > 0:
        return (left, top, right, bottom)
    return None


def cropped_objects(
    objects: Sequence[dict[str, Any]], bbox: tuple[float, float, float, float]
) -> list[dict[str, Any]]:
    """pdfplumber's ``crop_to_bbox``: the objects overlapping bbox, each a copy clipped to
    it (its box, doctop, width and height; a curve keeps its points)."""
    cropped = []
    for item in objects:
        overlap = bbox_overlap((item["x0"], item["top"], item["x1"], item["bottom"]), bbox)
        if overlap is None:
            continue
        copy = dict(item)
        copy["x0"], copy["top"], copy["x1"], copy["bottom"] = overlap
        if "doctop" in copy:
            copy["doctop"] = item["doctop"] + (overlap[1] - item["top"])
        copy["width"] = copy["x1"] - copy["x0"]
        copy["height"] = copy["bottom"] - copy["top"]
        cropped.append(copy)
    return cropped


class IndexedTable:
    """pdfplumber's table (its cells, box and rows: :mod:`extract.pdf_grid`), its
    ``extract`` finding each row's characters by bisection on their middles instead of
    testing every character of the page for every row: the same characters in the same
    order, so the same text."""

    def __init__(self, page: PdfiumPage, cells: list[tuple[float, float, float, float]]):
        """The table of ``cells`` on ``page``."""
        self.page = page
        self.cells = cells

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """The box around the table's cells."""
        return pdf_grid.table_box(self.cells)

    @property
    def rows(self) -> list[pdf_grid.CellGroup]:
        """The table's rows, each with a slot per grid column (pdfplumber's ``rows``)."""
        return pdf_grid.table_rows(self.cells)

    def extract(self, **kwargs: Any) -> list[list[str | None]]:
        """pdfplumber's ``Table.extract``: per row, per cell, the text of the chars whose
        middle lies in the cell (None for a cell merged away)."""
        table = []
        h_mids, v_mids, _, _ = self.page.middles()
        # pdfplumber's extract_text reads char dicts; chars_text the page's glyphs
        chars: Sequence[Any] = self.page.chars if kwargs else self.page.glyphs
        if kwargs:
            from pdfplumber.utils import extract_text
        for row in self.rows:
            cells = row.cells
            # the row's chars by their vertical middles; each cell tests the horizontal one
            found = self.page.chars_between(row.bbox[1], row.bbox[3])
            chars_by_cell = cell_chars(cells, found, h_mids, v_mids, chars)
            texts: list[str | None] = []
            for cell, in_cell in zip(cells, chars_by_cell, strict=True):
                if cell is None:
                    texts.append(None)
                elif not in_cell:
                    texts.append("")
                elif kwargs:
                    if "layout" in kwargs:
                        kwargs["layout_width"] = cell[2] - cell[0]
                        kwargs["layout_height"] = cell[3] - cell[1]
                        kwargs["layout_bbox"] = cell
                    texts.append(extract_text(in_cell, **kwargs))  # type: ignore[possibly-undefined]
                else:
                    texts.append(chars_text(in_cell))
            table.append(texts)
        return table


def cell_chars(
    cells: Sequence[tuple[float, float, float, float] | None],
    found: Sequence[int],
    h_mids: Sequence[float],
    v_mids: Sequence[float],
    chars: Sequence[dict[str, Any]],
) -> list[list[dict[str, Any]]]:
    """Per cell of a row (None: merged away), the chars whose middle lies in it, in page
    order, among the row's chars ``found`` (indexes of ``chars``, whose middles are
    ``h_mids`` and ``v_mids``). The cells of a row lie side by side: each char is looked
    up by bisection on the cells' left edges (every cell tested when they overlap)."""
    in_cells: list[list[dict[str, Any]]] = [[] for _ in cells]
    boxes = sorted((cell[0], index) for index, cell in enumerate(cells) if cell is not None)
    lefts = [left for left, _ in boxes]
    side_by_side = all(
        cells[first][2] <= cells[second][0]  # type: ignore[index]
        for (_, first), (_, second) in pairwise(boxes)
    )
    if not side_by_side:
        for index in found:
            h_mid, v_mid = h_mids[index], v_mids[index]
            for _, column in boxes:
                x0, top, x1, bottom = cells[column]  # type: ignore[misc]
                if x0 <= h_mid < x1 and top <= v_mid < bottom:
                    in_cells[column].append(chars[index])
        return in_cells
    # per cell, left to right: its top, right edge and bottom, and its list of chars
    slots = [(*cells[column][1:], in_cells[column]) for _, column in boxes]  # type: ignore[index]
    # A row's chars come left to right along each line: a middle in [low, high), between
    # the left edges around the last one bisected, bisects to the same position when the
    # edges ascend with no NaN (checked; else the interval stays empty).
    ordered = bool(lefts) and lefts[0] == lefts[0] and all(map(le, lefts, islice(lefts, 1, None)))
    low = high = 0.0
    position = 0
    for index in found:
        h_mid = h_mids[index]
        if not low <= h_mid < high:
            position = bisect_right(lefts, h_mid)
            if ordered:
                low = lefts[position - 1] if position else -_INFINITY
                high = lefts[position] if position < len(lefts) else _INFINITY
        if not position:
            continue
        top, x1, bottom, in_cell = slots[position - 1]
        if h_mid < x1 and top <= v_mids[index] < bottom:  # x0 <= h_mid by the bisection
            in_cell.append(chars[index])
    return in_cells


def clusters(items: Sequence[Any], key: Callable[[Any], float], tolerance: float) -> list[list]:
    """pdfplumber's ``cluster_objects(items, key, tolerance)``: the distinct values of
    ``key`` sorted and chained into clusters (each within ``tolerance`` of the previous
    one), the items grouped by cluster in cluster order, in their order within each."""
    values = sorted(set(map(key, items)))
    if values[-1] <= values[0] + tolerance:  # one cluster (every value is in reach)
        return [list(items)]
    index: dict[float, int] = {}
    count = 0
    last = values[0]
    for value in values:
        if not value <= last + tolerance:
            count += 1
        index[value] = count
        last = value
    groups: list[list[Any]] = [[] for _ in range(count + 1)]
    # a run of consecutive items with equal values goes to one cluster whole (an item's
    # value equals the run's first, so it is the same key of ``index``)
    for value, run in groupby(items, key):
        groups[index[value]] += run
    return groups


def glyph_of(char: dict[str, Any]) -> Glyph:
    """A pdfplumber char dict as a :data:`Glyph`."""
    return (
        char["text"],
        char["x0"],
        char["top"],
        char["x1"],
        char["bottom"],
        char["size"],
        char["upright"],
        char.get("fontname", ""),
        char.get("y0", 0.0),
        char.get("width", char["x1"] - char["x0"]),
    )


def glyphs_of(chars: Iterable[dict[str, Any]]) -> list[Glyph]:
    """pdfplumber char dicts as :data:`Glyph` tuples (for characters read by pdfminer)."""
    return [glyph_of(char) for char in chars]


def char_dicts(glyphs: Sequence[Glyph], page_number: int, doctop: float) -> list[dict[str, Any]]:
    """Glyphs as pdfplumber's char dicts (the page's number, its top in the document)."""
    return [
        {
            "object_type": "char",
            "page_number": page_number,
            "text": text,
            "fontname": fontname,
            "size": size,
            "upright": upright,
            "x0": x0,
            "x1": x1,
            "y0": y0,
            "y1": y0 + size,
            "top": top,
            "doctop": doctop + top,
            "bottom": bottom,
            "width": width,
            "height": size,
        }
        for text, x0, top, x1, bottom, size, upright, fontname, y0, width in glyphs
    ]


def cropped_glyphs(glyphs: Sequence[Glyph], bbox: tuple[float, float, float, float]) -> list[Glyph]:
    """:func:`cropped_objects` for glyphs: those overlapping bbox, their box clipped to
    it (and their width, as pdfplumber's)."""
    cropped = []
    for glyph in glyphs:
        overlap = bbox_overlap((glyph[1], glyph[2], glyph[3], glyph[4]), bbox)
        if overlap is None:
            continue
        x0, top, x1, bottom = overlap
        cropped.append((glyph[0], x0, top, x1, bottom, *glyph[5:9], x1 - x0))
    return cropped


def merged_word(chars: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """pdfplumber's ``WordExtractor.merge_chars`` for upright text: one word from its
    characters (ligatures expanded)."""
    glyphs = glyphs_of(chars)
    x0, top, x1, bottom = word_box(glyphs)
    first = chars[0]
    return {
        "text": word_text(glyphs),
        "x0": x0,
        "x1": x1,
        "top": top,
        "doctop": top + (first["doctop"] - first["top"]),
        "bottom": bottom,
        "upright": first["upright"],
        "height": bottom - top,
        "width": x1 - x0,
        "direction": "ltr",
    }


def word_box(chars: Sequence[Glyph]) -> tuple[float, float, float, float]:
    """A word's box (x0, top, x1, bottom) around its characters."""
    if len(chars) == 1:
        char = chars[0]
        return char[1], char[2], char[3], char[4]
    return (
        min(map(_G_X0, chars)),
        min(map(_G_TOP, chars)),
        max(map(_G_X1, chars)),
        max(map(_G_BOTTOM, chars)),
    )


def word_text(chars: Sequence[Glyph]) -> str:
    """A word's text from its characters, ligatures expanded (as pdfplumber's)."""
    text = "".join(map(_G_TEXT, chars))
    if not _LIGATURE_CHARS.isdisjoint(text):
        text = "".join(LIGATURES.get(char[0], char[0] or "") for char in chars)
    return text


def word_chars(line: Sequence[Glyph], x_ratio: float | None = None) -> list[list[Glyph]]:
    """The characters of one text line of upright characters (sorted left to right)
    grouped into words as pdfplumber's ``iter_chars_to_words`` groups them: split at blank
    characters, and where a character starts left of the previous one's start, more than
    DEFAULT_X_TOLERANCE (or ``x_ratio`` times the previous character's size) right of its
    end, or more than DEFAULT_Y_TOLERANCE above or below it."""
    words: list[list[Glyph]] = []
    word: list[Glyph] = []
    # The previous character's start, the furthest start that continues its word, its top
    # (read only while ``word`` is not empty: it then ends with that character).
    last_x0 = reach = last_top = 0.0
    for char in line:
        text = char[0]
        if text.isspace():
            if word:
                words.append(word)
            word = []
            continue
        if text == "":  # pdfplumber's split_at_punctuation "" holds the empty string
            if word:
                words.append(word)
            words.append([char])
            word = []
            continue
        x0, top = char[1], char[2]
        if word and last_x0 <= x0 <= reach and abs(top - last_top) <= DEFAULT_Y_TOLERANCE:
            word.append(char)
        else:
            if word:
                words.append(word)
            word = [char]
        last_x0, last_top = x0, top
        reach = char[3] + (DEFAULT_X_TOLERANCE if x_ratio is None else x_ratio * char[5])
    if word:
        words.append(word)
    return words


def layout_words(chars: Sequence[Glyph], x_ratio: float | None = None) -> list[Word]:
    """The words of :func:`chars_words` as the layout's :class:`Word` boxes, made straight
    from the glyphs for upright text (no word dicts)."""
    if not all(map(_G_UPRIGHT, chars)):
        return [
            Word(word["text"], word["x0"], word["top"], word["x1"], word["bottom"])
            for word in chars_words(char_dicts(chars, 0, 0.0), x_ratio)
        ]
    return [word for line in text_lines_of(chars) for word in line_layout_words(line, x_ratio)]


def line_layout_words(line: Sequence[Glyph], x_ratio: float | None = None) -> list[Word]:
    """``[Word(word_text(word), *word_box(word)) for word in word_chars(line, x_ratio)]``
    in one pass over the line, without a list of characters per word: the words break
    where :func:`word_chars` breaks them (the same tests, in the same order); a character
    continues a word only at or right of the previous one's start, so the first
    character's x0 is the word's, and its top, x1 and bottom are kept as the characters
    come, by the comparisons ``min`` and ``max`` make (a value replaces the kept one when
    it is less, or greater); its text is its characters' joined, each ligature expanded
    (as :func:`word_text`). Made with ``tuple.__new__`` (the NamedTuple's ``__new__`` is a
    Python function)."""
    words: list[Word] = []
    texts: list[str] = []  # the word's characters' texts (empty: no word open)
    last_x0 = reach = last_top = x0 = top = right = bottom = 0.0
    for char in line:
        text = char[0]
        if text.isspace() or text == "":
            if texts:
                words.append(finished_word(texts, x0, top, right, bottom))
                texts = []
            if text == "":  # pdfplumber's split_at_punctuation "" holds the empty string
                words.append(_NEW_TUPLE(Word, ("", char[1], char[2], char[3], char[4])))
            continue
        start, char_top = char[1], char[2]
        if texts and last_x0 <= start <= reach and abs(char_top - last_top) <= DEFAULT_Y_TOLERANCE:
            texts.append(text)
            if char_top < top:
                top = char_top
            if char[3] > right:
                right = char[3]
            if char[4] > bottom:
                bottom = char[4]
        else:
            if texts:
                words.append(finished_word(texts, x0, top, right, bottom))
            texts = [text]
            x0, top, right, bottom = start, char_top, char[3], char[4]
        last_x0, last_top = start, char_top
        reach = char[3] + (DEFAULT_X_TOLERANCE if x_ratio is None else x_ratio * char[5])
    if texts:
        words.append(finished_word(texts, x0, top, right, bottom))
    return words


def finished_word(texts: list[str], x0: float, top: float, x1: float, bottom: float) -> Word:
    """A :class:`Word` of its characters' texts (ligatures expanded, as
    :func:`word_text`) and its box."""
    text = texts[0] if len(texts) == 1 else "".join(texts)
    if not _LIGATURE_CHARS.isdisjoint(text):
        text = "".join([LIGATURES.get(part, part) for part in texts])
    return _NEW_TUPLE(Word, (text, x0, top, x1, bottom))


def line_words(
    line: Sequence[dict[str, Any]], x_ratio: float | None = None
) -> list[dict[str, Any]]:
    """The words of one text line of upright characters (pdfplumber's char dicts, sorted
    left to right), as pdfplumber's ``iter_chars_to_words`` makes them (see
    :func:`word_chars`)."""
    # each glyph carries its char's index, to merge the char dicts of each word
    tagged = [(*glyph_of(char), index) for index, char in enumerate(line)]
    return [
        merged_word([line[glyph[-1]] for glyph in word])
        for word in word_chars(tagged, x_ratio)  # type: ignore[arg-type]
    ]


def text_lines_of(chars: Sequence[Any]) -> list[list[Any]]:
    """Upright characters (glyphs, or pdfplumber's char dicts) clustered into text lines
    by their tops, each sorted left to right (pdfplumber's grouping before it splits
    words)."""
    top, x0 = (_TOP, _X0) if chars and isinstance(chars[0], dict) else (_G_TOP, _G_X0)
    lines = clusters(chars, top, DEFAULT_Y_TOLERANCE)
    for line in lines:
        line.sort(key=x0)
    return lines


def chars_words(
    chars: Sequence[dict[str, Any]], x_ratio: float | None = None
) -> list[dict[str, Any]]:
    """pdfplumber's ``extract_words(chars)`` with its default settings (or only
    ``x_tolerance_ratio=x_ratio``), without its generic machinery (directions, options),
    on pdfplumber's char dicts. Runs of characters that are not upright are left to
    pdfplumber."""
    words: list[dict[str, Any]] = []
    for upright, run in groupby(chars, _UPRIGHT):
        group = list(run)
        if not upright:
            from pdfplumber.utils.text import WordExtractor

            words += WordExtractor(x_tolerance_ratio=x_ratio).extract_words(group)
            continue
        for line in text_lines_of(group):
            words += line_words(line, x_ratio)
    return words


def chars_text(chars: Sequence[Glyph]) -> str:
    """pdfplumber's ``extract_text(chars)`` with its default settings (words clustered
    into lines by their tops, joined by spaces and newlines), of glyphs. For upright
    characters (a cell's, nearly always) the text lines come from the characters' lines
    (:func:`line_texts`), not from pdfplumber's word dicts."""
    if not chars:
        return ""
    if not all(map(_G_UPRIGHT, chars)):
        words = chars_words(char_dicts(chars, 0, 0.0))
        lines = clusters(words, _TOP, DEFAULT_Y_TOLERANCE)
        return "\n".join(" ".join(word["text"] for word in line) for line in lines)
    return "\n".join(text for line in text_lines_of(chars) for text in line_texts(line))


def line_texts(line: Sequence[Glyph]) -> list[str]:
    """The text lines pdfplumber's ``extract_text`` makes of one line of characters
    (:func:`text_lines_of`): its words clustered again by their own tops (a word's top is
    its highest character's). Those tops are some of the line's character tops, so the
    words of different character lines never share a text line, and the words of a line
    whose character tops lie within the tolerance are one text line: only a line chained
    over more than the tolerance is clustered again."""
    text = level_line_text(line)
    if text is not None:
        return [text] if text else []
    words = word_chars(line)
    tops = list(map(_G_TOP, line))
    if max(tops) <= min(tops) + DEFAULT_Y_TOLERANCE:
        return [" ".join(map(word_text, words))] if words else []
    words_at = [(min(map(_G_TOP, word)), word_text(word)) for word in words]
    if not words_at:
        return []
    return [
        " ".join(text for _, text in part)
        for part in clusters(words_at, _FIRST, DEFAULT_Y_TOLERANCE)
    ]


def level_line_text(line: Sequence[Glyph]) -> str | None:
    """The one text :func:`line_texts` makes of a line whose characters share one top and
    come left to right, each of one character that is no ligature (a cell's line, nearly
    always), made from the line's text at once instead of word by word; None for any
    other line (the general path reads it).

    The same text: :func:`word_chars` continues a word with a character when the previous
    one is in the word, starts at or left of it, ends at most DEFAULT_X_TOLERANCE left of
    it and has a top within DEFAULT_Y_TOLERANCE of it; with equal tops and ascending starts
    (both checked) a word breaks only at a blank character and at a character starting
    further right than that. The words' texts are their characters' (no ligature to
    expand, no empty text), and the line's tops being equal, :func:`line_texts` joins them
    all by single spaces: the line's text with a space put at each such start, split at
    blanks (``str.split`` and ``str.isspace`` take the same characters for blanks) and
    joined by single spaces. Equal and ascending are tested as the general path compares
    (ascending: no NaN among the starts, and sorting them leaves them as they are); a NaN
    makes the line another one."""
    texts = list(map(_G_TEXT, line))
    joined = "".join(texts)
    if not texts or "" in texts or len(joined) != len(texts):
        return None  # an empty text, or a ligature's characters in one text
    if not _LIGATURE_CHARS.isdisjoint(joined):
        return None
    top = line[0][2]
    if top != top or list(map(_G_TOP, line)).count(top) != len(texts):
        return None  # a NaN top, or tops that differ
    starts = list(map(_G_X0, line))
    total = sum(starts)  # NaN when a start is (sorted is then no test of order)
    if total != total or starts != sorted(starts):
        return None
    reaches = [end + DEFAULT_X_TOLERANCE for end in map(_G_X1, line)]
    if not all(map(le, islice(starts, 1, None), reaches)):  # a start out of reach: rare
        further = map(not_, map(le, islice(starts, 1, None), reaches))
        breaks = list(compress(range(1, len(texts)), further))
        bounds = pairwise([0, *breaks, len(texts)])
        joined = " ".join(["".join(texts[start:end]) for start, end in bounds])
    return " ".join(joined.split())


def base_name(name: str) -> str:
    """A font's name without its subset tag ("BAAAAA+DejaVuSerif" -> "DejaVuSerif")."""
    return _SUBSET_TAG.sub("", name)


def font_descents(pages: Sequence[Any]) -> dict[str, float]:
    """Per font name (subset tag removed), its descent per unit of font size as pdfminer
    reads it, from the font dictionaries of the pages (pdfminer parses the dictionaries
    only, not the page content; :func:`extract.pdf_fonts.font_descent` reads the descent
    by pdfminer's rule without building the font)."""
    descents: dict[str, float] = {}
    seen: set[object] = set()
    for page in pages:
        fonts = dict_value(resolve1(page.page_obj.resources or {}).get("Font", {}))
        for reference in fonts.values():
            objid = getattr(reference, "objid", None)
            if objid is not None and objid in seen:
                continue
            seen.add(objid)
            spec = dict_value(reference)
            name = font_spec_name(spec)
            if name is None or name in descents:
                continue
            try:
                descents[name] = font_descent(spec)
            except Exception:  # a dictionary that lacks what the rule needs: pdfium's descent
                continue
    return descents


def font_spec_name(spec: dict[str, Any]) -> str | None:
    """The base font name of a font dictionary, subset tag removed (None when missing)."""
    name = resolve1(spec.get("BaseFont"))
    name = getattr(name, "name", name)
    if isinstance(name, bytes):
        name = name.decode("latin-1")
    return base_name(name) if isinstance(name, str) else None


def exact(value: float) -> float:
    """A pdfium coordinate (32-bit float) rounded to DECIMALS: the number the page content
    wrote, as pdfminer reads it (64-bit), when it was written with that many decimals.
    (The integer over a power of ten is the double nearest the decimal, as Python's
    ``float("549.2756")``; cheaper than ``round(value, DECIMALS)``.)"""
    return round(value * _SCALE) / _SCALE


def font_name(font: Any) -> str:
    """The base font name pdfium gives a font (subset tag removed)."""
    size = pdfium.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(size)
    pdfium.FPDFFont_GetBaseFontName(font, buffer, size)
    return base_name(buffer.value.decode("utf-8", "replace"))


def pdfium_descent(font: Any) -> float:
    """pdfium's descent of a font per unit of font size (used when pdfminer gave none)."""
    descent = ctypes.c_float()
    pdfium.FPDFFont_GetDescent(font, 1000.0, descent)
    return descent.value / 1000


def c_function(function: Any, restype: Any) -> Any:
    """A pdfium function called without declared argument types: ctypes passes a Python
    int as a C int and a ``c_void_p`` as the pointer it holds, with none of the checks and
    conversions of pypdfium2's typed signatures, which cost more than the call itself in
    the per-character loop. Only for functions whose arguments are ints and pointers. The
    call keeps the interpreter lock (``PYFUNCTYPE``: releasing and taking it back costs
    more than these getters, which neither block nor call back into Python)."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    call = ctypes.PYFUNCTYPE(restype)(address)
    call.argtypes = None
    return call


_GET_TEXT_OBJECT = c_function(pdfium.FPDFText_GetTextObject, ctypes.c_void_p)
_GET_UNICODE = c_function(pdfium.FPDFText_GetUnicode, ctypes.c_uint)
#: Characters pdfium generates where it sees a gap (space, line end) and the gap, in font
#: sizes, from which one between two printed characters of a line is a space (a space
#: glyph is about a quarter of the size wide; kerning moves glyphs by a few hundredths).
_GENERATED_GAPS = frozenset({0x20, 0x0D, 0x0A})
_SPACE_GAP = 0.15
#: Its result (whether the index is valid) is not read: no result type spares ctypes
#: converting it.
_GET_CHAR_ORIGIN = c_function(pdfium.FPDFText_GetCharOrigin, None)
_GET_FONT = c_function(pdfium.FPDFTextObj_GetFont, ctypes.c_void_p)
_GET_MATRIX = c_function(pdfium.FPDFText_GetMatrix, ctypes.c_int)
#: pdfium's FS_MATRIX (a, b, c, d, e, f) as an array: its values read in one slice.
_FS_MATRIX = ctypes.c_float * 6
_GET_FONT_SIZE = c_function(pdfium.FPDFText_GetFontSize, ctypes.c_double)
#: What ``FPDFText_GetText`` writes where ``FPDFText_GetUnicode`` reads _PDFIUM_HYPHEN.
_BULK_HYPHEN = 0xFFFE
#: The UTF-16 units of a surrogate pair (a character outside the Basic Multilingual Plane).
_SURROGATES = frozenset(range(0xD800, 0xE000))
#: Characters of a page whose bulk text is checked against their own code.
_SPOT_CHECKS = 16


class TextStyle(NamedTuple):
    """What the characters of one text object share (see :func:`text_object_style`)."""

    font: Any
    name: str
    size: float
    descent: float
    scale: float
    upright: bool
    widths: dict[int, float]
    """The advance widths of the glyphs of this font, size and scale, by code point,
    filled as they are met (shared by the text objects of the same font, size and scale)."""


def text_object_style(
    raw: ctypes.c_void_p,
    index: int,
    text_object: int,
    descents: dict[str, float],
    fonts: dict[int, tuple[Any, str, float]],
    widths: dict[tuple[int, float, float], dict[int, float]],
) -> TextStyle:
    """What the characters of one text object share (``text_object``, the address of the
    object of character ``index`` of the text page at address ``raw``): its font, font
    name, font size, descent per font size, horizontal scale, uprightness (pdfminer's test
    on the text matrix) and the cache of its glyph widths. ``fonts`` caches each font
    (pypdfium2's handle), its name and descent by its address, ``widths`` the glyph widths
    by font, size and scale."""
    font_key = _GET_FONT(ctypes.c_void_p(text_object))
    if font_key not in fonts:
        font = ctypes.cast(ctypes.c_void_p(font_key), pdfium.FPDF_FONT)
        name = font_name(font)
        descent = descents.get(name)
        fonts[font_key] = (font, name, pdfium_descent(font) if descent is None else descent)
    font, name, descent = fonts[font_key]
    matrix = _FS_MATRIX()
    _GET_MATRIX(raw, index, matrix)
    a, b, c, d = matrix[:4]
    upright = a * d > 0 and b * c <= 0
    # pdfium gives the size set by the text operator (Tf); pdfminer's is that size times
    # the text matrix's vertical scale (a page printed by Chromium sets 17.33 in a 0.75
    # matrix: 13 points), and the glyph widths follow the scaled size
    vertical = (c**2 + d**2) ** 0.5 or 1.0
    scale = (a**2 + b**2) ** 0.5 / vertical
    size = exact(_GET_FONT_SIZE(raw, index) * vertical)
    shared = widths.setdefault((font_key, size, scale), {})
    return TextStyle(font, name, size, descent, scale, upright, shared)


def char_advance(textpage: pypdfium2.PdfTextPage, index: int, style: TextStyle, code: int) -> float:
    """A character's advance width: the font's width of its glyph at the size (pdfium's
    loose box when the font has no glyph for the code point)."""
    width = ctypes.c_float()
    if pdfium.FPDFFont_GetGlyphWidth(style.font, code, style.size, width):
        return exact(width.value * style.scale)
    box = pdfium.FS_RECTF()
    pdfium.FPDFText_GetLooseCharBox(textpage, index, box)
    return exact(box.right - box.left)


def page_codes(textpage: pypdfium2.PdfTextPage, count: int) -> list[int]:
    """The code point of every character of a text page (``FPDFText_GetUnicode``), read
    in one call (``FPDFText_GetText``, UTF-16) when that text has one unit per character,
    as it has but for a character outside the Basic Multilingual Plane (a surrogate pair)
    or one pdfium leaves out of its text: then one call per character. The bulk text
    writes U+FFFE for pdfium's line-end hyphen mark; such a character is read alone, and
    spot checks guard the alignment of the rest."""
    raw = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
    buffer = (ctypes.c_ushort * (count + 1))()
    if count and pdfium.FPDFText_GetText(textpage, 0, count, buffer) == count + 1:
        codes = buffer[:count]
        checks = range(0, count, max(1, count // _SPOT_CHECKS))
        if _SURROGATES.isdisjoint(codes) and all(
            codes[index] in (_GET_UNICODE(raw, index), _BULK_HYPHEN) for index in checks
        ):
            for index in compress(range(count), map(_BULK_HYPHEN.__eq__, codes)):
                codes[index] = _GET_UNICODE(raw, index)
            return codes
    return [_GET_UNICODE(raw, index) for index in range(count)]


def textpage_reference(textpage: pypdfium2.PdfTextPage) -> Any:
    """A text page as the pdfium functions of :func:`c_function` take it: a reference to
    its first byte, which ctypes passes as the address it holds with no conversion (a
    ``c_void_p`` argument is looked up in ctypes' table of formats at every call)."""
    address = ctypes.cast(textpage.raw, ctypes.c_void_p).value
    return ctypes.byref(ctypes.c_char.from_address(address))


def page_chars(
    textpage: pypdfium2.PdfTextPage,
    top_y: float,
    descents: dict[str, float],
    order: dict[int | None, int],
) -> list[Glyph]:
    """The characters pdfium reads on a page as glyphs (the values of pdfplumber's char
    dicts: see the module doc and :data:`Glyph`), in the order the page prints them
    (pdfium's text page moves some runs along a line; pdfplumber's word and line grouping
    follows the printing order).

    ``top_y`` is the page's top in PDF coordinates (pdfplumber's ``top`` = ``top_y - y``);
    ``order`` numbers the page's text objects in printing order. A character pdfium
    generated (a space or line end it inferred) has no text object: it is left out, but
    for a space between two printed characters of one line whose glyph pdfium did not keep.

    This is the engine's hot loop: two pdfium calls per character (its text object, its
    origin), the code points read for the whole page at once, what a text object's
    characters share looked up once per run of them."""
    raw = textpage_reference(textpage)
    count = pdfium.FPDFText_CountChars(textpage)
    codes = page_codes(textpage, count)
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    x_pointer, y_pointer = ctypes.byref(origin_x), ctypes.byref(origin_y)
    get_origin = _GET_CHAR_ORIGIN
    # every character's text object at once (no Python loop turn per call)
    keys = list(map(_GET_TEXT_OBJECT, repeat(raw, count), range(count)))
    scale = _SCALE
    styles: dict[int, TextStyle] = {}
    fonts: dict[int, tuple[Any, str, float]] = {}
    widths: dict[tuple[int, float, float], dict[int, float]] = {}
    chars: list[Glyph] = []
    runs: list[tuple[int, int]] = []  # (printing order, first char) of each run of an object
    last = len(order)
    run_key = None
    style = name = size = upright = advances = None
    descent = 0.0
    line_y = bottom_y = bottom = top = None  # origin y of the run's last character, its y's
    last_x0 = None  # the x0 of the last of chars (None: none yet)
    for index, key in enumerate(keys):
        if key is None:
            # a space or line end pdfium generated between two printed characters of one
            # line, a space's width apart, stands for a printed space whose glyph pdfium
            # did not keep (a page printed by Chromium): it counts, as pdfminer's does,
            # with the style of the character before it
            code = codes[index]
            if code not in _GENERATED_GAPS or not chars or index + 1 >= count:
                continue
            if code == 0x0A and codes[index - 1] == 0x0D:  # the pair was looked at once
                continue
            following = next((i for i in range(index + 1, min(index + 3, count)) if keys[i]), None)
            if following is None or chars[-1][0] == " ":
                continue
            get_origin(raw, following, x_pointer, y_pointer)
            before = chars[-1]
            before_size = before[5]
            gap = origin_x.value - before[3]
            same_line = abs(origin_y.value + descent - before[8]) < 0.1 * before_size
            if same_line and _SPACE_GAP * before_size <= gap <= 0.5 * before_size:
                space = advances.get(0x20)
                if space is None:
                    space = advances[0x20] = char_advance(textpage, index, style, 0x20)
                last_x0 = before[3]
                chars.append((" ", last_x0, before[2], last_x0 + space, *before[4:9], space))
            continue
        if key != run_key:
            run_key = key
            runs.append((order.get(key, last), len(chars)))
            style = styles.get(key)
            if style is None:
                style = styles[key] = text_object_style(raw, index, key, descents, fonts, widths)
            name, size, upright, advances = style.name, style.size, style.upright, style.widths
            descent = style.descent * size
            line_y = None
        code = codes[index]
        if code == _PDFIUM_HYPHEN:  # pdfium's mark for a hyphen at a line end
            code = 0x2D
        advance = advances.get(code)
        if advance is None:
            advance = advances[code] = char_advance(textpage, index, style, code)
        get_origin(raw, index, x_pointer, y_pointer)
        x0 = round(origin_x.value * scale) / scale
        if origin_y.value != line_y:  # the run's characters on one line share these
            line_y = origin_y.value
            bottom_y = round(line_y * scale) / scale + descent
            bottom = top_y - bottom_y
            top = bottom - size  # top_y - bottom_y - size, as pdfminer's
        if x0 == last_x0 and chars[-1][2] == top and runs[-1][1] < len(chars):
            # a ligature glyph ("ffi") pdfium splits into characters at one origin: one
            # character, as pdfminer reads it, as wide as the glyph (pdfium's loose box)
            ligature = chars[-1]
            box = pdfium.FS_RECTF()
            pdfium.FPDFText_GetLooseCharBox(textpage, index, box)
            x1 = max(ligature[3], exact(box.right))
            chars[-1] = (ligature[0] + chr(code), x0, top, x1, *ligature[4:9], x1 - x0)
            continue
        last_x0 = x0
        chars.append(
            (chr(code), x0, top, x0 + advance, bottom, size, upright, name, bottom_y, advance)
        )
    return printing_order(chars, runs)


def printing_order(chars: list[Any], runs: list[tuple[int, int]]) -> list[Any]:
    """The characters with their runs (printing order, index of the run's first char)
    stably sorted by printing order (as they come, when pdfium kept it)."""
    if all(first[0] <= second[0] for first, second in pairwise(runs)):
        return chars
    ends = [start for _, start in runs[1:]] + [len(chars)]
    spans = sorted(
        ((number, start, end) for (number, start), end in zip(runs, ends, strict=True)),
        key=itemgetter(0),
    )
    return [char for _, start, end in spans for char in chars[start:end]]


def multiply(first: Matrix, second: Matrix) -> Matrix:
    """The matrix applying ``first`` then ``second`` (PDF row-vector convention)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = second
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def apply(matrix: Matrix, x: float, y: float) -> Point:
    """A point transformed by a matrix."""
    a, b, c, d, e, f = matrix
    return (a * x + c * y + e, b * x + d * y + f)


def object_matrix(page_object: Any) -> Matrix:
    """A page object's matrix (its coordinates to its container's)."""
    matrix = pdfium.FS_MATRIX()
    if not pdfium.FPDFPageObj_GetMatrix(page_object, matrix):
        return IDENTITY
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


def page_objects(page: pypdfium2.PdfPage) -> Iterator[tuple[Any, int, Matrix]]:
    """Every object of a page in printing order, as (object, type, matrix to page
    coordinates); the objects inside form XObjects in place of the form."""

    def walk(count: int, get: Any, matrix: Matrix, depth: int) -> Iterator[tuple[Any, int, Matrix]]:
        for index in range(count):
            page_object = get(index)
            kind = pdfium.FPDFPageObj_GetType(page_object)
            if kind == pdfium.FPDF_PAGEOBJ_FORM:
                if depth < MAX_FORM_DEPTH:
                    yield from walk(
                        pdfium.FPDFFormObj_CountObjects(page_object),
                        lambda i, form=page_object: pdfium.FPDFFormObj_GetObject(form, i),
                        multiply(object_matrix(page_object), matrix),
                        depth + 1,
                    )
            elif kind == pdfium.FPDF_PAGEOBJ_PATH:
                yield page_object, kind, multiply(object_matrix(page_object), matrix)
            else:
                yield page_object, kind, matrix

    raw = page.raw
    yield from walk(
        pdfium.FPDFPage_CountObjects(raw),
        lambda i: pdfium.FPDFPage_GetObject(raw, i),
        IDENTITY,
        0,
    )


def handle(page_object: Any) -> int:
    """A page object's address: the key that names it across pdfium calls (the address
    of what the pointer points to: a tenth of the cost of ``ctypes.cast``)."""
    return ctypes.addressof(page_object.contents)


def path_segments(path_object: Any, matrix: Matrix) -> list[tuple[str, list[Point]]]:
    """A path as pdfminer's segments in page coordinates: ("m"|"l"|"c", points) and ("h",
    []) after a closing segment; a Bézier curve's three points make one "c"."""
    segments: list[tuple[str, list[Point]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    pending: list[Point] = []
    for index in range(pdfium.FPDFPath_CountSegments(path_object)):
        segment = pdfium.FPDFPath_GetPathSegment(path_object, index)
        kind = _SEGMENT_KIND.get(pdfium.FPDFPathSegment_GetType(segment))
        if kind is None:
            continue
        pdfium.FPDFPathSegment_GetPoint(segment, x, y)
        point = tuple(map(exact, apply(matrix, x.value, y.value)))
        if kind == "c":
            pending.append(point)
            if len(pending) == 3:
                segments.append(("c", pending))
                pending = []
        else:
            segments.append((kind, [point]))
        if pdfium.FPDFPathSegment_GetClose(segment):
            segments.append(("h", []))
    return segments


def subpaths(segments: Sequence[tuple[str, list[Point]]]) -> list[list[tuple[str, list[Point]]]]:
    """A path's segments split at each move ("m"), as pdfminer paints them one by one."""
    parts: list[list[tuple[str, list[Point]]]] = []
    for segment in segments:
        if segment[0] == "m" or not parts:
            parts.append([])
        parts[-1].append(segment)
    return [part for part in parts if part[0][0] == "m"]


def shape_object(part: Sequence[tuple[str, list[Point]]]) -> tuple[str, list[Point]]:
    """A subpath as pdfminer classifies it: ("line"|"rect"|"curve", its points in PDF
    coordinates: segment end points, a closing "h" at the start point)."""
    shape = "".join(kind for kind, _ in part)
    start = part[0][1][-1]
    points = [points[-1] if kind != "h" else start for kind, points in part]
    if len(shape) > 3 and shape[-2:] == "lh" and points[-2] == points[0]:
        shape = shape[:-2] + "h"
        points.pop()
    if shape in ("mlh", "ml"):
        return "line", points[:2]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = points
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if points[0] == points[4] and square:
            return "rect", points
    return "curve", points


def path_dict(kind: str, points: Sequence[Point], top_y: float, page_number: int) -> dict:
    """A line, rect or curve as pdfplumber's object dict (top-left origin)."""
    if kind == "rect":  # pdfminer's LTRect keeps the box of its first and third points
        (x0, y0), (x1, y1) = points[0], points[2]
        x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    else:
        xs, ys = [x for x, _ in points], [y for _, y in points]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    return {
        "object_type": kind,
        "page_number": page_number,
        "x0": x0,
        "x1": x1,
        "y0": y0,
        "y1": y1,
        "top": top_y - y1,
        "bottom": top_y - y0,
        "width": x1 - x0,
        "height": y1 - y0,
        "pts": [(x, top_y - y) for x, y in points],
    }


def read_page_counted(
    page: pypdfium2.PdfPage,
    outline: Any,
    descents: dict[str, float],
) -> tuple[Any, int]:
    """One page read by pdfium into a pdfplumber page model: its lines, rects and curves
    (pdfplumber's object dicts) and its characters; and the number of characters of
    pdfium's text page (those it generates included: 0 on a page without a text layer).
    ``outline`` is the page's frame (:class:`extract.pdf_outline.PageFrame`, or
    pdfplumber's page): it gives the exact page box. A rotated page is left to pdfplumber
    (``outline`` is then pdfplumber's page, returned as it is: pdfplumber turns its
    coordinates; rare in these documents)."""
    if outline.rotation:
        textpage = page.get_textpage()
        try:
            return outline, textpage.count_chars()
        finally:
            textpage.close()
    raw_box = [float(value) for value in resolve1(outline.page_obj.mediabox)]
    top_y = outline.height + min(raw_box[1], raw_box[3]) + outline.mediabox[1]
    number = outline.page_number
    objects: dict[str, list[dict[str, Any]]] = {}
    order: dict[int | None, int] = {}
    for page_object, kind, matrix in page_objects(page):
        if kind == pdfium.FPDF_PAGEOBJ_TEXT:
            order[handle(page_object)] = len(order)
        elif kind == pdfium.FPDF_PAGEOBJ_PATH:
            for part in subpaths(path_segments(page_object, matrix)):
                shape, points = shape_object(part)
                objects.setdefault(shape, []).append(path_dict(shape, points, top_y, number))
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        glyphs = page_chars(textpage, top_y, descents, order)
    finally:
        textpage.close()
    for found in objects.values():  # as pdfplumber: from the top of the first page
        for item in found:
            item["doctop"] = outline.initial_doctop + item["top"]
    return PdfiumPage(objects, outline, glyphs=glyphs), count


def page_words(page: Any) -> list[Word]:
    """The page's layout words, as :func:`extract.pdf_pdfplumber.page_words` reads them
    (words split at WORD_GAP_RATIO of the type size), from a pdfium page's characters by
    :func:`layout_words`; another page by pdfplumber."""
    if isinstance(page, PdfiumPage):
        return layout_words(page.glyphs, pdf_pdfplumber.WORD_GAP_RATIO)
    return pdf_pdfplumber.page_words(page)


def pdfium_name(strategy: str) -> str:
    """A pdfplumber strategy name as this engine's ("pdfplumber-lines" -> "pdfium-lines")."""
    return PREFIX + strategy.split("-", 1)[1]


class PdfiumPages(NamedTuple):
    """A PDF's pages read by pdfium (:func:`open_pages`)."""

    pages: list[Any]
    char_counts: list[int]
    """Per page, the characters of pdfium's text page (0: no text layer)."""
    producer: str | None


@contextmanager
def open_pages(path: Path) -> Iterator[PdfiumPages]:
    """Every page of the PDF read with pdfium into pdfplumber page models, usable while
    the block runs (pdfminer's document, which gives the page boxes and the fonts'
    descents, :mod:`extract.pdf_outline`, stays open; pdfplumber is opened only for a
    rotated page, which it reads); any library failure becomes our one-line error."""
    with pdf_errors(path), read_outline(path) as outline, ExitStack() as stack:
        frames: list[Any] = list(outline.frames)
        if any(frame.rotation for frame in frames):
            import pdfplumber

            plumbed = stack.enter_context(pdfplumber.open(path)).pages
            frames = [
                plumbed[index] if frame.rotation else frame for index, frame in enumerate(frames)
            ]
        document = pypdfium2.PdfDocument(str(path))
        try:
            descents = font_descents(frames)
            read = [
                read_page_counted(document[index], frame, descents)
                for index, frame in enumerate(frames)
            ]
            yield PdfiumPages(
                [page for page, _ in read],
                [count for _, count in read],
                outline.producer,
            )
        finally:
            document.close()


def read_opened(path: Path, pdf: PdfiumPages, strategy: str | None = None) -> PdfReading:
    """The pages of :func:`open_pages` read exactly as the pdfplumber engine reads its
    own (see :func:`extract.pdf_pdfplumber.read_pages`); ``strategy`` as for
    :func:`read_pdf`."""
    forced = "pdfplumber-" + strategy.split("-", 1)[1] if strategy else None
    pages = pdf.pages
    textless = require_text_layer(path, [pdf_pdfplumber.char_count(page) for page in pages])
    fragments, used = pdf_pdfplumber.read_pages(pages, forced, pdf.producer, page_words)
    preamble = pdf_pdfplumber.preamble_text(pages, fragments)
    names = [pdfium_name(name) for name in used]
    return PdfReading(
        pdf_pdfplumber.extractor_name(names, strategy or TEXT),
        fragments,
        len(pages),
        preamble,
        textless,
    )


def read_pdf(path: Path, strategy: str | None = None) -> PdfReading:
    """Read every page with pdfium into pdfplumber page models, then exactly as the
    pdfplumber engine does (see :func:`extract.pdf_pdfplumber.read_pages`).

    ``strategy`` forces ``pdfium-lines``, ``pdfium-hrules`` or ``pdfium-text`` on every
    page; None picks per page from what the page draws.
    """
    with open_pages(path) as pdf:
        return read_opened(path, pdf, strategy)
