"""The *objective list + activity sheets* genre: a weighted list of objectives, then one
sheet per objective with its activities marked in a month grid.

Common in older plans and small administrations. Per sector (a heading such as "AREA
AMMINISTRATIVA (AMM)") the document prints a list ``Obiettivi | Peso`` whose rows are
``n. 0 … n. 9`` with a weight (``X`` marks a pre-requisite objective: not a number, so no
weight, recorded as a finding and left out of the sector's total), then a sheet per
objective: key/value rows (``Obiettivo | n. 1 – TITOLO``, ``Finalità`` or ``Descrizione``,
``Responsabile``, maybe ``Portatori di interesse``), a month header (``G F M A M G L A S O
N D`` or ``gen feb …``) and one row per activity with its months marked (``X``, ``x``, a
bullet, any mark).

What each becomes (the same records the grid path makes):

- a list row is an objective: its code as printed without ``n.``, its weight; its title is
  the sheet's (the text after the code and dash in the sheet's ``Obiettivo`` row), else the
  list's text after the code; description, responsible and stakeholders come from its
  sheet;
- an activity is an item: its text without its marker as ``indicator``, its marker (``1.``,
  ``Fase 2 –``, ``a)``) as ``item`` (the activity's row number when it prints none);
- the marked months are the item's period: a ``dates`` row of field ``deadline``, from the
  first day of the first marked month to the last day of the last one of the plan year,
  precision ``month``, kind ``period``; the objective's period spans its activities.

The rows are read as one stream across tables: engines split or join tables differently (a
PDF engine may join the list and every sheet into one table, a DOCX keeps one per sheet),
and what a row is follows from what it holds, never from its table. A sheet row is never an
objective and a sheet is never a sector; a list continued on the next page keeps every
weight.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field

from extract.lazy_pattern import lazy_compile
from extract.model import RawCell, RawDocument, RawRow
from normalize.cleaning import clean_cell, fold
from normalize.dates import MONTH_NAMES
from normalize.headings import read_heading
from normalize.quality import INFO, WARNING, Finding, describe_location
from normalize.settings import NormalizeSettings
from normalize.weights import PERCENT, POINTS, PRIORITY, derive_percent, parse_percent, parse_weight
from schema.records import RECORD_TYPES

Record = MutableMapping[str, object]
ObjectiveRecord, ItemRecord, DateRecord = (
    RECORD_TYPES["objectives"],
    RECORD_TYPES["items"],
    RECORD_TYPES["dates"],
)
SectorRecord, CellRecord = RECORD_TYPES["sectors"], RECORD_TYPES["cells"]

#: Month headers: initials, three-letter abbreviations or full names, January first.
MONTH_HEADERS = (
    tuple("gfmamglasond"),
    ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"),
    MONTH_NAMES,
)
_CODE = lazy_compile(
    r"^\s*(?:obiettivo|ob\.?)?\s*(?:n\s*[.°]?|nr\.?|num\.?|numero)?\s*(?P<code>\d{1,2}(?:\.\d{1,2}){0,3})"
    r"(?![\d/])\.?(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_LIST_CODE = re.compile(r"^\s*(?:n\s*[.°]|nr\.?|num\.?|obiettivo\s+n\.?)\s*\d", re.IGNORECASE)
_ACTIVITY_MARKER = lazy_compile(
    r"^\s*(?:fase|attivit[aà]|step)?\s*(?P<label>\d{1,2}|[a-z])\s*(?:[.)]|\s[-–—:]|[-–—:])\s+",
    re.IGNORECASE,
)
_BARE_MARKER = lazy_compile(r"\s*(?:\d{1,2}|[a-zA-Z])\s*[.)]?\s*")
_LEADING_DASH = lazy_compile(r"^[\s\-–—:.,]+")
_PREREQUISITE = frozenset({"x"})
#: Headings of a number column a list may print beside ``Obiettivi | Peso``.
_LIST_NUMBER_HEADINGS = frozenset({"n", "n.", "nr", "num", "numero", "codice", "cod"})
_YEAR = re.compile(r"\b(20\d\d)\b")
_SHEET_LABELS = {
    "code": ("obiettivo", "obiettivo n.", "obiettivo n", "codice obiettivo", "scheda obiettivo"),
    "title": ("titolo", "titolo obiettivo", "denominazione"),
    "description": (
        "descrizione",
        "descrizione obiettivo",
        "finalita",
        "finalita dell'obiettivo",
        "risultato atteso",
        "obiettivo operativo",
    ),
    "responsible": (
        "responsabile",
        "responsabile del servizio",
        "responsabile dell'obiettivo",
        "referente",
        "dirigente",
        "dirigente responsabile",
    ),
    "stakeholders": (
        "stakeholder",
        "stakeholders",
        "portatori di interesse",
        "portatori d'interesse",
    ),
}
#: A genre is read this way from this confidence up.
MIN_CONFIDENCE = 0.6


def month_columns(texts: Sequence[str]) -> tuple[int, ...] | None:
    """The 12 column positions of a month header row (January first), or None."""
    folded = [fold(text).replace(" ", "").strip(".") for text in texts]
    for months in MONTH_HEADERS:
        for start in range(len(folded) - 11):
            if tuple(folded[start : start + 12]) == months:
                return tuple(range(start, start + 12))
        positions = [i for i, text in enumerate(folded) if text]
        values = tuple(folded[i] for i in positions)
        for start in range(len(values) - 11):
            if values[start : start + 12] == months:
                return tuple(positions[start : start + 12])
    return None


def is_list_header(texts: Sequence[str]) -> bool:
    """``Obiettivi | Peso``: a cell naming the objectives and one naming the weight, and
    nothing else but a number column."""
    folded = [fold(text).strip(" .:") for text in texts if text.strip()]
    objectives = [text for text in folded if text.startswith("obiettiv")]
    weights = [text for text in folded if text.startswith("peso")]
    others = [text for text in folded if text not in objectives and text not in weights]
    return (
        len(objectives) == 1
        and len(weights) == 1
        and all(text in _LIST_NUMBER_HEADINGS for text in others)
    )


def list_weight(text: str) -> tuple[bool, int | None]:
    """(is a list weight, its value): a whole number, or ``X`` for a pre-requisite (a
    percentage is a list weight too, read by :func:`list_percent`)."""
    if fold(text) in _PREREQUISITE:
        return True, None
    weight = parse_weight(text)
    return weight is not None or list_percent(text) is not None, weight


def list_percent(text: str) -> float | None:
    """A list's weight printed as a percentage (``12,5%``), or None."""
    return parse_percent(text)


