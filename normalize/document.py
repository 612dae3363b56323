"""A whole attachment: raw tables -> records for every table of :mod:`schema`.

Two passes: every sector table is read first (:func:`normalize.sectors.read_sector`), so that
mission and strategic names printed anywhere in the document can name an objective whose
carried-over cell disagrees with its code; then each objective becomes records, checked
against its sector's totals.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from extract.model import ExtractNote, RawDocument
from normalize.codes import mission_of, parse_mission, parse_strategic, strategic_of, title_after
from normalize.dates import DateMention, find_dates
from normalize.items import Item, align_items, letter_gaps
from normalize.quality import ERROR, INFO, WARNING, Finding, describe_location
from normalize.sectors import ObjectiveRow, SectorRows, read_sector
from normalize.settings import NormalizeSettings
from normalize.weights import derive_percent, parse_percent, parse_weight, percent_decimals

Record = dict[str, object]
_PLAN_PERIOD = re.compile(r"\b(20\d\d)\s*[-/–]\s*(20\d\d|\d\d)\b")
_ENTE = re.compile(
    r"\b(Comune|Unione|Provincia|Citt[àa] metropolitana) d[i']\s*([A-ZÀ-Ý][\w'À-ÿ ]+)"
)


@dataclass
class NormalizedDocument:
    """Records for each table (keyed by table name) and the findings among them."""

    doc_id: str
    records: dict[str, list[Record]] = field(default_factory=dict)

    def table(self, name: str) -> list[Record]:
        return self.records.setdefault(name, [])


@dataclass(frozen=True, slots=True)
class DocumentInfo:
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
    text says (the pipeline decides which source wins, see README "Batch runs").
    """
    lines = [line for line in raw.preamble.splitlines() if line.strip()]
    title = next((line for line in lines if re.search(r"piano|piao", line, re.I)), None)
    if title is None and lines:
        title = lines[0]
    if title:
        title = re.sub(r"^(?:al|del|allegato \w+ al)\s+", "", title.strip(), flags=re.I)
    texts = [raw.preamble, *(table.heading for table in raw.tables)]
    printed = next((m for text in texts if (m := _PLAN_PERIOD.search(text))), None)
    start = end = None
    if printed:
        first, last = int(printed.group(1)), printed.group(2)
        last_year = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
        start, end = dt.date(first, 1, 1), dt.date(last_year, 12, 31)
    if period is not None:
        start, end = period
    if ente is None:
        found = next((m for text in texts if (m := _ENTE.search(text))), None)
        ente = f"{found.group(1)} di {found.group(2).strip()}" if found else None
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


@dataclass
class _SectorTotals:
    total: int | None
    decimals: int


def sector_totals(sector: SectorRows) -> _SectorTotals:
    weights = [parse_weight(o.fields.get("weight", "")) for o in sector.objectives]
    computed = sum(w for w in weights if w is not None)
    decimals = Counter(
        d
        for o in sector.objectives
        if (d := percent_decimals(o.fields.get("weighting_pct", ""))) is not None
    ).most_common(1)
    total = sector.declared_total if sector.declared_total == computed else computed
    return _SectorTotals(total or None, decimals[0][0] if decimals else 2)


