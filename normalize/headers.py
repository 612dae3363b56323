"""Header rows: recognise them by content (fuzzy), map their cells to canonical columns.

Headers differ between sectors and years ("Indirizzi/Obiettivi strategici DUP aggiornati",
"Linee programmatiche 2021-2026 e Programmazione 2023 - 2025"), so positions are never
assumed: each heading is scored against every alias with rapidfuzz and the columns are
assigned one-to-one, best score first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz

from normalize.cleaning import fold
from normalize.settings import NormalizeSettings

ColumnMap = dict[str, int]


def _folded_aliases(aliases: Mapping[str, tuple[str, ...]]) -> dict[str, list[str]]:
    return {name: [fold(alias) for alias in names] for name, names in aliases.items()}


def score_heading(text: str, aliases: Sequence[str]) -> float:
    """Best rapidfuzz token-set score of a heading against one column's aliases."""
    folded = fold(text)
    if not folded:
        return 0.0
    return max(fuzz.token_set_ratio(folded, alias) for alias in aliases)


def map_header(cells: Sequence[str], settings: NormalizeSettings) -> ColumnMap:
    """Canonical column -> cell index for a header row (empty when it is not one).

    A row is a header when at least ``header_min_columns`` cells match some alias.
    """
    aliases = _folded_aliases(settings.header_aliases)
    candidates = sorted(
        (
            (score, name, index)
            for index, text in enumerate(cells)
            for name, names in aliases.items()
            if (score := score_heading(text, names)) >= settings.header_min_score
        ),
        key=lambda candidate: (-candidate[0], candidate[2], candidate[1]),
    )
    mapping: ColumnMap = {}
    used: set[int] = set()
    for _score, name, index in candidates:
        if name not in mapping and index not in used:
            mapping[name] = index
            used.add(index)
    if len(mapping) < settings.header_min_columns:
        return {}
    return dict(sorted(mapping.items(), key=lambda item: item[1]))


def row_signature(cells: Sequence[str]) -> str:
    """Folded text of a row, for recognising a repeated banner row."""
    return " | ".join(fold(text) for text in cells if text.strip())


def is_repeat_of(cells: Sequence[str], banners: Sequence[str], threshold: float) -> bool:
    """True when a row reads like one of the banner rows printed above the header."""
    signature = row_signature(cells)
    if not signature:
        return False
    return any(fuzz.ratio(signature, banner) >= threshold for banner in banners)
