"""The documents index read once per process while its file is unchanged.

An add asks the committed documents of its folder (``<out>/.piao-documents.index``,
:func:`storage.store.committed_documents`) five times: to find the documents it replaces
(:func:`piao.pipeline.stored_documents`), to write the index after its write, to place its
documents among the series of the history, to decide whether the history's stamp is worth
keeping, and to count the documents without ente. Each read parsed the whole file again
(2 MB at 20,000 documents: ~50 ms of an add's CPU for the five). Here the index is held
once read, with the identity of the file it was read from, and the write that replaces the
file hands over the table it wrote, so the reads after it parse nothing.

The identity is what a replaced or modified file cannot keep: device, inode, size,
modification and change times (ns). A write puts a new index in place by renaming a temp
file created while the old one still existed (another inode); a file modified in place
changes its change time, which nothing can set back. Only one folder's index is held (the
last one asked): a process that works on several folders reads each again, as before.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa

#: Chunks past which a table handed over by a write is made one before it is held: each
#: write of a batch adds its documents as a chunk of the next index.
MAX_CHUNKS = 16

Identity = tuple[int, int, int, int, int]

#: (path, identity of its file, the committed documents read from it), or None.
_held: tuple[str, Identity, pa.Table] | None = None


def file_identity(path: Path) -> Identity | None:
    """Device, inode, size, modification and change times (ns) of a file; None when it is
    missing."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def held(path: Path) -> pa.Table | None:
    """The committed documents held for the index file ``path`` (every column, as the
    schema types them), None unless they were read from, or written as, the very file now
    at ``path``."""
    if _held is None or _held[0] != str(path):
        return None
    identity = file_identity(path)
    return _held[2] if identity is not None and identity == _held[1] else None


def hold(path: Path, documents: pa.Table) -> None:
    """Hold ``documents`` (every column of the index, schema-typed) as the content of the
    index file now at ``path``: read from it, or written to it by a write that has just
    committed (under the folder's lock, so the file is that write's)."""
    global _held
    identity = file_identity(path)
    if identity is None:
        _held = None
        return
    if documents.num_columns and documents.column(0).num_chunks > MAX_CHUNKS:
        documents = documents.combine_chunks()
    _held = (str(path), identity, documents)


def forget() -> None:
    """Hold nothing (the next read parses the file)."""
    global _held
    _held = None
