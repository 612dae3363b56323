"""Sub-items of the indicator / target / deadline cells, aligned across the columns.

Administrations mark sub-items in many ways: letters ``a)`` or ``a.``, numbers ``1)``, ``1.``
or ``1 -``, dashes ``-``/``–`` or bullets ``•``/``▪``/``*``, one per line or paragraph, or inline
separated by ``;``, or inline separated by a dash between blanks (``x - y - z``, a spreadsheet
cell's list). A cell without markers is one item. Letters in parentheses may stand
anywhere and may be qualified by an objective code (``1.1.3 a)``) when one cell holds several
objectives; the other markers count only where they open the cell, a line, or follow a ``;``,
so that a date (``30.06.2023``), a code (``1.2.1``) or a hyphen in prose is never an item.
Numbers and dotted letters must run in sequence from 1 / a.

Items are paired across the columns by (item_code, label): the letter, the number, or the
position of a dash or bullet (columns that use different kinds of marker are paired by
position). Nothing is guessed: a label that is duplicated, missing from a marked column, or
empty is kept and marked ``aligned = False``. A list of labels sharing one text
(``a), b), c), d) Entro il 31.12.2023``) gives each label that text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise
from typing import NamedTuple

from normalize.memo import remembers_short_texts

ITEM_FIELDS = ("indicator", "target", "deadline")

_QUALIFIER = r"(?:(?P<code>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+)?"
_BOUNDARY = r"(?:(?<=^)|(?<=\s)|(?<=;))"
_BULLETS = "•▪▫◦●○■□►▶‣⁃∙·*"
LETTER, NUMBER, BULLET = "letter", "number", "bullet"


def _marker_pattern(letters: str) -> re.Pattern[str]:
    return re.compile(
        r"(?:(?<=^)|(?<=[\s;,.:>(\-–]))" + _QUALIFIER + rf"(?P<letter>[{letters}])\)(?=[\s,;.:]|$)"
    )


def _dotted_letter_pattern(letters: str) -> re.Pattern[str]:
    return re.compile(_BOUNDARY + rf"(?P<label>[{letters}])\.(?=\s)")


_NUMBER = re.compile(_BOUNDARY + r"(?P<label>[1-9]\d?)(?:[.)]|\s[-–])(?=\s)")
_BULLET = re.compile(_BOUNDARY + rf"(?P<label>[-–—{re.escape(_BULLETS)}]|\(cid:\d+\))(?=\s)")
"""A dash or bullet; ``(cid:127)`` is how pdfplumber prints a bullet glyph that has no
Unicode mapping in the PDF's font."""


# The module's records are NamedTuples: read by attribute only, never compared with
# another kind of tuple, and a NamedTuple class costs a tenth of a frozen dataclass's to
# create at import (start-up time).
class Piece(NamedTuple):
    """The text of one marker in one column (``letter`` is its label: a letter, a number,
    or the position of a dash or bullet)."""

    item_code: str | None
    letter: str
    text: str
    kind: str = LETTER


class SplitCell(NamedTuple):
    lead: str
    pieces: tuple[Piece, ...]


class Item(NamedTuple):
    item_code: str
    item: str | None
    texts: Mapping[str, str | None]
    aligned: bool
    problem: str | None = None


class _Marker(NamedTuple):
    start: int
    end: int
    label: str
    kind: str
    code: str | None = None
    opens_line: bool = True


def _tidy(text: str) -> str:
    return text.strip().strip(";,").strip()


def _is_list_separator(text: str) -> bool:
    """The text between two markers of a shared list: ``", "`` or ``" e "``."""
    stripped = text.strip()
    return stripped in {",", ", e", "e", "/", "-"} or (stripped.endswith(",") and not stripped[:-1])


def _opens_line(text: str, start: int) -> bool:
    """True when only blanks, or a ``;``, stand before ``start`` on its line (the line's
    start found backwards: no copy of the text before it, per marker of a long cell)."""
    line = text[text.rfind("\n", 0, start) + 1 : start].rstrip()
    return not line or line.endswith(";")


def _candidates(pattern: re.Pattern[str], text: str, kind: str) -> list[_Marker]:
    return [
        _Marker(
            m.start("label"), m.end(), m.group("label"), kind, None, _opens_line(text, m.start())
        )
        for m in pattern.finditer(text)
    ]


