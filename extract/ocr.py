"""OCR engine: scanned PDF pages read cell by cell with Tesseract (Italian model).

A scanned page has no text layer and no vector rules: only an image. What a trial on a
150 dpi scan of the shipped document showed decides the steps (see docs/design.md, OCR):

1. **render** the page at :data:`RENDER_DPI` (pypdfium2): upsampling a 150 dpi scan helps
   Tesseract, whose models expect text 20-30 px high;
2. **deskew**: without it the text falls apart. The angle is the one that makes the page's
   horizontal projection sharpest (the table rules line up), searched within ±2°;
3. **grid from the page image**: horizontal rules are long runs of ink (a morphological
   opening); between two rules, a vertical rule is a pixel column inked over the whole band.
   So a merged cell (a rule missing in its band) is one cell, placed at its first grid
   column, and rows of any height are found. Text outside the grid above the table is the
   page text (the sector heading);
4. **OCR each cell on its own** (Tesseract in-process through tesserocr, ``psm`` 6, two
   pages at a time, each thread with its own :class:`Reader`): cropped inside the rules, so
   rules are not read as ``|``, ``[`` or ``_``; cells without ink are empty without OCR. A
   cell with ink that comes back empty (a lone weight digit, which page-level layout
   analysis drops) is read again as one line with a digit whitelist, and a line opening
   with a code is read again enlarged (:func:`reread_codes`);
5. **repairs**, each recorded as a note: rule fragments ``| [ ] _`` at the edges of a line
   are stripped; in a dotted number (a code such as ``9.3.2.1`` or a date ``31.03.2023``) a
   ``:`` or ``,`` between digits and dots is read as ``.`` and ``i``/``l``/``I`` between dots
   as ``1``, only when the token then is digits and dots (what codes and dates are).

Every cell read this way carries Tesseract's confidence (``RawCell.ocr_confidence``, 0-1, the
mean of its words'), and each OCR'd page gets an ``ocr_page`` note with its mean confidence.
The page fragments go through the same stitching as a PDF's (:mod:`extract.stitch`).

``--ocr auto`` (the default) OCRs only pages without a text layer, ``force`` every page,
``never`` none (a scanned PDF is then refused as before). This module knows no column
meanings: a code read out of order among its siblings is caught later, by
:mod:`normalize.ocr_codes`.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import os
import queue
import re
import sys
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from extract.errors import ExtractError, ImageOnlyPDFError, NoTableError
from extract.model import ExtractNote, RawCell, RawDocument, RawRow
from extract.names import escaped

ENGINE = "tesseract"
OCR_MODES = ("auto", "never", "force")
RENDER_DPI = 300
LANGUAGE = "ita"
INSTALL_COMMAND = "apt-get install tesseract-ocr tesseract-ocr-ita"
#: Where Tesseract's models are looked for when ``TESSDATA_PREFIX`` is not set.
TESSDATA_FOLDERS = (
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
DEBIAN_TESSDATA = Path("/usr/share/tesseract-ocr")
#: Pages OCR'd at once, one Tesseract each (two cores).
WORKERS = 2
#: The most pixels a page is rendered with (A3 at 300 dpi is 17.4 million, A2 34.8 million:
#: an A2 page is read at 249 dpi; 24 million grey pixels are 24 MB, and the steps below and
#: Tesseract keep several copies: two A2 pages at 36 million peaked at 540-650 MiB): a larger
#: page is rendered at a lower dpi, and refused (a finding) when that would be under
#: MIN_OCR_DPI.
MAX_PAGE_PIXELS = 24_000_000
MIN_OCR_DPI = 100
#: Pages without a text layer OCR'd at most in one document (``--ocr-max-pages``, or this
#: environment variable): real attachments have a few dozen pages; OCR takes about 3 s a page.
OCR_MAX_PAGES = 200
OCR_MAX_PAGES_VARIABLE = "PIAO_OCR_MAX_PAGES"
#: Deskew search: ±MAX_SKEW degrees in SKEW_STEP steps, on a page scaled by SKEW_SCALE.
MAX_SKEW, SKEW_STEP, SKEW_SCALE = 2.0, 0.05, 0.25
#: A horizontal rule is at least this long (points), a vertical one inks this share of a band.
MIN_RULE_POINTS = 40.0
VERTICAL_INK_SHARE = 0.85
#: Pixels kept clear of the rules when a cell is cropped; ink pixels that make a cell non-empty.
CROP_MARGIN = 5
MIN_INK_PIXELS = 12
#: Rule remnants are looked for this close to a crop's edges; crops get this white border.
EDGE_PIXELS, BORDER_PIXELS = 8, 12
#: Speckle: an ink blob at most SPECK_POINTS wide (squared: area) with no ink this close.
SPECK_POINTS, ISOLATION_POINTS = 1.6, 2.5
#: Characters a digit-only re-read may return (weights, percentages).
DIGITS = "0123456789,.%"

#: The columns of Tesseract's TSV output (the API's has no header line).
TSV_FIELDS = "level page_num block_num par_num line_num word_num left top width height conf text"
_LEADING_CODE = re.compile(r"^\s*\d{1,3}(?:\.\d{1,3})+\.?(?=\s|$)")
_CLEAN_NUMBER = re.compile(r"\d{1,3}(?:[.,]\d+)?%?")
_NUMBER_WITH_MARK = re.compile(r"(\d{1,3}(?:[.,]\d+)?%?)[.:;,'`’‘”]+")
#: Below this Tesseract confidence, a short cell is read again as digits.
LOW_CONFIDENCE = 0.6
#: Enlargements at which a code's first line is read again (each reading is a vote).
REREAD_SCALES = (1.6, 1.33, 2.0)
_PERIOD_NUMERAL = re.compile(
    r"(\b(?:il|del|nel|al|dal)\s+)(Il|lI|ll|\|\||I\||\|I|\||l)"
    r"(\s+(?:semestre|trimestre|quadrimestre)\b)"
)
_KEPT_MARKS = "-–—•*%€/+&§()"
_RULE_DEBRIS = re.compile(r"^[\s|\[\]_]+|[\s|\[\]_]+$|^[‘’'`\"“”,.]+(?=\d)")
_DOTTED = re.compile(r"(?<![\w.:,])\d{1,4}(?:[.:,][0-9iIl]{1,4}){2,4}\.?(?![\w])")


class OcrUnavailableError(ExtractError):
    reason = f"OCR needs Tesseract with its Italian model ({INSTALL_COMMAND})"


class OcrNoTextError(ImageOnlyPDFError):
    reason = "no text layer, and OCR found no text"


class OcrBudgetError(ImageOnlyPDFError):
    reason = "more pages without a text layer than OCR reads"


class OcrPageTooLargeError(ImageOnlyPDFError):
    reason = "pages without a text layer too large to OCR"


# limits -------------------------------------------------------------------------------------


def ocr_max_pages(environ: Mapping[str, str] = os.environ) -> int:
    """The OCR page budget: :data:`OCR_MAX_PAGES_VARIABLE` when set to a positive whole number
    (``piao extract --ocr-max-pages`` sets it), else :data:`OCR_MAX_PAGES`."""
    text = environ.get(OCR_MAX_PAGES_VARIABLE, "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else OCR_MAX_PAGES


def check_page_budget(path: Path, pages: Sequence[int], budget: int) -> None:
    """Refuse (one line, before any page is rendered) a document with more than ``budget``
    pages to OCR."""
    if len(pages) > budget:
        raise OcrBudgetError(
            path,
            f"{len(pages)} pages without a text layer, more than the OCR budget of {budget} "
            f"pages (--ocr-max-pages {len(pages)} reads them all, at about 3 s a page)",
        )


def page_dpi(
    width: float, height: float, dpi: int = RENDER_DPI, max_pixels: int = MAX_PAGE_PIXELS
) -> int | None:
    """The dpi a page of ``width`` x ``height`` points is rendered at: ``dpi`` when the image
    has at most ``max_pixels``, else the highest dpi that fits; None when that is under
    :data:`MIN_OCR_DPI` (the page is too large to OCR)."""
    pixels = (width / 72 * dpi) * (height / 72 * dpi)
    if pixels <= max_pixels:
        return dpi
    lowered = int(dpi * math.sqrt(max_pixels / pixels))
    return lowered if lowered >= MIN_OCR_DPI else None


def size_text(width: float, height: float) -> str:
    """A page size for people: ``14,400 x 14,400 pt``."""
    return f"{width:,.0f} x {height:,.0f} pt"


def size_note(number: int, width: float, height: float, dpi: int | None) -> ExtractNote:
    """The finding of a page rendered at a lowered dpi, or refused (``dpi`` None)."""
    size = size_text(width, height)
    if dpi is None:
        return ExtractNote(
            rule="ocr_page_refused",
            severity="error",
            message=f"page too large to OCR ({size}: under {MIN_OCR_DPI} dpi within "
            f"{MAX_PAGE_PIXELS:,} pixels); not read",
            page=number,
        )
    return ExtractNote(
        rule="ocr_page_refused",
        severity="warning",
        message=f"page large for OCR ({size}): rendered at {dpi} dpi, not {RENDER_DPI}, "
        f"to stay within {MAX_PAGE_PIXELS:,} pixels",
        page=number,
    )


def pages_at_once(pixels: Iterable[float], workers: int = WORKERS) -> int:
    """How many pages are OCR'd at once: :data:`WORKERS`, unless a page has more than
    :data:`MAX_PAGE_PIXELS` shared among them (then one: two A2 pages at 300 dpi at once took
    786 MiB, one 472 MiB)."""
    return workers if all(count <= MAX_PAGE_PIXELS / workers for count in pixels) else 1


def page_pixels(pdf, number: int, dpi: int) -> float:
    """The pixels of page ``number`` (1-based) of an open pypdfium2 document at ``dpi``."""
    width, height = pdf[number - 1].get_size()
    return (width / 72 * dpi) * (height / 72 * dpi)


def ocr_plan(pdf, pages: Sequence[int]) -> tuple[dict[int, int], list[ExtractNote]]:
    """The dpi of each page (1-based) of an open pypdfium2 document that can be OCR'd, and
    the findings of the pages rendered at a lower dpi or refused for their size."""
    dpis: dict[int, int] = {}
    notes = []
    for number in pages:
        width, height = pdf[number - 1].get_size()
        dpi = page_dpi(width, height)
        if dpi is not None:
            dpis[number] = dpi
        if dpi != RENDER_DPI:
            notes.append(size_note(number, width, height, dpi))
    return dpis, notes


def report_progress(path: Path, done: int, total: int, stream: TextIO | None = None) -> None:
    """``OCR <file>: page <done> of <total>`` on one terminal line, rewritten as pages are
    done; nothing when ``stream`` (stderr) is not a terminal (logs and tests stay clean)."""
    stream = sys.stderr if stream is None else stream
    if not stream.isatty():
        return
    end = "\n" if done == total else ""
    stream.write(f"\rOCR {escaped(path.name)}: page {done} of {total}{end}")
    stream.flush()


# rendering and deskewing --------------------------------------------------------------------


def render(page, dpi: int = RENDER_DPI) -> np.ndarray:
    """A PDF page (pypdfium2) as a grayscale image, ``dpi`` pixels per inch."""
    return np.ascontiguousarray(page.render(scale=dpi / 72, grayscale=True).to_numpy())


def ink(gray: np.ndarray) -> np.ndarray:
    """Binary ink mask (255 = ink) by Otsu's threshold."""
    import cv2

    _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return mask


