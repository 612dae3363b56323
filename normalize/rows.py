"""Row repair rules: realign a malformed row by its content, never by a fixed position.

A well-formed objective row has its weight (peso, an integer) and ponderazione (a percentage)
under the header's weight columns. Real attachments also hold rows shifted one column to the
right, rows that lost their leading empty cells, and rows whose ponderazione is missing. Such
rows are anchored on the right by their weight cell (the last integer, followed by a
percentage or by nothing), and on the left by content: a ``M 01 ...`` cell is the mission, a
``1.3 ...`` cell the strategic objective, other text the programme line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from normalize.codes import find_objective_codes, is_mission_text, is_strategic_text
from normalize.headers import (
    ColumnMap,
    HeaderMapping,
    carry_header,
    is_repeat_of,
    is_total_row,
    map_header,
    read_header,
    row_signature,
)
from normalize.settings import NormalizeSettings
from normalize.weights import is_percent, is_weight

Assignment = dict[int, str]
"""Cell index -> canonical column."""


class Realignment(NamedTuple):
    assignment: Assignment
    shift: int
    moved_by_content: tuple[tuple[int, str], ...] = ()


HEADER, TOTAL, DATA, EMPTY = "header", "total", "data", "empty"


class RowLabel(NamedTuple):
    """What a row of a table is (header, total, data, empty), the header in force there,
    and whether the row opens a header read there (a table printing a second header)."""

    kind: str
    header: HeaderMapping | None
    opens_header: bool = False


def _is_new_header(
    cells: Sequence[str], header: HeaderMapping, settings: NormalizeSettings
) -> bool:
    """A header row other than the table's own (a sector printing a different header)."""
    found = map_header(cells, settings)
    return bool(found) and found != header.mapping


#: The header last read by :func:`table_header`: (settings, rows, header).
_last_header: list[tuple[NormalizeSettings, tuple[tuple[str, ...], ...], HeaderMapping | None]] = []


def table_header(
    texts: Sequence[Sequence[str]], settings: NormalizeSettings
) -> HeaderMapping | None:
    """:func:`normalize.headers.read_header` of a table's rows, read once when the same rows
    come twice in a row: a sector table is labelled before its rows cut by a page break are
    joined (:mod:`normalize.pages`) and after, and most tables have no such row. Only the
    last table is kept, so memory does not grow with the document."""
    rows = tuple(map(tuple, texts))
    if _last_header and _last_header[0][0] is settings and _last_header[0][1] == rows:
        return _last_header[0][2]
    header = read_header(texts, settings)
    _last_header[:] = [(settings, rows, header)]
    return header


def label_rows(
    texts: Sequence[Sequence[str]],
    settings: NormalizeSettings,
    previous: HeaderMapping | None = None,
) -> list[RowLabel]:
    """Each row's kind (cells cleaned): the header block and every row above it (banners)
    and their repeats on later pages are headers; a row mapping as another header opens
    it; a ``totale`` row is a total; any other row with text is data. A table without a
    header row takes ``previous`` (the header of the table before it) when the widths agree
    (:func:`normalize.headers.carry_header`); without any header every row is data."""
    header = carry_header(table_header(texts, settings), previous, texts)
    if header is None:
        return [RowLabel(DATA if any(cells) else EMPTY, None) for cells in texts]
    first_data = header.rows[-1] + 1 if header.rows else 0
    repeats = [row_signature(texts[index]) for index in range(first_data)]
    labels = []
    for row_index, cells in enumerate(texts):
        if row_index < first_data or is_repeat_of(cells, repeats, settings.repeated_banner_score):
            labels.append(RowLabel(HEADER, header))
        elif _is_new_header(cells, header, settings):
            header = read_header(texts, settings, row_index) or header
            repeats += [row_signature(texts[index]) for index in header.rows]
            labels.append(RowLabel(HEADER, header, opens_header=True))
        elif is_total_row(cells):
            labels.append(RowLabel(TOTAL, header))
        else:
            labels.append(RowLabel(DATA if any(cells) else EMPTY, header))
    if labels:  # the table's first header is in force from its first row
        labels[0] = labels[0]._replace(opens_header=True)
    return labels


