"""File names as data: escaped wherever piao writes them into a one-line output.

A file name may hold a newline, a carriage return, an escape sequence or other control
characters (any byte but ``/`` and NUL is allowed on POSIX). Printed as is, such a name
splits the "one line per document" output, forges log lines or drives the terminal.
:func:`escaped` writes every control character (C0, DEL, C1) and the backslash as a Python
escape (``\\n``, ``\\x1b``), so that each output line stays one line naming one file, and a
name without such characters (the common case) prints unchanged.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def escaped_char(char: str) -> str:
    """One character as printed in a name: itself, or its escape when it is a control or
    format character (Unicode category Cc, Cf: line separators, bidi overrides) or ``\\``."""
    if char in _NAMED:
        return _NAMED[char]
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
        code = ord(char)
        return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
    return char


def printable(text: str) -> str:
    """``text`` (a line made of a reason, a notice) with its control characters escaped as
    in :func:`escaped`, its backslashes kept: one line, whatever it quotes."""
    if text.isprintable():
        return text
    return "".join(char if char == "\\" else escaped_char(char) for char in text)


def escaped(name: str | Path) -> str:
    """``name`` (a file name or path) safe to print on one line (see the module doc)."""
    text = str(name)
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(escaped_char(char) for char in text)
