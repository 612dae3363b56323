"""Sub-items a) ... of the Indicatore / Valore / Tempi cells, aligned across the columns.

Each of the three cells may list lettered sub-items, optionally qualified by an objective code
(``1.1.3 a)``) when one cell holds several objectives. Items are paired across the columns by
(item_code, letter). Nothing is guessed: a letter that is duplicated, missing from a lettered
column, or empty is kept and marked ``aligned = False``. A list of letters sharing one text
(``a), b), c), d) Entro il 31.12.2023``) gives each letter that text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ITEM_FIELDS = ("indicator", "target", "deadline")

_QUALIFIER = r"(?:(?P<code>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+)?"


def _marker_pattern(letters: str) -> re.Pattern[str]:
    return re.compile(
        r"(?:(?<=^)|(?<=[\s;,.:>(\-–]))" + _QUALIFIER + rf"(?P<letter>[{letters}])\)(?=[\s,;.:]|$)"
    )


@dataclass(frozen=True, slots=True)
class Piece:
    """The text of one letter in one column."""

    item_code: str | None
    letter: str
    text: str


@dataclass(frozen=True, slots=True)
class SplitCell:
    lead: str
    pieces: tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class Item:
    item_code: str
    item: str | None
    texts: Mapping[str, str | None]
    aligned: bool
    problem: str | None = None


def _tidy(text: str) -> str:
    return text.strip().strip(";,").strip()


def _is_list_separator(text: str) -> bool:
    """The text between two letters of a shared list: ``", "`` or ``" e "``."""
    stripped = text.strip()
    return stripped in {",", ", e", "e", "/", "-"} or (stripped.endswith(",") and not stripped[:-1])


def split_lettered(text: str, letters: str = "abcdefghijkl") -> SplitCell:
    """Split a cell into the text before the first letter and one piece per letter."""
    markers = list(_marker_pattern(letters).finditer(text or ""))
    if not markers:
        return SplitCell(_tidy(text or ""), ())
    pieces: list[Piece] = []
    pending: list[tuple[str | None, str]] = []
    qualifier: str | None = None
    for position, marker in enumerate(markers):
        qualifier = marker.group("code") or qualifier
        end = markers[position + 1].start() if position + 1 < len(markers) else len(text)
        body = text[marker.end() : end]
        key = (qualifier, marker.group("letter"))
        if position + 1 < len(markers) and _is_list_separator(body):
            pending.append(key)
            continue
        for code, letter in [*pending, key]:
            pieces.append(Piece(code, letter, _tidy(body)))
        pending = []
    return SplitCell(_tidy(text[: markers[0].start()]), tuple(pieces))


def _key_order(keys: Sequence[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    code_rank: dict[str, int] = {}
    for code, _letter, _n in keys:
        code_rank.setdefault(code, len(code_rank))
    return sorted(set(keys), key=lambda key: (code_rank[key[0]], key[1], key[2]))


def _keyed(pieces: Sequence[Piece], default_code: str) -> dict[tuple[str, str, int], str]:
    seen: Counter[tuple[str, str]] = Counter()
    keyed: dict[tuple[str, str, int], str] = {}
    for piece in pieces:
        code = piece.item_code or default_code
        seen[(code, piece.letter)] += 1
        keyed[(code, piece.letter, seen[(code, piece.letter)])] = piece.text
    return keyed


def _alignment_problem(
    code: str, letter: str, counts: Mapping[str, Counter[tuple[str, str]]], texts: Mapping[str, str]
) -> str | None:
    problems = []
    for name, counter in counts.items():
        count = counter[(code, letter)]
        if count == 0:
            problems.append(f"missing from {name}")
        elif count > 1:
            problems.append(f"{count} times in {name}")
        elif not texts.get(name):
            problems.append(f"empty in {name}")
    return "; ".join(problems) or None


def align_items(
    objective_code: str, cells: Mapping[str, str], letters: str = "abcdefghijkl"
) -> list[Item]:
    """Items of one objective from its indicator / target / deadline cells.

    Without any letter, one item (``item = None``) holds the three texts. Otherwise one item
    per (item_code, letter, occurrence), preceded by an unlettered item for text that stands
    before the first letter (or in an unlettered indicator/target cell). An unlettered Tempi
    cell is the objective's realization period, not an item deadline.
    """
    split = {name: split_lettered(cells.get(name, ""), letters) for name in ITEM_FIELDS}
    lettered = [name for name in ITEM_FIELDS if split[name].pieces]
    if not lettered:
        texts = {name: (split[name].lead or None) for name in ITEM_FIELDS}
        return [Item(objective_code, None, texts, aligned=True)] if any(texts.values()) else []
    items: list[Item] = []
    lead = {
        name: (split[name].lead or None)
        for name in ITEM_FIELDS
        if name in lettered or name != "deadline"
    }
    if any(lead.values()):
        items.append(Item(objective_code, None, lead, aligned=True))
    keyed = {name: _keyed(split[name].pieces, objective_code) for name in lettered}
    counts = {name: Counter((c, letter) for c, letter, _n in keyed[name]) for name in lettered}
    all_keys = [key for name in lettered for key in keyed[name]]
    for code, letter, occurrence in _key_order(all_keys):
        texts = {name: keyed[name].get((code, letter, occurrence)) for name in lettered}
        firsts = {name: keyed[name].get((code, letter, 1)) or "" for name in lettered}
        problem = _alignment_problem(code, letter, counts, firsts)
        full = {name: texts.get(name) for name in ITEM_FIELDS}
        items.append(Item(code, letter, full, aligned=problem is None, problem=problem))
    return items


def letter_gaps(items: Sequence[Item], letters: str = "abcdefghijkl") -> list[str]:
    """Letters skipped in an item code's sequence (a, b, d -> ["c"])."""
    gaps: list[str] = []
    by_code: dict[str, set[str]] = {}
    for item in items:
        if item.item:
            by_code.setdefault(item.item_code, set()).add(item.item)
    for used in by_code.values():
        last = max(letters.index(letter) for letter in used)
        gaps.extend(letter for letter in letters[:last] if letter not in used)
    return gaps