def identity_assignment(mapping: ColumnMap) -> Assignment:
    return {index: name for name, index in mapping.items()}


def is_well_formed(cells: Sequence[str], mapping: ColumnMap) -> bool:
    weight, pct = mapping.get("weight"), mapping.get("weighting_pct")
    if weight is None or weight >= len(cells) or not is_weight(cells[weight]):
        return False
    return pct is None or pct >= len(cells) or is_percent(cells[pct]) or not cells[pct].strip()


def weight_anchor(cells: Sequence[str]) -> int | None:
    """Index of the weight cell in a malformed row: the last non-empty cell when it is an
    integer, or the integer just before a trailing percentage."""
    filled = [index for index, text in enumerate(cells) if text.strip()]
    if not filled:
        return None
    last = filled[-1]
    if is_weight(cells[last]):
        return last
    if is_percent(cells[last]) and len(filled) > 1 and is_weight(cells[filled[-2]]):
        return filled[-2]
    return None


def field_by_content(text: str) -> str:
    """The column of a cell left of the objective moved by its content: a mission cell
    (:func:`normalize.codes.parse_mission`, the one reading), a strategic code and text,
    else a programme line."""
    if is_mission_text(text):
        return "mission"
    if is_strategic_text(text):
        return "strategic"
    return "programme_line"


def has_code_in_place(cells: Sequence[str], mapping: ColumnMap) -> bool:
    """The row's objective code sits under the code (or objective) heading: the row is in
    place, whatever its weight cell holds (a row without weight is not a shifted row)."""
    for name in ("code", "objective"):
        index = mapping.get(name)
        if index is not None and index < len(cells) and find_objective_codes(cells[index]):
            return True
    return False


def objective_start(mapping: ColumnMap) -> int:
    """Left-most column of the objective (its code, title or text)."""
    return min(
        (mapping[name] for name in ("code", "title", "objective") if name in mapping), default=0
    )


def realign(cells: Sequence[str], mapping: ColumnMap) -> Realignment:
    """Assign each cell of a data row to a canonical column (see module doc)."""
    identity = identity_assignment(mapping)
    if is_well_formed(cells, mapping) or "weight" not in mapping:
        return Realignment(identity, 0)
    if has_code_in_place(cells, mapping):
        return Realignment(identity, 0)
    anchor = weight_anchor(cells)
    if anchor is None or anchor == mapping["weight"]:
        return Realignment(identity, 0)
    shift = mapping["weight"] - anchor
    objective_column = objective_start(mapping)
    assignment: Assignment = {}
    moved: list[tuple[int, str]] = []
    for index, text in enumerate(cells):
        if not text.strip():
            continue
        target = index + shift
        if target >= objective_column and target in identity:
            assignment[index] = identity[target]
            continue
        name = field_by_content(text)
        assignment[index] = name
        if identity.get(target) != name:
            moved.append((index, name))
    return Realignment(assignment, shift, tuple(moved))


def with_extras(change: Realignment, extras: Sequence[int], width: int) -> Realignment:
    """Cells under an ``extra`` heading (Stakeholder, Risorse, Note) kept as ``extra`` when
    no realignment moved another column onto them."""
    assignment = dict(change.assignment)
    for index in extras:
        if index < width and index not in assignment and not change.shift:
            assignment[index] = "extra"
    return Realignment(assignment, change.shift, change.moved_by_content)


def fields_of(cells: Sequence[str], assignment: Assignment) -> dict[str, str]:
    """Canonical column -> text (cells assigned to the same column are joined by a line)."""
    texts: dict[str, list[str]] = {}
    for index, name in sorted(assignment.items()):
        if index < len(cells) and cells[index].strip():
            texts.setdefault(name, []).append(cells[index])
    return {name: "\n".join(parts) for name, parts in texts.items()}
