"""Memory of pure text functions: the same cell is read by several passes (page joins,
sector headings, header rows, records), so its cleaned, folded and dated forms are computed
once. Start-up and small documents are where this pays."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import ParamSpec, TypeVar

#: Texts up to this long are remembered; longer ones are rare and not worth keeping.
MAX_REMEMBERED_TEXT = 2000
#: Texts remembered per function (least recently used forgotten first).
REMEMBERED_TEXTS = 8192

P = ParamSpec("P")
R = TypeVar("R")


def remembers_short_texts(function: Callable[P, R]) -> Callable[P, R]:
    """``function(text, ...)`` computed once per short text and arguments (it must be pure
    and return an immutable value). Long texts are computed every time, so a large cell
    never stays in memory."""
    remembered = lru_cache(maxsize=REMEMBERED_TEXTS)(function)

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if args and isinstance(args[0], str) and len(args[0]) <= MAX_REMEMBERED_TEXT:
            return remembered(*args, **kwargs)
        return function(*args, **kwargs)

    wrapper.cache_clear = remembered.cache_clear  # type: ignore[attr-defined]
    wrapper.cache_info = remembered.cache_info  # type: ignore[attr-defined]
    return wrapper
