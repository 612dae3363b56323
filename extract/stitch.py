"""Stitching: per-page table fragments -> one :class:`RawTable` per sector.

PDF table readers return one table per page. A sector table runs over several pages, with
its header rows repeated at the top of each page, and a row that did not fit at the bottom
of a page continues at the top of the next one. This module, shared by every PDF engine:

- starts a new table at each sector heading (page text above a table) and appends the
  fragments that have no heading to the table before them;
- recognises the repeated header rows *by content* (fuzzy, with rapidfuzz) and keeps them,
  as the text engine does (the normaliser drops header rows by fuzzy matching);
- re-joins a row broken across a page boundary: the first row below the repeated header is
  a continuation when its key cells are empty (no objective/mission code in the first
  columns, no weight in the last two); its cells are appended to the last row of the
  previous page, and the re-joined row lists both pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from extract.model import ExtractNote, RawCell, RawRow, RawTable
from extract.pdf import join_parts

#: rapidfuzz ratio (0-100) above which a row repeats one of the sector's first-page rows.
HEADER_SIMILARITY = 90.0
#: Grid columns that name a row: mission, strategic objective, programme line, objective.
CODE_COLUMNS = (0, 1, 2, 3)
#: Grid columns that a continuation never has: priority/weight and relative weight.
WEIGHT_COLUMNS = (9, 10)
#: An objective or mission code opening a cell: "1.1.3", "9.3.2.6", "5.2", "M 01", "M12".
#: A fragment is part of an objective table only if a row fills at least MIN_FILLED_CELLS
#: cells, and a sector table needs MIN_TABLE_ROWS such rows (prose read by a text-alignment
#: mode comes back as a single block of "cells").
MIN_FILLED_CELLS = 4
MIN_TABLE_ROWS = 2
_CODE = re.compile(r"^\s*(?:\d+(?:\.\d+)+\.?|M\s?\d+)\b")


@dataclass(frozen=True, slots=True)
class PageTable:
    """One table as found on one page: its rows (grid cells) and the page text above it."""

    page: int
    heading: str
    rows: tuple[RawRow, ...]


@dataclass(frozen=True, slots=True)
class PdfReading:
    """What a PDF engine read: its name, the page fragments in reading order, the page
    count, the text before the first table, and the pages that have no text layer."""

    extractor: str
    fragments: list[PageTable]
    page_count: int
    preamble: str
    pages_without_text: list[int]


@dataclass(slots=True)
class _Sector:
    heading: str
    first_page_rows: tuple[RawRow, ...]
    rows: list[RawRow]


def row_signature(row: RawRow) -> str:
    """The row's text for fuzzy comparison: non-empty cells, whitespace collapsed, lowercase."""
    return " | ".join(" ".join(text.split()).lower() for text in row.texts if text.strip())


def repeats_any(row: RawRow, candidates: Iterable[RawRow]) -> bool:
    """Whether the row's content matches one of the candidate rows (fuzzy)."""
    signature = row_signature(row)
    if not signature:
        return False
    return any(
        fuzz.ratio(signature, row_signature(candidate)) >= HEADER_SIMILARITY
        for candidate in candidates
    )


def count_repeated_header_rows(rows: Sequence[RawRow], first_page_rows: Sequence[RawRow]) -> int:
    """How many leading rows of a continuation page repeat rows of the sector's first page.

    Those are the header rows the layout repeats on each page; recognised by content, not
    position, so a page that repeats no header (or only some of its rows) works too.
    """
    count = 0
    for row in rows:
        if not repeats_any(row, first_page_rows):
            break
        count += 1
    return count


def cell_text_at(row: RawRow, column: int) -> str:
    """Text of the row's cell in a grid column ('' when the row has no such cell)."""
    for cell in row.cells:
        if cell.column == column:
            return cell.text
    return ""


def is_continuation(row: RawRow) -> bool:
    """Whether a row is the rest of a row cut by a page break.

    Its key cells are empty: no weight (columns 9-10) and no objective/mission code at the
    start of the naming columns (0-3). A new objective always carries one or the other.
    """
    if not any(text.strip() for text in row.texts):
        return False
    if any(cell_text_at(row, column).strip() for column in WEIGHT_COLUMNS):
        return False
    return not any(_CODE.match(cell_text_at(row, column)) for column in CODE_COLUMNS)