def split_code(text: str) -> tuple[str | None, str]:
    """(code, what follows it without its dash): ``"n. 1 – DIGITALIZZAZIONE"`` -> ("1",
    "DIGITALIZZAZIONE"); (None, text) without a code."""
    match = _CODE.match(text or "")
    if not match:
        return None, (text or "").strip()
    rest = _LEADING_DASH.sub("", match.group("rest"))
    return match.group("code"), " ".join(rest.split())


def list_title(text: str) -> str | None:
    """An objective's title in the list: its text after the code and dash, or the whole text
    when a column of its own printed the code."""
    code, rest = split_code(text)
    title = rest if code is not None else " ".join(text.split())
    return title or None


def split_activity(text: str) -> tuple[str | None, str]:
    """(marker label, activity text): ``"Fase 2 – Emissione"`` -> ("2", "Emissione")."""
    match = _ACTIVITY_MARKER.match(text)
    if not match:
        return None, " ".join(text.split())
    return match.group("label").lower(), " ".join(text[match.end() :].split())


def sheet_label(text: str) -> str | None:
    """The sheet field a key cell names (code, title, description, responsible,
    stakeholders), or None."""
    folded = fold(text).rstrip(" :")
    folded = folded.replace("à", "a")
    for name, labels in _SHEET_LABELS.items():
        if folded in labels:
            return name
    return None


