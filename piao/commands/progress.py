"""Progress of a long run: one line on stderr, rewritten in place (``[ 37/120] plan.pdf``),
only when stderr is a terminal (piped or in a log, nothing is written: output stays clean);
and how a run's elapsed time is said (``4.2 s``, ``3 min 12 s``)."""

from __future__ import annotations

import contextlib
import shutil
import sys
from typing import TextIO

#: Back to the start of the line and erase it (ANSI: every terminal piao runs in).
ERASE = "\r\x1b[K"


class Progress(contextlib.AbstractContextManager):
    """``[done/total] what``: :meth:`step` when a piece of work starts or ends; the line is
    erased on exit, so that what the command prints next starts on a clean line."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool | None = None):
        self.total, self.done = total, 0
        self.stream = sys.stderr if stream is None else stream
        self.enabled = is_terminal(self.stream) if enabled is None else enabled
        self.shown = False

    def step(self, what: str = "", *, advance: bool = True) -> None:
        """Count one piece done (unless not ``advance``) and show ``what`` on the line."""
        self.done += advance
        if self.enabled:
            self.stream.write(ERASE + fitted(progress_line(self.done, self.total, what)))
            self.stream.flush()
            self.shown = True

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Erase the line (when shown), so that what is printed next starts on a clean
        line; a later :meth:`step` shows it again."""
        if self.shown:
            self.stream.write(ERASE)
            self.stream.flush()
            self.shown = False


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal (a closed or odd stream is not)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def progress_line(done: int, total: int, what: str) -> str:
    """``[ 37/120] what``: the count right-aligned to the total's width (``what`` alone
    while the total is not known yet: a stage such as ``reading the tables``)."""
    if total <= 0:
        return what
    width = len(str(total))
    return f"[{min(done, total):>{width}}/{total}] {what}".rstrip()


def fitted(line: str, columns: int | None = None) -> str:
    """``line`` cut to fit the terminal (``…`` at the end), never wrapping onto a second
    line that the next update could not erase."""
    columns = columns or shutil.get_terminal_size().columns
    return line if len(line) < columns else line[: max(columns - 2, 1)] + "…"


def elapsed(seconds: float) -> str:
    """``0.8 s``, ``42.0 s``, ``3 min 12 s``, ``1 h 05 min``."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
