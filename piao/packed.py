"""A batch's documents as Arrow tables: the rows typed where they are made.

In a batch of several workers the parent does what cannot run in parallel: it takes each
document's rows, writes them and reports progress. Sent as records (Python objects), a
document cost the parent its unpickling, a second pass making its keys unique and the
typing of every row (:func:`storage.store.to_arrow`): ~40 ms of the parent's CPU per text
document, a third of what a worker spends on it, so two workers waited on one parent.

A worker therefore sends its document *packed*: each table already an Arrow table of the
schema's columns (pickled as buffers, not objects), with the :class:`DocumentSummary` the
run reports (:func:`piao.pipeline.packed_job`, what a worker runs, packs each outcome with
:func:`pack`), and the parent writes the tables as they are
(:func:`storage.store.replace_tables`). A document's rows are made unique by
:func:`piao.pipeline.process_document` and documents of one batch have distinct doc_ids, so
nothing is left to check row by row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import pyarrow as pa

import schema
from piao.jobs import DocumentSummary, Outcome
from storage.store import EncodedPart, parquet_bytes


def packed_tables(records: Mapping[str, Sequence[Mapping[str, object]]]) -> dict[str, pa.Table]:
    """A document's records as Arrow tables, one per table of the schema (tables it has no
    rows in left out)."""
    return {
        name: schema.to_arrow(table, records[name])
        for name, table in schema.TABLES.items()
        if records.get(name)
    }


class PackedTables(dict):
    """A packed document's tables (table -> Arrow table), with :attr:`parquet`: each
    table's rows encoded as the file that holds the document alone
    (:func:`storage.store.parquet_bytes`), so the parent writes such a file without
    encoding it."""

    parquet: dict[str, EncodedPart]


def pack(outcome: Outcome) -> Outcome:
    """A written outcome with its document packed (:attr:`Outcome.tables` and its
    :attr:`Outcome.summary`, the records dropped); any other outcome as it is."""
    document = outcome.document
    if document is None:
        return outcome
    summary = DocumentSummary.of(outcome.path, document, outcome.replaces)
    tables = PackedTables(packed_tables(document.records))
    tables.parquet = {name: parquet_bytes(table) for name, table in tables.items()}
    return dataclasses.replace(outcome, document=None, tables=tables, summary=summary)


def encoded_parts(outcomes: Sequence[Outcome]) -> dict[str, dict[str, EncodedPart]]:
    """doc_id -> table -> the Parquet bytes a worker encoded (packed outcomes only)."""
    return {
        outcome.summary.doc_id: outcome.tables.parquet
        for outcome in outcomes
        if isinstance(outcome.tables, PackedTables) and outcome.summary is not None
    }


def merged_tables(outcomes: Sequence[Outcome]) -> dict[str, pa.Table]:
    """The packed outcomes' tables, table by table, in the outcomes' order (documents
    given as records packed here)."""
    parts: dict[str, list[pa.Table]] = {name: [] for name in schema.TABLES}
    for outcome in outcomes:
        tables = outcome.tables
        if tables is None:
            assert outcome.document is not None
            tables = packed_tables(outcome.document.records)
        for name, table in tables.items():
            parts[name].append(table)
    return {name: pa.concat_tables(tables) for name, tables in parts.items() if tables}
