"""The genres a performance plan may be, and a detector's guess at one.

A leaf of the genre readers: :mod:`normalize.genre` runs the detectors and picks the genre,
while each reader's own detector (:func:`normalize.cards.detect_cards`) returns a
:class:`GenreGuess`. Both import these names from here, so that no reader imports the
module that calls it.
"""

from __future__ import annotations

from typing import NamedTuple

GRID, CARDS, INDICATOR_ROWS, OBJECTIVE_LIST = "grid", "cards", "indicator_rows", "objective_list"
GENRES: tuple[str, ...] = (GRID, CARDS, INDICATOR_ROWS, OBJECTIVE_LIST)


class GenreGuess(NamedTuple):
    """A genre, how sure the detector is of it (0-1) and what it saw (short texts)."""

    genre: str
    confidence: float
    reasons: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line for ``piao inspect`` and the quality table."""
        why = "; ".join(self.reasons) or "no evidence"
        return f"{self.genre} (confidence {self.confidence:.2f}): {why}"
