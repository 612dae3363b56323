"""Indicator rows: a performance table with one row per indicator (the Funzione Pubblica
PIAO template: obiettivo, responsabile, indicatore/formula, baseline, target, fonte,
stakeholder).

The objective cell (code, title, description), Missione, Peso and Responsabile are merged
vertically over the objective's indicator rows: a PDF or a text prints them once, on the
group's first row; a DOCX or XLSX holds them in the first cell of a true vertical merge, the
cells below empty. Targets may be printed per year (``Baseline 2024 | Target 2025 | Target
2026 | Target 2027``), or under a grouped heading (``TARGET`` over ``2025 | 2026 | 2027``).

This module holds the small pure rules the grid reader (:mod:`normalize.sectors`) applies to
such a table:

- the header reader names the yearly target columns of a header
  (:func:`normalize.headers.label_year_targets`): the first year's column is ``target``
  (``items.target`` keeps the first plan year's target), the others ``target_<year>``;
- :func:`is_indicator_table` tells a header of this genre (a baseline, source or
  stakeholder column, or targets by year);
- :func:`item_fields` / :func:`has_item_data` split a row's fields into the indicator's and
  the objective's, so that a row without an objective code becomes one more indicator of
  the objective above, never a phantom objective (its cells all numbers) nor text folded
  into the previous indicator;
- :func:`detect_indicator_rows` scores a whole document for genre detection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from normalize.cleaning import fold
from normalize.headers import (
    alias_key,
    combine_header_rows,
    is_heading_text,
    map_headings,
    score_heading,
)
from normalize.year_headings import heading_year, year_target_columns

if TYPE_CHECKING:
    from extract.model import RawDocument
    from normalize.items import Item
    from normalize.targets import YearTarget

#: Fields of an indicator row (one item each); the yearly targets ``target_<year>`` too.
ITEM_ROW_FIELDS = ("indicator", "target", "deadline", "baseline", "source")
#: Fields that make a header one of this genre (a stakeholder column alone does not: grids
#: print one too).
GENRE_FIELDS = ("baseline", "source")
#: Fields the detector reports beside the indicator column.
TEMPLATE_FIELDS = ("baseline", "source", "stakeholders")
#: Columns of which a header of this genre prints one: the objective whose cell is merged
#: over its indicator rows (a card's indicator sub-table prints none of them).
OBJECTIVE_HEADINGS = frozenset({"code", "objective", "title"})
_YEARED_TARGET = re.compile(r"^target_(20\d\d)$")


def column_years(headings: Sequence[str], mapping: Mapping[str, int]) -> dict[str, int]:
    """Field -> the year its heading names, for the baseline and the target columns
    (``{"baseline": 2024, "target": 2025, "target_2026": 2026}``)."""
    years: dict[str, int] = {}
    for name, index in mapping.items():
        if name in ("baseline", "target") or _YEARED_TARGET.match(name):
            year = heading_year(fold(headings[index])) if index < len(headings) else None
            if year is not None:
                years[name] = year
    return years


def yearly_target_fields(mapping: Iterable[str]) -> list[str]:
    """The ``target_<year>`` fields of a header, in year order."""
    return sorted(name for name in mapping if _YEARED_TARGET.match(name))


def is_indicator_table(mapping: Iterable[str]) -> bool:
    """A header of the indicator-rows genre: it prints a baseline or source column, or
    targets by year."""
    names = set(mapping)
    return bool(names & set(GENRE_FIELDS)) or any(map(_YEARED_TARGET.match, names))


def is_item_field(name: str) -> bool:
    """A field that belongs to one indicator row (not to the objective merged over them)."""
    return name in ITEM_ROW_FIELDS or bool(_YEARED_TARGET.match(name))


def item_fields(fields: Mapping[str, str]) -> dict[str, str]:
    """The indicator's fields of a row."""
    return {name: text for name, text in fields.items() if is_item_field(name) and text}


def has_item_data(fields: Mapping[str, str]) -> bool:
    """The row prints an indicator, a target or a baseline (a row of the group)."""
    return any(
        name in ("indicator", "baseline") or name.startswith("target")
        for name in item_fields(fields)
    )


def is_next_indicator(objective_fields: Mapping[str, str], fields: Mapping[str, str]) -> bool:
    """In a grid (no baseline, source or yearly target column), a row without objective
    code that is one more indicator of the objective above (its objective cell merged over
    both rows): it prints no objective text, its own indicator and its own target or
    deadline, and the objective's indicator cell is one unmarked text (a marked list is
    the grid's way of printing several indicators in one row)."""
    from normalize.items import split_marked

    if any(fields.get(name) for name in ("code", "objective", "title", "weight")):
        return False
    if not fields.get("indicator") or not (fields.get("target") or fields.get("deadline")):
        return False
    first = objective_fields.get("indicator", "")
    return bool(first) and not split_marked(first).pieces


def _header_candidates(rows: Sequence[Sequence[str]]) -> list[tuple[int, list[str]]]:
    """(last row, headings) of each row of a table's top and of each pair of rows joined
    column-wise (a grouped ``TARGET`` heading over its years)."""
    texts = [[" ".join(text.split()) for text in row] for row in rows]
    found = [(index, row) for index, row in enumerate(texts)]
    found += [
        (index + 1, combine_header_rows(texts[index : index + 2]))
        for index in range(len(texts) - 1)
    ]
    return found


