"""pyarrow imported without numpy where a command never hands numpy objects to it.

pyarrow imports numpy when it is installed (``pyarrow.lib``: ``try: import numpy``), to
convert numpy arrays; ``piao extract`` gives it plain Python values only, and without
numpy a whole run takes 0.07-0.12 s less CPU (``bench/bench_arrow_numpy.py``: a tenth of a
PDF's run). pyarrow works without it (the same tables, row for row). So while ``piao
extract``'s modules are imported (:func:`numpy_hidden`, around the parser's building in
:func:`piao.cli.main`), ``import numpy`` fails, and pyarrow settles without it for the
process.

When it is not done (:func:`numpy_free`): another command (``piao report`` reads with
pandas, which needs pyarrow's numpy), ``--engine camelot`` (camelot's tables come through
pandas), numpy or pyarrow already imported (a notebook, the test suite: nothing to spare).
numpy stays importable once the imports are done: the OCR imports it for its images, and
gives the tables Python values.

pandas cannot work with a pyarrow that has no numpy, and pyarrow looks for it on its own
(its first conversion, and every time-zone-aware timestamp it turns into Python, for
pandas' ``Timestamp``); where numpy was hidden, ``import pandas`` therefore fails at once
for the rest of the process (:class:`NotImported`): 0.4 s of CPU would otherwise go to
importing a pandas that could not be used.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

#: The commands whose work gives pyarrow no numpy objects.
NUMPY_FREE_COMMANDS = frozenset({"extract"})

#: The engines whose tables come through pandas (and so numpy).
NUMPY_ENGINES = frozenset({"camelot"})


class NotImported:
    """An import hook under which importing one of ``names`` fails at once (a
    ``ModuleNotFoundError`` naming the module, as when it is not installed). A finder of
    ``sys.meta_path`` needs only ``find_spec``: no ``importlib.abc`` base, whose import
    brings ``importlib.resources`` (about 5 ms of start-up)."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"{name} is not imported by piao extract", name=name)


def chosen_engine(argv: Sequence[str]) -> str | None:
    """The ``--engine`` given on the command line (``--engine X`` or ``--engine=X``; the
    last one wins, as argparse reads it), or None."""
    engine = None
    for position, argument in enumerate(argv):
        if argument == "--engine" and position + 1 < len(argv):
            engine = argv[position + 1]
        elif argument.startswith("--engine="):
            engine = argument.partition("=")[2]
    return engine


def numpy_free(
    command: str | None, argv: Sequence[str], modules: Mapping[str, object] = sys.modules
) -> bool:
    """Whether ``command``'s imports should hide numpy from pyarrow: a command of
    :data:`NUMPY_FREE_COMMANDS`, not on an engine of :data:`NUMPY_ENGINES`, and neither
    numpy nor pyarrow imported yet (``modules``)."""
    return (
        command in NUMPY_FREE_COMMANDS
        and chosen_engine(argv) not in NUMPY_ENGINES
        and "numpy" not in modules
        and "pyarrow" not in modules
    )


@contextmanager
def numpy_hidden(hide: bool) -> Iterator[None]:
    """While the block runs, ``import numpy`` fails (when ``hide``); after it, numpy is
    importable again and pandas never is (see the module's docstring). Does nothing when
    ``hide`` is false."""
    if not hide:
        yield
        return
    numpy_hook = NotImported(frozenset({"numpy"}))
    sys.meta_path.insert(0, numpy_hook)
    try:
        yield
    finally:
        sys.meta_path.remove(numpy_hook)
        if "pyarrow" in sys.modules:
            sys.meta_path.insert(0, NotImported(frozenset({"pandas"})))
