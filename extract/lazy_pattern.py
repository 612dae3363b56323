"""Regular expressions compiled on first use instead of at import (start-up time).

Every ``piao extract`` process imports the extractor and the normaliser, and compiling a
module's patterns at import costs 0.05-1.5 ms each: about 50 ms for the 115 patterns of the
CLI path. Many of them serve layouts or genres a given attachment does not have (a document
without numbered section headings, an objective list, cards, an administration name to
shorten): on the shipped attachment and the two fixture PDFs, 37 patterns (about 10 ms of
compiling) were never used. :func:`lazy_compile` gives such a pattern: compiled, by
:func:`re.compile` with the same arguments, when one of its attributes is first looked up;
the same object after that (its methods are then found on the instance, without going
through ``__getattr__`` again).

It stands for a pattern wherever the pattern's own attributes are used (``.search``,
``.sub``, ``.pattern``...); it is not a :class:`re.Pattern`, so it is not for a pattern
handed to ``re.sub(pattern, ...)``, tested by ``isinstance`` or compared by identity with
``match.re`` (compare ``match.re.pattern`` with its ``.pattern``).
"""

from __future__ import annotations

import re
from typing import Any, cast


class LazyPattern:
    """A regular expression compiled when one of its attributes is first looked up."""

    def __init__(self, pattern: str, flags: int | re.RegexFlag = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        """The compiled pattern's attribute (compiled now, once), kept on the instance so
        that later look-ups find it directly. A private or special name (``__deepcopy__``,
        ``__getstate__``... probed by :mod:`copy` and :mod:`pickle`) compiles nothing: a
        pattern has no such attribute."""
        if name.startswith("_"):
            raise AttributeError(name)
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = self.__dict__["_compiled"] = re.compile(*self._source)
        value = getattr(compiled, name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        pattern, flags = self._source
        return f"lazy_compile({pattern!r}, {flags!r})"


def lazy_compile(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """A :class:`LazyPattern` of ``pattern`` and ``flags``, typed as the pattern it stands
    for (see the module doc for where it may not)."""
    return cast("re.Pattern[str]", LazyPattern(pattern, flags))
