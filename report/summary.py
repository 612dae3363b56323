"""The plan at a glance: sectors with their totals, and row counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from report.data import sector_order


@dataclass(frozen=True, slots=True)
class SectorSummary:
    code: str
    name: str
    objectives: int
    weight_total: int
    declared_total: int | None

    @property
    def totals_agree(self) -> bool | None:
        """True / False when a totale row was printed, None when there is none."""
        if self.declared_total is None:
            return None
        return self.declared_total == self.weight_total


@dataclass(frozen=True, slots=True)
class Summary:
    doc_id: str
    title: str
    ente: str
    source_name: str
    period_start: dt.date | None
    period_end: dt.date | None
    page_count: int | None
    sectors: list[SectorSummary]
    objectives: int
    items: int
    lettered_items: int
    misaligned_items: int
    dates: int
    invalid_dates: int
    findings: int
    findings_by_severity: dict[str, int] = field(default_factory=dict)

    @property
    def weight_total(self) -> int:
        return sum(sector.weight_total for sector in self.sectors)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _optional_int(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _optional_date(value: object) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def summary(tables: Mapping[str, pd.DataFrame]) -> Summary:
    """Summary of ONE document's tables (see :func:`report.data.for_document`)."""
    documents = tables["documents"]
    document = documents.iloc[0] if not documents.empty else pd.Series(dtype=object)
    objectives, sectors = tables["objectives"], tables["sectors"]
    by_code = {row.sector_code: row for row in sectors.itertuples(index=False)}
    sector_rows = []
    for code in sector_order(tables):
        mine = objectives[objectives["sector_code"] == code]
        row = by_code.get(code)
        sector_rows.append(
            SectorSummary(
                code=code,
                name=_text(row.sector_name) if row is not None else "",
                objectives=len(mine),
                weight_total=int(mine["weight"].fillna(0).sum()),
                declared_total=_optional_int(row.declared_weight_total)
                if row is not None
                else None,
            )
        )
    items, dates, quality = tables["items"], tables["dates"], tables["quality"]
    return Summary(
        doc_id=_text(document.get("doc_id")),
        title=_text(document.get("plan_title")),
        ente=_text(document.get("ente")),
        source_name=_text(document.get("source_name")),
        period_start=_optional_date(document.get("period_start")),
        period_end=_optional_date(document.get("period_end")),
        page_count=_optional_int(document.get("page_count")),
        sectors=sector_rows,
        objectives=len(objectives),
        items=len(items),
        lettered_items=int(items["item"].notna().sum()),
        misaligned_items=int((~items["aligned"].astype(bool)).sum()),
        dates=len(dates),
        invalid_dates=int((~dates["valid"].astype(bool)).sum()),
        findings=len(quality),
        findings_by_severity={
            str(k): int(v) for k, v in quality["severity"].value_counts(sort=False).items()
        },
    )
