"""Rows of a string column holding some values, found in the column's bytes.

A run picks its own documents among the stored ones by doc_id and source path
(:func:`storage.store.matching_rows`): a handful of values looked up in a column of every
stored document. Turning the column into Python strings to compare them costs ~3 ms at
20,000 documents, each time; ``pyarrow.compute.is_in`` costs its import (~50 ms of an add's
start-up). Here each value's UTF-8 bytes are searched in the column's data buffer
(``bytes.find``, at memory speed), and a hit counts only where a value starts and ends
exactly (the offsets buffer, by bisection) and is not null.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

import pyarrow as pa


def string_rows(column: pa.ChunkedArray | pa.Array, values: Iterable[object]) -> list[int] | None:
    """The row numbers (ascending, each once) of a string column whose value is one of
    ``values``; None when the search does not apply (not a string column, or a value that
    is not a non-empty string): the caller then compares values."""
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return None
    needles = []
    for value in values:
        if not isinstance(value, str) or not value:
            return None
        needles.append(value.encode())
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    found: set[int] = set()
    base = 0
    for chunk in chunks:
        found.update(base + row for row in chunk_rows(chunk, needles))
        base += len(chunk)
    return sorted(found)


def chunk_rows(chunk: pa.Array, needles: Iterable[bytes]) -> list[int]:
    """The rows of one string array whose value's bytes are one of ``needles``."""
    if not len(chunk):
        return []
    validity, offsets_buffer, data_buffer = chunk.buffers()[:3]
    if data_buffer is None:  # every value empty or null
        return []
    item, size = ("q", 8) if pa.types.is_large_string(chunk.type) else ("i", 4)
    raw = memoryview(offsets_buffer).cast("B")
    offsets = raw[: len(raw) - len(raw) % size].cast(item)
    low, high = chunk.offset, chunk.offset + len(chunk)
    first = offsets[low]
    blob = memoryview(data_buffer)[first : offsets[high]].tobytes()
    rows = []
    for needle in needles:
        position = blob.find(needle)
        while position != -1:
            start = first + position
            row = bisect_right(offsets, start, low, high + 1) - 1
            if (
                row < high
                and offsets[row] == start
                and offsets[row + 1] == start + len(needle)
                and (validity is None or chunk[row - low].is_valid)
            ):
                rows.append(row - low)
            position = blob.find(needle, position + 1)
    return rows
