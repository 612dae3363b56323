"""A whole attachment: raw tables -> records for every table of :mod:`schema`.

Two passes: every sector table is read first (:func:`plan_sectors`), so that
mission and strategic names printed anywhere in the document can name an objective whose
carried-over cell disagrees with its code; then each objective becomes records, checked
against its sector's totals.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import NamedTuple

from extract.model import ExtractNote, RawDocument, RawTable
from normalize.cards import genre_finding, read_cards
from normalize.codes import parse_mission, parse_strategic
from normalize.dates import DateMention, find_dates
from normalize.ente import printed_ente
from normalize.genre import detect_genre
from normalize.genre_guess import CARDS, GRID, OBJECTIVE_LIST, GenreGuess
from normalize.headings import (
    heading_responsible,
    read_heading,
    split_at_heading_rows,
    unique_codes,
)
from normalize.hierarchy import Conflict, decide_hierarchy
from normalize.identity import registry_ente
from normalize.indicator_rows import row_items, yearly_targets
from normalize.items import Item, letter_gaps
from normalize.objective_list import cell_record, objective_list_records
from normalize.quality import ERROR, INFO, WARNING, Finding, describe_location
from normalize.sections import performance_tables, performance_view, table_headings
from normalize.sector_rows import ObjectiveRow, SectorRows
from normalize.sectors import iter_sectors, objective_title
from normalize.settings import NormalizeSettings
from normalize.status import (
    DocumentStatus,
    StatusReason,
    cells_left_uncut,
    column_contradicts_mapping,
    indicator_target_swapped,
    low_genre_confidence,
    percents_exceed_whole,
    percents_miss_declared_total,
    rows_without_code,
    unmapped_data,
    weights_miss_declared_total,
)
from normalize.targets import target_records
from normalize.weights import (
    NO_WEIGHTS,
    PERCENT,
    POINTS,
    derive_percent,
    parse_bare_percent,
    parse_decimal,
    parse_percent,
    parse_weight,
    percent_decimals,
    weight_scheme,
)
from schema.records import RECORD_TYPES

Record = MutableMapping[str, object]
SectorPair = tuple[RawTable, SectorRows]
#: Compact record types (slots, not dicts: memory).
ObjectiveRecord, ItemRecord, DateRecord = (
    RECORD_TYPES["objectives"],
    RECORD_TYPES["items"],
    RECORD_TYPES["dates"],
)
SectorRecord = RECORD_TYPES["sectors"]
_PLAN_PERIOD = re.compile(r"\b(20\d\d)\s*[-/–]\s*(20\d\d|\d\d)\b")


# Built up in place and compared by identity only: no generated __eq__ nor __repr__
# (each is compiled when the class is made, at every start: start-up time).
@dataclass(repr=False, eq=False)
class NormalizedDocument:
    """Records for each table (keyed by table name) and the findings among them."""

    doc_id: str
    records: dict[str, list[Record]] = field(default_factory=dict)

    def table(self, name: str) -> list[Record]:
        return self.records.setdefault(name, [])


class DocumentInfo(NamedTuple):
    plan_title: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    ente: str | None


def plan_info(
    raw: RawDocument,
    ente: str | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> DocumentInfo:
    """Title, plan period and issuing body from the text printed before the tables.

    ``ente`` and ``period`` (first and last day), when given, are used instead of what the
    text says (the pipeline decides which source wins, see docs/reference.md "Batch runs").
    """
    lines = [line for line in raw.preamble.splitlines() if line.strip()]
    title = next((line for line in lines if re.search(r"piano|piao", line, re.I)), None)
    if title is None and lines:
        title = lines[0]
    if title:
        title = re.sub(r"^(?:al|del|allegato \w+ al)\s+", "", title.strip(), flags=re.I)
    texts = [raw.preamble, *table_headings(raw.tables)]
    printed = next((m for text in texts if (m := _PLAN_PERIOD.search(text))), None)
    start = end = None
    if printed:
        first, last = int(printed.group(1)), printed.group(2)
        last_year = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
        start, end = dt.date(first, 1, 1), dt.date(last_year, 12, 31)
    if period is not None:
        start, end = period
    if ente is None:
        # a line that names the administration (cover, headings), else the registry table
        # of a whole PIAO ("Denominazione | Comune di ...")
        ente = printed_ente(texts) or registry_ente(raw.tables)
    return DocumentInfo(title, start, end, ente)


def note_finding(note: ExtractNote) -> Finding:
    return Finding(
        note.rule,
        note.severity,
        note.message,
        location=describe_location(note.page, note.line),
        page=note.page,
        line=note.line,
    )


def known_names(sectors: Iterable[SectorRows]) -> tuple[dict[int, str], dict[str, str]]:
    """Mission and strategic names as printed anywhere in the document, by code."""
    missions: dict[int, str] = {}
    strategics: dict[str, str] = {}
    for sector in sectors:
        for objective in sector.objectives:
            code, name = parse_mission(objective.fields.get("mission", ""))
            if code is not None and name:
                missions.setdefault(code, name)
            s_code, s_name = parse_strategic(objective.context.get("strategic", ""))
            if s_code and s_name:
                strategics.setdefault(s_code, s_name)
    return missions, strategics


@dataclass(repr=False, eq=False)
class _SectorTotals:
    total: int | None
    decimals: int
    scheme: str = "priority"


def row_weighting(fields: Mapping[str, str]) -> tuple[int | None, float | None]:
    """(weight, percentage) as printed in a row; a percentage printed in the weight column
    ("Peso" holding ``12,5%``, or points with decimals, ``12,5``) is a percentage, not a
    weight (weights are whole numbers)."""
    weight = parse_weight(fields.get("weight", ""))
    pct = parse_bare_percent(fields.get("weighting_pct", ""))
    if weight is None and pct is None:
        pct = parse_percent(fields.get("weight", "")) or parse_decimal(fields.get("weight", ""))
    return weight, pct


def sector_totals(sector: SectorRows) -> _SectorTotals:
    """The sector's weight total (computed, since a printed total can be wrong), the
    decimals of its percentages and its weighting scheme."""
    values = [row_weighting(o.fields) for o in sector.objectives]
    weights = [weight for weight, _pct in values]
    computed = sum(w for w in weights if w is not None)
    decimals = Counter(
        d
        for o in sector.objectives
        if (d := percent_decimals(o.fields.get("weighting_pct", ""))) is not None
    ).most_common(1)
    total = sector.declared_total if sector.declared_total == computed else computed
    scheme = weight_scheme(weights, [pct for _w, pct in values], sector.declared_total)
    return _SectorTotals(total or None, decimals[0][0] if decimals else 2, scheme)


def sector_codes(
    sectors: Iterable[tuple[str, str]], words: tuple[str, ...]
) -> list[tuple[str, bool]]:
    """(code unique within the document, derived from the sector's name) for each sector,
    given as (code read, heading): a derived code that another sector already has gets a
    number (:func:`normalize.headings.unique_codes`)."""
    sectors = list(sectors)
    derived = [bool((h := read_heading(heading, words)) and h.derived) for _c, heading in sectors]
    codes = unique_codes([code for code, _heading in sectors], derived)
    return list(zip(codes, derived, strict=True))


def apply_sector_code(sector: SectorRows, code: str, is_derived: bool) -> None:
    """Give a sector its unique code (its findings follow); a derived code is a finding."""
    if code != sector.code:
        old = sector.code
        sector.code = code
        sector.findings = [
            f._replace(sector_code=code) if f.sector_code == old else f for f in sector.findings
        ]
    if is_derived:
        page = sector.pages[0] if sector.pages else None
        sector.findings.append(
            Finding(
                "sector_code_derived",
                INFO,
                f"no code printed in heading {sector.heading[:80]!r}; derived {code} "
                f"from the name {sector.name!r}",
                code,
                location=describe_location(page),
                page=page,
            )
        )


def name_sector_codes(sectors: list[SectorRows], words: tuple[str, ...]) -> None:
    """Sector codes unique within the document; a code derived from the sector's name (none
    was printed) is a finding, and gets a number when another sector already has it."""
    codes = sector_codes([(sector.code, sector.heading) for sector in sectors], words)
    for sector, (code, is_derived) in zip(sectors, codes, strict=True):
        apply_sector_code(sector, code, is_derived)


class _Builder:
    """Turns the sectors of one document into records (one method per table)."""

    def __init__(self, raw: RawDocument, settings: NormalizeSettings, info: DocumentInfo) -> None:
        self.raw = raw
        #: One string for every record (``raw.doc_id`` makes a new one at each call).
        self.doc_id = raw.doc_id
        self.settings = settings
        self.info = info
        self.out = NormalizedDocument(self.doc_id)
        self.default_year = info.period_start.year if info.period_start else None
        #: (row, column) of the cells already emitted of the table being read (the parts of
        #: a table split at its sector headings come one after the other and share cells);
        #: only one table's at a time: a set for the whole document cost 100 bytes a cell.
        self.emitted_cells: set[tuple[int, int]] = set()
        self.emitted_table: int | None = None
        #: Signs of a misread layout, gathered a sector at a time (:mod:`normalize.status`);
        #: another stage adds its own with ``builder.status.add(reason)``.
        self.status = DocumentStatus()

    def finding(self, finding: Finding) -> None:
        self.out.table("quality").append(finding.record(self.doc_id))

    def take(self) -> dict[str, list[Record]]:
        """The records made since the last call (the builder starts afresh)."""
        records, self.out = self.out.records, NormalizedDocument(self.doc_id)
        return records

    def dates(self, text: str | None) -> list[DateMention]:
        return find_dates(text or "", self.default_year)

    # objectives ---------------------------------------------------------------------------

    def objective_code(self, sector: SectorRows, row: ObjectiveRow, used: set[str]) -> str:
        code = row.codes[0].code if row.codes else f"{sector.code}-row{row.row_index}"
        location, page, line = row.location("objective")
        if not row.codes:
            self.finding(
                Finding(
                    "objective_code_missing",
                    ERROR,
                    f"no objective code in the objective cell; keyed as {code}",
                    sector.code,
                    code,
                    location,
                    page,
                    line,
                )
            )
        if code in used:
            original, n = code, 2
            while f"{original}~{n}" in used:
                n += 1
            code = f"{original}~{n}"
            self.finding(
                Finding(
                    "duplicate_objective_code",
                    ERROR,
                    f"{original} already used in {sector.code}; keyed as {code}",
                    sector.code,
                    code,
                    location,
                    page,
                    line,
                )
            )
        used.add(code)
        return code

    def code_conflict(
        self, sector: SectorRows, row: ObjectiveRow, code: str, conflict: Conflict
    ) -> None:
        """Record that the code's mission/strategic objective disagrees with the printed
        (or carried-down) column; the message says which one was kept."""
        level = conflict.level
        location, page, line = row.location(level)
        message = (
            f"code {code} gives {level} {conflict.from_code}, the {level} cell says "
            f"{conflict.from_column}; kept {conflict.kept}"
        )
        rule = f"{level}_code_conflict"
        self.finding(Finding(rule, WARNING, message, sector.code, code, location, page, line))

    def hierarchy(
        self,
        sector: SectorRows,
        row: ObjectiveRow,
        code: str,
        missions: Mapping[int, str],
        strategics: Mapping[str, str],
    ) -> dict[str, object]:
        """Mission and strategic objective (:func:`normalize.hierarchy.decide_hierarchy`);
        each disagreement between code and column recorded."""
        decided = decide_hierarchy(
            code if row.codes else None,
            row.context.get("mission", ""),
            row.context.get("strategic", ""),
            missions,
            strategics,
            row.fields.get("objective", ""),
        )
        for conflict in decided.conflicts:
            self.code_conflict(sector, row, code, conflict)
        return decided.record()

    def weighting(
        self, sector: SectorRows, row: ObjectiveRow, code: str, totals: _SectorTotals
    ) -> tuple[int | None, float | None, bool]:
        weight, pct = row_weighting(row.fields)

        def doubt(rule: str, severity: str, message: str, column: str = "weight") -> None:
            location, page, line = row.location(column)
            self.finding(Finding(rule, severity, message, sector.code, code, location, page, line))

        if totals.scheme == NO_WEIGHTS:
            return None, None, False
        if totals.scheme == PERCENT:
            if pct is None:
                doubt(
                    "weighting_pct_missing",
                    WARNING,
                    "no percentage in a sector weighted by percentages",
                )
            return None, pct, False
        if weight is None:
            doubt("weight_missing", ERROR, "no weight (peso) in the row")
            return None, pct, False
        if pct is None and totals.total:
            pct = derive_percent(weight, totals.total, totals.decimals)
            doubt(
                "weighting_pct_derived",
                WARNING,
                f"ponderazione missing; derived as {weight}/{totals.total} = {pct}%",
            )
            return weight, pct, True
        if pct is not None and totals.total:
            expected = weight / totals.total * 100
            tolerance = max(self.settings.percent_tolerance, 0.5 * 10**-totals.decimals)
            if abs(pct - expected) > tolerance + 1e-9:
                doubt(
                    "weighting_pct_mismatch",
                    WARNING,
                    f"ponderazione {pct}% but {weight}/{totals.total} = {expected:.4f}%",
                    column="weighting_pct",
                )
        return weight, pct, False

    def objective_record(
        self,
        sector: SectorRows,
        row: ObjectiveRow,
        code: str,
        number: int,
        hierarchy: Mapping[str, object],
        weighting: tuple[int | None, float | None, bool],
        period: tuple[dt.date | None, dt.date | None],
    ) -> Record:
        objective_text = row.fields.get("objective", "")
        weight, pct, derived = weighting
        return ObjectiveRecord(
            doc_id=self.doc_id,
            sector_code=sector.code,
            objective_code=code,
            codes=[mention.code for mention in row.codes],
            row_number=number,
            **hierarchy,
            programme_line=row.context.get("programme_line") or None,
            title=objective_title(row),
            description=objective_text or None,
            realization_period=row.fields.get("deadline") or None,
            period_start=period[0],
            period_end=period[1],
            assessore=row.fields.get("assessore") or None,
            responsible=row.fields.get("responsible") or heading_responsible(sector.heading),
            weight=weight,
            weighting_pct=pct,
            weighting_pct_derived=derived,
            source_pages=row.pages,
            source_line=row.line,
            table_index=row.table_index,
            row_index=row.row_index,
            stakeholders=row.fields.get("stakeholders") or None,
        )

    # items and dates ----------------------------------------------------------------------

    def items(self, sector: SectorRows, row: ObjectiveRow, code: str) -> list[Item]:
        if row.items is None:
            pairs = row_items(code, row.fields, row.indicator_rows, self.settings.item_letters)
        else:  # the reader made the items itself (a card's indicator rows)
            extras = row.item_extras or [{} for _item in row.items]
            pairs = [
                (item._replace(item_code=code), extra)
                for item, extra in zip(row.items, extras, strict=True)
            ]
        items = [item for item, _extras in pairs]
        for seq, (item, extras) in enumerate(pairs, start=1):
            record = ItemRecord(
                doc_id=self.doc_id,
                sector_code=sector.code,
                objective_code=code,
                item_seq=seq,
                item_code=item.item_code,
                item=item.item,
                indicator=item.texts.get("indicator"),
                target=item.texts.get("target"),
                deadline=item.texts.get("deadline"),
                aligned=item.aligned,
                baseline=extras.get("baseline"),
                baseline_year=row.years.get("baseline") if extras.get("baseline") else None,
                source=extras.get("source"),
            )
            self.out.table("items").append(record)
            yearly = yearly_targets(item.texts.get("target"), extras, row.years)
            self.out.table("targets").extend(target_records(record, yearly, self.default_year))
            if not item.aligned:
                location, page, line = row.location("indicator")
                location += f", item {seq}"
                self.finding(
                    Finding(
                        "item_misaligned",
                        WARNING,
                        f"{item.item_code} {item.item}) {item.problem}",
                        sector.code,
                        code,
                        location,
                        page,
                        line,
                    )
                )
        gaps = letter_gaps(items, self.settings.item_letters)
        if gaps:
            location, page, line = row.location("indicator")
            self.finding(
                Finding(
                    "item_letter_gap",
                    INFO,
                    f"letters skipped: {', '.join(g + ')' for g in gaps)}",
                    sector.code,
                    code,
                    location,
                    page,
                    line,
                )
            )
        return items

    def date_records(
        self, sector: SectorRows, row: ObjectiveRow, code: str, items: list[Item]
    ) -> tuple[dt.date | None, dt.date | None]:
        """Dates of the objective's texts; returns the realization period (start, end)."""
        own_items = row.items is not None  # unmarked items with deadlines of their own
        deadline_lettered = any(
            (item.item or own_items or len(row.indicator_rows or ()) > 1)
            and item.texts.get("deadline")
            for item in items
        )
        sources: list[tuple[str, str | None, str | None, str | None, int | None]] = [
            ("objective", code, None, row.fields.get("objective"), None)
        ]
        for seq, item in enumerate(items, start=1):
            for name in ("indicator", "target", "deadline"):
                if name == "deadline" and not deadline_lettered:
                    continue
                sources.append((name, item.item_code, item.item, item.texts.get(name), seq))
        if not deadline_lettered or own_items:
            sources.append(("period", code, None, row.fields.get("deadline"), None))
        period_mentions: list[DateMention] = []
        for name, item_code, letter, text, seq in sources:
            for mention in self.dates(text):
                if name in ("period", "deadline"):
                    period_mentions.append(mention)
                self.out.table("dates").append(
                    DateRecord(
                        doc_id=self.doc_id,
                        sector_code=sector.code,
                        objective_code=code,
                        item_code=item_code,
                        item=letter,
                        field=name,
                        text=mention.text,
                        offset=mention.start,
                        date=mention.date,
                        start_date=mention.start_date,
                        precision=mention.precision,
                        kind=mention.kind,
                        valid=mention.valid,
                        item_seq=seq,
                    )
                )
                if not mention.valid:
                    cell_field = "deadline" if name == "period" else name
                    location, page, line = row.location(cell_field)
                    label = f"{item_code} {letter}) " if letter else ""
                    self.finding(
                        Finding(
                            "impossible_date",
                            ERROR,
                            f"{label}{name}: {mention.text!r}: {mention.problem}",
                            sector.code,
                            code,
                            location,
                            page,
                            line,
                        )
                    )
        starts = [m.start_date or m.date for m in period_mentions if m.valid and m.date]
        ends = [m.date for m in period_mentions if m.valid and m.date]
        return (min(starts) if starts else None, max(ends) if ends else None)  # type: ignore[type-var]

    # sectors ------------------------------------------------------------------------------

    def sector(
        self,
        sector: SectorRows,
        table: RawTable,
        missions: Mapping[int, str],
        strategics: Mapping[str, str],
    ) -> None:
        for finding in sector.findings:
            self.finding(finding)
        totals = sector_totals(sector)
        used: set[str] = set()
        weights: list[int] = []
        percents: list[float] = []
        row_objectives: dict[int, str] = {}
        no_mission: list[str] = []
        for number, row in enumerate(sector.objectives, start=1):
            code = self.objective_code(sector, row, used)
            row_objectives[row.row_index] = code
            hierarchy = self.hierarchy(sector, row, code, missions, strategics)
            if hierarchy["mission_code"] is None:
                no_mission.append(code)
            weighting = self.weighting(sector, row, code, totals)
            items = self.items(sector, row, code)
            period = self.date_records(sector, row, code, items)
            self.out.table("objectives").append(
                self.objective_record(sector, row, code, number, hierarchy, weighting, period)
            )
            if weighting[0] is not None:
                weights.append(weighting[0])
            if weighting[1] is not None:
                percents.append(weighting[1])
        self.check_totals(sector, sum(weights), percents, totals)
        self.mission_not_printed(sector, no_mission)
        self.out.table("sectors").append(
            SectorRecord(
                doc_id=self.doc_id,
                sector_code=sector.code,
                sector_name=sector.name,
                declared_weight_total=sector.declared_total,
                weight_total=sum(weights) if weights else None,
                objective_count=len(sector.objectives),
                heading=sector.heading,
                source_pages=sector.pages,
                weight_scheme=totals.scheme,
            )
        )
        self.cells(sector, table, row_objectives)
        self.judge_sector(sector, table, weights, percents, totals)

    def judge_sector(
        self,
        sector: SectorRows,
        table: RawTable,
        weights: list[int],
        percents: list[float],
        totals: _SectorTotals,
    ) -> None:
        """Look for the signs of a misread layout in a sector just read (its records are
        in ``self.out``): :mod:`normalize.status`'s rules, and its words' coverage."""
        status = self.status
        status.add(
            rows_without_code(
                sector.code,
                [(row.row_index, row.pages[0]) for row in sector.objectives if not row.codes],
            )
        )
        status.add(unmapped_data(sector.code, unmapped_cells(sector, table)))
        page = sector.pages[-1] if sector.pages else None
        if totals.scheme == PERCENT:
            rounding = max(len(percents) * 0.5 * 10**-totals.decimals, 0.01)
            status.add(
                percents_miss_declared_total(
                    sector.code, sector.declared_pct_total, percents, rounding, page
                )
            )
            status.add(percents_exceed_whole(sector.code, percents, rounding, page))
        elif totals.scheme != NO_WEIGHTS:
            summed = sum(weights) if weights else None
            status.add(
                weights_miss_declared_total(sector.code, sector.declared_total, summed, page)
            )
        for name in ("weight", "weighting_pct", "code", "deadline"):
            cells = [
                (row.row_index, cell.page, cell.text)
                for row in sector.objectives
                for cell in row.cells.get(name, [])
            ]
            status.add(column_contradicts_mapping(sector.code, name, cells, status.thresholds))
        status.add(
            indicator_target_swapped(
                sector.code,
                [row.fields.get("indicator", "") for row in sector.objectives],
                [row.fields.get("target", "") for row in sector.objectives],
            )
        )
        status.count_words(self.out.table("cells"), self.out.records)

    def judge_document(self) -> None:
        """Each reason for doubt also a finding, with its location (every doubt is data)."""
        for reason in self.status.final_reasons():
            self.finding(doubt_finding(reason))

    def mission_not_printed(self, sector: SectorRows, codes: list[str]) -> None:
        """Say why objectives have no mission: the document does not print it (no Missione
        column or field, no ``M 01`` prefix, no mission–programme code): a code's first
        number is not taken for one (:mod:`normalize.hierarchy`)."""
        if not codes:
            return
        shown = ", ".join(codes[:3]) + (", …" if len(codes) > 3 else "")
        page = sector.pages[0] if sector.pages else None
        self.finding(
            Finding(
                "mission_not_printed",
                INFO,
                "no Missione column or field, no M 01 prefix and no mission–programme code "
                f"(0101, 01.01): mission_code left empty for {len(codes)} objective(s) "
                f"({shown})",
                sector.code,
                None,
                describe_location(page, field="mission"),
                page,
            )
        )

    def check_totals(
        self, sector: SectorRows, weight_total: int, percents: list[float], totals: _SectorTotals
    ) -> None:
        location = describe_location(sector.pages[-1] if sector.pages else None, field="totale")
        page = sector.pages[-1] if sector.pages else None
        if totals.scheme == NO_WEIGHTS:
            self.finding(
                Finding(
                    "weights_absent",
                    INFO,
                    "the table prints no weight and no percentage; weights left empty",
                    sector.code,
                    None,
                    location,
                    page,
                )
            )
            return
        if totals.scheme == PERCENT:
            self.check_percent_total(sector, percents, totals, location, page)
            return
        if totals.scheme == POINTS and weight_total != 100:
            self.finding(
                Finding(
                    "points_total_not_100",
                    WARNING,
                    f"points sum to {weight_total}, not 100",
                    sector.code,
                    None,
                    location,
                    page,
                )
            )
        if sector.declared_total is None:
            self.finding(
                Finding(
                    "declared_total_missing",
                    WARNING,
                    f"no totale row; weights sum to {weight_total}",
                    sector.code,
                    None,
                    location,
                    page,
                )
            )
        elif sector.declared_total != weight_total:
            self.finding(
                Finding(
                    "weight_total_mismatch",
                    ERROR,
                    f"totale row says {sector.declared_total}, weights sum to {weight_total}",
                    sector.code,
                    None,
                    location,
                    page,
                )
            )
        if percents:
            rounding = len(percents) * 0.5 * 10**-totals.decimals
            if abs(sum(percents) - 100) > max(rounding, 0.01):
                self.finding(
                    Finding(
                        "weighting_pct_sum",
                        WARNING,
                        f"ponderazioni sum to {sum(percents):.4f}%, not 100%",
                        sector.code,
                        None,
                        location,
                        page,
                    )
                )

    def check_percent_total(
        self,
        sector: SectorRows,
        percents: list[float],
        totals: _SectorTotals,
        location: str,
        page: int | None,
    ) -> None:
        """A sector weighted by percentages only: they must make 100%, and so must the
        printed total when there is one."""
        total = sum(percents)
        rounding = max(len(percents) * 0.5 * 10**-totals.decimals, 0.01)
        declared = sector.declared_pct_total
        if declared is not None and abs(declared - total) > rounding:
            message = f"totale row says {declared}%, percentages sum to {total:.4f}%"
            self.finding(
                Finding("weight_total_mismatch", ERROR, message, sector.code, None, location, page)
            )
        if abs(total - 100) > rounding:
            message = f"percentages sum to {total:.4f}%, not 100%"
            self.finding(
                Finding("weighting_pct_sum", WARNING, message, sector.code, None, location, page)
            )

    def cells(self, sector: SectorRows, table: RawTable, row_objectives: Mapping[int, str]) -> None:
        merged_into = {}
        current = None
        for row_index in range(len(table.rows)):
            current = row_objectives.get(row_index, current)
            merged_into[row_index] = current
        if sector.table_index != self.emitted_table:
            self.emitted_table = sector.table_index
            self.emitted_cells = set()
        for row_index, row in enumerate(table.rows):
            for cell in row.cells:
                key = (row_index, cell.column)
                if key in self.emitted_cells:
                    continue
                self.emitted_cells.add(key)
                name = sector.cell_fields.get((row_index, cell.column))
                objective = (
                    merged_into[row_index] if name not in (None, "header", "total") else None
                )
                self.out.table("cells").append(
                    cell_record(
                        self.doc_id,
                        sector.table_index,
                        row_index,
                        cell,
                        name,
                        sector.code,
                        objective,
                    )
                )

    def document(self, extracted_at: dt.datetime, pipeline_version: str) -> None:
        """The ``documents`` row, with the status the whole reading earned."""
        self.out.table("documents").append(
            {
                "doc_id": self.doc_id,
                "source_name": self.raw.source_name,
                "source_sha256": self.raw.source_sha256,
                "source_format": self.raw.source_format,
                "extractor": self.raw.extractor,
                "ente": self.info.ente,
                "plan_title": self.info.plan_title,
                "period_start": self.info.period_start,
                "period_end": self.info.period_end,
                "page_count": self.raw.page_count,
                "extracted_at": extracted_at,
                "pipeline_version": pipeline_version,
                "signer_name": self.raw.signer_name,
                "signer_organization": self.raw.signer_organization,
                **self.status.columns(),
            }
        )