def _merged_group_rows(rows: Sequence[Sequence[str]], mapping: Mapping[str, int]) -> int:
    """Data rows below a header that print an indicator under an empty objective cell."""
    objective = mapping.get("code", mapping.get("objective"))
    indicator = mapping.get("indicator")
    if objective is None or indicator is None:
        return 0
    return sum(
        1
        for row in rows
        if len(row) > max(objective, indicator)
        and not row[objective].strip()
        and row[indicator].strip()
        and sum(bool(text.strip()) for text in row) >= 2
    )


@lru_cache(maxsize=8192)
def indicator_score(text: str, aliases: tuple[str, ...]) -> float:
    """A heading's score against the indicator column's folded aliases, as
    :func:`normalize.headers.heading_scores` scores it (0 for a text that cannot be a
    heading)."""
    return score_heading(text, aliases) if is_heading_text(text) else 0.0


def may_name_indicator(headings: Sequence[str], aliases: tuple[str, ...], min_score: float) -> bool:
    """Whether some heading scores ``min_score`` against the indicator column: else
    :func:`normalize.headers.map_headings` cannot map one, and the detector skips the row
    without scoring it against every column (most of a table's top rows are data: one
    fuzzy score per cell instead of one per cell and column)."""
    return any(indicator_score(text, aliases) >= min_score for text in headings)


def detect_indicator_rows(raw: RawDocument) -> tuple[float, list[str]]:
    """How much a document looks like the indicator-rows genre: (confidence 0-1, reasons).

    Read from the tables' first rows: a header (one row, or two joined) naming targets by
    year (0.9), a baseline (0.8) or a data source (0.6) beside an indicator column and an
    objective column (:data:`OBJECTIVE_HEADINGS`); and data
    rows printing an indicator under an empty objective cell (indicator rows of a merged
    objective cell: 0.7 with two or more, a grid may print one by a page break).
    """
    from normalize.settings import NormalizeSettings

    settings = NormalizeSettings()
    indicator = tuple(map(fold, dict(alias_key(settings)).get("indicator", ())))
    score = 0.0
    reasons: list[str] = []
    mapped: dict[tuple[str, ...], list] = {}  # a header repeated on every page: mapped once
    for table in raw.tables:
        rows = [row.texts for row in table.rows[:40]]
        grouped = 0
        for last, headings in _header_candidates(rows[:12]):
            key = tuple(headings)
            if not may_name_indicator(key, indicator, settings.header_min_score):
                continue
            if key not in mapped:
                mapped[key] = map_headings(headings, settings)
            matches = mapped[key]
            names = {match.name for match in matches}
            if "indicator" not in names or not names & OBJECTIVE_HEADINGS:
                continue  # no objective beside the indicators: a card's indicator table
            years = year_target_columns(headings)
            if len(years) >= 2:
                score = max(score, 0.9)
                reasons.append(f"targets by year {sorted(years.values())} in a header")
            found = sorted(names & set(TEMPLATE_FIELDS))
            if names & set(GENRE_FIELDS):
                score = max(score, 0.8 if "baseline" in found else 0.6)
                reasons.append(f"header columns {', '.join(found)} beside the indicator")
            mapping = {match.name: match.index for match in matches}
            grouped = max(grouped, _merged_group_rows(rows[last + 1 :], mapping))
        if grouped >= 2:
            score = max(score, 0.7)
            reasons.append(f"{grouped} indicator rows under a merged objective cell")
        if reasons:
            return score, list(dict.fromkeys(reasons))
    return score, reasons


def spread_over_items(text: str | None, count: int) -> list[str | None]:
    """A cell of a grid row (one row per objective, several marked items) given to its
    items: one marked piece each when it has as many as there are items, else the whole
    text to the first item (a baseline or source printed once for the objective)."""
    from normalize.items import split_marked

    if count == 0:
        return []
    if not text:
        return [None] * count
    split = split_marked(text)
    if count > 1 and len(split.pieces) == count and not split.lead:
        return [piece.text or None for piece in split.pieces]
    return [text, *([None] * (count - 1))]


def row_items(
    code: str,
    fields: Mapping[str, str],
    indicator_rows: Sequence[Mapping[str, str]] | None,
    letters: str,
) -> list[tuple[Item, dict[str, str | None]]]:
    """The items of an objective, each with its own baseline, source and yearly targets
    (``target_<year>``): one unmarked item per indicator row in this genre; in a grid, the
    marked items of :func:`normalize.items.align_items` with those columns spread over them
    (:func:`spread_over_items`), as for an objective printed on one row of this genre (its
    cells may hold a marked list)."""
    from normalize.items import ITEM_FIELDS, Item, align_items

    if indicator_rows is not None and len(indicator_rows) > 1:
        return [
            (
                Item(code, None, {name: row.get(name) or None for name in ITEM_FIELDS}, True),
                dict(row),
            )
            for row in indicator_rows
            if any(row.values())
        ]
    items = align_items(code, fields, letters)
    spread = {
        name: spread_over_items(text, len(items))
        for name, text in fields.items()
        if name in ("baseline", "source") or _YEARED_TARGET.match(name)
    }
    return [
        (item, {name: values[position] for name, values in spread.items()})
        for position, item in enumerate(items)
    ]


def yearly_targets(
    target: str | None, extras: Mapping[str, str | None], years: Mapping[str, int]
) -> list[YearTarget]:
    """An item's targets by year, as printed: the ``target`` column's (with its heading's
    year) and each ``target_<year>`` column's; empty when the header names no year (the
    item has one un-yeared target)."""
    from normalize.targets import YearTarget

    yearly = yearly_target_fields(years)
    if "target" not in years and not yearly:
        return []
    printed = [YearTarget(years.get("target"), target)]
    printed += [YearTarget(years[name], extras.get(name) or None) for name in yearly]
    return printed
