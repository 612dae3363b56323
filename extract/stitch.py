"""Stitching: per-page table fragments -> one :class:`RawTable` per sector.

PDF table readers return one table per page. A sector table runs over several pages, with
its header rows repeated at the top of each page, and a row that did not fit at the bottom
of a page continues at the top of the next one. This module, shared by every PDF engine,
knows no column meanings:

- it starts a new table at each sector heading (page text above a table) and appends the
  fragments that have no heading to the table before them;
- it keeps every row with its page, the repeated header rows included (the normaliser
  recognises them by content), so the page boundaries stay visible;
- it does *not* re-join a row cut by a page break: telling a continuation from a new row
  needs to know which column holds the codes and which the weight, which only the mapped
  header tells (:mod:`normalize.pages` does it, for every input).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from extract.model import ExtractNote, RawRow, RawTable

#: A fragment is part of an objective table only if a row fills at least MIN_FILLED_CELLS
#: cells, and a sector table needs MIN_TABLE_ROWS such rows (prose read by a text-alignment
#: mode comes back as a single block of "cells"). Three, because a plan may print no more
#: than objective, indicator and weight.
MIN_FILLED_CELLS = 3
MIN_TABLE_ROWS = 2


class PageTable(NamedTuple):
    """One table as found on one page: its rows (grid cells) and the page text above it."""

    page: int
    heading: str
    rows: tuple[RawRow, ...]


class PdfReading(NamedTuple):
    """What a PDF engine read: its name, the page fragments in reading order, the page
    count, the text before the first table, and the pages that have no text layer."""

    extractor: str
    fragments: list[PageTable]
    page_count: int
    preamble: str
    pages_without_text: list[int]


def filled_rows(rows: Iterable[RawRow]) -> int:
    """How many rows fill at least MIN_FILLED_CELLS cells."""
    return sum(
        1 for row in rows if sum(1 for text in row.texts if text.strip()) >= MIN_FILLED_CELLS
    )


#: A two-column list (``Obiettivi | Peso``: a text and a short value such as ``40`` or
#: ``X``) is a table too when MIN_LIST_ROWS of its rows fill both cells and their second
#: cell is at most MAX_LIST_VALUE characters: prose never puts a short value beside every
#: line.
MIN_LIST_ROWS = 3
MAX_LIST_VALUE = 4


def short_value_rows(rows: Iterable[RawRow]) -> int:
    """How many rows fill exactly two cells, the second one short (see MIN_LIST_ROWS)."""
    count = 0
    for row in rows:
        filled = [text.strip() for text in row.texts if text.strip()]
        count += len(filled) == 2 and len(filled[1]) <= MAX_LIST_VALUE < len(filled[0])
    return count


def is_objective_table(fragment: PageTable) -> bool:
    """Whether a fragment looks like (part of) a table rather than text read as one."""
    return filled_rows(fragment.rows) >= 1 or short_value_rows(fragment.rows) >= MIN_LIST_ROWS


#: A document of small key/value tables (objective cards, one per objective) has at least
#: MIN_KEY_VALUE_FRAGMENTS fragments whose rows hold two cells (a label and its value), and
#: they are at least KEY_VALUE_SHARE of its fragments.
MIN_KEY_VALUE_FRAGMENTS = 2
KEY_VALUE_SHARE = 0.3


#: Characters of a label at most: the cell opening a key/value pair is short.
MAX_LABEL_CHARS = 60


def is_key_value_fragment(fragment: PageTable) -> bool:
    """Whether a fragment is a key/value table: two rows or more, each holding two cells of
    text (a label and its value) or four (two pairs), most of them two, every pair opened
    by a short cell (a four-column grid's page, whose rows hold four cells or a few two,
    is not one)."""
    rows = [[text for text in row.texts if text.strip()] for row in fragment.rows]
    if len(rows) < 2 or any(len(texts) not in (2, 4) for texts in rows):
        return False
    if 2 * sum(1 for texts in rows if len(texts) == 2) < len(rows):
        return False
    return all(len(text) <= MAX_LABEL_CHARS for texts in rows for text in texts[::2])


def is_key_value_document(fragments: list[PageTable]) -> bool:
    """Whether the fragments are those of key/value tables (see
    :data:`MIN_KEY_VALUE_FRAGMENTS`): structure only, their meaning is the normaliser's."""
    pairs = sum(1 for fragment in fragments if is_key_value_fragment(fragment))
    return pairs >= MIN_KEY_VALUE_FRAGMENTS and pairs >= KEY_VALUE_SHARE * len(fragments)


def key_value_tables(fragments: list[PageTable]) -> list[RawTable]:
    """Every fragment with a row of two cells or more as its own table, its heading kept:
    small tables are not sector tables to continue over pages (the cards reader joins a
    card cut by a page break)."""
    kept = [
        fragment
        for fragment in fragments
        if any(sum(1 for text in row.texts if text.strip()) >= 2 for row in fragment.rows)
    ]
    return [
        RawTable(heading=fragment.heading, rows=fragment.rows, index=index)
        for index, fragment in enumerate(kept)
    ]


def stitch(fragments: Iterable[PageTable]) -> tuple[list[RawTable], list[ExtractNote]]:
    """Sector tables from page fragments in reading order (rows keep their pages), and the
    notes of the stitching (none today: the re-join of cut rows is the normaliser's). A
    document of key/value tables keeps each fragment as a table (:func:`key_value_tables`)."""
    fragments = list(fragments)
    if is_key_value_document(fragments):
        return key_value_tables(fragments), []
    sectors: list[tuple[str, list[RawRow]]] = []
    for fragment in fragments:
        if not is_objective_table(fragment):
            continue
        if fragment.heading or not sectors:
            sectors.append((fragment.heading, list(fragment.rows)))
        else:
            sectors[-1][1].extend(fragment.rows)
    kept = [
        (heading, rows)
        for heading, rows in sectors
        if filled_rows(rows) >= MIN_TABLE_ROWS or short_value_rows(rows) >= MIN_LIST_ROWS
    ]
    tables = [
        RawTable(heading=heading, rows=tuple(rows), index=index)
        for index, (heading, rows) in enumerate(kept)
    ]
    return tables, []
