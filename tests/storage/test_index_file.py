"""The derived index files: Arrow IPC behind a checksum, an earlier Parquet index still read."""

from __future__ import annotations

import errno

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from storage import index_cache, index_file
from storage.store import committed_documents, index_path, replace_documents

A, B = "aa" + "0" * 14, "bb" + "0" * 14


def clone(records, doc_id: str) -> dict[str, list[dict]]:
    return {name: [{**row, "doc_id": doc_id} for row in rows] for name, rows in records.items()}


@pytest.fixture(autouse=True)
def nothing_held():
    index_cache.forget()
    yield
    index_cache.forget()


def sample() -> pa.Table:
    return pa.table(
        {
            "doc_id": pa.array([A, B], pa.string()),
            "year": pa.array([2024, None], pa.int32()),
            "reasons": pa.array([["x", "y"], []], pa.list_(pa.string())),
        }
    )


def test_a_table_comes_back_as_written_and_by_columns(tmp_path):
    path = tmp_path / "index"
    index_file.write(sample(), path)
    assert path.read_bytes().startswith(index_file.MAGIC)
    assert index_file.read(path).equals(sample())
    assert index_file.read(path, ["year", "doc_id"]).column_names == ["doc_id", "year"]


def test_a_changed_byte_is_refused_by_the_checksum(tmp_path):
    path = tmp_path / "index"
    index_file.write(sample(), path)
    data = bytearray(path.read_bytes())
    data[-40] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(OSError) as raised:
        index_file.read(path)
    assert raised.value.errno == errno.EIO


def test_an_earlier_parquet_index_is_read(tmp_path):
    path = tmp_path / "index"
    pq.write_table(sample(), path, write_page_checksum=True)
    assert index_file.read(path).equals(sample())
    assert index_file.read(path, ["doc_id"])["doc_id"].to_pylist() == [A, B]


def test_a_write_replaces_an_earlier_parquet_index_with_the_checked_form(normalized, tmp_path):
    replace_documents(clone(normalized.records, A), tmp_path)
    path = index_path(tmp_path)
    pq.write_table(index_file.read(path), path)  # as an earlier version wrote it
    index_cache.forget()
    replace_documents(clone(normalized.records, B), tmp_path)
    assert path.read_bytes().startswith(index_file.MAGIC)
    index_cache.forget()
    assert sorted(committed_documents(tmp_path)["doc_id"].to_pylist()) == [A, B]


def test_a_corrupt_documents_index_is_built_again_from_the_tables(normalized, tmp_path):
    replace_documents(clone(normalized.records, A), tmp_path)
    replace_documents(clone(normalized.records, B), tmp_path)
    path = index_path(tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert sorted(committed_documents(tmp_path)["doc_id"].to_pylist()) == [A, B]
    assert index_file.read(path)["doc_id"].num_chunks >= 1  # written again, readable
