"""The methods ``dataclasses`` generates, compiled once per installation, not once per process.

A ``@dataclass`` writes the source of its ``__init__``, ``__repr__``, ``__eq__``,
``__hash__`` and, when frozen, ``__setattr__`` and ``__delattr__``, and compiles it with
``exec``: about 0.45 ms for a frozen class of a few fields, 85 % of it in Python's compiler.
A ``piao extract`` process defines about 30 dataclasses as it imports its modules (the raw
model, the settings, the jobs, the normaliser's readings): 0.012-0.015 s of every run's CPU,
the same source compiled again each time.

:func:`install`, called by :func:`piao.cli.main` for its own process only (a program that
imports piao's packages keeps its ``dataclasses`` as it is), gives the ``dataclasses``
module an ``exec`` of its own (a module global, which its code finds before the built-in)
that looks up the code compiled for the same source text, and :func:`save`, when the
command ends, writes the new ones to a file beside piao's bytecode
(:mod:`piao.cache_file`: ``piao/__pycache__/piao-dataclass-code.<tag>.marshal``; nothing is
written under ``PYTHONDONTWRITEBYTECODE``).

Why the methods are the same: the code object is what ``exec`` of that text compiles
(``compile(text, "<string>", "exec")`` with no inherited ``__future__`` flags, as
``dataclasses`` itself has none), ``exec`` then runs it with the same globals and locals;
code objects are marshalled as the bytecode files are, and the file is read only by the same
interpreter build (its ``sys.version`` and bytecode magic number head it).
"""

from __future__ import annotations

import builtins
import importlib.util
import sys
from pathlib import Path
from types import CodeType
from typing import Any

from piao import cache_file

#: The file's name, before the interpreter's tag.
CACHE_STEM = "piao-dataclass-code"
#: Sources kept at most: past it only those this process used are written.
MAX_SOURCES = 1024
#: What heads the file: the same interpreter build, the same bytecode.
FORMAT = 1


def file_header() -> tuple[Any, ...]:
    """What must match for a file's code to run on this interpreter."""
    return (FORMAT, sys.version, importlib.util.MAGIC_NUMBER)


def compiled(source: str) -> CodeType:
    """What ``exec(source)`` compiles, called from code without ``__future__`` imports."""
    return compile(source, "<string>", "exec", dont_inherit=True)


class CodeCache:
    """Code compiled from source text: that read from the file, and that this process
    compiled or reused (:meth:`exec`)."""

    def __init__(self, known: dict[str, CodeType]) -> None:
        self.known = {
            source: code
            for source, code in known.items()
            if type(source) is str and type(code) is CodeType
        }
        self.used: dict[str, CodeType] = {}
        self.added = 0

    def exec(self, source: Any, globals: Any = None, locals: Any = None) -> None:
        """The built-in ``exec`` with the code for a source text compiled once; anything
        but a text (code, bytes) goes to the built-in as it is. Without globals it runs,
        as the built-in does, in its caller's globals and locals."""
        if globals is None:
            caller = sys._getframe(1)
            globals, locals = caller.f_globals, caller.f_locals if locals is None else locals
        if type(source) is not str:
            return builtins.exec(source, globals, locals)
        code = self.known.get(source)
        if code is None:
            code = self.known[source] = compiled(source)
            self.added += 1
        self.used[source] = code
        return builtins.exec(code, globals, locals)

    def to_write(self) -> dict[str, CodeType] | None:
        """What the file should hold now (None: nothing new to write): every known source,
        or only those this process used when they would be too many."""
        if not self.added:
            return None
        return self.known if len(self.known) <= MAX_SOURCES else dict(self.used)


#: The cache of this process (:func:`install`), None when not installed.
_installed: CodeCache | None = None


def install(path: Path | None = None) -> CodeCache:
    """Route the ``exec`` calls of ``dataclasses`` through a cache read from ``path``
    (:func:`cache_file.cache_path` of CACHE_STEM by default)."""
    global _installed
    if _installed is None:
        import dataclasses

        known = cache_file.read_entries(path or cache_file.cache_path(CACHE_STEM), file_header())
        _installed = CodeCache(known)
        dataclasses.exec = _installed.exec  # type: ignore[attr-defined]
    return _installed


def save(path: Path | None = None) -> None:
    """Write the code compiled since :func:`install` (when there is new code, and Python
    may write bytecode in this process)."""
    if _installed is None or sys.dont_write_bytecode:
        return
    entries = _installed.to_write()
    if entries is not None:
        cache_file.write_entries(path or cache_file.cache_path(CACHE_STEM), file_header(), entries)
        _installed.added = 0


def uninstall() -> None:
    """Give ``dataclasses`` the built-in ``exec`` back (tests)."""
    global _installed
    if _installed is not None:
        import dataclasses

        dataclasses.__dict__.pop("exec", None)
        _installed = None
