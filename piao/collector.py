"""The cyclic garbage collector in a ``piao extract`` run: fewer passes over long-lived objects.

Reading a PDF makes tens of thousands of small objects that live until the document is
written (a character dict per printed character, its words and cells); with Python's default
thresholds (700 allocations a young collection, a full one every 100 of those) the collector
walks them, and every module object imported before them, over and over: about 0.09 s of
CPU on a 20-page PDF whose whole ``piao extract`` takes 1.1 s (``gc.callbacks`` timing, warm
bytecode). Two changes make it 0.006 s, with the same tables:

- the objects alive when the run starts (the imported modules, classes and functions) are
  moved out of the collector's reach (``gc.freeze``): they live as long as the process, and
  a full collection no longer walks them;
- a young collection every YOUNG allocations instead of 700: the run's objects are mostly
  dicts and lists without cycles, and fewer passes over them find the same garbage later.

While the command's modules are imported (:func:`paused`, around the parser's building in
:func:`piao.cli.main`) the collector does not run at all: importing makes modules, classes
and functions that live as long as the process, and the passes over them found nothing to
free (0.02-0.03 s of CPU in 8 to 113 passes, ``gc.callbacks`` timing).

Cycles are still collected (the collector stays enabled), so a batch's memory does not grow
with the documents it has read. The freeze is done once per process (a frozen object is
never collected: a process that runs the command many times, as the test suite does, must
not freeze each run's leftovers).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Allocations (less deallocations) between two young collections (Python's default: 700).
YOUNG = 10_000
#: Young collections between two middle ones, middle ones between two full ones (10 each,
#: as Python's default).
OLDER = 10


def tune_collector() -> None:
    """Freeze the objects alive now out of the collector's passes and make its young
    collections rarer (see the module doc); the collector stays enabled. Nothing is frozen
    when something already is (an earlier run in this process)."""
    if not gc.get_freeze_count():
        gc.freeze()
    gc.set_threshold(YOUNG, OLDER, OLDER)


@contextmanager
def paused() -> Iterator[None]:
    """No garbage collection while the block runs (imports: see the module doc); the
    collector is enabled again after it, unless it was disabled before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
