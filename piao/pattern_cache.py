"""Regular expressions compiled once per installation, not once per process.

Python compiles a regular expression with a parser and a compiler written in Python
(``re._parser``, ``re._compiler``); only the last step, ``_sre.compile``, which turns the
compiled code into a pattern object, is C. A ``piao extract`` process compiles about 190
patterns, most of them when its modules are imported (the date rules, the objective codes,
the header words, pdfminer's tokens): 0.06-0.07 s of CPU a process, about a twentieth of
reading a 20-page PDF and a tenth of reading a text attachment, paid again by every run
for the same patterns.

:func:`install`, called by :func:`piao.cli.main` for its own process only (a program that
imports piao's packages keeps its ``re`` as it is), keeps what the compiler hands
``_sre.compile`` for each pattern it compiles, and :func:`save`, when the command ends,
writes the new ones to a file beside the bytecode Python caches for piao
(``piao/__pycache__/piao-patterns.<interpreter tag>.marshal``, under
``PYTHONPYCACHEPREFIX`` when that is set; nothing is written where Python writes no
bytecode, ``PYTHONDONTWRITEBYTECODE``, or cannot write). The next process makes the same
pattern objects from that file by ``_sre.compile`` alone, without parsing.

Why the patterns are the same: what is kept is exactly the arguments the compiler itself
passed to ``_sre.compile`` (captured, not recomputed), and the file is read only by the same
interpreter build (its ``sys.version``, ``_sre.MAGIC`` and ``_sre.CODESIZE`` head the file);
a file that cannot be read, or any failure to rebuild a pattern from it, falls back to the
compiler. ``re``'s own in-process cache still stands in front of all this.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
import threading
from pathlib import Path
from typing import Any

from piao import cache_file

#: The compiler module whose ``compile`` is wrapped (``re._compiler`` since Python 3.11),
#: and its own ``compile``, which every cache calls (not another cache installed before it).
_COMPILER: Any = getattr(re, "_compiler", None)
_COMPILE: Any = getattr(_COMPILER, "compile", None)
#: The file's name, before the interpreter's tag (see :func:`cache_path`).
CACHE_STEM = "piao-patterns"
#: Patterns kept at most: past it only those this process used are written (patterns built
#: from a document's text would otherwise pile up run after run).
MAX_PATTERNS = 2048
#: What heads the file: the same interpreter build, the same regular-expression engine.
FORMAT = 1

#: A pattern's key (its text and flags as ``re`` passes them) -> ``_sre.compile``'s arguments.
Key = tuple[Any, int]
Arguments = tuple[Any, ...]


def file_header() -> tuple[Any, ...]:
    """What must match for a file's patterns to be rebuilt by this interpreter."""
    import _sre

    return (FORMAT, sys.version, _sre.MAGIC, _sre.CODESIZE)


def cache_path() -> Path:
    """Where this interpreter keeps piao's patterns (:func:`piao.cache_file.cache_path`)."""
    return cache_file.cache_path(CACHE_STEM)


def read_patterns(path: Path) -> dict[Key, Arguments]:
    """The patterns of a cache file, or none when it is missing, unreadable, damaged or
    written by another interpreter build (:func:`piao.cache_file.read_entries`)."""
    return cache_file.read_entries(path, file_header())


def write_patterns(path: Path, patterns: dict[Key, Arguments]) -> None:
    """Write the patterns atomically; a folder that cannot be written is left alone."""
    cache_file.write_entries(path, file_header(), patterns)


