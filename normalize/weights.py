"""Weights (peso) and weightings (ponderazione) in Italian number format."""

from __future__ import annotations

import re

_INTEGER = re.compile(r"^\s*(\d{1,3})\s*$")
_PERCENT = re.compile(r"^\s*(\d{1,3}(?:\.\d{3})*(?:,\d+)?|\d+(?:\.\d+)?)\s*%\s*$")


def parse_weight(text: str) -> int | None:
    """``"5"`` -> 5; anything that is not a bare integer -> None."""
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