def month_span(year: int, months: Sequence[int]) -> tuple[dt.date, dt.date]:
    """First day of the first month to the last day of the last one."""
    first, last = min(months), max(months)
    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def plan_year(raw: RawDocument, period_start: dt.date | None) -> int | None:
    """The plan year the months belong to: the plan period's first year, else the one year
    printed before the tables or in a heading."""
    if period_start is not None:
        return period_start.year
    for text in (raw.preamble, *(table.heading for table in raw.tables)):
        found = _YEAR.search(text or "")
        if found:
            return int(found.group(1))
    return None


def is_list_row(texts: Sequence[str]) -> bool:
    """``n. 1 Titolo | 40`` (or ``1 | Obiettivo n. 1 Titolo | X``): an ``n.`` code, then a
    list weight in the last cell, in two or three filled cells."""
    filled = [text for text in texts if text]
    return (
        2 <= len(filled) <= 3
        and any(_LIST_CODE.match(text) for text in filled[:-1])
        and list_weight(filled[-1])[0]
    )


#: Rows read without meeting a month grid before the detector gives up (see its doc).
MAX_ROWS_WITHOUT_GRID = 2000


# --- detection ------------------------------------------------------------------------------


def detect_objective_list(raw: RawDocument) -> tuple[float, list[str]]:
    """(confidence 0-1, reasons) that the document is an objective list with activity
    sheets: month-grid headers (the sheets) and a weighted list of ``n.`` objectives.

    A document shows a month grid early or is not of this genre: the search stops after
    :data:`MAX_ROWS_WITHOUT_GRID` rows without one, so a large grid document costs little."""
    grids = list_headers = list_rows = seen = 0
    for table in raw.tables:
        if not grids and seen > MAX_ROWS_WITHOUT_GRID:
            break
        for row in table.rows:
            seen += 1
            filled = sum(1 for text in row.texts if text.strip())
            if filled < 2 or 4 < filled < 12:  # neither a month grid nor a list's row
                continue
            texts = [clean_cell(text) for text in row.texts]
            if filled >= 12:
                grids += month_columns(texts) is not None
            elif is_list_header(texts):
                list_headers += 1
            elif is_list_row(texts):
                list_rows += 1
    reasons = []
    if grids:
        reasons.append(f"{grids} month grid header(s) (cronoprogramma G F M A M G L A S O N D)")
    if list_headers:
        reasons.append(f"{list_headers} list header(s) 'Obiettivi | Peso'")
    if list_rows:
        reasons.append(f"{list_rows} list row(s) 'n. N … | weight'")
    confidence = 0.0
    if grids:
        confidence = 0.5 + (0.25 if list_headers else 0) + (0.2 if list_rows >= 2 else 0)
    return round(confidence, 2), reasons


# --- reading --------------------------------------------------------------------------------


# Built up in place and compared by identity only: no generated __eq__ nor __repr__
# (each is compiled when the class is made, at every start: start-up time).
@dataclass(repr=False, eq=False)
class Activity:
    label: str | None
    text: str
    months: list[int]
    row: RawRow


@dataclass(repr=False, eq=False)
class ListedObjective:
    """An objective as the list and its sheet print it."""

    code: str
    sector: str
    list_text: str = ""
    weight: int | None = None
    percent: float | None = None
    prerequisite: bool = False
    listed: bool = False
    sheet_title: str | None = None
    description: str | None = None
    responsible: str | None = None
    stakeholders: str | None = None
    activities: list[Activity] = field(default_factory=list)
    row: RawRow | None = None
    table_index: int | None = None
    row_index: int | None = None


@dataclass(repr=False, eq=False)
class ListedSector:
    code: str
    name: str
    heading: str
    derived: bool
    objectives: dict[str, ListedObjective] = field(default_factory=dict)
    declared_total: int | None = None
    pages: list[int] = field(default_factory=list)


