"""The allocator pyarrow uses in a ``piao`` process: the C library's.

pyarrow's default pool (mimalloc) keeps the pages it freed for reuse: in the parent of a
3,000-document batch it held 37-107 MiB. With the C library's allocator
(``pa.system_memory_pool()``, which the loader already reads into: see
:func:`storage.store.read_pool`) the batches' peaks were 179 MiB for 300 documents instead
of 222 MiB, and 265 MiB for 3,000 instead of 310 MiB, with no more CPU time
(docs/storage.md, "Measured").

The C library keeps what it freed for reuse too: at the end of a 600-document batch the
parent's RSS was 142-153 MiB, of which ``malloc_trim`` handed 31-41 MiB back at once
(pyarrow held no byte then). So the parent hands it back after each write of the batch
(:func:`release_free_memory`): the batches' peaks went from 143 to 128 MiB (300 documents)
and from 216 to 197 MiB (3,000), one build each; the ratio of the two did not fall
(docs/storage.md, "Measured").

What still grew with the batch (~25 KB a document in the parent) was pyarrow's *other*
pool: :func:`use_system_allocator` sets the pool that pyarrow's Python calls default to,
not Arrow C++'s own default (``arrow::default_memory_pool()``), which is chosen once, when
pyarrow is imported, from ``ARROW_DEFAULT_MEMORY_POOL`` (mimalloc when unset). The
Parquet writer's page buffers, encoders and compression take that one (its
``WriterProperties`` carry it, and pyarrow offers no way to give them another), so every
file a batch writes went through mimalloc, whose reserved region held 17 MiB after 300
documents and 36 MiB after 1,396 (the parent's writes replayed alone,
``bench/bench_write_memory.py``: peaks 147 and 168 MiB). :func:`choose_system_pool`,
called by :func:`piao.cli.main` before anything imports pyarrow, makes the C library's
allocator that default too: the same replay peaked at 131 and 133 MiB, and the batches at
134-136 MiB for 300 documents and 169-170 MiB for 3,000 (×1.24-1.27; docs/storage.md,
"Measured").
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, MutableMapping

#: Arrow C++'s default pool, read once when pyarrow is imported (see the module doc).
ARROW_POOL_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"


def choose_system_pool(environment: MutableMapping[str, str] = os.environ) -> None:
    """Make the C library's allocator Arrow C++'s default pool for this process and its
    workers, unless the user chose one: set in ``environment`` before pyarrow is imported
    (later it has no effect), so that the Parquet writer's buffers, which no pyarrow call
    can give another pool, are handed back by :func:`release_free_memory` with the rest."""
    environment.setdefault(ARROW_POOL_VARIABLE, "system")


def use_system_allocator() -> None:
    """Make the C library's allocator pyarrow's default pool in this process (what every
    write, merge and refresh allocates from); the Arrow data made before keep their pool."""
    import pyarrow as pa  # imported by the run already

    pa.set_memory_pool(pa.system_memory_pool())


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (macOS, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return None


def release_free_memory() -> bool:
    """Hand the C library's free heap memory back to the system (glibc's
    ``malloc_trim(0)``): the memory a write freed, which glibc would otherwise keep for
    reuse, so a batch's parent does not grow with the documents it wrote (see the module
    doc). Whether it was done (False where the C library cannot)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
