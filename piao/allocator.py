"""The allocator pyarrow uses in a ``piao extract`` run: the C library's.

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
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable


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