@dataclass(repr=False, eq=False)
class _Reading:
    """The state of the row stream: the sector and sheet being read, the grid's columns."""

    sectors: list[ListedSector] = field(default_factory=list)
    sheet: ListedObjective | None = None
    grid: tuple[int, ...] | None = None
    in_list: bool = False
    #: years printed alone on a row (above a month grid)
    years: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    cell_fields: dict[tuple[int, int, int], tuple[str, str | None, str | None]] = field(
        default_factory=dict
    )


def _page_of(row: RawRow) -> int:
    return row.pages[0] if row.pages else 1


def _sector_for(reading: _Reading, heading: str, words: tuple[str, ...]) -> None:
    """Start a new sector when a table's heading names one (a sheet's caption does not)."""
    parsed = read_heading(heading, words) if heading else None
    if parsed is None:
        return
    if reading.sectors and reading.sectors[-1].code == parsed.code:
        return
    reading.sectors.append(ListedSector(parsed.code, parsed.name, heading, parsed.derived))
    reading.sheet, reading.grid, reading.in_list = None, None, False


def _current_sector(reading: _Reading) -> ListedSector:
    if not reading.sectors:
        reading.sectors.append(ListedSector("OBJ", "OBIETTIVI", "", True))
    return reading.sectors[-1]


def _objective(sector: ListedSector, code: str) -> ListedObjective:
    if code not in sector.objectives:
        sector.objectives[code] = ListedObjective(code, sector.code)
    return sector.objectives[code]


def _mark(reading: _Reading, key: tuple[int, int, int], name: str, sector: str, code: str | None):
    reading.cell_fields[key] = (name, sector, code)


def _read_row(reading: _Reading, table_index: int, row_index: int, row: RawRow) -> None:
    """Classify one row by what it holds and file it (see module doc)."""
    texts = [clean_cell(text) for text in row.texts]
    filled = [(cell, text) for cell, text in zip(row.cells, texts, strict=True) if text]
    if not filled:
        return
    sector = _current_sector(reading)
    if _page_of(row) not in sector.pages:
        sector.pages.append(_page_of(row))
    at = (table_index, row_index)
    grid = month_columns(texts)
    if grid:
        reading.grid, reading.in_list = grid, False
        for cell, _text in filled:
            _mark(reading, (*at, cell.column), "header", sector.code, None)
        return
    first_cell, first = filled[0]
    label = sheet_label(first) if len(filled) >= 1 else None
    if label is not None:
        value = filled[1][1] if len(filled) > 1 else ""
        _read_sheet_field(reading, sector, label, first, value, row, at)
        for cell, _text in filled:  # the label cell of a key/value row is the sheet's header
            name = "header" if cell is first_cell and len(filled) > 1 else label
            _mark(reading, (*at, cell.column), name, sector.code, _sheet_code(reading))
        return
    if is_list_header(texts):
        reading.in_list, reading.grid, reading.sheet = True, None, None
        for cell, _text in filled:
            _mark(reading, (*at, cell.column), "header", sector.code, None)
        return
    if len(filled) == 1 and _YEAR.fullmatch(first.strip()):  # "2025" over the month grid
        reading.years.append(int(first.strip()))
        _mark(reading, (*at, first_cell.column), "header", sector.code, None)
        return
    if fold(first).startswith("total"):
        weights = [parse_weight(text) for _cell, text in filled[1:]]
        sector.declared_total = next((w for w in weights if w is not None), None)
        reading.in_list = False
        for cell, _text in filled:
            _mark(reading, (*at, cell.column), "total", sector.code, None)
        return
    if reading.grid is not None and reading.sheet is not None:
        _read_activity(reading, sector, texts, row, at)
        return
    is_weight, weight = list_weight(filled[-1][1]) if len(filled) >= 2 else (False, None)
    code, _rest = split_code(first)
    if code is not None and is_weight and len(filled) <= 3:
        objective = _objective(sector, code)
        # "n. 1 – Titolo" | peso, or "1" | "Titolo" | peso: the text is the last before the weight
        objective.list_text, objective.listed = filled[-2][1], True
        objective.percent = list_percent(filled[-1][1])
        objective.weight = weight
        objective.prerequisite = weight is None and objective.percent is None
        objective.row, objective.table_index, objective.row_index = row, table_index, row_index
        reading.in_list = True
        _mark(reading, (*at, first_cell.column), "objective", sector.code, code)
        _mark(reading, (*at, filled[-1][0].column), "weight", sector.code, code)
        return
    page, line = _page_of(row), row.line
    reading.findings.append(
        Finding(
            "row_not_read",
            WARNING,
            f"a row that is neither a list row, a sheet field nor an activity: {first[:60]!r}",
            sector.code,
            None,
            describe_location(page, line, row_index),
            page,
            line,
        )
    )