class PatternCache:
    """Compiled patterns by their text and flags, as ``_sre.compile``'s arguments: those
    read from the file, and those this process compiled or rebuilt (:meth:`compile`)."""

    def __init__(self, known: dict[Key, Arguments]) -> None:
        self.known = known
        self.used: dict[Key, Arguments] = {}
        self.added = 0
        self._sre = _COMPILER._sre  # the engine, read before any compile swaps it
        self._lock = threading.Lock()

    def compile(self, pattern: Any, flags: int = 0) -> Any:
        """``re._compiler.compile``: the pattern object rebuilt from its known arguments,
        or compiled (its arguments kept)."""
        if type(pattern) not in (str, bytes) or type(flags) is not int or flags & re.DEBUG:
            return _COMPILE(pattern, flags)  # parsed, flags as an enum, or shown
        key = (pattern, flags)
        arguments = self.known.get(key)
        if arguments is not None:
            try:
                compiled = self._sre.compile(*arguments)
            except Exception:  # a damaged entry: the compiler makes it again
                del self.known[key]
            else:
                self.used[key] = arguments
                return compiled
        return self._compiled_and_kept(key)

    def _compiled_and_kept(self, key: Key) -> Any:
        """Compile by the compiler, keeping the arguments it hands ``_sre.compile``."""
        captured: list[Arguments] = []
        real = self._sre

        class Capturing:
            """``_sre`` for one compile: its ``compile`` records its arguments."""

            def __getattr__(self, name: str) -> Any:
                return getattr(real, name)

            @staticmethod
            def compile(*arguments: Any) -> Any:
                captured.append(arguments)
                return real.compile(*arguments)

        with self._lock:  # the compiler's module is shared by the process's threads
            _COMPILER._sre = Capturing()
            try:
                compiled = _COMPILE(*key)
            finally:
                _COMPILER._sre = real
        if len(captured) == 1:
            arguments = plain_arguments(captured[0])
            if marshal_able(arguments) and real.compile(*arguments) == compiled:
                self.known[key] = self.used[key] = arguments
                self.added += 1
        return compiled

    def to_write(self) -> dict[Key, Arguments] | None:
        """What the file should hold now (None: nothing new to write): every known
        pattern, or only those this process used when they would be too many."""
        if not self.added:
            return None
        return self.known if len(self.known) <= MAX_PATTERNS else dict(self.used)

    def reset_lock(self) -> None:
        """A fresh lock (in a forked child: the parent's may have been held)."""
        self._lock = threading.Lock()


def plain_arguments(arguments: Arguments) -> Arguments:
    """``_sre.compile``'s arguments with plain ints (the compiler's code holds its opcodes
    as named int constants, which marshal does not write)."""
    return tuple(
        [int(value) for value in argument]
        if isinstance(argument, list)
        else int(argument)
        if isinstance(argument, int)
        else argument
        for argument in arguments
    )


def marshal_able(arguments: Arguments) -> bool:
    """Whether ``_sre.compile``'s arguments can be written to the file and read back as
    the same values (the compiler gives str or bytes, ints, a list, a dict and a tuple)."""
    try:
        return marshal.loads(marshal.dumps(arguments)) == arguments
    except ValueError:
        return False


#: The cache of this process (:func:`install`), None when not installed.
_installed: PatternCache | None = None


def install(path: Path | None = None) -> PatternCache | None:
    """Route this process's pattern compiles through a cache read from ``path``
    (:func:`cache_path` by default); None, and ``re`` left as it is, on an interpreter
    whose ``re`` has no separate compiler module."""
    global _installed
    if _installed is not None:
        return _installed
    if _COMPILER is None or not hasattr(_COMPILER, "_sre"):
        return None
    cache = PatternCache(read_patterns(path or cache_path()))
    _COMPILER.compile = cache.compile
    os.register_at_fork(after_in_child=cache.reset_lock)
    _installed = cache
    return cache


def save(path: Path | None = None) -> None:
    """Write the patterns compiled since :func:`install` (when there are new ones, and
    Python may write bytecode in this process)."""
    if _installed is None or sys.dont_write_bytecode:
        return
    patterns = _installed.to_write()
    if patterns is not None:
        write_patterns(path or cache_path(), patterns)
        _installed.added = 0


def uninstall() -> None:
    """Give ``re`` its own compiler back (tests)."""
    global _installed
    if _installed is not None:
        _COMPILER.compile = _COMPILE
        _installed = None
