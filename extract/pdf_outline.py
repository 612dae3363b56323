"""A PDF's outline as pdfplumber reads it, from pdfminer's document structure alone.

The pdfium engine (:mod:`extract.pdf_pdfium`) reads the page content with pdfium, but three
numbers must be pdfminer's for its page model to be pdfplumber's: the page boxes (their
decimals: LibreOffice writes ``841.889763779528``, which pdfium keeps as a 32-bit float,
``841.88977``), the page rotation, and each font's descent (the font descriptor's
``/Descent`` as written, fractions included, 0 where a font declares none, the AFM metrics
for a standard 14 font: pdfium rounds the first to an integer and replaces the other two by
the font file's). pdfium's API gives none of them to the same number, so they are read
here with pdfminer's parser of the document structure (``PDFDocument``, ``PDFPage``), as
pdfplumber's ``PDF.open`` and ``Page.__init__`` read them, without importing pdfplumber or
pdfminer's page interpreter and layout code, and without parsing any page content.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

BBox = tuple[float, float, float, float]


class MalformedPDFException(Exception):
    """A page box that is not four numbers (pdfplumber's exception of the same name)."""


class PageFrame(NamedTuple):
    """One page's frame as pdfplumber's ``Page`` has it (the attributes the pdfium engine
    reads, under pdfplumber's names)."""

    page_obj: PDFPage
    page_number: int
    initial_doctop: float
    rotation: int
    mediabox: BBox
    cropbox: BBox

    @property
    def bbox(self) -> BBox:
        """The page's box (pdfplumber's ``Page.bbox`` of an uncropped page)."""
        return self.mediabox

    @property
    def height(self) -> float:
        """The page's height (pdfplumber's ``Page.height``)."""
        return self.mediabox[3] - self.mediabox[1]


def resolved(value: Any) -> Any:
    """A page attribute with its references resolved, lists and tuples included (what
    pdfplumber's ``resolve_all`` makes of a box or a rotation)."""
    if isinstance(value, PDFObjRef):
        return resolved(value.resolve())
    if isinstance(value, list | tuple):
        return type(value)(resolved(item) for item in value)
    return value


def normalized_box(raw: Sequence[Any], rotation: int) -> BBox:
    """pdfplumber's ``_normalize_box``: a box from any two opposite corners, its axes
    swapped on a page turned by 90 or 270 degrees."""
    if not all(isinstance(value, numbers.Number) for value in raw):
        raise MalformedPDFException(f"Bounding box contains non-number coordinate(s): {raw}")
    x0, x1 = sorted((raw[0], raw[2]))
    y0, y1 = sorted((raw[1], raw[3]))
    return (y0, x0, y1, x1) if rotation in (90, 270) else (x0, y0, x1, y1)


def inverted_box(box: BBox, height: float) -> BBox:
    """pdfplumber's ``_invert_box``: a box with the origin moved to the top left."""
    x0, y0, x1, y1 = box
    return (x0, height - y1, x1, height - y0)


def page_frames(pages: Iterable[PDFPage]) -> list[PageFrame]:
    """The frames of pdfminer's pages as pdfplumber's ``PDF.pages`` builds them: the
    rotation (``/Rotate`` modulo 360), the media box and the crop box (the media box when
    the page has none) with the origin at the top left, each page's top in the document
    (the heights of the pages before it)."""
    frames: list[PageFrame] = []
    doctop: float = 0
    for number, page in enumerate(pages, 1):
        attrs = page.attrs
        rotate = resolved(attrs.get("Rotate"))
        rotation = (0 if rotate is None else rotate) % 360
        raw = normalized_box(resolved(attrs.get("MediaBox")), rotation)
        media_height = raw[3] - raw[1]
        mediabox = inverted_box(raw, media_height)
        cropbox = mediabox
        if "CropBox" in attrs:
            crop = normalized_box(resolved(attrs.get("CropBox")), rotation)
            cropbox = inverted_box(crop, media_height)
        frame = PageFrame(page, number, doctop, rotation, mediabox, cropbox)
        frames.append(frame)
        doctop += frame.height
    return frames


def decoded(value: Any) -> Any:
    """pdfplumber's ``resolve_and_decode`` of a metadata value: references resolved,
    strings decoded (PDFDocEncoding or UTF-16)."""
    if hasattr(value, "resolve"):
        value = value.resolve()
    if isinstance(value, list):
        return [decoded(item) for item in value]
    if isinstance(value, PSLiteral):
        return decode_text(value.name)
    if isinstance(value, str | bytes):
        return decode_text(value)
    if isinstance(value, dict):
        return {key: decoded(item) for key, item in value.items()}
    return value


def producer(document: PDFDocument) -> Any:
    """The document's ``/Producer`` as pdfplumber's ``metadata`` gives it (the raw value
    when it cannot be decoded, as pdfplumber keeps it)."""
    info: dict[str, Any] = {}
    for found in document.info:
        info.update(found)
    value = info.get("Producer")
    try:
        return decoded(value)
    except Exception:  # pdfplumber logs the value it cannot parse and keeps it
        return value


class Outline(NamedTuple):
    """A PDF's pages' frames and producer (:func:`read_outline`)."""

    frames: list[PageFrame]
    producer: Any


@contextmanager
def read_outline(path: Path) -> Iterator[Outline]:
    """The PDF's outline, pdfminer's document open while the block runs (a frame's
    ``page_obj`` resolves its resources from it). pdfminer's exceptions go through
    unchanged (the caller turns them into our error, as it does pdfplumber's wrapping)."""
    with open(path, "rb") as stream:
        document = PDFDocument(PDFParser(stream), password="")
        frames = page_frames(PDFPage.create_pages(document))
        yield Outline(frames, producer(document))