def _sheet_code(reading: _Reading) -> str | None:
    return reading.sheet.code if reading.sheet else None


def _read_sheet_field(
    reading: _Reading,
    sector: ListedSector,
    label: str,
    key: str,
    value: str,
    row: RawRow,
    at: tuple[int, int],
) -> None:
    """A key/value row of a sheet; the ``Obiettivo`` row opens a new sheet."""
    if label == "code":
        code, rest = split_code(value)
        if code is None:
            code, _ = split_code(key)
        if code is None:
            code = str(len(sector.objectives) + 1)
        reading.sheet, reading.grid, reading.in_list = _objective(sector, code), None, False
        if reading.sheet.table_index is None:
            reading.sheet.row, reading.sheet.table_index, reading.sheet.row_index = row, *at
        if rest:
            reading.sheet.sheet_title = rest
        return
    if reading.sheet is None:
        return
    if label == "title":
        reading.sheet.sheet_title = value or None
    elif label == "description":
        reading.sheet.description = value or None
    elif label == "responsible":
        reading.sheet.responsible = value or None
    elif label == "stakeholders":
        reading.sheet.stakeholders = value or None


def _read_activity(
    reading: _Reading, sector: ListedSector, texts: list[str], row: RawRow, at: tuple[int, int]
) -> None:
    """An activity row of the sheet being read: its text (left of the grid) and months."""
    assert reading.grid is not None and reading.sheet is not None
    grid = reading.grid
    left = [t for i, t in enumerate(texts) if t and i < grid[0]]
    months = [n for n, column in enumerate(grid, start=1) if column < len(texts) and texts[column]]
    if len(left) > 1 and _BARE_MARKER.fullmatch(left[0]):  # "1" | "Mappatura …"
        label, activity = left[0].strip(" .)").lower(), " ".join(" ".join(left[1:]).split())
    else:
        label, activity = split_activity(" ".join(left))
    reading.sheet.activities.append(Activity(label, activity, months, row))
    code = reading.sheet.code
    for cell in row.cells:
        if cell.text.strip():
            name = "period" if cell.column in grid else "indicator"
            _mark(reading, (*at, cell.column), name, sector.code, code)


def read_listing(raw: RawDocument, settings: NormalizeSettings) -> _Reading:
    """Every row of the document read as a stream (see module doc)."""
    reading = _Reading()
    words = settings.sector_heading_words
    for table in raw.tables:
        _sector_for(reading, table.heading, words)
        for row_index, row in enumerate(table.rows):
            _read_row(reading, table.index, row_index, row)
    return reading


# --- records --------------------------------------------------------------------------------


@dataclass(repr=False, eq=False)
class _Out:
    doc_id: str
    records: dict[str, list[Record]] = field(default_factory=dict)

    def add(self, table: str, record: Record) -> None:
        self.records.setdefault(table, []).append(record)

    def finding(self, finding: Finding) -> None:
        self.add("quality", finding.record(self.doc_id))


