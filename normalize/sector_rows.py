"""The records a sector table is read into: :class:`SectorRows` and its :class:`ObjectiveRow`.

:mod:`normalize.sectors` builds them; the checks it runs on them (:mod:`normalize.ocr_codes`),
the other genres' readers (:mod:`normalize.cards`) and the document step read them. A leaf,
so that a check of the sector rows never imports the reader that calls it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.model import RawCell
from normalize.codes import CodeMention
from normalize.headers import HeaderMapping
from normalize.items import Item
from normalize.quality import Finding, describe_location


# Built up in place and compared by identity only: no generated __eq__ nor __repr__
# (each is compiled when the class is made, at every start: start-up time).
@dataclass(repr=False, eq=False)
class ObjectiveRow:
    """An objective row of a sector table, with the context carried down to it."""

    table_index: int
    row_index: int
    line: int | None
    pages: list[int]
    fields: dict[str, str]
    cells: dict[str, list[RawCell]]
    context: dict[str, str]
    codes: list[CodeMention]
    code_field: str | None = None
    #: In a table of the indicator-rows genre, or a grid whose objective cell is merged over
    #: several indicator rows, the fields of each indicator row of the objective (its own
    #: row first, :mod:`normalize.indicator_rows`); None otherwise.
    indicator_rows: list[dict[str, str]] | None = None
    #: Field -> year its heading names (baseline and targets by year; a grid's one
    #: target column naming a year, ``Valore atteso 2025``).
    years: dict[str, int] = field(default_factory=dict)
    #: The objective's items when its reader made them itself (a card's indicator rows,
    #: unmarked); None: split from the indicator, target and deadline cells.
    items: list[Item] | None = None
    #: Beside :attr:`items`, each item's baseline, source and targets of later years
    #: (``target_<year>``), in the same order; None: none printed.
    item_extras: list[dict[str, str | None]] | None = None

    def location(self, name: str | None = None) -> tuple[str, int | None, int | None]:
        """(location text, page, line) of the row or of one of its fields."""
        cells = self.cells.get(name, []) if name else []
        cell = cells[0] if cells else None
        page = cell.page if cell else self.pages[0]
        line = cell.line if cell else self.line
        column = cell.column if cell else None
        return describe_location(page, line, self.row_index, column, name), page, line


@dataclass(repr=False, eq=False)
class SectorRows:
    """What one raw table holds, ready to become records."""

    table_index: int
    code: str
    name: str
    heading: str
    pages: list[int]
    objectives: list[ObjectiveRow] = field(default_factory=list)
    declared_total: int | None = None
    declared_pct_total: float | None = None
    cell_fields: dict[tuple[int, int], str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    headers: list[HeaderMapping] = field(default_factory=list)
    skipped: str | None = None