def _in_sequence(
    markers: list[_Marker], first: str, successor: Callable[[str], str]
) -> list[_Marker]:
    """Markers that run in sequence from ``first`` (1, 2, 3 / a, b, c), the first one
    opening a line; the others are text. Later ones may stand inside a line (``1. x 2. y``, a
    list whose line breaks a PDF reader lost)."""
    kept: list[_Marker] = []
    expected = first
    for marker in markers:
        if marker.label == expected and (kept or marker.opens_line):
            kept.append(marker)
            expected = successor(expected)
    return kept


def _letter_markers(text: str, letters: str) -> list[_Marker]:
    found = [
        _Marker(m.start(), m.end(), m.group("letter"), LETTER, m.group("code"))
        for m in _marker_pattern(letters).finditer(text)
    ]
    if found:
        return found
    dotted = _candidates(_dotted_letter_pattern(letters), text, LETTER)
    following = dict(pairwise(letters))
    return _in_sequence(dotted, letters[0], lambda letter: following.get(letter, ""))


def _number_markers(text: str) -> list[_Marker]:
    found = _candidates(_NUMBER, text, NUMBER)
    return _in_sequence(found, "1", lambda number: str(int(number) + 1))


def _bullet_markers(text: str) -> list[_Marker]:
    """Dashes and bullets, labelled by position. The first must open a line; when only the
    first does, the list runs inline (``- x - y``, line breaks lost) and every later dash
    between blanks is a marker, else only those opening a line are."""
    found = _candidates(_BULLET, text, BULLET)
    while found and not found[0].opens_line:
        found = found[1:]
    at_line_start = [marker for marker in found if marker.opens_line]
    chosen = found if len(at_line_start) == 1 else at_line_start
    return [marker._replace(label=str(n)) for n, marker in enumerate(chosen, start=1)]


def find_markers(text: str, letters: str = "abcdefghijkl") -> list[_Marker]:
    """The sub-item markers of a cell, of one kind: the kind whose first marker comes first."""
    return list(_markers_of(text, letters))


@remembers_short_texts
def _markers_of(text: str, letters: str) -> tuple[_Marker, ...]:
    """:func:`find_markers`, once per text: a cell is looked at for inline dashes
    (:func:`split_inline_dashes`) and then split (:func:`split_marked`)."""
    kinds = [
        found
        for found in (_letter_markers(text, letters), _number_markers(text), _bullet_markers(text))
        if found
    ]
    return tuple(min(kinds, key=lambda found: found[0].start)) if kinds else ()


def split_marked(text: str, letters: str = "abcdefghijkl") -> SplitCell:
    """Split a cell into the text before the first marker and one piece per marker."""
    text = text or ""
    markers = find_markers(text, letters)
    if not markers:
        return SplitCell(_tidy(text), ())
    pieces: list[Piece] = []
    pending: list[tuple[str | None, str]] = []
    qualifier: str | None = None
    for position, marker in enumerate(markers):
        qualifier = marker.code or qualifier
        end = markers[position + 1].start if position + 1 < len(markers) else len(text)
        body = text[marker.end : end]
        key = (qualifier, marker.label)
        if position + 1 < len(markers) and _is_list_separator(body):
            pending.append(key)
            continue
        for code, label in [*pending, key]:
            pieces.append(Piece(code, label, _tidy(body), marker.kind))
        pending = []
    return SplitCell(_tidy(text[: markers[0].start]), tuple(pieces))


def split_lettered(text: str, letters: str = "abcdefghijkl") -> SplitCell:
    """Former name of :func:`split_marked` (the cell's sub-items, whatever their marker)."""
    return split_marked(text, letters)


def _by_position(split: SplitCell) -> SplitCell:
    """The cell's pieces labelled by their position (1, 2, ...), to pair it with a column
    that marks its items another way."""
    pieces = tuple(
        piece._replace(letter=str(position)) for position, piece in enumerate(split.pieces, 1)
    )
    return SplitCell(split.lead, pieces)