def _row_location(objective: ListedObjective, field_name: str | None = None):
    row = objective.row
    page = _page_of(row) if row else None
    line = row.line if row else None
    return describe_location(page, line, objective.row_index, None, field_name), page, line


def _objective_records(out: _Out, sector: ListedSector, year: int | None) -> tuple[list[int], int]:
    """Records of one sector's objectives, items and dates; returns the weights read and
    the sector's total (the sum of the numeric weights)."""
    objectives = list(sector.objectives.values())
    weights = [o.weight for o in objectives if o.weight is not None]
    total = sum(weights)
    for number, objective in enumerate(objectives, start=1):
        code = objective.code
        location, page, line = _row_location(objective, "weight")
        if objective.prerequisite:
            out.finding(
                Finding(
                    "weight_prerequisite",
                    INFO,
                    f"weight printed as X (a pre-requisite objective): no weight, left out of "
                    f"the sector total {total}",
                    sector.code,
                    code,
                    location,
                    page,
                    line,
                )
            )
        elif not objective.listed:
            out.finding(
                Finding(
                    "objective_not_listed",
                    WARNING,
                    "an activity sheet whose objective is not in the list: no weight",
                    sector.code,
                    code,
                    location,
                    page,
                    line,
                )
            )
        pct = objective.percent
        if objective.weight is not None and total:
            pct = derive_percent(objective.weight, total, 2)
            out.finding(
                Finding(
                    "weighting_pct_derived",
                    WARNING,
                    f"ponderazione missing; derived as {objective.weight}/{total} = {pct}%",
                    sector.code,
                    code,
                    location,
                    page,
                    line,
                )
            )
        if objective.listed and not objective.activities:
            out.finding(
                Finding(
                    "activity_sheet_missing",
                    INFO,
                    "a listed objective without an activity sheet: no items",
                    sector.code,
                    code,
                    location,
                    page,
                    line,
                )
            )
        spans = _item_records(out, sector, objective, year)
        title = objective.sheet_title or list_title(objective.list_text)
        out.add(
            "objectives",
            ObjectiveRecord(
                doc_id=out.doc_id,
                sector_code=sector.code,
                objective_code=code,
                codes=[code],
                row_number=number,
                title=title,
                description=objective.description,
                responsible=objective.responsible,
                stakeholders=objective.stakeholders,
                weight=objective.weight,
                weighting_pct=pct,
                weighting_pct_derived=objective.weight is not None and pct is not None,
                period_start=min((s for s, _e in spans), default=None),
                period_end=max((e for _s, e in spans), default=None),
                source_pages=sorted(
                    {
                        _page_of(r)
                        for r in [objective.row, *(a.row for a in objective.activities)]
                        if r
                    }
                ),
                source_line=objective.row.line if objective.row else None,
                table_index=objective.table_index,
                row_index=objective.row_index,
            ),
        )
    return weights, total


def _item_records(
    out: _Out, sector: ListedSector, objective: ListedObjective, year: int | None
) -> list[tuple[dt.date, dt.date]]:
    """An item per activity and a ``dates`` row per activity with marked months; returns
    the activities' (start, end)."""
    spans = []
    for seq, activity in enumerate(objective.activities, start=1):
        label = activity.label or str(seq)
        out.add(
            "items",
            ItemRecord(
                doc_id=out.doc_id,
                sector_code=sector.code,
                objective_code=objective.code,
                item_seq=seq,
                item_code=objective.code,
                item=label,
                indicator=activity.text or None,
                aligned=True,
            ),
        )
        page, line = _page_of(activity.row), activity.row.line
        if not activity.months or year is None:
            why = "no month marked" if not activity.months else "the plan year is not printed"
            out.finding(
                Finding(
                    "activity_period_missing",
                    WARNING,
                    f"activity {label}: {why}; no period",
                    sector.code,
                    objective.code,
                    describe_location(page, line),
                    page,
                    line,
                )
            )
            continue
        start, end = month_span(year, activity.months)
        spans.append((start, end))
        out.add(
            "dates",
            DateRecord(
                doc_id=out.doc_id,
                sector_code=sector.code,
                objective_code=objective.code,
                item_code=objective.code,
                item=label,
                field="deadline",
                text=month_text(activity.months, year),
                offset=0,
                date=end,
                start_date=start,
                precision="month",
                kind="period",
                valid=True,
            ),
        )
    return spans


