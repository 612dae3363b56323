"""What a line of text is, as the text, DOCX and PDF readers all see it: a ``Label: value``
line, and a line's text without markdown decoration.

A leaf of the readers (:mod:`extract.text`, :mod:`extract.text_cards`, :mod:`extract.docx`,
:mod:`extract.pdf`): it imports none of them, so they share these without an import circle.
"""

from __future__ import annotations

import re

from extract.lazy_pattern import lazy_compile

LABEL_LINE = lazy_compile(r"^\s*(?P<label>[^\W\d_][^:\t*#]{0,48}?)\s*:\s+(?P<value>\S.*)$")
"""A ``Label: value`` line: a label of up to 49 characters opening with a letter."""

_MARKDOWN_DECORATION = re.compile(r"^\s*#{1,6}\s*|\*\*|__")


def strip_markdown(line: str) -> str:
    """Page-text line without markdown heading/bold markers and trailing hard breaks."""
    return _MARKDOWN_DECORATION.sub("", line).strip()
