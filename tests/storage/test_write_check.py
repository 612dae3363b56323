"""What a write reads or replaces: the files checked before it starts, and only those."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storage.store import MAX_SMALL_FILES, CorruptTableError, merge_candidates, part_name
from storage.store import replace_documents as store
from storage.write_check import files_a_write_reads, validate_write


def clone(records, doc_id: str) -> dict[str, list[dict]]:
    return {name: [{**row, "doc_id": doc_id} for row in rows] for name, rows in records.items()}


def doc(group: str, number: int) -> str:
    return f"{group}{number:014d}"


@pytest.fixture
def out(normalized, tmp_path) -> Path:
    """Two writes into group aa (a1, then a2) and one into bb."""
    for doc_id in (doc("aa", 1), doc("aa", 2), doc("bb", 1)):
        store(clone(normalized.records, doc_id), tmp_path)
    return tmp_path


def relative(out: Path, found) -> list[str]:
    return sorted(path.relative_to(out).as_posix() for _, path in found)


def test_a_plain_add_reads_the_documents_files_of_its_group_only(out):
    found = files_a_write_reads(out, [doc("aa", 3)], [doc("aa", 3)])
    assert relative(out, found) == [
        f"documents/aa/{part_name(1)}",
        f"documents/aa/{part_name(2)}",
    ]


def test_a_replacement_reads_every_table_file_of_the_replaced_write(out):
    found = files_a_write_reads(out, [doc("cc", 1)], [doc("cc", 1), doc("aa", 2)])
    names = relative(out, found)
    assert f"objectives/aa/{part_name(2)}" in names
    assert f"cells/aa0/{part_name(2)}" in names
    assert f"objectives/aa/{part_name(1)}" not in names  # a1's write is not touched
    assert not [name for name in names if "/bb" in name]
    assert len([n for n in names if n.endswith(part_name(2))]) == 8  # one file per table


def test_an_add_that_takes_the_group_past_the_small_files_reads_what_the_merge_reads(
    normalized, out
):
    for number in range(3, MAX_SMALL_FILES + 1):  # the group holds MAX_SMALL_FILES files
        store(clone(normalized.records, doc("aa", number)), out)
    new = doc("aa", 99)
    names = relative(out, files_a_write_reads(out, [new], [new]))
    assert f"objectives/aa/{part_name(1)}" in names
    assert f"objectives/aa/{part_name(MAX_SMALL_FILES)}" in names


def test_merge_candidates_are_the_small_writes_past_the_bound():
    small = {w: [f"d{w}"] for w in range(1, MAX_SMALL_FILES + 1)}
    assert merge_candidates(small) == []
    assert merge_candidates({**small, 9: ["d9"]}) == [*range(1, MAX_SMALL_FILES + 1), 9]
    assert merge_candidates({0: [f"x{n}" for n in range(128)], **small}) == []


def test_a_corrupt_file_the_add_does_not_read_costs_it_nothing(out):
    broken = out / "objectives" / "aa" / part_name(1)
    os.truncate(broken, 100)
    assert validate_write(out, [doc("aa", 3)], [doc("aa", 3)]) == []
    errors = validate_write(out, [doc("aa", 3)], [doc("aa", 3), doc("aa", 1)])
    assert [error.path for error in errors] == [broken]


def test_a_corrupt_documents_file_of_the_group_is_named(out):
    broken = out / "documents" / "aa" / part_name(2)
    os.truncate(broken, 50)
    (error,) = validate_write(out, [doc("aa", 3)], [doc("aa", 3)])
    assert isinstance(error, CorruptTableError) and error.path == broken
    assert validate_write(out, [doc("bb", 2)], [doc("bb", 2)]) == []


def test_a_merge_leaves_a_larger_file_than_the_small_ones_together():
    index = {1: [f"a{n}" for n in range(60)], **{w: [f"d{w}"] for w in range(2, 6)}}
    assert merge_candidates(index) == [2, 3, 4, 5]  # 4 documents rewritten, not 64
    index[1] = ["a0", "a1", "a2"]
    assert merge_candidates(index) == [1, 2, 3, 4, 5]
