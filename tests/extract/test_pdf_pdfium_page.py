"""The pdfium engine's own page model (extract.pdf_pdfium.PdfiumPage) against pdfplumber's
page API on the same objects: edges, crop, text; and the engine reads without pdfplumber."""

from __future__ import annotations

import subprocess
import sys
from itertools import chain
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from pdfplumber.table import TableFinder
from pdfplumber.utils import crop_to_bbox, curve_to_edges, line_to_edge, rect_to_edges
from pdfplumber.utils import text as plumber_text

from extract import pdf_pdfium

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PDFS = sorted(FIXTURES.glob("**/*.pdf"))
RULED = FIXTURES / "portomaggiore_ruled.pdf"


@pytest.mark.parametrize("path", PDFS, ids=[str(p.relative_to(FIXTURES)) for p in PDFS])
def test_edges_and_text_as_pdfplumbers(path: Path) -> None:
    """pdfplumber's ``Page.edges`` and ``Page.extract_text()`` made from the same objects."""
    with pdf_pdfium.open_pages(path) as pdf:
        for page in pdf.pages:
            theirs = (
                [line_to_edge(line) for line in page.lines]
                + list(chain.from_iterable(rect_to_edges(rect) for rect in page.rects))
                + list(chain.from_iterable(curve_to_edges(curve) for curve in page.curves))
            )
            assert page.edges == theirs
            textmap = plumber_text.chars_to_textmap(
                page.chars, layout_bbox=page.bbox, layout_width=page.width,
                layout_height=page.height,
            )  # fmt: skip
            assert page.extract_text() == textmap.as_string


def test_crop_as_pdfplumbers() -> None:
    """A crop keeps pdfplumber's clipped copies of the objects, and its tables."""
    with pdf_pdfium.open_pages(RULED) as pdf:
        page = pdf.pages[1]
        bbox = (100.0, 150.0, 500.0, 400.0)
        cropped = page.crop(bbox, strict=False)
        for kind, found in page.objects.items():
            assert cropped.objects[kind] == crop_to_bbox(found, bbox)
        assert len(cropped.chars) < len(page.chars)
        settings = {"snap_tolerance": 3, "intersection_tolerance": 3}
        assert [table.cells for table in cropped.find_tables(settings)] == [
            table.cells for table in TableFinder(cropped, settings).tables
        ]
        with pytest.raises(ValueError, match="not fully within"):
            page.crop((-10.0, 0.0, 100.0, 100.0))


def test_tolerances_and_ligatures_are_pdfplumbers() -> None:
    assert pdf_pdfium.DEFAULT_X_TOLERANCE == plumber_text.DEFAULT_X_TOLERANCE
    assert pdf_pdfium.DEFAULT_Y_TOLERANCE == plumber_text.DEFAULT_Y_TOLERANCE
    assert pdf_pdfium.LIGATURES == plumber_text.LIGATURES


def test_rotated_page_is_read_by_pdfplumber(tmp_path: Path) -> None:
    """A page turned by /Rotate is pdfplumber's (it turns the coordinates); the others
    stay pdfium's."""
    document = pypdfium2.PdfDocument(str(RULED))
    document[1].set_rotation(90)
    rotated = tmp_path / "rotated.pdf"
    document.save(rotated)
    with pdf_pdfium.open_pages(rotated) as pdf:
        kinds = [type(page).__name__ for page in pdf.pages[:3]]
        assert kinds == ["PdfiumPage", "Page", "PdfiumPage"]
        assert pdf.pages[1].rotation == 90
        with pdfplumber.open(rotated) as reference:
            assert pdf.pages[1].chars == reference.pages[1].chars


def test_default_engine_reads_without_pdfplumber() -> None:
    """Reading a PDF with the pdfium engine imports neither pdfplumber nor pdfminer's
    interpreter, fonts and layout code (pdfminer's document parser gives the page boxes
    and the fonts' dictionaries)."""
    code = (
        "import sys; from pathlib import Path; from extract import pdf_pdfium;"
        f"reading = pdf_pdfium.read_pdf(Path({str(RULED)!r}));"
        "print(len(reading.fragments), sorted(m for m in sys.modules"
        " if m.split('.')[0] == 'pdfplumber' or m in ('pdfminer.layout', 'pdfminer.converter',"
        " 'pdfminer.pdfinterp', 'pdfminer.pdffont', 'pdfminer.cmapdb')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["18", "[]"]