def rotated(image: np.ndarray, angle: float, fill: int = 255) -> np.ndarray:
    """``image`` rotated by ``angle`` degrees (counter-clockwise) about its centre."""
    import cv2

    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=fill)


def skew_angle(gray: np.ndarray) -> float:
    """The rotation (degrees) that straightens the page: the one under which the rows of ink
    are sharpest (largest sum of squares of the horizontal projection), searched in coarse
    steps within ±:data:`MAX_SKEW`, then in :data:`SKEW_STEP` steps around the best. The ink
    pixels of a reduced page are projected at each angle (no image is rotated)."""
    import cv2

    small = cv2.resize(gray, None, fx=SKEW_SCALE, fy=SKEW_SCALE, interpolation=cv2.INTER_AREA)
    ys, xs = np.nonzero(ink(small))
    if len(ys) == 0:
        return 0.0
    xs = xs.astype(np.float64) - small.shape[1] / 2
    ys = ys.astype(np.float64) - small.shape[0] / 2

    def sharpness(angle: float) -> float:
        theta = np.deg2rad(angle)
        rows = np.rint(ys * np.cos(theta) - xs * np.sin(theta)).astype(np.int64)
        counts = np.bincount(rows - rows.min()).astype(np.float64)
        return float(np.dot(counts, counts))

    coarse = 5 * SKEW_STEP
    best = max(np.arange(-MAX_SKEW, MAX_SKEW + coarse / 2, coarse), key=sharpness)
    fine = np.arange(best - coarse, best + coarse + SKEW_STEP / 2, SKEW_STEP)
    return round(float(max(fine, key=sharpness)), 2)


