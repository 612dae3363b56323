"""Typed, atomic storage of the tables."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import schema
import storage.store
from schema.io import read_table, replace_documents, row_groups, to_arrow, write_tables_atomically
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


# layout: one file per write and group ----------------------------------------------------


def clone(records, doc_id: str) -> dict[str, list[dict]]:
    """The shipped document's records under another doc_id."""
    return {name: [{**row, "doc_id": doc_id} for row in rows] for name, rows in records.items()}


def files_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.glob("*/*/*.parquet")}


def objective_counts(out: Path) -> dict[str, int]:
    counts = read_table(OBJECTIVES, out).group_by("doc_id").aggregate([("doc_id", "count")])
    return dict(zip(counts["doc_id"].to_pylist(), counts["doc_id_count"].to_pylist(), strict=True))


def test_replacing_a_document_rewrites_only_the_file_holding_it(normalized, tmp_path):
    ids = ["aa" + "0" * 14, "aa" + "1" * 14, "bb" + "0" * 14]
    merged = {name: [] for name in TABLES}
    for doc_id in ids:
        for name, rows in clone(normalized.records, doc_id).items():
            merged[name].extend(rows)
    replace_documents(merged, tmp_path)
    before = files_of(tmp_path)
    assert "objectives/aa/part-00000001.parquet" in before

    replace_documents(clone(normalized.records, ids[1]), tmp_path)
    after = files_of(tmp_path)
    changed = {name for name in after if after[name] != before.get(name)}
    others = [name for name in TABLES if name != "cells"]
    assert changed == {
        *(f"{name}/aa/part-00000001.parquet" for name in others),  # aa000 kept, aa111 out
        *(f"{name}/aa/part-00000002.parquet" for name in others),  # aa111's new rows
        "cells/aa1/part-00000002.parquet",  # cells are split finer: aa0's file untouched
    }
    assert not (tmp_path / "cells" / "aa1" / "part-00000001.parquet").exists()  # emptied
    assert objective_counts(tmp_path) == dict.fromkeys(ids, 48)
    assert pq.read_table(tmp_path / "objectives" / "aa").num_rows == 96


def test_a_group_s_small_files_are_merged_after_a_few_writes(normalized, tmp_path):
    ids = [f"cc{number:014d}" for number in range(schema.io.MAX_SMALL_FILES + 1)]
    for doc_id in ids[:-1]:
        replace_documents(clone(normalized.records, doc_id), tmp_path)
    assert len(list((tmp_path / "objectives" / "cc").iterdir())) == len(ids) - 1
    replace_documents(clone(normalized.records, ids[-1]), tmp_path)
    (merged,) = (tmp_path / "objectives" / "cc").iterdir()
    assert pq.read_table(merged)["doc_id"].unique().to_pylist() == ids
    assert len(list((tmp_path / "documents" / "cc").iterdir())) == 1
    assert objective_counts(tmp_path) == dict.fromkeys(ids, 48)


def test_the_write_that_makes_a_merge_due_merges_in_its_own_commit(
    normalized, tmp_path, monkeypatch
):
    ids = [f"cc{number:014d}" for number in range(schema.io.MAX_SMALL_FILES + 1)]
    for doc_id in ids[:-1]:
        replace_documents(clone(normalized.records, doc_id), tmp_path)
    commits = []
    real_commit = storage.store.commit

    def counted_commit(*args, **kwargs):
        commits.append(1)
        return real_commit(*args, **kwargs)

    monkeypatch.setattr(storage.store, "commit", counted_commit)
    replace_documents(clone(normalized.records, ids[-1]), tmp_path)
    assert len(commits) == 1
    # the merged file is the write's own (write id 5), not a second write after it
    assert [p.name for p in (tmp_path / "documents" / "cc").iterdir()] == ["part-00000005.parquet"]
    assert objective_counts(tmp_path) == dict.fromkeys(ids, 48)


def test_compact_merges_groups_and_deletes_what_a_crash_left(normalized, tmp_path):
    ids = ["dd" + "0" * 14, "dd" + "1" * 14, "ee" + "0" * 14]
    for doc_id in ids:
        replace_documents(clone(normalized.records, doc_id), tmp_path)
    orphan = tmp_path / "objectives" / "ee" / schema.io.part_name(7)
    orphan.write_bytes((tmp_path / "objectives" / "ee" / schema.io.part_name(1)).read_bytes())
    assert objective_counts(tmp_path) == dict.fromkeys(ids, 48)  # the orphan is not read

    before, after = schema.io.compact(tmp_path)
    assert (before, after) == (3 * 8 + 1, 2 * 7 + 3)  # cells: dd0, dd1 and ee0 folders
    assert not orphan.exists()
    assert sorted(p.name for p in (tmp_path / "objectives").iterdir()) == ["dd", "ee"]
    assert objective_counts(tmp_path) == dict.fromkeys(ids, 48)
    assert len(pq.read_table(tmp_path / "objectives")) == 3 * 48


def test_earlier_group_layout_is_read_and_written_on(normalized, tmp_path):
    old = "ff" + "0" * 14
    for name, table in TABLES.items():  # the earlier layout: <table>/<group>/part-0.parquet
        path = tmp_path / name / schema.io.group_of(old, name) / "part-0.parquet"
        path.parent.mkdir(parents=True)
        pq.write_table(to_arrow(table, clone(normalized.records, old).get(name, [])), path)
    assert objective_counts(tmp_path) == {old: 48}
    new = "ff" + "1" * 14
    replace_documents(clone(normalized.records, new), tmp_path)
    assert (tmp_path / "objectives" / "ff" / "part-00000001.parquet").is_file()
    replace_documents({}, tmp_path, remove=[old])
    assert not (tmp_path / "objectives" / "ff" / "part-0.parquet").exists()
    assert objective_counts(tmp_path) == {new: 48}


def test_the_loader_reads_into_the_system_allocator(normalized, tmp_path: Path):
    """Reading every column of a national folder costs half the CPU in the C library's
    allocator than in pyarrow's default mimalloc (schema.io.read_pool): the strings read
    land there, and the process-wide default pool is left as it was."""
    replace_documents(normalized.records, tmp_path)
    default = pa.default_memory_pool().backend_name
    before = pa.system_memory_pool().bytes_allocated()
    objectives = read_table("objectives", tmp_path)
    held = pa.system_memory_pool().bytes_allocated() - before
    assert objectives.num_rows == 48
    assert held >= objectives["description"].nbytes
    assert pa.default_memory_pool().backend_name == default


def test_streamed_batches_are_gathered_into_row_groups_of_the_size_asked() -> None:
    batches = [
        pa.record_batch({"n": pa.array(range(i * 10, i * 10 + 10), pa.int64())}) for i in range(5)
    ]
    size = 2 * batches[0].nbytes  # two batches a group
    groups = list(row_groups(batches, size))
    assert [group.num_rows for group in groups] == [20, 20, 10]
    assert pa.concat_tables(groups)["n"].to_pylist() == list(range(50))
    assert list(row_groups([], size)) == []
