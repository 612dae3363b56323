"""Loading the tables as pandas DataFrames, and the small derived frames the report draws."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa

import schema

REPORT_TABLES = ("documents", "sectors", "objectives", "items", "dates", "quality")
"""The tables the report reads (``cells`` is left out: it is the largest and not shown)."""

DEADLINE_FIELDS = ("deadline", "period")
"""``dates.field`` values that come from the Tempi di realizzazione cell."""

Tables = dict[str, pd.DataFrame]

ALL_TABLES: dict[str, schema.Table] = {
    **schema.TABLES,
    **schema.DERIVED_TABLES,
    **schema.DIFF_TABLES,
}
"""Every table a folder may hold: extracted, derived across editions (lineage), compared."""


def read_arrow(data_dir: str | Path, name: str) -> pa.Table | None:
    """The table ``name`` stored in ``data_dir`` (None when not written yet). The one place
    the report reads a stored table: storage changes touch only this function."""
    return schema.read_table(ALL_TABLES[name], data_dir)


def load_arrow_tables(data_dir: str | Path, names: Iterable[str] | None = None) -> dict:
    """The tables present in ``data_dir`` (all known ones, or ``names``) as Arrow tables."""
    found = {}
    for name in names if names is not None else ALL_TABLES:
        arrow = read_arrow(data_dir, name)
        if arrow is not None:
            found[name] = arrow
    return found


def export_tables(data_dir: str | Path) -> dict[str, pa.Table]:
    """Every table of the extraction present in ``data_dir`` (and ``lineage``), in schema
    order, for ``piao export``."""
    return load_arrow_tables(data_dir, [*schema.TABLES, *schema.DERIVED_TABLES])


def load_tables(data_dir: str | Path, names: Iterable[str] = REPORT_TABLES) -> Tables:
    """The tables stored in ``data_dir`` as DataFrames, by name; a table not written yet is
    an empty frame with the schema's columns (so callers never test for missing tables)."""
    tables: Tables = {}
    for name in names:
        arrow = read_arrow(data_dir, name)
        if arrow is None:
            arrow = ALL_TABLES[name].schema.empty_table()
        tables[name] = arrow.to_pandas()
    return tables


def document_ids(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """doc_ids of the documents in the tables, in stored order."""
    documents = tables.get("documents")
    if documents is None or documents.empty:
        return []
    return list(dict.fromkeys(documents["doc_id"]))


def for_document(tables: Mapping[str, pd.DataFrame], doc_id: str) -> Tables:
    """Only the rows of one document, every table re-indexed from 0."""
    return {
        name: frame[frame["doc_id"] == doc_id].reset_index(drop=True)
        for name, frame in tables.items()
    }


def sector_order(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """Sector codes in the order of the document (the sectors table), then any others."""
    order = list(dict.fromkeys(tables["sectors"]["sector_code"]))
    extra = [code for code in tables["objectives"]["sector_code"] if code not in order]
    return order + list(dict.fromkeys(extra))


def weight_by_sector_mission(objectives: pd.DataFrame) -> pd.DataFrame:
    """Sum of the weights: one row per sector (document order), one column per mission code
    (ascending; missing missions as 0)."""
    frame = objectives.assign(mission_code=objectives["mission_code"].fillna(0).astype(int))
    pivot = frame.pivot_table(
        index="sector_code",
        columns="mission_code",
        values="weight",
        aggfunc="sum",
        fill_value=0,
        sort=True,
    )
    order = list(dict.fromkeys(objectives["sector_code"]))
    return pivot.reindex(order).fillna(0).astype(int)


def deadlines(dates: pd.DataFrame) -> pd.DataFrame:
    """Deadlines: valid dates read from the Tempi di realizzazione cells (field deadline or
    period), one row per objective, item and date, with ``month`` (first day of the month)."""
    frame = dates[
        dates["field"].isin(DEADLINE_FIELDS) & dates["valid"].astype(bool) & dates["date"].notna()
    ].copy()
    frame["date"] = pd.to_datetime(frame["date"])
    frame = frame.drop_duplicates(
        ["doc_id", "sector_code", "objective_code", "item_code", "item", "date"]
    )
    frame["month"] = frame["date"].dt.to_period("M").dt.to_timestamp()
    return frame.sort_values(["date", "sector_code", "objective_code"]).reset_index(drop=True)
