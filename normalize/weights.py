"""Weights (peso) and weightings (ponderazione) in Italian number format."""

from __future__ import annotations

import re

_INTEGER = re.compile(r"^\s*(\d{1,3})\s*(?:punti|punto|pt\.?)?\s*$", re.IGNORECASE)
_PERCENT = re.compile(r"^\s*(\d{1,3}(?:\.\d{3})*(?:,\d+)?|\d+(?:\.\d+)?)\s*%\s*$")


def parse_weight(text: str) -> int | None:
    """``"5"`` -> 5, ``"15 punti"`` -> 15; anything that is not an integer -> None."""
    match = _INTEGER.match(text or "")
    return int(match.group(1)) if match else None


def parse_percent(text: str) -> float | None:
    """Italian percentage to a float percent: ``"26,3158%"`` -> 26.3158, ``"100,00%"`` -> 100.0.

    A point is a decimal separator only when there is no comma (``"6.94%"``).
    """
    match = _PERCENT.match(text or "")
    if not match:
        return None
    number = match.group(1)
    if "," in number:
        number = number.replace(".", "").replace(",", ".")
    return float(number)


def percent_decimals(text: str) -> int | None:
    """Decimals printed in a percentage cell (``"9,30%"`` -> 2), to derive missing ones alike."""
    match = _PERCENT.match(text or "")
    if not match:
        return None
    number = match.group(1)
    separator = "," if "," in number else "."
    return len(number.split(separator, 1)[1]) if separator in number else 0


def derive_percent(weight: int, total: int, decimals: int) -> float:
    """Missing ponderazione: weight / total x 100, rounded like the sector's other cells."""
    return round(weight / total * 100, decimals)


def is_weight(text: str) -> bool:
    return parse_weight(text) is not None


def is_percent(text: str) -> bool:
    return parse_percent(text) is not None


# weighting schemes -------------------------------------------------------------------------

PRIORITY, POINTS, PERCENT, NO_WEIGHTS = "priority", "points", "percent", "none"
"""How a sector weighs its objectives: integer priorities (1-5, ponderazione = weight / total),
points summing to 100 ("Punti", "Pesatura"), percentages only ("12,5%"), or nothing."""

_BARE_NUMBER = re.compile(r"^\s*(\d{1,3}(?:[.,]\d+)?)\s*$")


def parse_bare_percent(text: str) -> float | None:
    """A percentage cell with or without the sign (``"12,5"`` in a "Peso %" column -> 12.5)."""
    printed = parse_percent(text)
    if printed is not None:
        return printed
    match = _BARE_NUMBER.match(text or "")
    return float(match.group(1).replace(",", ".")) if match else None


def parse_decimal(text: str) -> float | None:
    """A number with decimals (``"12,5"`` -> 12.5); None for whole numbers and other text."""
    match = _BARE_NUMBER.match(text or "")
    if not match or not re.search(r"[.,]", match.group(1)):
        return None
    return float(match.group(1).replace(",", "."))


def weight_scheme(
    weights: list[int | None], percents: list[float | None], declared_total: int | None
) -> str:
    """The sector's weighting scheme, from its values and its declared total.

    Points when the integer weights (or the declared total) make 100 and some weight is
    above the 1-5 priority range; priorities for other integer weights; percentages when no
    integer weight is printed but percentages are; none when neither is.
    """
    present = [weight for weight in weights if weight is not None]
    if not present:
        return PERCENT if any(p is not None for p in percents) else NO_WEIGHTS
    if 100 in (sum(present), declared_total) and max(present) > 5:
        return POINTS
    return PRIORITY
