"""A write's tables split into files by documents: runs of rows, then slices."""

from __future__ import annotations

import pyarrow as pa

from storage.store import doc_runs, rows_in_runs


def table(doc_ids: list[str]) -> pa.Table:
    return pa.table({"doc_id": doc_ids, "row": list(range(len(doc_ids)))})


def test_doc_runs_finds_each_run_of_a_document():
    arrow = table(["a", "a", "b", "a", "c", "c"])
    assert doc_runs(arrow) == {"a": [(0, 2), (3, 1)], "b": [(2, 1)], "c": [(4, 2)]}


def test_rows_in_runs_keeps_the_table_order():
    arrow = table(["a", "a", "b", "a", "c", "c"])
    rows = rows_in_runs(arrow, doc_runs(arrow), ["c", "a"])
    assert rows["row"].to_pylist() == [0, 1, 3, 4, 5]
    assert rows_in_runs(arrow, doc_runs(arrow), ["z"]).num_rows == 0


def test_rows_in_runs_of_every_document_is_the_table_itself():
    arrow = table(["a", "a"])
    assert rows_in_runs(arrow, doc_runs(arrow), ["a"]) is arrow
