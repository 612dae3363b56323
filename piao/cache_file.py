"""The files in which piao keeps what a process compiled, for the next process to reuse.

:mod:`piao.pattern_cache` (regular expressions) and :mod:`piao.code_cache` (the methods
``dataclasses`` generates) each keep one file beside the bytecode Python caches for piao
(``piao/__pycache__/<stem>.<interpreter tag>.marshal``, under ``PYTHONPYCACHEPREFIX`` when
that is set). A file is a marshalled triple: a header naming what must match for its
entries to be valid (the interpreter build, the format), the CRC32 of the payload, and the
payload (the marshalled entries). A file that is missing, unreadable, damaged or written
for another header reads as empty; a write is atomic (a reader sees the old file or the
new one) and gives up silently where the folder cannot be written.
"""

from __future__ import annotations

import contextlib
import importlib.util
import marshal
import os
import zlib
from pathlib import Path
from typing import Any


def cache_path(stem: str) -> Path:
    """Where this interpreter keeps the file ``stem``: beside piao's bytecode (under
    ``sys.pycache_prefix`` when set), named with the interpreter's tag."""
    package = Path(__file__).resolve().parent
    bytecode = importlib.util.cache_from_source(str(package / f"{stem}.py"))
    return Path(bytecode).with_suffix(".marshal")


def read_entries(path: Path, header: tuple[Any, ...]) -> dict[Any, Any]:
    """The entries of a cache file, or none when it is missing, unreadable, damaged (its
    CRC32: a changed byte of a payload can still unmarshal to a valid but other value) or
    written under another header."""
    with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
        found, checksum, payload = marshal.loads(path.read_bytes())
        if found == header and zlib.crc32(payload) == checksum:
            entries = marshal.loads(payload)
            if isinstance(entries, dict):
                return entries
    return {}


def write_entries(path: Path, header: tuple[Any, ...], entries: dict[Any, Any]) -> None:
    """Write the entries atomically under ``header``; a folder that cannot be written is
    left alone."""
    import tempfile  # a write's only (start-up time)

    with contextlib.suppress(OSError, ValueError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", dir=path.parent)
        try:
            os.fchmod(handle, 0o644)  # as Python's bytecode: readable by every user
            with os.fdopen(handle, "wb") as stream:
                payload = marshal.dumps(entries)
                stream.write(marshal.dumps((header, zlib.crc32(payload), payload)))
            os.replace(name, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(name)
            raise
