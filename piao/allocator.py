"""The allocator pyarrow uses in a ``piao extract`` run: the C library's.

pyarrow's default pool (mimalloc) keeps the pages it freed for reuse: in the parent of a
3,000-document batch it held 37-107 MiB. With the C library's allocator
(``pa.system_memory_pool()``, which the loader already reads into: see
:func:`storage.store.read_pool`) the batches' peaks were 179 MiB for 300 documents instead
of 222 MiB, and 265 MiB for 3,000 instead of 310 MiB, with no more CPU time
(docs/storage.md, "Measured").
"""

from __future__ import annotations


def use_system_allocator() -> None:
    """Make the C library's allocator pyarrow's default pool in this process (what every
    write, merge and refresh allocates from); the Arrow data made before keep their pool."""
    import pyarrow as pa  # imported by the run already

    pa.set_memory_pool(pa.system_memory_pool())
