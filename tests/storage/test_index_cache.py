"""The documents index read once per process while its file is unchanged."""

from __future__ import annotations

import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from storage import index_cache, index_file
from storage.store import committed_documents, index_path, replace_documents


def clone(records, doc_id: str) -> dict[str, list[dict]]:
    return {name: [{**row, "doc_id": doc_id} for row in rows] for name, rows in records.items()}


A, B, C = "aa" + "0" * 14, "bb" + "0" * 14, "cc" + "0" * 14


@pytest.fixture(autouse=True)
def nothing_held():
    index_cache.forget()
    yield
    index_cache.forget()


def parsed(monkeypatch) -> list[str]:
    """The index files parsed from here on (every :func:`storage.index_file.read`)."""
    opened: list[str] = []
    original = index_file.read

    def counting(path, *args, **kwargs):
        opened.append(os.path.basename(str(path)))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(index_file, "read", counting)
    return opened


def test_the_index_a_write_committed_is_read_without_parsing_its_file(
    normalized, tmp_path, monkeypatch
):
    replace_documents(clone(normalized.records, A), tmp_path)
    replace_documents(clone(normalized.records, B), tmp_path, remove=[A])
    opened = parsed(monkeypatch)
    held = committed_documents(tmp_path, build=False)
    assert opened == []
    index_cache.forget()
    read = committed_documents(tmp_path, build=False)
    assert opened == [".piao-documents.index"]
    assert held.equals(read)
    assert read["doc_id"].to_pylist() == [B]


def test_a_read_is_held_once_with_every_column_and_selected_as_asked(
    normalized, tmp_path, monkeypatch
):
    replace_documents(clone(normalized.records, A), tmp_path)
    index_cache.forget()
    opened = parsed(monkeypatch)
    few = committed_documents(tmp_path, columns=["source_path", "doc_id"])
    every = committed_documents(tmp_path)
    assert opened == [".piao-documents.index"]
    assert few.column_names == ["doc_id", "source_path"]  # the schema's order, as a read
    assert every.num_columns > 2 and every.select(["doc_id", "source_path"]).equals(few)


def test_an_index_replaced_by_another_process_is_read_again(normalized, tmp_path):
    replace_documents(clone(normalized.records, A), tmp_path)
    replace_documents(clone(normalized.records, C), tmp_path)
    # another process's write: a new file renamed over the index, this process told nothing
    temp = tmp_path / "index.tmp"
    pq.write_table(committed_documents(tmp_path).slice(1, 1), temp)
    os.replace(temp, index_path(tmp_path))
    assert committed_documents(tmp_path)["doc_id"].to_pylist() == [C]


def test_an_index_modified_in_place_is_read_again(normalized, tmp_path):
    replace_documents(clone(normalized.records, A), tmp_path)
    replace_documents(clone(normalized.records, B), tmp_path)
    path = index_path(tmp_path)
    stat = path.stat()
    pq.write_table(committed_documents(tmp_path).slice(0, 1), path)  # same inode
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # its time set back
    assert path.stat().st_ino == stat.st_ino
    assert committed_documents(tmp_path)["doc_id"].to_pylist() == [A]


def test_an_index_removed_is_built_again_from_the_tables(normalized, tmp_path):
    replace_documents(clone(normalized.records, A), tmp_path)
    index_path(tmp_path).unlink()
    assert index_cache.held(index_path(tmp_path)) is None
    assert committed_documents(tmp_path, build=False)["doc_id"].to_pylist() == [A]


def test_a_table_of_many_chunks_is_held_as_one(tmp_path):
    path = tmp_path / "index"
    path.write_bytes(b"x")
    chunks = pa.concat_tables([pa.table({"x": [n]}) for n in range(index_cache.MAX_CHUNKS + 1)])
    index_cache.hold(path, chunks)
    held = index_cache.held(path)
    assert held.column("x").num_chunks == 1
    assert held.column("x").to_pylist() == list(range(index_cache.MAX_CHUNKS + 1))


def test_only_the_last_folder_asked_is_held(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    first.write_bytes(b"1")
    second.write_bytes(b"2")
    index_cache.hold(first, pa.table({"x": [1]}))
    index_cache.hold(second, pa.table({"x": [2]}))
    assert index_cache.held(first) is None
    assert index_cache.held(second)["x"].to_pylist() == [2]
