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