def despeckled(gray: np.ndarray, mask: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """An image (a cell, cropped inside its rules) without speckle: ink blobs smaller than
    :data:`SPECK_POINTS` square with no larger blob within :data:`ISOLATION_POINTS` of their
    box (dust, toner) are whitened. A full stop or the dot of an ``i`` sits next to its
    letters and stays. Cropped inside the rules, a speck next to a rule is isolated too.
    The larger blobs' ink around each small one is counted on an integral image."""
    import cv2

    scale = dpi / 72
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] <= (SPECK_POINTS * scale) ** 2
    small[0] = False
    if not small.any():
        return gray, mask
    indexes = np.flatnonzero(small)
    reach = max(1, int(ISOLATION_POINTS * scale))
    height, width = mask.shape
    small_ink = small[labels]
    big = cv2.integral(((mask > 0) & ~small_ink).astype(np.uint8))
    left, top = stats[indexes, cv2.CC_STAT_LEFT], stats[indexes, cv2.CC_STAT_TOP]
    x0, y0 = np.clip(left - reach, 0, width), np.clip(top - reach, 0, height)
    x1 = np.clip(left + stats[indexes, cv2.CC_STAT_WIDTH] + reach, 0, width)
    y1 = np.clip(top + stats[indexes, cv2.CC_STAT_HEIGHT] + reach, 0, height)
    near_big = big[y1, x1] - big[y0, x1] - big[y1, x0] + big[y0, x0] > 0
    small[indexes[near_big]] = False
    specks = small[labels]
    gray, mask = gray.copy(), mask.copy()
    gray[specks] = 255
    mask[specks] = 0
    return gray, mask


# the grid -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GridCell:
    """One cell of the grid read from the image: its band (row), first and last grid
    columns, and its box in pixels (x0, y0, x1, y1)."""

    row: int
    column: int
    last_column: int
    box: tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Grid:
    rows: tuple[int, ...]
    columns: tuple[int, ...]
    cells: tuple[GridCell, ...]

    @property
    def top(self) -> int:
        return self.rows[0]

    @property
    def bottom(self) -> int:
        return self.rows[-1]


def runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True in a 1-D boolean array (end exclusive)."""
    padded = np.concatenate([[False], flags, [False]]).astype(np.int8)
    changes = np.flatnonzero(np.diff(padded))
    return list(zip(changes[::2].tolist(), changes[1::2].tolist(), strict=True))


def horizontal_rules(mask: np.ndarray, dpi: int) -> list[tuple[int, int, int]]:
    """(y, x0, x1) of each horizontal rule: a long run of ink kept by a morphological opening
    with a line :data:`MIN_RULE_POINTS` long."""
    import cv2

    length = max(10, int(MIN_RULE_POINTS * dpi / 72))
    lines = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    rows = lines.max(axis=1) > 0
    rules = []
    for start, end in runs(rows):
        band = lines[start:end].max(axis=0) > 0
        xs = np.flatnonzero(band)
        rules.append(((start + end - 1) // 2, int(xs[0]), int(xs[-1])))
    return rules


def table_rules(rules: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The rules of the page's table: those at least half as long as the longest."""
    if not rules:
        return []
    longest = max(x1 - x0 for _, x0, x1 in rules)
    return [rule for rule in rules if rule[2] - rule[1] >= longest / 2]


