"""The page frames and producer read from pdfminer's document structure alone
(extract.pdf_outline) against pdfplumber's pages and metadata, on every fixture PDF."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from extract import pdf_outline

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PDFS = sorted(FIXTURES.glob("**/*.pdf"))


@pytest.mark.parametrize("path", PDFS, ids=[str(p.relative_to(FIXTURES)) for p in PDFS])
def test_frames_and_producer_as_pdfplumbers(path: Path) -> None:
    with pdf_outline.read_outline(path) as outline, pdfplumber.open(path) as pdf:
        assert outline.producer == pdf.metadata.get("Producer")
        assert len(outline.frames) == len(pdf.pages)
        for frame, page in zip(outline.frames, pdf.pages, strict=True):
            assert frame.page_number == page.page_number
            assert frame.initial_doctop == page.initial_doctop
            assert frame.rotation == page.rotation
            assert frame.mediabox == page.mediabox
            assert frame.cropbox == page.cropbox
            assert frame.bbox == page.bbox
            assert frame.height == page.height  # the width follows from the mediabox
            assert frame.page_obj.mediabox == page.page_obj.mediabox


def test_libreoffice_box_keeps_the_decimals_pdfium_loses() -> None:
    """LibreOffice writes the A4 box with 12 decimals; pdfium's 32-bit floats keep 5."""
    path = FIXTURES / "corpus" / "roccabella" / "roccabella.writer.pdf"
    with pdf_outline.read_outline(path) as outline:
        assert outline.frames[0].height == 595.303937007874  # landscape
        assert outline.producer.startswith("LibreOffice")


def test_rotated_box_swaps_its_axes() -> None:
    assert pdf_outline.normalized_box([0, 0, 595, 842], 90) == (0, 0, 842, 595)
    assert pdf_outline.normalized_box([595, 842, 0, 0], 0) == (0, 0, 595, 842)


def test_box_of_something_else_than_numbers_is_malformed() -> None:
    with pytest.raises(pdf_outline.MalformedPDFException):
        pdf_outline.normalized_box([0, 0, "a", 842], 0)


def test_inverted_box_has_its_origin_at_the_top_left() -> None:
    assert pdf_outline.inverted_box((0, 10, 100, 200), 210) == (0, 10, 100, 200)
    assert pdf_outline.inverted_box((0, 0, 100, 200), 300) == (0, 100, 100, 300)
