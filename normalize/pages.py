"""Rows cut by a page break, joined back into one row once the header has been mapped.

A sector table runs over pages; a row that does not fit at the foot of a page goes on at the
top of the next one, under the header rows the layout repeats there. Extraction hands over
the rows with their pages and knows no column meanings; whether "this first row of a page
continues the row cut at the foot of the previous page" needs to know which column holds the
codes and which the weight, so it is decided here, after the header row has been mapped,
wherever those columns are printed, for every input (PDF and text alike).

The first data row of a page continues the last data row of the previous page when it
carries no mark of a new row:

- no key cell (mission, strategic objective, programme line) opens with a code: a new
  mission or strategic objective starts a new row;
- when the table has a weight column: no weight (nor a weighting percentage) of its own,
  while the cut row has one. Codes *inside* the continued objective cell do not count: a
  cell naming 4.1.2.1, 4.1.3.1 and 4.1.4.1 may be cut before "4.1.3.1 SCUOLA PRIMARIA...";
- when the table has no weight column: its objective cell does not open with a code either
  (nothing else can tell a new objective from a continuation);
- in a table of indicator rows (:mod:`normalize.indicator_rows`): not both rows printing a
  baseline or target of their own (the next indicator of a group merged over the break);
  in a grid, not a row with empty objective cells printing its own indicator and target or
  deadline after an indicator row whose objective cells are empty (the same, in a grid with
  merged objective cells);
- or the two parts are complementary: the cut row has a code but no weight, the
  continuation a weight but no code (a weight printed in the vertical middle of its cell
  lands in the second part).

The two parts are joined cell by cell as a reader reads them (two lines of one cell, a title
cut mid-line, "1.2.1 GESTIONE DEL" + "PERSONALE", reads "1.2.1 GESTIONE DEL PERSONALE"), the
joined row lists both pages, and each join is a ``row_rejoined_across_pages`` finding.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import NamedTuple

from extract.model import RawCell, RawRow, RawTable
from extract.pdf_text import join_parts
from normalize.cleaning import clean_cell
from normalize.codes import find_objective_codes, is_mission_text, is_strategic_text
from normalize.headers import ColumnMap, cell_kind
from normalize.indicator_rows import is_indicator_table, is_item_field, is_next_indicator
from normalize.quality import INFO, Finding, describe_location
from normalize.rows import label_rows
from normalize.settings import KEY_FIELDS, NormalizeSettings
from normalize.weights import is_percent, is_weight

HEADER, TOTAL, DATA, EMPTY = "header", "total", "data", "empty"
#: A code opens a cell when it starts within this many characters of the cell's start
#: ("Obiettivo 1.2.1 -", "Ob. 3.1.1").
CODE_OPENING = 16
#: A sub-item marker opening a text: "b)", "b.", "2)", "2.", a dash or a bullet.
_LIST_MARKER = re.compile(r"^\s*(?:[a-z]\)|[a-z]\.\s|\d{1,2}[.)]\s|[-–•·▪]\s)", re.IGNORECASE)
#: A dash or bullet opening a cell: a list whose markers count by the lines they open.
_DASH_MARKER = re.compile(r"^\s*[-–•·▪]\s")


class RowKind(NamedTuple):
    """What a row of a sector table is (header, total, data, empty), and the header
    mapping in force there."""

    kind: str
    mapping: ColumnMap


def classify_rows(rows: Sequence[RawRow], settings: NormalizeSettings) -> list[RowKind]:
    """Each row's kind, as the sector reader sees them (:func:`normalize.rows.label_rows`:
    header blocks, banners and their repeats, totals, data), with the header mapping in force."""
    texts = [[clean_cell(text) for text in row.texts] for row in rows]
    return [
        RowKind(label.kind, label.header.mapping if label.header else {})
        for label in label_rows(texts, settings)
    ]


def cell_at(cells: Sequence[str], mapping: ColumnMap, name: str) -> str:
    """The text of a mapped column in a row ('' when unmapped or missing)."""
    index = mapping.get(name)
    return cells[index] if index is not None and index < len(cells) else ""


def opens_with_code(text: str) -> bool:
    """Whether a cell opens with an objective, strategic or mission code."""
    if is_mission_text(text) or is_strategic_text(text):
        return True
    codes = find_objective_codes(text)
    return (
        bool(codes)
        and codes[0].start <= CODE_OPENING
        and not text[: codes[0].start].strip(" \n-–").endswith((".", ";"))
    )


def has_weight(cells: Sequence[str], mapping: ColumnMap) -> bool:
    """Whether a row prints a weight or a weighting percentage in its mapped columns."""
    return is_weight(cell_at(cells, mapping, "weight")) or is_percent(
        cell_at(cells, mapping, "weighting_pct")
    )


def opens_key_cell(cells: Sequence[str], mapping: ColumnMap) -> bool:
    """Whether a mission, strategic or programme-line cell of the row opens with a code."""
    return any(opens_with_code(cell_at(cells, mapping, name)) for name in KEY_FIELDS)


def opens_objective(cells: Sequence[str], mapping: ColumnMap) -> bool:
    """Whether a row opens an objective: a code in its code column (``Ob. 3``, ``OB.01``),
    or an objective cell opening with a code."""
    code = cell_at(cells, mapping, "code")
    if code.strip() and cell_kind(code) in ("code", "integer"):
        return True
    return opens_with_code(cell_at(cells, mapping, "objective"))


def prints_own_values(
    previous: Sequence[str], candidate: Sequence[str], mapping: ColumnMap
) -> bool:
    """Both rows print a value in the same short value column (baseline, a target): in a
    table of indicator rows the candidate is the next indicator of a merged group, not the
    rest of a cut row (short values are never cut)."""
    names = [name for name in mapping if name == "baseline" or name.startswith("target")]
    return any(cell_at(previous, mapping, n) and cell_at(candidate, mapping, n) for n in names)


def opens_next_indicator(
    previous: Sequence[str], candidate: Sequence[str], mapping: ColumnMap
) -> bool:
    """The candidate is the next indicator row of an objective cell merged over a page
    break (:func:`normalize.indicator_rows.is_next_indicator`): the row before the break is
    itself an indicator row of the group (its objective's cells all empty), and the candidate
    prints its own indicator and target or deadline under empty objective cells. (After an
    objective's first row the two cannot be told from a cut row: joined, as before.)"""
    objective_side = [name for name in mapping if not is_item_field(name)]
    if any(cell_at(previous, mapping, name) for name in objective_side if name != "stakeholders"):
        return False
    fields = {name: cell_at(candidate, mapping, name) for name in mapping}
    return is_next_indicator({"indicator": cell_at(previous, mapping, "indicator")}, fields)


def is_continuation(previous: Sequence[str], candidate: Sequence[str], mapping: ColumnMap) -> bool:
    """Whether ``candidate``, first data row of a page, continues ``previous``, the last
    data row of the page before (cells cleaned; see the module doc for the rule)."""
    if not any(candidate) or opens_key_cell(candidate, mapping):
        return False
    if is_indicator_table(mapping) and prints_own_values(previous, candidate, mapping):
        return False
    if opens_next_indicator(previous, candidate, mapping):
        return False
    objective_code = opens_objective(candidate, mapping)
    weighted = "weight" in mapping or "weighting_pct" in mapping
    if not weighted:
        return not objective_code
    if not has_weight(candidate, mapping):
        return has_weight(previous, mapping) or not objective_code
    previous_code = opens_objective(previous, mapping)
    return not objective_code and previous_code and not has_weight(previous, mapping)


def join_cell_parts(first: str, second: str) -> str:
    """Two parts of one cell split by a page break, joined as a reader reads them: like two
    lines of the cell (a title cut mid-line reads on), except that a part opening with a list
    marker ("b) ...", "2. ...", "- ...") starts a new line, as it did on the page. When both
    parts are dash lists and the first is on one line (its reader joined the cell's lines:
    "- x - y"), the second reads on in the same way: a line break there would make its dash
    the only other one opening a line, and the inline list's dashes would no longer count."""
    if _LIST_MARKER.match(clean_cell(second)):
        first_text = clean_cell(first).strip()
        dashes = _DASH_MARKER.match(first_text) and _DASH_MARKER.match(clean_cell(second))
        if dashes and "\n" not in first_text:
            return f"{first.rstrip()} {second.lstrip()}"
        return f"{first.rstrip()}\n{second.lstrip()}"
    return join_parts(first, second)


def merge_cells(first: RawCell, second: RawCell) -> RawCell:
    """One cell from its two page parts; provenance is the part where the text starts."""
    if not second.text.strip():
        return first
    if not first.text.strip():
        return second
    return dataclasses.replace(first, text=join_cell_parts(first.text, second.text))


def rejoin(first: RawRow, second: RawRow) -> RawRow:
    """The row cut by a page break, with its continuation appended column by column."""
    by_column = {cell.column: cell for cell in second.cells}
    cells = [merge_cells(cell, by_column.pop(cell.column, cell)) for cell in first.cells]
    cells += sorted(by_column.values(), key=lambda cell: cell.column)
    pages = tuple(sorted({*first.pages, *second.pages}))
    return RawRow(cells=tuple(cells), pages=pages, line=first.line)


def row_label(cells: Sequence[str], mapping: ColumnMap, width: int = 60) -> str:
    """A short name for a row in messages: its objective cell, else its first text."""
    objective = cell_at(cells, mapping, "objective")
    texts = [objective] if objective.strip() else [text for text in cells if text.strip()]
    return " ".join(texts[0].split())[:width] if texts else ""


def rejoin_finding(
    row: RawRow, row_index: int, mapping: ColumnMap, next_page: int, sector_code: str | None
) -> Finding:
    """The finding for a row re-joined across a page break (located on its first part)."""
    cells = [clean_cell(text) for text in row.texts]
    codes = find_objective_codes(cell_at(cells, mapping, "objective"))
    first_page = max(page for page in row.pages if page < next_page)
    return Finding(
        rule="row_rejoined_across_pages",
        severity=INFO,
        message=f"row {row_label(cells, mapping)!r} continues from page {first_page} to page "
        f"{next_page}; its two parts were re-joined into one row",
        sector_code=sector_code,
        objective_code=codes[0].code if codes else None,
        location=describe_location(first_page, row.line, row_index),
        page=first_page,
        line=row.line,
    )


def rejoin_across_pages(
    table: RawTable,
    settings: NormalizeSettings,
    sector_code: str | None = None,
    findings: list[Finding] | None = None,
) -> RawTable:
    """The table with every row cut by a page break joined back into one row.

    A data row whose previous data row (no total row between) lies on an earlier page is the
    first data row of its page, below the repeated header rows; when it continues that row it
    is appended to it, cell by cell. One ``row_rejoined_across_pages`` finding per join is
    appended to ``findings``. Header and total rows stay where they are.
    """
    kinds = classify_rows(table.rows, settings)
    rows: list[RawRow] = []
    last_data: int | None = None
    for row, kind in zip(table.rows, kinds, strict=True):
        if kind.kind == TOTAL:
            last_data = None
        if kind.kind != DATA:
            rows.append(row)
            continue
        previous = rows[last_data] if last_data is not None else None
        if (
            previous is not None
            and previous.pages[-1] < row.pages[0]
            and is_continuation(
                [clean_cell(text) for text in previous.texts],
                [clean_cell(text) for text in row.texts],
                kind.mapping,
            )
        ):
            rows[last_data] = rejoin(previous, row)
            if findings is not None:
                joined = rows[last_data]
                page = row.pages[0]
                findings.append(rejoin_finding(joined, last_data, kind.mapping, page, sector_code))
            continue
        last_data = len(rows)
        rows.append(row)
    return dataclasses.replace(table, rows=tuple(rows))