_MONTH_NAMES = MONTH_HEADERS[2]


def month_text(months: Sequence[int], year: int) -> str:
    """The marked months in words: ``"marzo 2025"``, ``"gennaio-aprile 2025"``."""
    first, last = _MONTH_NAMES[min(months) - 1], _MONTH_NAMES[max(months) - 1]
    return f"{first} {year}" if first == last else f"{first}-{last} {year}"


def _cell_records(out: _Out, raw: RawDocument, reading: _Reading) -> None:
    """Every cell as read, with the field it was read as (None: not read)."""
    sector_of: str | None = reading.sectors[0].code if reading.sectors else None
    for table in raw.tables:
        for row_index, row in enumerate(table.rows):
            for cell in row.cells:
                name, sector, code = reading.cell_fields.get(
                    (table.index, row_index, cell.column), (None, sector_of, None)
                )
                sector_of = sector or sector_of
                out.add(
                    "cells",
                    cell_record(out.doc_id, table.index, row_index, cell, name, sector, code),
                )


def cell_record(
    doc_id: str,
    table_index: int,
    row_index: int,
    cell: RawCell,
    name: str | None,
    sector: str | None,
    code: str | None,
) -> Record:
    """The ``cells`` row of a raw cell as read: where it is printed (page, line, box,
    source table and row, sheet, OCR confidence), the field it was read as (None: not read)
    and the sector and objective it belongs to (every reader writes its cells so)."""
    return CellRecord(
        doc_id=doc_id,
        table_index=table_index,
        row_index=row_index,
        column_index=cell.column,
        sector_code=sector,
        objective_code=code,
        field=name,
        page=cell.page,
        line=cell.line,
        bbox=list(cell.bbox) if cell.bbox else None,
        text=cell.text,
        source_table=cell.source_table,
        source_row=cell.source_row,
        sheet=cell.sheet,
        ocr=cell.ocr_confidence is not None,
        ocr_confidence=cell.ocr_confidence,
    )


def read_objective_list(
    raw: RawDocument,
    settings: NormalizeSettings,
    period_start: dt.date | None = None,
) -> dict[str, list[Record]]:
    """The records of an objective-list document (sectors, objectives, items, dates,
    quality, cells), the same tables the grid path fills."""
    reading = read_listing(raw, settings)
    out = _Out(raw.doc_id)
    for finding in reading.findings:
        out.finding(finding)
    year = plan_year(raw, period_start)
    if year is None and reading.years:
        year = reading.years[0]
    for sector in reading.sectors:
        if not sector.objectives:
            continue
        page = sector.pages[0] if sector.pages else None
        if sector.derived:
            out.finding(
                Finding(
                    "sector_code_derived",
                    INFO,
                    f"no code printed in heading {sector.heading[:80]!r}; derived {sector.code} "
                    f"from the name {sector.name!r}",
                    sector.code,
                    location=describe_location(page),
                    page=page,
                )
            )
        weights, total = _objective_records(out, sector, year)
        percents = [o.percent for o in sector.objectives.values() if o.percent is not None]
        scheme = list_scheme(weights, percents)
        if scheme == PERCENT:
            _check_percents(out, sector, percents)
        else:
            _check_total(out, sector, total)
        out.add(
            "sectors",
            SectorRecord(
                doc_id=out.doc_id,
                sector_code=sector.code,
                sector_name=sector.name,
                declared_weight_total=sector.declared_total,
                weight_total=total if weights else None,
                objective_count=len(sector.objectives),
                heading=sector.heading,
                source_pages=sector.pages,
                weight_scheme=scheme,
            ),
        )
    _cell_records(out, raw, reading)
    return out.records


