"""CSV cells that a spreadsheet would run as formulas, neutralised (CSV injection).

A spreadsheet opening a CSV file reads a cell beginning with ``=``, ``+``, ``-``, ``@``, a TAB
or a CR as a formula: ``=HYPERLINK(...)`` or ``+cmd|' /C calc'!A0`` in a document's text
would run on the analyst's machine. As OWASP recommends, such a text cell gets a leading
``'``, which spreadsheets show as text and do not display. Numbers are never touched, nor
is text that is a negative number (``-5``, ``-0,5``, ``-12.5%``): a ``-`` is neutralised
before a character that is not a digit, and before a digit when more than a number
follows (``-2+3+cmd|' /C calc'!A0`` is a formula). The Excel export needs none of this
(its cells are typed: text is stored as inline strings, never as formulas).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: The characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "@", "\t", "\r")
#: A negative number as text: kept as it is.
_NEGATIVE_NUMBER = re.compile(r"-\d[\d.,]*%?")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read the text ``text`` as a formula (see the module doc)."""
    if text.startswith(FORMULA_STARTS):
        return True
    return len(text) > 1 and text[0] == "-" and _NEGATIVE_NUMBER.fullmatch(text) is None


def neutralised(value: object) -> object:
    """``value`` as written to a CSV cell: a formula-like text prefixed with ``'``, anything
    else (numbers, dates, booleans, other text, None) unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def neutralised_row(values: Iterable[object]) -> list[object]:
    """A CSV row with every formula-like text cell neutralised."""
    return [neutralised(value) for value in values]
