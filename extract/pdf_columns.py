"""Column boundaries given for a PDF's borderless tables, instead of the ones found.

When the word positions of a borderless table do not tell its columns (columns printed flush
against each other, a page with too little text to show them), the user
can give the x positions of the boundaries between columns, in PDF points from the page's
left edge, for the whole document or for a range of pages (like camelot's ``columns=``); a
layout hints file does so (``[boundaries]``, :mod:`normalize.hints`).
:func:`given_boundaries` sets them for the document being read; the PDF engines ask
:func:`boundaries_for` per page and hand them to :func:`extract.pdf_layout.find_layouts`,
which then cuts the table's columns there and finds only its rows. A page with ruled tables
is read by its rules: the boundaries apply to borderless pages only.

:func:`recording_layouts` collects the grids the engines used per page, for
``piao inspect --png`` to draw them so the user can pick values.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PageBoundaries:
    """Column boundaries (x in PDF points, increasing) for pages ``first`` to ``last``
    (1-based, inclusive); ``last`` None means to the document's end."""

    first: int
    last: int | None
    xs: tuple[float, ...]

    def covers(self, page: int) -> bool:
        """Whether ``page`` (1-based) is in the range."""
        return self.first <= page and (self.last is None or page <= self.last)


#: The boundaries given for the document being read (:func:`given_boundaries`).
_GIVEN: ContextVar[tuple[PageBoundaries, ...]] = ContextVar("given_boundaries", default=())
#: A borderless table's grid as read: its column edges (x), its top and its bottom.
UsedGrid = tuple[tuple[float, ...], float, float]
#: Page -> the grid of each borderless table the engines read there, when recording.
_USED: ContextVar[dict[int, list[UsedGrid]] | None] = ContextVar("used_layouts", default=None)


@contextmanager
def given_boundaries(ranges: Sequence[PageBoundaries]) -> Iterator[None]:
    """Read one document with these column boundaries on its borderless pages."""
    token = _GIVEN.set(tuple(ranges))
    try:
        yield
    finally:
        _GIVEN.reset(token)


def boundaries_for(page: int) -> tuple[float, ...]:
    """The boundaries given for ``page`` (1-based): those of the narrowest range covering it
    (a page range wins over the whole document); empty when none is given."""
    covering = [given for given in _GIVEN.get() if given.covers(page)]
    if not covering:
        return ()
    return min(covering, key=lambda given: (given.last or 10**9) - given.first).xs


@contextmanager
def recording_layouts() -> Iterator[dict[int, list[UsedGrid]]]:
    """Collect, per page (1-based), the grid of every borderless table read there."""
    used: dict[int, list[UsedGrid]] = {}
    token = _USED.set(used)
    try:
        yield used
    finally:
        _USED.reset(token)


def record_layout(page: int, columns: tuple[float, ...], rows: tuple[float, ...]) -> None:
    """Note the grid used for a table on ``page``: its column edges and, of its row edges,
    the first and last (when recording)."""
    used = _USED.get()
    if used is not None:
        used.setdefault(page, []).append((columns, rows[0], rows[-1]))
