"""Rows of a string column found by searching the values' bytes in the column's data."""

from __future__ import annotations

import random

import pyarrow as pa

from storage.column_search import string_rows
from storage.store import matching_rows


def by_values(column, values) -> list[int]:
    wanted = set(values)
    return [row for row, value in enumerate(column.to_pylist()) if value in wanted]


def test_a_value_counts_only_whole_never_across_two_values_or_inside_one():
    column = pa.chunked_array([["ab", "c", "abc", "xabcx", None, "abc"], ["", "bc", "abc"]])
    assert string_rows(column, ["abc"]) == [2, 5, 8]
    assert string_rows(column, ["bc", "c"]) == [1, 7]
    assert string_rows(column, ["zz"]) == []


def test_a_null_slot_is_never_a_hit():
    strings = pa.array(["aa", "bb", "aa"])
    offsets, data = strings.buffers()[1:3]
    validity = pa.py_buffer(bytes([0b101]))  # the middle slot null, its bytes still there
    column = pa.Array.from_buffers(pa.string(), 3, [validity, offsets, data], null_count=1)
    assert string_rows(column, ["bb"]) == []
    assert string_rows(column, ["aa"]) == [0, 2]


def test_slices_chunks_and_large_strings_agree_with_a_comparison_of_values():
    rng = random.Random(7)
    alphabet = "ab/é"
    values = [
        None if rng.random() < 0.1 else "".join(rng.choices(alphabet, k=rng.randint(0, 4)))
        for _ in range(400)
    ]
    wanted = {v for v in rng.sample(values, 30) if v}
    for type_ in (pa.string(), pa.large_string()):
        whole = pa.array(values, type_)
        column = pa.chunked_array([whole.slice(0, 150), whole.slice(150, 7), whole.slice(157)])
        assert string_rows(column, wanted) == by_values(column, wanted)
        assert string_rows(whole.slice(33, 200), wanted) == by_values(whole.slice(33, 200), wanted)


def test_it_does_not_apply_to_other_columns_or_values():
    assert string_rows(pa.array([1, 2]), [1]) is None
    assert string_rows(pa.array(["a", ""]), [""]) is None
    assert string_rows(pa.array(["a", "1"]), [1]) is None
    assert matching_rows(pa.array(["a", ""]), [""]) == [1]  # compared as values instead
