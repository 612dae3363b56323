"""Typed, atomic storage of the tables."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import schema
from schema.io import read_table, replace_documents, to_arrow, write_tables_atomically
from schema.tables import DOCUMENTS, OBJECTIVES, TABLES


def test_every_table_has_its_key_among_its_columns():
    for table in TABLES.values():
        assert set(table.key) <= set(table.column_names), table.name
        assert len(set(table.column_names)) == len(table.column_names)


def test_records_are_typed_by_the_schema(normalized):
    arrow = to_arrow(OBJECTIVES, normalized.records["objectives"])
    assert arrow.schema == OBJECTIVES.schema
    assert arrow.num_rows == 48


def test_a_record_that_does_not_fit_names_the_table():
    with pytest.raises(ValueError, match="'documents'"):
        to_arrow(DOCUMENTS, [{"doc_id": "x", "page_count": "ten"}])


def test_replacing_a_document_keeps_the_others(normalized, tmp_path: Path):
    records = {name: list(rows) for name, rows in normalized.records.items()}
    other = {name: [{**row, "doc_id": "0" * 16} for row in rows] for name, rows in records.items()}
    replace_documents(other, tmp_path)
    replace_documents(records, tmp_path)
    replace_documents(records, tmp_path)
    objectives = read_table(OBJECTIVES, tmp_path)
    assert objectives is not None
    counts = objectives.group_by("doc_id").aggregate([("objective_code", "count")]).to_pylist()
    assert sorted((c["doc_id"], c["objective_code_count"]) for c in counts) == [
        ("0" * 16, 48),
        (normalized.doc_id, 48),
    ]


def test_failed_write_leaves_previous_files_and_no_temp(tmp_path: Path, monkeypatch):
    good = pa.table({"x": [1]})
    write_tables_atomically({"documents": good}, tmp_path)

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", explode)
    with pytest.raises(OSError, match="disk full"):
        write_tables_atomically({"documents": pa.table({"x": [2]})}, tmp_path)
    assert pq.read_table(tmp_path / "documents.parquet").to_pylist() == [{"x": 1}]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents.parquet"]


def test_package_exports():
    assert schema.TABLES is TABLES