def row_label(row: RawRow, width: int = 60) -> str:
    """A short name for a row in messages: its objective (column 3), else its first text."""
    objective = cell_text_at(row, 3)
    texts = [objective] if objective.strip() else [text for text in row.texts if text.strip()]
    return texts[0][:width] if texts else ""


def merge_cells(first: RawCell, second: RawCell) -> RawCell:
    """One cell from its two page parts; provenance is the part where the text starts."""
    if not second.text:
        return first
    if not first.text:
        return second
    return RawCell(
        text=join_parts(first.text, second.text),
        column=first.column,
        page=first.page,
        line=first.line,
        bbox=first.bbox,
        ocr_confidence=min(
            (c for c in (first.ocr_confidence, second.ocr_confidence) if c is not None),
            default=None,
        ),
    )


def rejoin(first: RawRow, second: RawRow) -> RawRow:
    """The row cut by a page break, with its continuation appended column by column."""
    by_column = {cell.column: cell for cell in second.cells}
    cells = [merge_cells(cell, by_column.pop(cell.column, cell)) for cell in first.cells]
    cells += sorted(by_column.values(), key=lambda cell: cell.column)
    pages = tuple(sorted({*first.pages, *second.pages}))
    return RawRow(cells=tuple(cells), pages=pages, line=first.line)


def rejoin_note(row: RawRow, first_page: int, next_page: int) -> ExtractNote:
    """The quality note for a row re-joined across a page break."""
    return ExtractNote(
        rule="row_rejoined_across_pages",
        severity="info",
        message=f"row {row_label(row)!r} continues from page {first_page} to page "
        f"{next_page}; its two parts were re-joined into one row",
        page=first_page,
    )


def last_data_row_index(rows: Sequence[RawRow], headers: Sequence[RawRow]) -> int | None:
    """Index of the last row that is not a header row (a row broken over three pages has
    the repeated header of the middle page after it)."""
    for index in range(len(rows) - 1, -1, -1):
        if not repeats_any(rows[index], headers):
            return index
    return None


def append_fragment(sector: _Sector, fragment: PageTable, notes: list[ExtractNote]) -> None:
    """Add a continuation page's rows to the sector, re-joining a row cut by the page break.

    The rows of the page that repeat the sector's first-page rows are its header rows; the
    first row below them continues the last row of the previous page when it has no key
    cells; it is appended to the sector's last data row (header rows skipped).
    """
    rows = list(fragment.rows)
    headers = count_repeated_header_rows(rows, sector.first_page_rows)
    repeated, body = rows[:headers], rows[headers:]
    last = last_data_row_index(sector.rows, repeated)
    previous = sector.rows[last] if last is not None else None
    if (
        body
        and previous is not None
        and previous.pages[-1] < fragment.page
        and is_continuation(body[0])
    ):
        joined = rejoin(previous, body[0])
        sector.rows[last] = joined
        notes.append(rejoin_note(joined, previous.pages[-1], fragment.page))
        body = body[1:]
    sector.rows.extend(repeated)
    sector.rows.extend(body)


def filled_rows(rows: Iterable[RawRow]) -> int:
    """How many rows fill at least MIN_FILLED_CELLS cells."""
    return sum(
        1 for row in rows if sum(1 for text in row.texts if text.strip()) >= MIN_FILLED_CELLS
    )


def is_objective_table(fragment: PageTable) -> bool:
    """Whether a fragment looks like (part of) a table rather than text read as one."""
    return filled_rows(fragment.rows) >= 1


def stitch(fragments: Iterable[PageTable]) -> tuple[list[RawTable], list[ExtractNote]]:
    """Sector tables from page fragments in reading order, plus the re-join notes."""
    sectors: list[_Sector] = []
    notes: list[ExtractNote] = []
    for fragment in fragments:
        if not is_objective_table(fragment):
            continue
        if fragment.heading or not sectors:
            sectors.append(_Sector(fragment.heading, fragment.rows, list(fragment.rows)))
        else:
            append_fragment(sectors[-1], fragment, notes)
    tables = [
        RawTable(heading=sector.heading, rows=tuple(sector.rows), index=index)
        for index, sector in enumerate(
            sector for sector in sectors if filled_rows(sector.rows) >= MIN_TABLE_ROWS
        )
    ]
    return tables, notes
