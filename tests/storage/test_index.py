"""The index of committed documents: one file that a run reads instead of every group."""

from __future__ import annotations

import shutil

import pyarrow as pa

from storage.store import (
    committed_documents,
    index_path,
    read_table,
    replace_documents,
    without_rows,
)


def clone(records, doc_id: str) -> dict[str, list[dict]]:
    return {name: [{**row, "doc_id": doc_id} for row in rows] for name, rows in records.items()}


def listed(out) -> list[str]:
    return sorted(read_table("documents", out)["doc_id"].to_pylist())


def test_each_write_keeps_the_index_equal_to_documents(normalized, tmp_path):
    ids = ["aa" + "0" * 14, "bb" + "0" * 14, "cc" + "0" * 14]
    for doc_id in ids:
        replace_documents(clone(normalized.records, doc_id), tmp_path)
    replace_documents(clone(normalized.records, "dd" + "0" * 14), tmp_path, remove=[ids[0]])
    index = committed_documents(tmp_path, build=False)
    assert sorted(index["doc_id"].to_pylist()) == listed(tmp_path) == [*ids[1:], "dd" + "0" * 14]
    stored = read_table("documents", tmp_path).to_pylist()
    assert sorted(index.to_pylist(), key=str) == sorted(stored, key=str)


def test_a_folder_without_an_index_gets_one_from_its_tables(normalized, tmp_path):
    replace_documents(clone(normalized.records, "aa" + "0" * 14), tmp_path)
    index_path(tmp_path).unlink()
    assert committed_documents(tmp_path)["doc_id"].to_pylist() == ["aa" + "0" * 14]
    assert index_path(tmp_path).is_file()


def test_without_rows_drops_the_marked_rows_only():
    table = pa.table({"x": list(range(7))})
    marks = [True, False, False, True, True, False, True]
    assert without_rows(table, marks)["x"].to_pylist() == [1, 2, 5]
    assert without_rows(table, [True] * 7).num_rows == 0
    assert without_rows(table, [False] * 7).equals(table)


def test_an_index_without_tables_is_dropped(normalized, tmp_path):
    """Tables removed by hand (``make clean`` of an earlier version) leave no index that
    would call their documents stored."""
    replace_documents(clone(normalized.records, "aa" + "0" * 14), tmp_path)
    shutil.rmtree(tmp_path / "documents")
    assert committed_documents(tmp_path) is None
    assert not index_path(tmp_path).exists()


def test_without_row_numbers_drops_those_rows_only():
    from storage.store import without_row_numbers

    table = pa.table({"x": list(range(7))})
    assert without_row_numbers(table, [0, 3, 4, 6])["x"].to_pylist() == [1, 2, 5]
    assert without_row_numbers(table, []) is table
    assert without_row_numbers(table, list(range(7))).num_rows == 0
