"""What kind of performance plan a document is: its *genre*, and why piao thinks so.

Italian performance attachments come in a few genres, each read by its own reader:

- ``grid``: one table per sector, one row per objective (the default);
- ``cards``: one small key/value table ("scheda obiettivo") per objective, with its
  indicators in a sub-table below (:mod:`normalize.cards`);
- ``indicator_rows``: one row per indicator, the objective's cells merged over its rows;
- ``objective_list``: a list of objectives and weights, then one activity sheet each.

Each genre but the grid has a *detector*: a function of the raw document that returns a
:class:`GenreGuess` (its confidence and the evidence it saw) or None when it sees none.
:func:`detect_genre` runs them all and keeps the most confident one; when none reaches
:data:`MIN_CONFIDENCE` the document is read as a grid. Adding a genre is two lines: its
detector function, and its entry in :data:`DETECTORS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from extract.model import RawDocument
from normalize.genre_guess import (
    CARDS,
    GENRES,
    GRID,
    INDICATOR_ROWS,
    OBJECTIVE_LIST,
    GenreGuess,
)
from normalize.settings import NormalizeSettings

#: A detector's guess below this confidence does not overrule the grid.
MIN_CONFIDENCE = 0.5
#: The genres and the guess are defined in :mod:`normalize.genre_guess` (the readers'
#: detectors return guesses and import them there); named here too for the callers.
__all__ = [
    "CARDS",
    "DETECTORS",
    "GENRES",
    "GRID",
    "INDICATOR_ROWS",
    "MIN_CONFIDENCE",
    "OBJECTIVE_LIST",
    "Detector",
    "GenreGuess",
    "detect_genre",
    "grid_guess",
]


Detector = Callable[[RawDocument, NormalizeSettings], GenreGuess | None]


def _detect_cards(raw: RawDocument, settings: NormalizeSettings) -> GenreGuess | None:
    """Objective cards (:mod:`normalize.cards`)."""
    from normalize.cards import detect_cards

    return detect_cards(raw, settings)


def _detect_indicator_rows(raw: RawDocument, settings: NormalizeSettings) -> GenreGuess | None:
    """Indicator rows (read by the grid's reader, one item per indicator row)."""
    from normalize.indicator_rows import detect_indicator_rows

    return _guess(INDICATOR_ROWS, *detect_indicator_rows(raw))


def _detect_objective_list(raw: RawDocument, settings: NormalizeSettings) -> GenreGuess | None:
    """An objective list with activity sheets (:mod:`normalize.objective_list`)."""
    from normalize.objective_list import detect_objective_list

    return _guess(OBJECTIVE_LIST, *detect_objective_list(raw))


def _guess(genre: str, confidence: float, reasons: list[str]) -> GenreGuess | None:
    """A detector's (confidence, reasons) as a guess; None when it saw nothing."""
    return GenreGuess(genre, confidence, tuple(reasons)) if confidence > 0 else None


#: One detector per genre other than the grid, tried in this order (ties keep the first).
DETECTORS: Mapping[str, Detector] = MappingProxyType(
    {
        CARDS: _detect_cards,
        INDICATOR_ROWS: _detect_indicator_rows,
        OBJECTIVE_LIST: _detect_objective_list,
    }
)


def grid_guess(others: list[GenreGuess]) -> GenreGuess:
    """The default: a grid, as sure as the best other genre is unsure."""
    best = max((guess.confidence for guess in others), default=0.0)
    reasons = [f"{guess.genre} only {guess.confidence:.2f}" for guess in others]
    return GenreGuess(GRID, round(1.0 - best, 2), ("no other genre's evidence", *reasons))


def detect_genre(
    raw: RawDocument,
    settings: NormalizeSettings | Mapping[str, object] | None = None,
    detectors: Mapping[str, Detector] = DETECTORS,
) -> GenreGuess:
    """The document's genre: the most confident detector's guess at or above
    :data:`MIN_CONFIDENCE`, else the grid (see module doc)."""
    resolved = NormalizeSettings.resolve(settings)
    guesses = [guess for detector in detectors.values() if (guess := detector(raw, resolved))]
    best = max(guesses, key=lambda guess: guess.confidence, default=None)
    if best is not None and best.confidence >= MIN_CONFIDENCE:
        return best
    return grid_guess(guesses)