def unmapped_cells(
    sector: SectorRows, table: RawTable
) -> list[tuple[int, int, int | None, str, bool]]:
    """(row, column, page, text, mapped to a field) of the cells of the sector's data
    rows."""
    data_rows = {
        row
        for (row, _column), name in sector.cell_fields.items()
        if name not in ("header", "total")
    }
    return [
        (
            row_index,
            cell.column,
            cell.page,
            cell.text,
            (row_index, cell.column) in sector.cell_fields,
        )
        for row_index, row in enumerate(table.rows)
        if row_index in data_rows
        for cell in row.cells
    ]


def doubt_finding(reason: StatusReason) -> Finding:
    """A reason for doubt as a ``quality`` row (rule ``doubtful_reading``)."""
    return Finding(
        "doubtful_reading",
        WARNING,
        reason.text(),
        reason.sector_code,
        location=reason.location,
        page=reason.page,
        italian=reason.text_it(),
    )


#: The reader of each genre but the grid: the document's (table, sector) pairs, in order,
#: sector codes not yet made unique (:mod:`normalize.genre`).
GENRE_READERS: Mapping[str, Callable[[RawDocument, NormalizeSettings], list[SectorPair]]] = {
    CARDS: read_cards,
}


def read_sector_tables(
    raw: RawDocument, settings: NormalizeSettings, guess: GenreGuess | None = None
) -> tuple[list[RawTable], list[SectorRows]]:
    """The document's sector tables (a table split at the sector headings printed inside
    it) and what each holds, with sector codes made unique: the step both
    :func:`normalize_document` and ``piao inspect`` read tables with. ``guess``: the
    document's genre (detected when not given)."""
    view = performance_view(raw, None, settings.sector_heading_words)
    guess = guess or detect_genre(view, settings)
    reader = GENRE_READERS.get(guess.genre)
    pairs = reader(view, settings) if reader else list(iter_sector_rows(raw, settings))
    sectors = [sector for _table, sector in pairs]
    name_sector_codes(sectors, settings.sector_heading_words)
    return [table for table, _sector in pairs], sectors


