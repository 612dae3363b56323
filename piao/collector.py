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
free (0.02-0.03 s of CPU in 8 to 113 passes, ``gc.callbacks`` timing). What they made is
then frozen before the collector runs again (:func:`importing`): else its first pass, at the
first allocation after the imports, walked every object they made (the young generation
counts them all), about 0.01 s of CPU to free none.

When the process ends, Python's finalisation runs the collector again, twice, over every
object still alive, and again over the modules it tears down: 0.06 s of CPU after a 19-page
PDF's run, to free memory the system takes back anyway. :func:`freeze_at_exit` freezes what
is alive then (an ``atexit`` handler, run before those passes): objects are still freed by
their reference counts, only the cycles' passes are spared.

Cycles are still collected (the collector stays enabled), so a batch's memory does not grow
with the documents it has read. The freeze is done once per process (a frozen object is
never collected: a process that runs the command many times, as the test suite does, must
not freeze each run's leftovers).
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Allocations (less deallocations) between two young collections (Python's default: 700).
#: A middle pass (every MIDDLE young ones) walks everything the reading keeps alive (the
#: characters, words and cells of the document): 0.035-0.048 s on a 19-page PDF, whose run
#: made 13-14 young collections at 10,000. At 15,000 it makes 7-8, and with the counts
#: started afresh when the run starts (:func:`tune_collector`) a run of one such document
#: makes no middle pass; a batch makes one per 150,000 allocations.
YOUNG = 15_000
#: Allocations between two young collections in a run of one document: a 20-page PDF's
#: run then makes 6 instead of 12 (51 M instructions less, 1.1 % of the run, the same
#: peak). Its cyclic garbage (the PDF engine's pages) waits longer, and no other
#: document's comes after it. Not for a batch: 8 PDFs read by one process peaked 26 MB
#: higher (185 against 159 MB, the same CPU), their cycles kept longer between passes.
ONE_DOCUMENT_YOUNG = 100_000
#: Young collections between two middle ones (10, as Python's default).
MIDDLE = 10
#: Middle collections between two full ones (10, as Python's default).
OLDER = 10


def freeze_at_exit() -> None:
    """Freeze, when the interpreter exits, whatever is alive then, so that its finalisation
    does not walk it (see the module doc). Registered once per process; atexit handlers
    registered later (a ``weakref.finalize``) still run, before it."""
    global _FREEZE_AT_EXIT
    if not _FREEZE_AT_EXIT:
        atexit.register(gc.freeze)
        _FREEZE_AT_EXIT = True


#: Whether :func:`freeze_at_exit` registered its handler in this process.
_FREEZE_AT_EXIT = False


def tune_collector() -> None:
    """Freeze the objects alive now out of the collector's passes and make its young and
    middle collections rarer (see the module doc); the collector stays enabled. Nothing is
    frozen when something already is (an earlier run in this process). The young and middle
    generations are then collected once (what the command made since the freeze: next to
    nothing), which starts their counts afresh: else the collections of the imports before
    decided when the run's first middle pass comes."""
    if not gc.get_freeze_count():
        gc.freeze()
    gc.set_threshold(YOUNG, MIDDLE, OLDER)
    gc.collect(1)


def one_document() -> None:
    """Young collections every ONE_DOCUMENT_YOUNG allocations, for a run that reads one
    document (see its doc); the middle and full ones as :func:`tune_collector` sets them."""
    gc.set_threshold(ONE_DOCUMENT_YOUNG, MIDDLE, OLDER)


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


@contextmanager
def importing() -> Iterator[None]:
    """:func:`paused` for a command's imports, whose objects are then frozen (once per
    process, as :func:`tune_collector`) before the collector is enabled again: they live as
    long as the process, and the young collection that the first allocation after the block
    would start (its generation holds every object the imports made) frees none of them."""
    with paused():
        try:
            yield
        finally:
            if not gc.get_freeze_count():
                gc.freeze()
