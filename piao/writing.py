"""The one way a command starts writing into a tables folder: the lock, then recovery.

Every command that writes anything there (``extract``, its lineage and changes refresh,
``lineage``, ``compact``) enters :func:`writing` first, so that a write a crash cut short
is finished (or its staged files removed) before the command's own write, and never while
another run is writing: :func:`storage.journal.recover` replays a journal, which only the
holder of the folder's lock may do.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from piao.runlock import exclusive
from storage.journal import recover


@contextlib.contextmanager
def writing(
    out_dir: str | Path, notice: Callable[[str], None] = lambda _message: None
) -> Iterator[str | None]:
    """Hold the lock on ``out_dir`` and make it whole after a crash, then let the caller
    write; yields the line saying what the recovery did (``<out>: finished a write cut
    short (7 files)``), or None when there was nothing to do. ``notice`` receives the
    lock's messages (a stale lock taken over)."""
    with exclusive(out_dir, notice=notice):
        note = recover(out_dir)
        yield f"{out_dir}: {note}" if note else None


def notice_on_stderr(message: str) -> None:
    """Print a lock or recovery message as piao's other messages: ``piao: ...`` on stderr."""
    import sys

    print(f"piao: {message}", file=sys.stderr)