def iter_sector_rows(
    raw: RawDocument, settings: NormalizeSettings, skipped: list[Finding] | None = None
) -> Iterator[tuple[RawTable, SectorRows]]:
    """Each sector table (a table split at the sector headings printed inside it) with what
    it holds, in document order; a table without a header row reads with the header of the
    table before it (:func:`normalize.sectors.iter_sectors`). Codes not yet made unique.
    Only the performance section's tables of a whole PIAO are read; the others give a
    finding to ``skipped`` (:func:`normalize.sections.performance_tables`)."""
    words = settings.sector_heading_words
    tables = performance_tables(raw.preamble, raw.tables, skipped, words)
    parts = (part for table in tables for part in split_at_heading_rows(table, words))
    return iter_sectors(parts, settings)


@dataclass(repr=False, eq=False)
class SectorPlan:
    """What the first pass over a document's sectors learns for the second: each sector's
    unique code, and the mission and strategic names printed anywhere (see module doc).

    The sectors themselves are kept (``kept``) for a small document; for a large one they
    are read again in the second pass, so that only one sector's rows are alive at a time
    (memory)."""

    codes: list[tuple[str, bool]]
    missions: dict[int, str]
    strategics: dict[str, str]
    kept: list[tuple[RawTable, SectorRows]] | None

    def sectors(
        self, raw: RawDocument, settings: NormalizeSettings
    ) -> Iterator[tuple[RawTable, SectorRows]]:
        """The sectors in document order with their unique codes, each dropped by the
        plan once given out."""
        if self.kept is not None:
            source = _given_out(self.kept)
            self.kept = None
        else:
            source = iter_sector_rows(raw, settings)
        for (table, sector), (code, derived) in zip(source, self.codes, strict=True):
            apply_sector_code(sector, code, derived)
            yield table, sector