class _Builder:
    """Turns the sectors of one document into records (one method per table)."""

    def __init__(self, raw: RawDocument, settings: NormalizeSettings, info: DocumentInfo) -> None:
        self.raw = raw
        self.settings = settings
        self.info = info
        self.out = NormalizedDocument(raw.doc_id)
        self.default_year = info.period_start.year if info.period_start else None

    def finding(self, finding: Finding) -> None:
        self.out.table("quality").append(finding.record(self.raw.doc_id))

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
        self,
        sector: SectorRows,
        row: ObjectiveRow,
        code: str,
        level: str,
        derived: object,
        carried: object,
    ) -> None:
        """Record that the code's mission/strategic objective disagrees with the cell
        carried down to the row (the code wins)."""
        location, page, line = row.location(level)
        message = (
            f"code {code} gives {level} {derived}, the {level} cell carried down says "
            f"{carried}; kept {derived}"
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
        """Mission and strategic objective, derived from the code; conflicts recorded."""
        carried_mission, mission_name = parse_mission(row.context.get("mission", ""))
        carried_strategic, strategic_name = parse_strategic(row.context.get("strategic", ""))
        if not row.codes:
            return {
                "mission_code": carried_mission,
                "mission_name": mission_name or None,
                "strategic_code": carried_strategic,
                "strategic_name": strategic_name or None,
            }
        mission, strategic = mission_of(code), strategic_of(code)
        if carried_mission is not None and carried_mission != mission:
            self.code_conflict(sector, row, code, "mission", mission, carried_mission)
            mission_name = missions.get(mission, "")
        if carried_strategic is not None and carried_strategic != strategic:
            self.code_conflict(sector, row, code, "strategic", strategic, carried_strategic)
            strategic_name = strategics.get(strategic, "")
        return {
            "mission_code": mission,
            "mission_name": mission_name or None,
            "strategic_code": strategic,
            "strategic_name": strategic_name or None,
        }

    def weighting(
        self, sector: SectorRows, row: ObjectiveRow, code: str, totals: _SectorTotals
    ) -> tuple[int | None, float | None, bool]:
        weight = parse_weight(row.fields.get("weight", ""))
        pct = parse_percent(row.fields.get("weighting_pct", ""))
        location, page, line = row.location("weight")
        if weight is None:
            self.finding(
                Finding(
                    "weight_missing",
                    ERROR,
                    "no weight (peso) in the row",
                    sector.code,
                    code,
                    location,
                    page,
                    line,
                )
            )
            return None, pct, False
        if pct is None and totals.total:
            pct = derive_percent(weight, totals.total, totals.decimals)
            self.finding(
                Finding(
                    "weighting_pct_derived",
                    WARNING,
                    f"ponderazione missing; derived as {weight}/{totals.total} = {pct}%",
                    sector.code,
                    code,
                    location,
                    page,
                    line,
                )
            )
            return weight, pct, True
        if pct is not None and totals.total:
            expected = weight / totals.total * 100
            tolerance = max(self.settings.percent_tolerance, 0.5 * 10**-totals.decimals)
            if abs(pct - expected) > tolerance + 1e-9:
                location, page, line = row.location("weighting_pct")
                self.finding(
                    Finding(
                        "weighting_pct_mismatch",
                        WARNING,
                        f"ponderazione {pct}% but {weight}/{totals.total} = {expected:.4f}%",
                        sector.code,
                        code,
                        location,
                        page,
                        line,
                    )
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
        return {
            "doc_id": self.raw.doc_id,
            "sector_code": sector.code,
            "objective_code": code,
            "codes": [mention.code for mention in row.codes],
            "row_number": number,
            **hierarchy,
            "programme_line": row.context.get("programme_line") or None,
            "title": title_after(objective_text, row.codes[0].end) if row.codes else None,
            "description": objective_text or None,
            "realization_period": row.fields.get("deadline") or None,
            "period_start": period[0],
            "period_end": period[1],
            "assessore": row.fields.get("assessore") or None,
            "responsible": row.fields.get("responsible") or None,
            "weight": weight,
            "weighting_pct": pct,
            "weighting_pct_derived": derived,
            "source_pages": row.pages,
            "source_line": row.line,
            "table_index": row.table_index,
            "row_index": row.row_index,
        }

    # items and dates ----------------------------------------------------------------------

    def items(self, sector: SectorRows, row: ObjectiveRow, code: str) -> list[Item]:
        items = align_items(code, row.fields, self.settings.item_letters)
        for seq, item in enumerate(items, start=1):
            self.out.table("items").append(
                {
                    "doc_id": self.raw.doc_id,
                    "sector_code": sector.code,
                    "objective_code": code,
                    "item_seq": seq,
                    "item_code": item.item_code,
                    "item": item.item,
                    "indicator": item.texts.get("indicator"),
                    "target": item.texts.get("target"),
                    "deadline": item.texts.get("deadline"),
                    "aligned": item.aligned,
                }
            )
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
        deadline_lettered = any(item.item and item.texts.get("deadline") for item in items)
        sources: list[tuple[str, str | None, str | None, str | None]] = [
            ("objective", code, None, row.fields.get("objective"))
        ]
        for item in items:
            for name in ("indicator", "target", "deadline"):
                if name == "deadline" and not deadline_lettered:
                    continue
                sources.append((name, item.item_code, item.item, item.texts.get(name)))
        if not deadline_lettered:
            sources.append(("period", code, None, row.fields.get("deadline")))
        period_mentions: list[DateMention] = []
        for name, item_code, letter, text in sources:
            for mention in self.dates(text):
                if name in ("period", "deadline"):
                    period_mentions.append(mention)
                self.out.table("dates").append(
                    {
                        "doc_id": self.raw.doc_id,
                        "sector_code": sector.code,
                        "objective_code": code,
                        "item_code": item_code,
                        "item": letter,
                        "field": name,
                        "text": mention.text,
                        "offset": mention.start,
                        "date": mention.date,
                        "start_date": mention.start_date,
                        "precision": mention.precision,
                        "kind": mention.kind,
                        "valid": mention.valid,
                    }
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
        self, sector: SectorRows, missions: Mapping[int, str], strategics: Mapping[str, str]
    ) -> None:
        for finding in sector.findings:
            self.finding(finding)
        totals = sector_totals(sector)
        used: set[str] = set()
        weights: list[int] = []
        percents: list[float] = []
        row_objectives: dict[int, str] = {}
        for number, row in enumerate(sector.objectives, start=1):
            code = self.objective_code(sector, row, used)
            row_objectives[row.row_index] = code
            hierarchy = self.hierarchy(sector, row, code, missions, strategics)
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
        self.out.table("sectors").append(
            {
                "doc_id": self.raw.doc_id,
                "sector_code": sector.code,
                "sector_name": sector.name,
                "declared_weight_total": sector.declared_total,
                "weight_total": sum(weights),
                "objective_count": len(sector.objectives),
                "heading": sector.heading,
                "source_pages": sector.pages,
            }
        )
        self.cells(sector, row_objectives)

    def check_totals(
        self, sector: SectorRows, weight_total: int, percents: list[float], totals: _SectorTotals
    ) -> None:
        location = describe_location(sector.pages[-1] if sector.pages else None, field="totale")
        page = sector.pages[-1] if sector.pages else None
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

    def cells(self, sector: SectorRows, row_objectives: Mapping[int, str]) -> None:
        table = self.raw.tables[sector.table_index]
        merged_into = {}
        current = None
        for row_index in range(len(table.rows)):
            current = row_objectives.get(row_index, current)
            merged_into[row_index] = current
        for row_index, row in enumerate(table.rows):
            for cell in row.cells:
                name = sector.cell_fields.get((row_index, cell.column))
                objective = (
                    merged_into[row_index] if name not in (None, "header", "total") else None
                )
                self.out.table("cells").append(
                    {
                        "doc_id": self.raw.doc_id,
                        "table_index": sector.table_index,
                        "row_index": row_index,
                        "column_index": cell.column,
                        "sector_code": sector.code,
                        "objective_code": objective,
                        "field": name,
                        "page": cell.page,
                        "line": cell.line,
                        "bbox": list(cell.bbox) if cell.bbox else None,
                        "text": cell.text,
                        "source_table": cell.source_table,
                        "source_row": cell.source_row,
                        "sheet": cell.sheet,
                        "ocr": cell.ocr_confidence is not None,
                        "ocr_confidence": cell.ocr_confidence,
                    }
                )

    def document(self, extracted_at: dt.datetime, pipeline_version: str) -> None:
        self.out.table("documents").append(
            {
                "doc_id": self.raw.doc_id,
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
            }
        )


def normalize_document(
    raw: RawDocument,
    settings: NormalizeSettings | Mapping[str, object] | None = None,
    *,
    extracted_at: dt.datetime | None = None,
    pipeline_version: str = "",
    ente: str | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> NormalizedDocument:
    """All records of one attachment, for the tables of :mod:`schema`, in document order.

    ``ente`` and ``period`` override what the document's preamble says (see :func:`plan_info`).
    """
    resolved = NormalizeSettings.resolve(settings)
    info = plan_info(raw, ente, period)
    builder = _Builder(raw, resolved, info)
    builder.document(extracted_at or dt.datetime.now(dt.UTC), pipeline_version)
    for note in raw.notes:
        builder.finding(note_finding(note))
    sectors = [read_sector(table, resolved) for table in raw.tables]
    missions, strategics = known_names(sectors)
    for sector in sectors:
        builder.sector(sector, missions, strategics)
    for name in ("sectors", "objectives", "items", "dates", "quality", "cells"):
        builder.out.table(name)
    return builder.out
