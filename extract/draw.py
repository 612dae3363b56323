"""Labelled boxes drawn over page images: a way to *see* which cells were read on a page.

A person judges a misread layout faster by looking than by reading (pdfplumber's
``debug_tablefinder``, camelot's ``plot``). :func:`draw_boxes` renders each page that holds
a box with pdfplumber's ``page.to_image()`` and draws every box with its label; a label
always gets the same colour, so one column reads as one colour over all pages. The caller
chooses the labels (``piao inspect --png DIR`` uses the mapped column names): this module
knows nothing of their meaning.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from extract.model import BBox
from extract.pdf_columns import UsedGrid
from extract.pdf_text import pdf_errors

#: Distinct colours (RGB), picked for each label by a stable hash of its text.
PALETTE: tuple[tuple[int, int, int], ...] = (
    (230, 25, 75),
    (60, 180, 75),
    (0, 130, 200),
    (245, 130, 48),
    (145, 30, 180),
    (70, 240, 240),
    (240, 50, 230),
    (170, 110, 40),
    (128, 128, 0),
    (0, 128, 128),
    (128, 0, 0),
    (0, 0, 128),
)
#: Default rendering resolution (dots per inch) of the page images.
RESOLUTION = 100
#: Opacity (0-255) of a box's fill: light enough to read the text under it.
FILL_ALPHA = 40
#: Colour of the column boundaries drawn (black: no label's colour).
BOUNDARY_COLOUR = (0, 0, 0)


def label_colour(label: str) -> tuple[int, int, int]:
    """The colour of a label: the same label always gets the same colour."""
    return PALETTE[zlib.crc32(label.encode("utf-8")) % len(PALETTE)]


def page_image_name(pdf_path: Path, page: int) -> str:
    """``allegato.pdf``, page 3 -> ``allegato-p003.png``."""
    return f"{pdf_path.stem}-p{page:03d}.png"


def boxes_by_page(boxes: Sequence[tuple[int, BBox, str]]) -> dict[int, list[tuple[BBox, str]]]:
    """The boxes grouped by their (1-based) page, in the order given."""
    pages: dict[int, list[tuple[BBox, str]]] = {}
    for page, bbox, label in boxes:
        pages.setdefault(page, []).append((bbox, label))
    return pages


def draw_page(
    page: object,
    boxes: Sequence[tuple[BBox, str]],
    resolution: int,
    grids: Sequence[UsedGrid] = (),
) -> object:
    """The page rendered at ``resolution`` with each box outlined, lightly filled and
    labelled in its label's colour, and each borderless grid's column boundaries as
    black lines labelled with their x in points (a PIL image)."""
    from PIL import ImageDraw  # pdfplumber's page images are PIL images

    image = page.to_image(resolution=resolution)  # type: ignore[attr-defined]
    for bbox, label in boxes:
        red, green, blue = label_colour(label)
        image.draw_rect(bbox, fill=(red, green, blue, FILL_ALPHA), stroke=(red, green, blue))
    for columns, top, bottom in grids:
        for x in columns[1:-1]:
            image.draw_line([(x, top), (x, bottom)], stroke=BOUNDARY_COLOUR, stroke_width=1)
    annotated = image.annotated
    drawing = ImageDraw.Draw(annotated)
    for (x0, top, _, _), label in boxes:
        position = (x0 * image.scale + 2, top * image.scale + 1)
        drawing.text(position, label, fill=label_colour(label))
    for columns, top, _ in grids:
        for x in columns[1:-1]:
            position = (x * image.scale + 2, max(top * image.scale - 12, 0))
            drawing.text(position, f"x={x:.1f}", fill=BOUNDARY_COLOUR)
    return annotated


def draw_boxes(
    pdf_path: str | Path,
    boxes: Sequence[tuple[int, BBox, str]],
    out_dir: str | Path,
    resolution: int = RESOLUTION,
    grids: Mapping[int, Sequence[UsedGrid]] | None = None,
) -> list[Path]:
    """Draw labelled boxes over the pages of a PDF; one PNG per page that holds a box.

    ``boxes`` are (page, bbox, label): the 1-based page, the box (x0, top, x1, bottom) in
    PDF points with the origin top-left (as every :class:`extract.model.RawCell` keeps it),
    and its label. ``grids``: per 1-based page, the borderless tables' grids the reading
    used (:func:`extract.pdf_columns.recording_layouts`), whose column boundaries are drawn
    with their x, so that a user can pick the boundaries of a layout hints file. Returns the
    written PNG paths, in page order. A page number outside the document is skipped. Each
    PNG is written to a temporary name and renamed, so a failure leaves no half-written
    image.
    """
    import pdfplumber

    pdf_path, out_dir = Path(pdf_path), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with pdf_errors(pdf_path), pdfplumber.open(pdf_path) as pdf:
        grids = grids or {}
        by_page = boxes_by_page(boxes)
        for number in sorted({*by_page, *grids}):
            if not 1 <= number <= len(pdf.pages):
                continue
            page = pdf.pages[number - 1]
            annotated = draw_page(page, by_page.get(number, []), resolution, grids.get(number, ()))
            target = out_dir / page_image_name(pdf_path, number)
            partial = target.with_name(target.name + ".part")
            annotated.save(partial, format="PNG")  # type: ignore[attr-defined]
            partial.replace(target)
            written.append(target)
    return written
