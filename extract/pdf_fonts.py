"""A font's descent as pdfminer reads it, from its font dictionary alone.

The pdfium engine puts a character's bottom at the baseline plus the font's descent as
pdfminer reads it (pdfium's own differs: see :mod:`extract.pdf_outline`). pdfminer reads it
by building the whole font (``PDFResourceManager.get_font``: its encoding, its ToUnicode
map parsed in Python, the AFM metrics of the standard fonts), which needs pdfminer's
interpreter and font modules. This is pdfminer's rule for the descent alone
(``pdfminer.pdffont``, MIT licence), on the dictionary pdfminer's document parser gives:

- a simple font (Type1, MMType1, TrueType, and any subtype pdfminer does not know, which
  it reads as Type1): the AFM descent when its base font is one of the standard fonts
  pdfminer has metrics for (:data:`STANDARD_DESCENTS`), else its font descriptor's
  ``/Descent`` (0 without one);
- a CID font: its font descriptor's ``/Descent``;
- a Type0 font: its first descendant's;
- a Type3 font: the bottom of its ``/FontBBox`` (the descriptor's, else the font's) scaled
  by its ``/FontMatrix`` (b + d);

a positive descent made negative (PScript5 writes it so), in thousandths of the font size
(but for Type3). Where pdfminer cannot build the font (a broken ToUnicode stream, say) it
raises and the engine keeps pdfium's descent; this rule reads the descent regardless.
"""

from __future__ import annotations

from typing import Any

from pdfminer.casting import safe_rect_list
from pdfminer.pdftypes import dict_value, list_value, num_value, resolve_all
from pdfminer.psparser import literal_name

#: The descents (font units) of pdfminer's AFM metrics (``pdfminer.fontmetrics``): the
#: standard 14 fonts and the aliases it knows; 0 where the AFM gives none.
STANDARD_DESCENTS: dict[str, float] = {
    **dict.fromkeys(("Courier", "Courier-Bold", "Courier-BoldOblique", "Courier-Oblique"), -194.0),
    **dict.fromkeys(
        ("Helvetica", "Helvetica-Bold", "Helvetica-BoldOblique", "Helvetica-Oblique"), -207.0
    ),
    **dict.fromkeys(("Times-Bold", "Times-BoldItalic", "Times-Italic", "Times-Roman"), -217.0),
    "Symbol": 0,
    "ZapfDingbats": 0,
    **dict.fromkeys(("Arial", "Arial,Italic", "Arial,Bold", "Arial,BoldItalic"), -207.0),
    **dict.fromkeys(
        ("CourierNew", "CourierNew,Italic", "CourierNew,Bold", "CourierNew,BoldItalic"),
        -194.0,
    ),
    **dict.fromkeys(
        (
            "TimesNewRoman",
            "TimesNewRoman,Italic",
            "TimesNewRoman,Bold",
            "TimesNewRoman,BoldItalic",
        ),
        -217.0,
    ),
}
#: pdfminer's scale of a non-Type3 font's metrics (thousandths of the font size).
UNITS = 0.001


def font_descent(spec: dict[str, Any]) -> float:
    """The descent per unit of font size pdfminer's ``get_font(spec).get_descent()``
    gives for the font dictionary ``spec`` (see the module doc); raises where the
    dictionary lacks what pdfminer needs (a Type0 font without descendants, a Type3 font
    without a matrix)."""
    subtype = literal_name(spec["Subtype"]) if "Subtype" in spec else "Type1"
    if subtype == "Type0":
        descendants = list_value(spec["DescendantFonts"])
        if not descendants:
            raise ValueError("a Type0 font without descendant fonts")
        return font_descent(dict_value(descendants[0]))
    if subtype == "Type3":
        if "FontDescriptor" in spec:
            descriptor = dict_value(spec["FontDescriptor"])
        else:
            descriptor = {"FontBBox": spec["FontBBox"]}
        bbox = safe_rect_list(resolve_all(descriptor.get("FontBBox"))) or (0.0, 0.0, 0.0, 0.0)
        _, b, _, d, _, _ = tuple(list_value(spec.get("FontMatrix")))
        return bbox[1] * (b * 1 + d * 1)
    if subtype in ("CIDFontType0", "CIDFontType2"):
        descriptor = dict_value(spec.get("FontDescriptor", {}))
    else:
        try:
            base = literal_name(spec["BaseFont"])
        except KeyError:
            base = "unknown"
        if base in STANDARD_DESCENTS:
            descriptor = {"Descent": STANDARD_DESCENTS[base]}
        else:
            descriptor = dict_value(spec.get("FontDescriptor", {}))
    descent = num_value(descriptor.get("Descent", 0))
    if descent > 0:
        descent = -descent
    return descent * UNITS
