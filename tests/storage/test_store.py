"""The store's write: the merge a write makes due, folded into it."""

from __future__ import annotations

from pathlib import Path

from storage.store import MAX_SMALL_FILES, folded_writes, write_folds


def small_writes() -> dict[int, list[str]]:
    """A group of MAX_SMALL_FILES one-document writes (ids 1..MAX_SMALL_FILES)."""
    return {w: [f"aa{w:014d}"] for w in range(1, MAX_SMALL_FILES + 1)}


def test_a_write_past_the_bound_takes_the_earlier_writes_of_its_size_tier(tmp_path: Path):
    # the new write (id MAX_SMALL_FILES + 1) and every one-document write before it: each
    # holds no more documents than those taken before it (merge_candidates)
    index = small_writes()
    assert folded_writes(tmp_path, "aa", index, ["aa" + "9" * 14], set()) == sorted(index)


def test_a_larger_earlier_write_is_left_out(tmp_path: Path):
    index = small_writes()
    index[1] = [f"aa{number:014d}" for number in range(10, 20)]
    assert folded_writes(tmp_path, "aa", index, ["aa" + "9" * 14], set()) == [2, 3, 4]


def test_a_write_within_the_bound_folds_nothing(tmp_path: Path):
    index = small_writes()
    del index[1]
    assert folded_writes(tmp_path, "aa", index, ["aa" + "9" * 14], set()) == []


def test_a_taken_write_holding_a_replaced_document_is_merged_after_the_write(tmp_path: Path):
    index = small_writes()
    replaced = index[MAX_SMALL_FILES][0]
    index[MAX_SMALL_FILES] = [replaced, "aa" + "8" * 14]  # now the largest of the small
    assert folded_writes(tmp_path, "aa", index, ["aa" + "9" * 14], {replaced}) == []


def test_a_write_into_several_groups_folds_none(tmp_path: Path):
    index = small_writes()
    new = "aa" + "9" * 14
    assert write_folds(tmp_path, {"aa": [new]}, {"aa": index}, set()) == {"aa": sorted(index)}
    both = {"aa": [new], "bb": ["bb" + "9" * 14]}
    assert write_folds(tmp_path, both, {"aa": index, "bb": {}}, set()) == {}


def test_group_files_lists_a_group_s_parts_by_write_in_path_order(tmp_path: Path):
    from storage.store import group_files

    names = {
        "objectives/aa": ["part-00000003.parquet", "part-00000001.parquet", "part-0.parquet"],
        "objectives/ab": ["part-00000009.parquet"],
        "cells/aab": ["part-00000001.parquet", "part-junk.parquet"],
        "cells/aa_": ["part-00000001.parquet"],
        "cells/aa0": ["part-00000002.parquet", ".cells.x.tmp"],
    }
    for folder, files in names.items():
        (tmp_path / folder).mkdir(parents=True)
        for name in files:
            (tmp_path / folder / name).write_bytes(b"")
    objectives = group_files(tmp_path, "objectives", "aa")
    assert {
        w: [p.relative_to(tmp_path).as_posix() for p in ps] for w, ps in objectives.items()
    } == {
        0: ["objectives/aa/part-0.parquet"],
        1: ["objectives/aa/part-00000001.parquet"],
        3: ["objectives/aa/part-00000003.parquet"],
    }
    cells = group_files(tmp_path, "cells", "aa")
    assert {w: [p.relative_to(tmp_path).as_posix() for p in ps] for w, ps in cells.items()} == {
        1: ["cells/aa_/part-00000001.parquet", "cells/aab/part-00000001.parquet"],
        2: ["cells/aa0/part-00000002.parquet"],
    }
    assert group_files(tmp_path, "dates", "aa") == {}
