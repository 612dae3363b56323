"""schema.records: compact records read like dicts, and one column read from many."""

from __future__ import annotations

from schema.records import RECORD_TYPES, column_values

Objective = RECORD_TYPES["objectives"]
Document = RECORD_TYPES["documents"]


def test_column_of_records_of_one_table() -> None:
    records = [Objective(doc_id="d", objective_code=code) for code in ("1.1.1", "4.1.2.1")]
    assert column_values(records, "objective_code") == ["1.1.1", "4.1.2.1"]
    assert column_values(records, "sector_code") == [None, None]


def test_column_of_dicts_and_records_mixed() -> None:
    records = [Objective(doc_id="d", objective_code="1.1.1"), {"objective_code": "2.1.1"}, {}]
    assert column_values(records, "objective_code") == ["1.1.1", "2.1.1", None]


def test_a_record_without_the_column_reads_none() -> None:
    records = [Objective(doc_id="d", objective_code="1.1.1"), Document(doc_id="d")]
    assert column_values(records, "objective_code") == ["1.1.1", None]
    assert column_values(records, "doc_id") == ["d", "d"]


def test_no_records_no_values() -> None:
    assert column_values([], "doc_id") == []
