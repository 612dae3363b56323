"""How a command finds the document a user names: a doc_id, or its first characters."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

#: Candidates an ambiguity error lists (the rest are counted).
LISTED = 10


class AmbiguousName(LookupError):
    """A doc_id prefix (or a part of an ente) shared by several documents; ``str`` is one
    line listing them."""


def matching_doc_ids(doc: str, doc_ids: Sequence[str]) -> list[str]:
    """The doc_id equal to ``doc``, else every doc_id starting with it (in order)."""
    if doc in doc_ids:
        return [doc]
    return [doc_id for doc_id in doc_ids if doc and doc_id.startswith(doc)]


def candidates(found: Sequence[str]) -> str:
    """``a, b, c`` (the first :data:`LISTED`, then ``and N more``)."""
    more = len(found) - LISTED
    return ", ".join(found[:LISTED]) + (f" and {more} more" if more > 0 else "")


def resolve_doc_id(doc: str, doc_ids: Sequence[str], data: Path) -> str | None:
    """The doc_id ``doc`` names among ``doc_ids`` (equal, or the only one it starts), None
    when none; raises :class:`AmbiguousName` listing the doc_ids it starts."""
    found = matching_doc_ids(doc, doc_ids)
    if len(found) > 1:
        raise AmbiguousName(
            f"doc_id {doc!r} is ambiguous in {data}/: {candidates(found)}; give more characters"
        )
    return found[0] if found else None