def _given_out(pairs: list[tuple[RawTable, SectorRows]]) -> Iterator[tuple[RawTable, SectorRows]]:
    """``pairs`` in order, each dropped from the list as it is given out (memory)."""
    pairs.reverse()
    while pairs:
        yield pairs.pop()


def plan_sectors(raw: RawDocument, settings: NormalizeSettings, *, keep: bool) -> SectorPlan:
    """The first pass over the sectors (see :class:`SectorPlan`); ``keep``: keep them."""
    kept: list[tuple[RawTable, SectorRows]] = []
    read: list[tuple[str, str]] = []
    missions: dict[int, str] = {}
    strategics: dict[str, str] = {}
    for table, sector in iter_sector_rows(raw, settings):
        read.append((sector.code, sector.heading))
        found_missions, found_strategics = known_names([sector])
        for code, name in found_missions.items():
            missions.setdefault(code, name)
        for s_code, s_name in found_strategics.items():
            strategics.setdefault(s_code, s_name)
        if keep:
            kept.append((table, sector))
    codes = sector_codes(read, settings.sector_heading_words)
    return SectorPlan(codes, missions, strategics, kept if keep else None)


def plan_pairs(pairs: list[SectorPair], settings: NormalizeSettings) -> SectorPlan:
    """The first pass (:class:`SectorPlan`) over sectors a genre's reader already read."""
    missions, strategics = known_names(sector for _table, sector in pairs)
    read = [(sector.code, sector.heading) for _table, sector in pairs]
    codes = sector_codes(read, settings.sector_heading_words)
    return SectorPlan(codes, missions, strategics, list(pairs))


