"""Text comparison: what counts as the same text, and how values are shown.

Records are already clean; these helpers only make comparison blind to cosmetic
differences (whitespace, line breaks, left-over HTML, letter case).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping

_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def is_missing(value: object) -> bool:
    """None, NaN and blank text are all 'no value'."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def clean_text(value: object) -> str:
    """Text with HTML removed and all whitespace runs (line breaks too) as one space."""
    if is_missing(value):
        return ""
    text = html.unescape(_TAG.sub(" ", str(value)))
    return " ".join(text.split())


def comparable(value: object) -> str:
    """The form two texts are compared in: clean, single-spaced, case-folded."""
    return clean_text(value).casefold()


def replace_codes(text: str, codes: Mapping[str, str]) -> str:
    """``text`` with every objective code of ``codes`` replaced by its counterpart (longest
    first, never inside a longer code): lets a renumbered objective compare equal."""
    for old in sorted(codes, key=len, reverse=True):
        if old == codes[old]:
            continue
        pattern = re.compile(rf"(?<![\d.]){re.escape(old)}(?!\.?\d)")
        text = pattern.sub(codes[old], text)
    return text


def strip_codes(text: str, codes: list[str] | tuple[str, ...]) -> str:
    """``text`` without the given objective codes (for similarity scores)."""
    return " ".join(replace_codes(text, {code: " " for code in codes}).split())


def format_value(value: object) -> str | None:
    """A value as shown in the changes table: floats with up to 6 decimals, no trailing
    zeros (26.3158, 9.3); texts clean and single-spaced; None for no value."""
    if is_missing(value):
        return None
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return format_value(value.item())
    if isinstance(value, str):
        return clean_text(value)
    return str(value)


def shorten(text: str, width: int = 90) -> str:
    text = clean_text(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
