"""Cell text cleaning: HTML fragments out, paragraphs kept, whitespace collapsed."""

from __future__ import annotations

import re
import unicodedata

from normalize.memo import remembers_short_texts

_PARAGRAPH_BREAK = re.compile(r"</p\s*>\s*<p[^>]*>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")


def clean_cell(text: str | None) -> str:
    """Readable cell text: tags removed, entities decoded, one line per paragraph.

    ``<p>a</p> <p>b</p>`` becomes ``"a\\nb"``; ``<b>5</b>`` becomes ``"5"``.
    """
    if not text:
        return ""
    return _clean(text)


@remembers_short_texts
def _clean(text: str) -> str:
    text = _PARAGRAPH_BREAK.sub("\n", text)
    text = _unescape(_TAG.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _unescape(text: str) -> str:
    """``html.unescape``, whose module (with its table of 2,000 entity names) is imported
    only for a text holding an entity's ``&``: most documents hold none (start-up time)."""
    if "&" not in text:
        return text
    import html

    return html.unescape(text)


@remembers_short_texts
def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for comparing headings and labels."""
    if text.isascii():  # most labels: nothing to decompose
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join(without_marks(decomposed).lower().split())


def without_marks(text: str) -> str:
    """``text`` without its combining marks: each distinct mark among its distinct
    characters (a test per distinct character, not per character: fold runs over every
    cell) removed by ``str.replace``, a C scan per mark, where ``str.translate`` with a
    table looks every character up. Removing every occurrence of each character of a set,
    one character after the other, leaves what removing them all at once leaves, so this
    is ``text.translate({ord(m): None for m in marks})``."""
    for mark in [c for c in set(text) if unicodedata.combining(c)]:
        text = text.replace(mark, "")
    return text


def collapse_whitespace(text: str | None) -> str:
    """All runs of whitespace (line breaks included) as one space: for comparing texts."""
    return " ".join((text or "").split())
