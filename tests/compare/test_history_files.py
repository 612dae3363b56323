"""The history's grouped layout (compare/history_files.py): where a series' rows go, and
the slices that drop and merge them without a sort."""

from __future__ import annotations

import pyarrow as pa

from compare import history_files as files
from compare.lineage import EditionKey

SCHEMA = pa.schema([("series", pa.string()), ("row", pa.int32())])


def table(rows: list[tuple[str, int]]) -> pa.Table:
    return pa.Table.from_pylist([{"series": s, "row": r} for s, r in rows], schema=SCHEMA)


def key(doc_id: str, ente: str | None, ente_key: str | None = None) -> EditionKey:
    return EditionKey(doc_id, ente, "allegato1", 2024, f"{doc_id}.txt", ente_key=ente_key)


def test_a_series_group_follows_its_ente_key_and_attachment_not_its_name():
    spelled = key("aa11", "Comune di Forlì", "forli")
    other = key("bb22", "FORLI'", "forli")
    assert spelled.own_series != other.own_series
    assert files.part_of(spelled.group) == files.part_of(other.group)
    assert len(files.part_of(spelled.group)) == 2


def test_a_document_without_ente_is_in_its_documents_group():
    assert files.part_of(key("9e0ee8e7f0304956", None).group) == "9e"


def test_merged_rows_come_series_by_series_in_name_order():
    kept = table([("a", 1), ("a", 2), ("c", 3), ("d", 4)])
    added = table([("b", 5), ("b", 6), ("e", 7)])
    merged = files.merged_by_series(kept, added, SCHEMA)
    assert merged["row"].to_pylist() == [1, 2, 5, 6, 3, 4, 7]
    assert merged["row"].num_chunks == 4  # adjacent kept runs are one slice


def test_records_at_positions_come_in_order_from_runs_of_slices():
    rows = table([("a", 0), ("a", 1), ("b", 2), ("c", 3), ("c", 4), ("d", 5)])
    records = files.records_at(rows, [0, 1, 3, 4, 5])
    assert [r["row"] for r in records] == [0, 1, 3, 4, 5]
    assert [r["series"] for r in records] == ["a", "a", "c", "c", "d"]
    assert files.records_at(rows, [2]) == [{"series": "b", "row": 2}]
    assert files.records_at(rows, []) == []