def genre_plan(
    raw: RawDocument,
    view: RawDocument,
    settings: NormalizeSettings,
    guess: GenreGuess,
    *,
    keep: bool,
) -> SectorPlan:
    """The first pass over the sectors with the reader of the document's genre (the one
    place where the genre chooses the reader; the grid's is :func:`plan_sectors`, which
    finds the performance section itself). ``view``: the document as its performance
    section (:func:`normalize.sections.performance_view`), read by the other genres."""
    reader = GENRE_READERS.get(guess.genre)
    if reader is None:
        return plan_sectors(raw, settings, keep=keep)
    return plan_pairs(reader(view, settings), settings)


def iter_records(
    raw: RawDocument,
    settings: NormalizeSettings | Mapping[str, object] | None = None,
    *,
    extracted_at: dt.datetime | None = None,
    pipeline_version: str = "",
    ente: str | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    reread: bool = False,
) -> Iterator[dict[str, list[Record]]]:
    """The records of one attachment a part at a time, table by table: first the
    extractor's notes, then each sector's, in document order, and last the ``documents``
    row, whose status (:mod:`normalize.status`) the whole reading decides, with a
    ``doubtful_reading`` finding per reason for doubt. Each sector's rows are dropped once
    its records are made, so a
    consumer that writes each part as it comes holds one sector at a time (memory).

    ``ente`` and ``period`` override what the document's preamble says (see :func:`plan_info`).
    ``reread``: read each sector table twice rather than hold them all between the two
    passes (:class:`SectorPlan`; a large document: more time, less memory).
    """
    resolved = NormalizeSettings.resolve(settings)
    info = plan_info(raw, ente, period)
    builder = _Builder(raw, resolved, info)
    for note in raw.notes:
        builder.finding(note_finding(note))
    skipped: list[Finding] = []
    view = performance_view(raw, skipped, resolved.sector_heading_words)
    for finding in skipped:  # tables outside the performance section of a whole PIAO
        builder.finding(finding)
    guess = detect_genre(view, resolved)
    if guess.genre != GRID:
        builder.finding(genre_finding(guess))
    builder.status.add(low_genre_confidence(guess.genre, guess.confidence, guess.reasons))
    builder.status.add(cells_left_uncut(raw.notes))
    yield builder.take()
    if guess.genre == OBJECTIVE_LIST and (
        listed := objective_list_records(view, resolved, info.period_start)
    ):
        builder.status.count_words(listed.get("cells", []), listed)
        yield listed
    else:
        plan = genre_plan(raw, view, resolved, guess, keep=not reread)
        for table, sector in plan.sectors(raw, resolved):
            builder.sector(sector, table, plan.missions, plan.strategics)
            yield builder.take()
    builder.judge_document()
    builder.document(extracted_at or dt.datetime.now(dt.UTC), pipeline_version)
    yield builder.take()


def normalize_document(
    raw: RawDocument,
    settings: NormalizeSettings | Mapping[str, object] | None = None,
    *,
    extracted_at: dt.datetime | None = None,
    pipeline_version: str = "",
    ente: str | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> NormalizedDocument:
    """All records of one attachment, for the tables of :mod:`schema`, in document order
    (:func:`iter_records`, gathered).

    ``ente`` and ``period`` override what the document's preamble says (see :func:`plan_info`).
    """
    parts = iter_records(
        raw,
        settings,
        extracted_at=extracted_at,
        pipeline_version=pipeline_version,
        ente=ente,
        period=period,
    )
    return gathered(raw.doc_id, parts)


def gathered(doc_id: str, parts: Iterable[Mapping[str, list[Record]]]) -> NormalizedDocument:
    """The parts of :func:`iter_records` as one document, every table present (empty
    when the document has no row of it)."""
    document = NormalizedDocument(doc_id)
    for part in parts:
        for name, rows in part.items():
            document.table(name).extend(rows)
    for name in ("sectors", "objectives", "items", "dates", "quality", "cells", "targets"):
        document.table(name)
    return document
