"""The years a table's headings name: a baseline's year, a target's year, targets by year.

Pure rules on heading texts, shared by the header reader (:mod:`normalize.headers` names
the yearly target columns), the indicator-rows rules (:mod:`normalize.indicator_rows`) and
the cards reader (:mod:`normalize.cards`); a leaf, so that none of them imports another
for them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from normalize.cleaning import fold

_YEAR = re.compile(r"\b(20\d\d)\b")
_TARGET_WORDS = re.compile(
    r"\b(?:target|valore atteso|valori attesi|valore obiettivo|risultato atteso|"
    r"valore programmato|valore target)\b"
)
_BARE_YEAR = re.compile(r"^\s*(?:anno\s+)?(20\d\d)\s*$")


def heading_year(heading: str) -> int | None:
    """The year a heading names (``Baseline 2024`` -> 2024); None when none or several
    different years are named."""
    years = set(_YEAR.findall(heading))
    return int(years.pop()) if len(years) == 1 else None


def year_target_columns(headings: Sequence[str]) -> dict[int, int]:
    """Column index -> year of the columns holding a target for one year: a target heading
    naming a year (``Target 2025``, ``Valore atteso 2026``), or a bare year (``2026``, a
    grouped ``TARGET`` heading printed once over its years) right of such a column."""
    found: dict[int, int] = {}
    for index, heading in enumerate(headings):
        folded = fold(heading)
        year = heading_year(folded)
        if year is None:
            continue
        named = bool(_TARGET_WORDS.search(folded)) and "baseline" not in folded
        if named or (_BARE_YEAR.match(folded) and index - 1 in found):
            found[index] = year
    return found if len(set(found.values())) == len(found) else {}