def _key_order(keys: Sequence[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    code_rank: dict[str, int] = {}
    for code, _letter, _n in keys:
        code_rank.setdefault(code, len(code_rank))
    return sorted(set(keys), key=lambda key: (code_rank[key[0]], _label_order(key[1]), key[2]))


def _label_order(label: str) -> tuple[int, str]:
    """Numbers in numeric order (2 before 10), letters alphabetically."""
    return (int(label), "") if label.isdigit() else (-1, label)


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


#: A dash between blanks inside a line or across a line break: the separator of an inline
#: list (``x - y``); a hyphen inside a word (``e-mail``) or a range (``2025-2027``) has none.
_INLINE_DASH = re.compile(r"\s[-–]\s+")
_BARE_NUMBER = re.compile(r"\d{1,4}")


def _is_range(before: str, after: str) -> bool:
    """Two bare numbers around a dash that make a range (``2025 - 2027``, ``5 - 10``), not
    two items: both years, or two small numbers rising. A year then a day (``31 dicembre
    2025 - 30 giugno 2026``) are two dates."""
    after = after.rstrip(",;.")
    if not (_BARE_NUMBER.fullmatch(before) and _BARE_NUMBER.fullmatch(after)):
        return False
    if len(before) == len(after) == 4:
        return True
    return len(before) <= 3 and len(after) <= 3 and int(before) < int(after)


def _inline_dash_split(text: str) -> list[str]:
    """The text cut at each dash between blanks, except between two bare numbers (a range
    printed with blanks: ``2025 - 2027``, ``10 - 20 giorni``)."""
    pieces, start = [], 0
    for match in _INLINE_DASH.finditer(text):
        before, after = text[: match.start()].split(), text[match.end() :].split()
        if _is_range(before[-1] if before else "", after[0] if after else ""):
            continue
        pieces.append(text[start : match.start()])
        start = match.end()
    return [*pieces, text[start:]]


def _inline_dash_pieces(text: str) -> list[str] | None:
    """The pieces of a cell listed inline with dashes (``x - y - z``), or None when the cell
    has any other marker, opens with a dash (a bulleted list) or holds no such dash."""
    stripped = (text or "").strip()
    if not stripped or stripped[0] in "-–—" + _BULLETS:
        return None
    if any(marker.kind != BULLET for marker in find_markers(stripped)):
        return None
    pieces = [_tidy(piece) for piece in _inline_dash_split(stripped)]
    return pieces if len(pieces) > 1 and all(pieces) else None


def split_inline_dashes(cells: Mapping[str, str]) -> list[dict[str, str | None]] | None:
    """Items of cells that list them inline with dashes, paired by position.

    A spreadsheet cell often lists several indicators on one line, ``x - y - z``, and the
    target and deadline cells beside it list theirs the same way. A dash between blanks is
    ambiguous in one cell (prose says ``verifica - controllo`` too), so the cells are split
    only when every filled item cell lists the same number (two or more) of pieces; else
    None (the cells are read as usual: one item, or their markers).
    """
    filled = {name: text for name in ITEM_FIELDS if (text := cells.get(name) or "").strip()}
    if not filled:
        return None
    pieces = {name: _inline_dash_pieces(text) for name, text in filled.items()}
    counts = {len(found) if found else 0 for found in pieces.values()}
    if len(counts) != 1 or counts == {0}:
        return None
    count = counts.pop()
    return [
        {name: (pieces[name][n] if name in pieces else None) for name in ITEM_FIELDS}
        for n in range(count)
    ]


def align_items(
    objective_code: str, cells: Mapping[str, str], letters: str = "abcdefghijkl"
) -> list[Item]:
    """Items of one objective from its indicator / target / deadline cells.

    Without any letter, one item (``item = None``) holds the three texts. Otherwise one item
    per (item_code, letter, occurrence), preceded by an unlettered item for text that stands
    before the first letter (or in an unlettered indicator/target cell). An unlettered Tempi
    cell is the objective's realization period, not an item deadline. Cells listing the
    same number of items inline with dashes (:func:`split_inline_dashes`) give one item per
    position.
    """
    dashed = split_inline_dashes(cells)
    if dashed is not None:
        return [
            Item(objective_code, str(n), texts, aligned=True) for n, texts in enumerate(dashed, 1)
        ]
    split = {name: split_marked(cells.get(name, ""), letters) for name in ITEM_FIELDS}
    lettered = [name for name in ITEM_FIELDS if split[name].pieces]
    if len({split[name].pieces[0].kind for name in lettered}) > 1:
        split = {name: _by_position(split[name]) for name in ITEM_FIELDS}
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
    """Letters skipped in an item code's sequence (a, b, d -> ["c"]); numbered and bulleted
    items run in sequence by construction."""
    gaps: list[str] = []
    by_code: dict[str, set[str]] = {}
    for item in items:
        if item.item and item.item in letters:
            by_code.setdefault(item.item_code, set()).add(item.item)
    for used in by_code.values():
        last = max(letters.index(letter) for letter in used)
        gaps.extend(letter for letter in letters[:last] if letter not in used)
    return gaps
