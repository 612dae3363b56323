"""Cell text cleaning: HTML fragments out, paragraphs kept, whitespace collapsed."""

from __future__ import annotations

import html
import re
import unicodedata

_PARAGRAPH_BREAK = re.compile(r"</p\s*>\s*<p[^>]*>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")


def clean_cell(text: str | None) -> str:
    """Readable cell text: tags removed, entities decoded, one line per paragraph.

    ``<p>a</p> <p>b</p>`` becomes ``"a\\nb"``; ``<b>5</b>`` becomes ``"5"``.
    """
    if not text:
        return ""
    text = _PARAGRAPH_BREAK.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for comparing headings and labels."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(ascii_text.lower().split())


def collapse_whitespace(text: str | None) -> str:
    """All runs of whitespace (line breaks included) as one space: for comparing texts."""
    return " ".join((text or "").split())