def band_rules(mask: np.ndarray, top: int, bottom: int, left: int, right: int) -> list[int]:
    """x of each vertical rule crossing the band between two horizontal rules: a pixel column
    inked over :data:`VERTICAL_INK_SHARE` of the band (text never is)."""
    inner = mask[top + 3 : bottom - 2, max(0, left - 3) : right + 4]
    if inner.shape[0] < 3:
        return []
    # a rule drawn at a residual slant covers neighbouring columns: take a 3-pixel max
    share = (inner > 0).mean(axis=0)
    share = np.maximum(share, np.maximum(np.roll(share, 1), np.roll(share, -1)))
    return [max(0, left - 3) + (a + b - 1) // 2 for a, b in runs(share >= VERTICAL_INK_SHARE)]


def cluster(values: Iterable[int], tolerance: int) -> list[int]:
    """Sorted values merged when closer than ``tolerance`` (each cluster's mean)."""
    groups: list[list[int]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [round(sum(group) / len(group)) for group in groups]


def nearest(positions: Sequence[int], value: int) -> int:
    return min(range(len(positions)), key=lambda index: abs(positions[index] - value))


def find_grid(mask: np.ndarray, dpi: int) -> Grid | None:
    """The table grid of a deskewed page image (see module doc), ``None`` without a table."""
    rules = table_rules(horizontal_rules(mask, dpi))
    if len(rules) < 2:
        return None
    ys = cluster([y for y, _, _ in rules], tolerance=3)
    left = min(x0 for _, x0, _ in rules)
    right = max(x1 for _, _, x1 in rules)
    bands = [(top, bottom) for top, bottom in itertools.pairwise(ys) if bottom - top > 6]
    verticals = {band: band_rules(mask, *band, left, right) for band in bands}
    columns = cluster([x for xs in verticals.values() for x in xs], tolerance=max(4, dpi // 50))
    if len(columns) < 2:
        return None
    cells = []
    for row, (top, bottom) in enumerate(bands):
        xs = verticals[(top, bottom)]
        if len(xs) < 2:
            continue
        for x0, x1 in itertools.pairwise(xs):
            first, last = nearest(columns, x0), nearest(columns, x1) - 1
            if last >= first:
                cells.append(GridCell(row, first, last, (x0, top, x1, bottom)))
    return Grid(tuple(ys), tuple(columns), tuple(cells)) if cells else None


# Tesseract ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OcrText:
    """What Tesseract read in one image: lines of text and the mean word confidence (0-1)."""

    text: str
    confidence: float | None
    #: Per line of text, in order: its top and bottom (pixels) and its first word's confidence.
    lines: tuple[tuple[int, int, float], ...] = ()

    @property
    def first_word_confidence(self) -> float | None:
        return self.lines[0][2] if self.lines else None


def tessdata_folder() -> Path | None:
    """The folder of Tesseract's models if it holds the Italian one: ``TESSDATA_PREFIX`` when
    set (as for Tesseract itself, it is then the only place looked at), else where Debian,
    Fedora, Homebrew or a source build put them."""
    if os.environ.get("TESSDATA_PREFIX"):
        candidates = [Path(os.environ["TESSDATA_PREFIX"])]
    else:
        candidates = sorted(DEBIAN_TESSDATA.glob("*/tessdata"), reverse=True)
        candidates += [Path(p) for p in TESSDATA_FOLDERS]
    return next((f for f in candidates if (f / f"{LANGUAGE}.traineddata").is_file()), None)


def ocr_available() -> bool:
    """Whether scanned pages can be OCR'd here: tesserocr imports and Tesseract's Italian
    model is found (what :func:`tesseract` checks, without a document to name)."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return False
    return tessdata_folder() is not None


def tesseract(path: Path) -> Path:
    """The folder of Tesseract's Italian model, checked once; else a one-line error (naming
    the document ``path`` that needs it) with the command that installs it. Tesseract
    itself runs in-process (tesserocr, whose wheel bundles the library)."""
    try:
        import tesserocr  # noqa: F401
    except ImportError as error:
        raise OcrUnavailableError(
            path,
            "needs OCR, and Tesseract is not installed "
            f"(pip install tesserocr: {str(error).splitlines()[0]})",
        ) from None
    folder = tessdata_folder()
    if folder is None:
        raise OcrUnavailableError(
            path,
            f"needs OCR, and Tesseract has no Italian model ({INSTALL_COMMAND}, "
            "or set TESSDATA_PREFIX to the folder of ita.traineddata)",
        )
    return folder


def parse_tsv(tsv: str) -> dict[int, OcrText]:
    """Tesseract TSV output -> {page number (1-based image in the list): text read}, with
    the top and bottom (pixels) of each image's line of text and its first word's confidence."""
    words: dict[int, list[tuple[tuple[int, int, int], str, float, int, int]]] = defaultdict(list)
    fields = None if tsv.startswith("level") else TSV_FIELDS.split()  # the API writes no header
    reader = csv.DictReader(
        io.StringIO(tsv), fieldnames=fields, delimiter="\t", quoting=csv.QUOTE_NONE
    )
    for record in reader:
        text = (record.get("text") or "").strip()
        if record.get("level") != "5" or not text:
            continue
        line = (int(record["block_num"]), int(record["par_num"]), int(record["line_num"]))
        top = int(record["top"])
        bottom = top + int(record["height"])
        words[int(record["page_num"])].append((line, text, float(record["conf"]), top, bottom))
    result = {}
    for page, items in words.items():
        lines: dict[tuple[int, int, int], list[str]] = {}
        for line, text, *_ in items:
            lines.setdefault(line, []).append(text)
        boxes = []
        for line in lines:
            words_of_line = [item for item in items if item[0] == line]
            top, bottom = min(w[3] for w in words_of_line), max(w[4] for w in words_of_line)
            boxes.append((top, bottom, words_of_line[0][2] / 100))
        confidences = [conf for _, _, conf, _, _ in items if conf >= 0]
        result[page] = OcrText(
            "\n".join(" ".join(parts) for parts in lines.values()),
            round(sum(confidences) / len(confidences) / 100, 3) if confidences else None,
            tuple(boxes),
        )
    return result


class Reader:
    """One Tesseract (tesserocr's in-process API, Italian model) that reads images.

    In-process, an image is handed over as pixels: no PNG written and read back, no
    process started per batch (measured on the 19-page scan: 2.68 s of CPU per page against
    3.33 with the ``tesseract`` command, see docs/design.md). Not thread-safe: one per thread."""

    def __init__(self, tessdata: Path, dpi: int) -> None:
        import tesserocr

        self.api = tesserocr.PyTessBaseAPI(path=f"{tessdata}/", lang=LANGUAGE)
        self.dpi = dpi
        self.whitelist = ""

    def read(self, image: np.ndarray, psm: int = 6, whitelist: str = "") -> OcrText:
        """The text of a grayscale image: ``psm`` 6 a block of text, 7 one line; only the
        characters of ``whitelist`` when given."""
        if whitelist != self.whitelist:
            self.api.SetVariable("tessedit_char_whitelist", whitelist)
            self.whitelist = whitelist
        self.api.SetPageSegMode(psm)
        image = np.ascontiguousarray(image)
        height, width = image.shape
        self.api.SetImageBytes(image.tobytes(), width, height, 1, width)
        self.api.SetSourceResolution(self.dpi)
        return parse_tsv(self.api.GetTSVText(0)).get(1, OcrText("", None))

    def close(self) -> None:
        self.api.End()


# repairs ------------------------------------------------------------------------------------


def strip_rule_debris(text: str) -> str:
    """Each line without the ``| [ ] _`` Tesseract reads from a rule at its edges (and a
    quote mark or dot it reads from a speck just before a leading number), and
    without the lone marks it reads from a speck of dust (a token of punctuation only, such
    as ``.`` or ``°``; dashes and bullets stay, they mark items)."""
    lines = (
        " ".join(token for token in line.split() if not is_speck_token(token))
        for line in (_RULE_DEBRIS.sub("", raw) for raw in text.splitlines())
    )
    return "\n".join(line for line in lines if line)


def is_speck_token(token: str) -> bool:
    """A token of punctuation marks only, none of which starts an item or means a value."""
    return not any(char.isalnum() or char in _KEPT_MARKS for char in token)


def repair_period_numerals(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Roman numerals of periods as the date grammar reads them: after an article, ``|``
    or ``l`` before *semestre* / *trimestre* / *quadrimestre* is ``I``, and ``Il``, ``ll``
    or ``||`` is ``II`` (Tesseract reads a lone ``I`` as a rule mark). Returns the text and
    the (before, after) of each repair."""
    repairs: list[tuple[str, str]] = []

    def fix(match: re.Match[str]) -> str:
        numeral = "II" if len(match.group(2)) == 2 else "I"
        repairs.append((match.group(0), f"{match.group(1)}{numeral}{match.group(3)}"))
        return f"{match.group(1)}{numeral}{match.group(3)}"

    return _PERIOD_NUMERAL.sub(fix, text), repairs


def repair_dotted(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Dotted numbers (codes, dates) with ``:`` or ``,`` for ``.`` and ``i l I`` for ``1``
    repaired; returns the text and the (before, after) of each repair."""
    repairs: list[tuple[str, str]] = []

    def fix(match: re.Match[str]) -> str:
        token = match.group(0)
        fixed = re.sub(r"(?<=\d)[:](?=\d)|(?<=\d)[:,](?=\d{1,2}\.)", ".", token)
        fixed = re.sub(r"(?<=\.)[iIl](?=\.|$)", "1", fixed)
        if fixed != token and re.fullmatch(r"\d+(?:\.\d+)+\.?", fixed):
            repairs.append((token, fixed))
            return fixed
        return token

    return _DOTTED.sub(fix, text), repairs


# pages --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Job:
    """One image to OCR: a cell (row band, grid column) or a page's text above the table,
    and what Tesseract read in it."""

    page: int
    image: np.ndarray
    box: tuple[int, int, int, int]
    row: int | None = None
    column: int | None = None
    read: OcrText = OcrText("", None)


def without_rule_remnants(gray: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A cell crop without what is left of its rules at its edges (a residual slant leaves a
    sliver of rule inside the crop, read as ``1`` or ``|``): pixel columns and rows near an
    edge inked over more than half the crop are whitened."""
    gray, mask = gray.copy(), mask.copy()
    ink_mask = mask > 0
    height, width = mask.shape
    for axis, size in ((0, width), (1, height)):
        share = ink_mask.mean(axis=axis)
        for index in [*range(min(EDGE_PIXELS, size)), *range(max(0, size - EDGE_PIXELS), size)]:
            if share[index] > 0.5:
                if axis == 0:
                    gray[:, index], mask[:, index] = 255, 0
                else:
                    gray[index, :], mask[index, :] = 255, 0
    return gray, mask


def tight(gray: np.ndarray) -> np.ndarray:
    """A cell image cut to its ink with a white border of :data:`BORDER_PIXELS`: Tesseract
    misses a lone digit at the corner of a tall, mostly empty cell, and reads it on a tight
    crop (used for the digit re-read; on whole cells it loses more than it gains)."""
    import cv2

    mask = (gray < 128).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] >= 6
    keep[0] = False
    ys, xs = np.nonzero(keep[labels])
    if len(ys) == 0:
        return gray
    piece = gray[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    border = BORDER_PIXELS
    return cv2.copyMakeBorder(piece, border, border, border, border, cv2.BORDER_CONSTANT, value=255)


def inner_box(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = box
    return (
        x0 + CROP_MARGIN,
        y0 + CROP_MARGIN,
        max(x0 + CROP_MARGIN + 1, x1 - CROP_MARGIN + 1),
        max(y0 + CROP_MARGIN + 1, y1 - CROP_MARGIN + 1),
    )


@dataclass(slots=True)
class PageScan:
    """A deskewed page, its grid and the jobs that OCR it."""

    page: int
    angle: float
    grid: Grid | None
    jobs: list[_Job]


def prepare_page(gray: np.ndarray, number: int, dpi: int) -> PageScan:
    """Deskew a rendered page, find its grid and crop the cells with ink (and the text
    above the table)."""
    angle = skew_angle(gray)
    if angle:
        gray = rotated(gray, angle)
    mask = ink(gray)
    grid = find_grid(mask, dpi)
    jobs: list[_Job] = []

    def crop(box: tuple[int, int, int, int], **where: int) -> None:
        x0, y0, x1, y1 = inner_box(box)
        cell, cell_mask = without_rule_remnants(gray[y0:y1, x0:x1], mask[y0:y1, x0:x1])
        cell, cell_mask = despeckled(cell, cell_mask, dpi)
        if int((cell_mask > 0).sum()) < MIN_INK_PIXELS:
            return
        jobs.append(_Job(number, cell, box, **where))

    if grid is not None:
        left, right = min(c.box[0] for c in grid.cells), max(c.box[2] for c in grid.cells)
        crop((left, 0, right, max(1, grid.top - CROP_MARGIN)))  # the text above the table
        for cell in grid.cells:
            crop(cell.box, row=cell.row, column=cell.column)
    else:
        crop((0, 0, gray.shape[1], gray.shape[0]))
    return PageScan(number, angle, grid, jobs)


def points(box: tuple[int, int, int, int], dpi: int) -> tuple[float, float, float, float]:
    """A pixel box in PDF points (of the deskewed page)."""
    scale = 72 / dpi
    return tuple(round(value * scale, 2) for value in box)  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class OcrPage:
    """One OCR'd page: its table rows (grid cells, text and confidence), the text above the
    table, and the notes (page read, repairs)."""

    page: int
    heading: str
    rows: tuple[RawRow, ...]
    notes: tuple[ExtractNote, ...]
    text: str


def page_rows(scan: PageScan, dpi: int) -> tuple[list[RawRow], list[ExtractNote]]:
    """The table rows of a scanned page: one cell per grid column (merged and empty cells
    empty), texts repaired, each OCR'd cell with its confidence."""
    assert scan.grid is not None
    width = len(scan.grid.columns) - 1
    by_cell = {(job.row, job.column): job for job in scan.jobs if job.row is not None}
    notes: list[ExtractNote] = []
    rows: list[RawRow] = []
    for row in sorted({cell.row for cell in scan.grid.cells}):
        cells_of_row = {cell.column: cell for cell in scan.grid.cells if cell.row == row}
        cells = []
        for column in range(width):
            cell = cells_of_row.get(column)
            job = by_cell.get((row, column))
            text, confidence = "", None
            if job is not None:
                text, numerals = repair_period_numerals(job.read.text)
                text, repairs = repair_dotted(strip_rule_debris(text))
                repairs = numerals + repairs
                confidence = job.read.confidence if job.read.confidence is not None else 0.0
                notes += [
                    ExtractNote(
                        rule="ocr_repair",
                        severity="info",
                        message=f"OCR read {before!r} in row {row + 1}, column {column + 1}; "
                        f"repaired to {after!r}",
                        page=scan.page,
                    )
                    for before, after in repairs
                ]
            cells.append(
                RawCell(
                    text=" ".join(text.split()),
                    column=column,
                    page=scan.page,
                    bbox=points(cell.box, dpi) if cell else None,
                    ocr_confidence=confidence,
                )
            )
        if any(cell.text for cell in cells):
            rows.append(RawRow(cells=tuple(cells), pages=(scan.page,)))
    return rows, notes


def read_page(pdf, number: int, reader: Reader, lock: threading.Lock, dpi: int) -> OcrPage:
    """One page OCR'd: rendered (pypdfium2 is not thread-safe: under ``lock``), deskewed,
    its cells read, then the re-reads (:func:`reread_codes`, :func:`reread_numbers`)."""
    with lock:
        gray = render(pdf[number - 1], dpi)
    reader.dpi = dpi
    scan = prepare_page(gray, number, dpi)
    for job in scan.jobs:
        job.read = reader.read(job.image)
    cells = [job for job in scan.jobs if job.row is not None]
    reread_codes(reader, cells)
    reread_numbers(reader, cells)
    return page_result(scan, dpi)


def ocr_pages(
    pdf,
    numbers: Sequence[int],
    path: Path,
    dpi: int | Mapping[int, int] = RENDER_DPI,
    workers: int = WORKERS,
) -> list[OcrPage]:
    """OCR the given pages (1-based) of an open pypdfium2 document (read from ``path``),
    ``workers`` pages at once, each with its own Tesseract (a pool of readers), at
    ``dpi`` (one for all, or each page's); progress shown page by page
    (:func:`report_progress`)."""
    tessdata = tesseract(path)
    dpis = dpi if isinstance(dpi, Mapping) else dict.fromkeys(numbers, dpi)
    lock = threading.Lock()
    done = itertools.count(1)
    readers: queue.SimpleQueue[Reader] = queue.SimpleQueue()
    made: list[Reader] = []

    def task(number: int) -> OcrPage:
        try:
            reader = readers.get_nowait()
        except queue.Empty:
            with lock:
                reader = Reader(tessdata, dpi)
                made.append(reader)
        try:
            return read_page(pdf, number, reader, lock, dpis[number])
        finally:
            readers.put(reader)
            with lock:
                report_progress(path, next(done), len(numbers))

    try:
        with ThreadPoolExecutor(max_workers=min(workers, len(numbers)) or 1) as pool:
            return list(pool.map(task, numbers))
    finally:
        for reader in made:
            reader.close()


def enlarged(
    image: np.ndarray,
    rows: tuple[int, int] | None = None,
    scale: float = 1.5,
    tighten: bool = False,
) -> np.ndarray:
    """A cell image (only ``rows``, top and bottom, when given) enlarged by ``scale``:
    small marks (the dots of a code, a lone digit) read better."""
    import cv2

    pixels = image
    if rows is not None:
        top, bottom = rows
        pixels = pixels[max(0, top - 4) : bottom + 5]
    if tighten:
        pixels = tight(pixels)
    return cv2.resize(pixels, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)


def reread_codes(reader: Reader, jobs: Sequence[_Job]) -> None:
    """Lines that start with a dotted number (an objective code such as ``5.2.2.1``, an item
    code such as ``1.1.3 a)``): each is read again enlarged, and the code the readings agree
    on (see :func:`voted`) replaces the first reading's. At 300 dpi a dot next to a digit is
    lost (``52.2.1``) or a ``1`` under a speck read as ``3``; enlarged, such marks read right
    more often, but not always, hence the vote. When the first enlargement of
    :data:`REREAD_SCALES` reads exactly what the page did, that stands; otherwise every
    enlargement votes (this saves two of three re-reads on a clean code)."""
    for job in jobs:
        first = job.read
        lines = first.text.split("\n")
        for index, line in enumerate(lines):
            old = _LEADING_CODE.match(line)
            if old is None or index >= len(first.lines):
                continue
            votes = [(old.group(0).strip(), first.lines[index][2])]
            for scale in REREAD_SCALES:
                again = reader.read(enlarged(job.image, first.lines[index][:2], scale), psm=7)
                if match := _LEADING_CODE.match(again.text):
                    votes.append((match.group(0).strip(), again.first_word_confidence or 0.0))
                if len(votes) == 2 and votes[1][0] == votes[0][0]:
                    break  # the enlarged reading confirms the first: no vote needed
            lines[index] = voted(votes) + line[old.end() :]
        job.read = OcrText("\n".join(lines), first.confidence, first.lines)


def voted(votes: Sequence[tuple[str, float]]) -> str:
    """The code the readings agree on. Readings are grouped by their digits (``14.1`` and
    ``1.4.1`` are one group); the group most readings fall in wins (ties: the most
    confident), and within it the reading with the most dots, because OCR loses a small dot
    far more often than it invents one."""
    groups: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for value, confidence in votes:
        groups[value.replace(".", "")].append((value, confidence))
    chosen = max(groups.values(), key=lambda group: (len(group), max(conf for _, conf in group)))
    return max(chosen, key=lambda vote: (vote[0].rstrip(".").count("."), vote[1]))[0]


def trim_number_marks(text: str) -> str:
    """A short number without the stray mark Tesseract reads after it (``4:`` → ``4``,
    ``9,30%.`` → ``9,30%``); any other text unchanged."""
    compact = "".join(text.split())
    match = _NUMBER_WITH_MARK.fullmatch(compact)
    return match.group(1) if match else text


def needs_digit_reread(text: str, confidence: float | None = None) -> bool:
    """A short cell that should hold a number but does not read as one cleanly: empty (a
    lone digit dropped), a few digits with a stray mark (``4 È``, ``4:``), or up to three
    characters read with low confidence (a ``4`` read ``na``)."""
    compact = "".join(text.split())
    if not compact:
        return True
    if len(compact) > 8 or _CLEAN_NUMBER.fullmatch(compact):
        return False
    if len(compact) <= 3 and confidence is not None and confidence < LOW_CONFIDENCE:
        return True
    digits = sum(char.isdigit() for char in compact)
    return digits >= 1 and digits >= len(compact) - 2


def reread_numbers(reader: Reader, jobs: Sequence[_Job]) -> None:
    """Short numeric cells read again, enlarged, as one line of digits (``0-9 , . %``); the
    re-read is kept when it is a clean number."""
    for job in jobs:
        first = job.read
        if (trimmed_text := trim_number_marks(first.text)) != first.text:
            job.read = OcrText(trimmed_text, first.confidence, first.lines)
        if not needs_digit_reread(job.read.text, job.read.confidence):
            continue
        again = reader.read(enlarged(job.image, tighten=True), psm=7, whitelist=DIGITS)
        number = trim_number_marks(again.text)
        better = job.read.confidence is None or (again.confidence or 0.0) > job.read.confidence
        if _CLEAN_NUMBER.fullmatch("".join(number.split())) and (not job.read.text or better):
            job.read = OcrText(number, again.confidence)


def page_result(scan: PageScan, dpi: int) -> OcrPage:
    """The rows, heading and notes of one OCR'd page."""
    above = [job for job in scan.jobs if job.row is None]
    text = strip_rule_debris(above[0].read.text) if above else ""
    rows, notes = page_rows(scan, dpi) if scan.grid is not None else ([], [])
    confidences = [cell.ocr_confidence for row in rows for cell in row.cells if cell.ocr_confidence]
    mean = sum(confidences) / len(confidences) if confidences else None
    summary = ExtractNote(
        rule="ocr_page",
        severity="info",
        message=f"page read by OCR (Tesseract {LANGUAGE}, deskewed {scan.angle:+.2f}°, "
        f"{len(rows)} table rows, mean confidence "
        + (f"{mean:.2f})" if mean is not None else "n/a)"),
        page=scan.page,
    )
    return OcrPage(scan.page, " ".join(text.split()), tuple(rows), (summary, *notes), text)


# documents ----------------------------------------------------------------------------------


def pages_to_ocr(path: Path, mode: str) -> list[int]:
    """The pages (1-based) to OCR: those without a text layer (``auto``), all (``force``)."""
    import pypdfium2

    from extract.pdf_text import pages_without_text_layer, pdf_errors

    if mode not in OCR_MODES:
        raise ValueError(f"unknown OCR mode {mode!r}; choose one of {', '.join(OCR_MODES)}")
    if mode == "never":
        return []
    with pdf_errors(path):
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            counts = [pdf[index].get_textpage().count_chars() for index in range(len(pdf))]
        finally:
            pdf.close()
    return pages_without_text_layer(counts, force=mode == "force")


def read_pdf_ocr(path: Path, sha256: str, engine: str, pages: Sequence[int]) -> RawDocument:
    """A PDF whose ``pages`` are read by OCR and the others (if any) by the PDF engine; all
    page fragments stitched into sector tables as for any PDF."""
    import pypdfium2

    from extract.pdf_text import is_heading, page_ranges, pdf_errors
    from extract.stitch import PageTable, stitch

    check_page_budget(path, pages, ocr_max_pages())
    with pdf_errors(path):
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            page_count = len(pdf)
            dpis, size_notes = ocr_plan(pdf, pages)
            if not dpis:
                width, height = pdf[pages[0] - 1].get_size()
                raise OcrPageTooLargeError(
                    path,
                    f"no text layer on pages {page_ranges(pages)}, and every one is too large "
                    f"to OCR (page {pages[0]}: {size_text(width, height)}, under {MIN_OCR_DPI} "
                    f"dpi within {MAX_PAGE_PIXELS:,} pixels)",
                )
            at_once = pages_at_once(page_pixels(pdf, n, dpi) for n, dpi in dpis.items())
            scanned = ocr_pages(pdf, list(dpis), path, dpis, at_once)
        finally:
            pdf.close()
    if not any(page.text or page.rows for page in scanned):
        raise OcrNoTextError(
            path,
            f"no text layer on pages {page_ranges(pages)}, and OCR found no text there",
        )
    fragments = [
        PageTable(page.page, page.heading if is_heading(page.heading) else "", page.rows)
        for page in scanned
        if page.rows
    ]
    extractor, preamble = ENGINE, ""
    if len(pages) < page_count:
        reading = text_pages(path, engine)
        fragments = sorted([*reading.fragments, *fragments], key=lambda f: f.page)
        extractor, preamble = f"{reading.extractor}+{ENGINE}", reading.preamble
    tables, notes = stitch(fragments)
    if not preamble:
        first = min((f.page for f in fragments), default=page_count + 1)
        preamble = "\n".join(page.text for page in scanned if page.page < first and page.text)
    if not tables:
        raise NoTableError(
            path, f"no objective table found on its {page_count} pages ({extractor})"
        )
    return RawDocument(
        source_name=path.name,
        source_sha256=sha256,
        source_format="pdf",
        extractor=extractor,
        page_count=page_count,
        preamble=preamble,
        tables=tuple(tables),
        notes=tuple(size_notes)
        + tuple(note for page in scanned for note in page.notes)
        + tuple(notes),
    )


def text_pages(path: Path, engine: str):
    """The fragments of the pages with a text layer, read by the chosen PDF engine."""
    if engine == "camelot":
        from extract import pdf_camelot

        return pdf_camelot.read_pdf(path)
    from extract import pdf_pdfplumber

    return pdf_pdfplumber.read_pdf(path)