def list_scheme(weights: Sequence[int], percents: Sequence[float]) -> str:
    """The list's weighting scheme (:mod:`normalize.weights`): percentages only, points
    making 100, or priorities."""
    if percents and not weights:
        return PERCENT
    return POINTS if sum(weights) == 100 else PRIORITY


def _check_percents(out: _Out, sector: ListedSector, percents: Sequence[float]) -> None:
    """A list weighted by percentages: they must make 100%."""
    total = sum(percents)
    if abs(total - 100) > 0.01 * max(len(percents), 1):
        page = sector.pages[-1] if sector.pages else None
        message = f"percentages sum to {total:.4f}%, not 100%"
        location = describe_location(page, field="totale")
        out.finding(
            Finding("weighting_pct_sum", WARNING, message, sector.code, None, location, page)
        )


def _check_total(out: _Out, sector: ListedSector, total: int) -> None:
    page = sector.pages[-1] if sector.pages else None
    location = describe_location(page, field="totale")
    if sector.declared_total is None:
        out.finding(
            Finding(
                "declared_total_missing",
                WARNING,
                f"no totale row; weights sum to {total}",
                sector.code,
                None,
                location,
                page,
            )
        )
    elif sector.declared_total != total:
        out.finding(
            Finding(
                "weight_total_mismatch",
                "error",
                f"totale row says {sector.declared_total}, weights sum to {total}",
                sector.code,
                None,
                location,
                page,
            )
        )


def objective_list_records(
    raw: RawDocument, settings: NormalizeSettings, period_start: dt.date | None
) -> dict[str, list[Record]] | None:
    """The document's records when it is an objective list (confidence at least
    :data:`MIN_CONFIDENCE`), else None (the grid path reads it)."""
    confidence, _reasons = detect_objective_list(raw)
    if confidence < MIN_CONFIDENCE:
        return None
    return read_objective_list(raw, settings, period_start)


def listing_report(raw: RawDocument, settings: NormalizeSettings) -> dict[str, object] | None:
    """What ``piao inspect`` says of an objective-list document (its genre line is
    :mod:`normalize.genre`'s): per sector the list's objectives (code and weight as printed,
    ``X`` for a pre-requisite), sheets and activities; None for a document of another genre."""
    confidence, _reasons = detect_objective_list(raw)
    if confidence < MIN_CONFIDENCE:
        return None
    reading = read_listing(raw, settings)
    sectors = []
    for sector in reading.sectors:
        if not sector.objectives:
            continue
        objectives = list(sector.objectives.values())
        sectors.append(
            {
                "sector_code": sector.code,
                "heading": sector.heading,
                "listed": [
                    f"{o.code}:{'X' if o.prerequisite else o.weight}"
                    for o in objectives
                    if o.listed
                ],
                "sheets": sum(1 for o in objectives if o.activities),
                "activities": sum(len(o.activities) for o in objectives),
                "declared_total": sector.declared_total,
            }
        )
    return {
        "sectors": sectors,
        "rows_not_read": len(reading.findings),
    }


def listing_lines(report: Mapping[str, object]) -> list[str]:
    """:func:`listing_report` as the lines ``piao inspect`` prints."""
    lines = []
    for sector in report["sectors"]:  # type: ignore[attr-defined]
        lines.append(
            f"sector {sector['sector_code']}  {_short(sector['heading'])!r}\n"
            f"  list: {', '.join(sector['listed']) or '-'} (totale {sector['declared_total']})\n"
            f"  sheets {sector['sheets']}, activities {sector['activities']}"
        )
    if report["rows_not_read"]:
        lines.append(f"rows not read: {report['rows_not_read']} (row_not_read findings)")
    return lines


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
