"""schema.records: compact records read like dicts, and one column read from many."""

from __future__ import annotations

from schema.records import RECORD_TYPES, column_values, key_values

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


def test_get_reads_a_column_and_gives_the_default_for_any_other_name() -> None:
    record = Objective(doc_id="d", objective_code="1.1.1")
    assert (record.get("objective_code"), record.get("sector_code")) == ("1.1.1", None)
    assert (record.get("no_such_column"), record.get("no_such_column", 0)) == (None, 0)


def test_key_values_of_records_are_tuples_of_their_columns() -> None:
    records = [Objective(doc_id="d", sector_code=s, objective_code="1.1") for s in ("A", "B")]
    names = ("doc_id", "sector_code", "objective_code")
    assert list(key_values(records, names)) == [("d", "A", "1.1"), ("d", "B", "1.1")]


def test_key_values_of_one_column_are_one_tuples() -> None:
    assert list(key_values([Document(doc_id="d"), Document(doc_id="e")], ("doc_id",))) == [
        ("d",),
        ("e",),
    ]


def test_key_values_of_dicts_and_other_records_read_none_where_a_column_lacks() -> None:
    records = [Objective(doc_id="d", objective_code="1.1"), {"doc_id": "e"}, Document(doc_id="f")]
    assert list(key_values(records, ("doc_id", "objective_code"))) == [
        ("d", "1.1"),
        ("e", None),
        ("f", None),
    ]
