"""A font's descent read from its dictionary (extract.pdf_fonts) against pdfminer's font
classes, on every font of every fixture PDF and on hand-made dictionaries."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdftypes import dict_value, resolve1
from pdfminer.psparser import LIT

from extract import pdf_fonts, pdf_outline

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PDFS = sorted(FIXTURES.glob("**/*.pdf"))


@pytest.mark.parametrize("path", PDFS, ids=[str(p.relative_to(FIXTURES)) for p in PDFS])
def test_descents_as_pdfminers(path: Path) -> None:
    manager = PDFResourceManager()
    with pdf_outline.read_outline(path) as outline:
        for frame in outline.frames:
            fonts = dict_value(resolve1(frame.page_obj.resources or {}).get("Font", {}))
            for reference in fonts.values():
                spec = dict_value(reference)
                font = manager.get_font(getattr(reference, "objid", None), spec)
                assert pdf_fonts.font_descent(spec) == font.get_descent()


def test_standard_descents_are_pdfminers_afm_metrics() -> None:
    assert {
        name: descriptor.get("Descent", 0) for name, (descriptor, _) in FONT_METRICS.items()
    } == pdf_fonts.STANDARD_DESCENTS


def test_standard_font_takes_the_afm_descent_over_its_descriptor() -> None:
    spec = {
        "Subtype": LIT("TrueType"),
        "BaseFont": LIT("Arial"),
        "FontDescriptor": {"Descent": -212},
    }
    assert pdf_fonts.font_descent(spec) == pytest.approx(-0.207)


def test_fractional_and_missing_descents_are_kept() -> None:
    """LibreOffice writes fractions (pdfium rounds them); a descriptor without one is 0
    (pdfium takes the font file's)."""
    fraction = {"Subtype": LIT("TrueType"), "BaseFont": LIT("AAAAAA+LiberationSans"),
                "FontDescriptor": {"Descent": -211.91406}}  # fmt: skip
    assert pdf_fonts.font_descent(fraction) == pytest.approx(-0.21191406)
    missing = {"Subtype": LIT("TrueType"), "BaseFont": LIT("DejaVuSans"), "FontDescriptor": {}}
    assert pdf_fonts.font_descent(missing) == 0


def test_positive_descent_is_made_negative() -> None:
    spec = {"Subtype": LIT("Type1"), "BaseFont": LIT("X"), "FontDescriptor": {"Descent": 200}}
    assert pdf_fonts.font_descent(spec) == pytest.approx(-0.2)


def test_type0_font_takes_its_descendants_descent() -> None:
    descendant = {"Subtype": LIT("CIDFontType2"), "FontDescriptor": {"Descent": -300}}
    spec = {"Subtype": LIT("Type0"), "DescendantFonts": [descendant]}
    assert pdf_fonts.font_descent(spec) == pytest.approx(-0.3)


def test_type3_font_descent_is_its_box_bottom_scaled_by_its_matrix() -> None:
    spec = {"Subtype": LIT("Type3"), "FontBBox": [0, -50, 500, 700],
            "FontMatrix": [0.001, 0, 0, 0.002, 0, 0]}  # fmt: skip
    assert pdf_fonts.font_descent(spec) == pytest.approx(-0.1)
    with pytest.raises(ValueError):
        pdf_fonts.font_descent({"Subtype": LIT("Type3"), "FontBBox": [0, -50, 500, 700]})
