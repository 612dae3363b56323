"""Header rows and columns: found by heading *and* by content, never by position.

Every administration prints its table differently: headings worded otherwise ("Target
atteso", "Punti", "Codice e descrizione obiettivo operativo"), one to several header rows
(a title row above, a grouped heading such as "MISURAZIONE" over Indicatore / Target /
Scadenza, headings wrapped over many lines), or no header at all. The reader is a pipeline of
small pure functions:

1. :func:`combine_header_rows` joins candidate header rows column-wise;
2. :func:`heading_candidates` scores each combined heading against every column's aliases
   (rapidfuzz token-set score, ranked together with whole-string closeness) and
   :func:`assign_one_to_one` gives each column its best heading;
3. :func:`find_header_block` picks the block of rows that maps best (:func:`is_header`);
4. :func:`profile_columns` tells what the data cells below look like (objective codes,
   percentages, small integers, lettered lists, dates, missions, ...), and
   :func:`settle_by_content` confirms each column, corrects the ones content contradicts
   (a "Peso" column of percentages is the ponderazione) and places the columns whose heading
   said nothing (or the whole table, when it has no header).

The result, :class:`HeaderMapping`, keeps per column its printed heading, score and whether
content confirmed it: ``piao inspect`` shows it to a user whose layout was misread.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz, process

from extract.lazy_pattern import lazy_compile
from normalize import memo
from normalize.cleaning import fold
from normalize.codes import is_code_cell, is_mission_text, is_strategic_text
from normalize.dates import find_dates
from normalize.settings import OBJECTIVE_FIELDS, NormalizeSettings
from normalize.weights import is_percent, is_weight
from normalize.year_headings import year_target_columns

ColumnMap = dict[str, int]
Rows = Sequence[Sequence[str]]

_MAX_HEADING_WORDS = 30
_PREFIX = r"(?:obiettivo|ob|obj|n|nr|cod|codice)\s*[.:°]?\s*"
_CODE = r"\d{1,2}(?:\.\d{1,2}){0,3}\.?"
_CODE_THEN_TEXT = re.compile(
    rf"^\s*(?:{_PREFIX}\d{{1,2}}(?:\.\d{{1,2}}){{0,3}}|\d{{1,2}}(?:\.\d{{1,2}}){{2,3}})\.?"
    rf"(?:\s*/\s*{_CODE})*\s*[-–—:.]?\s+\S",
    re.I,
)
_SECTOR_ROW = lazy_compile(
    r"^\s*(?:settore|area|servizio|servizi|direzione|u\.\s*o\.|unit[aà] organizzativa|"
    r"dipartimento|ufficio)\b",
    re.I,
)
_LIST = re.compile(r"^\s*(?:[a-z]|\d{1,2})[).]\s+\S|^\s*[-–•·▪*]\s+\S", re.I | re.M)
_LIST_MARKER = re.compile(r"^\s*(?:[a-z]|\d{1,2})[).]\s+|^\s*[-–•·▪*]\s+", re.I | re.M)

CONFIRMING_KINDS: Mapping[str, frozenset[str]] = {
    "mission": frozenset({"mission"}),
    "strategic": frozenset({"strategic"}),
    "code": frozenset({"code", "integer"}),
    "objective": frozenset({"code_text"}),
    "title": frozenset({"code_text", "text"}),
    "weight": frozenset({"integer"}),
    "weighting_pct": frozenset({"percent"}),
    "deadline": frozenset({"date", "list"}),
    "indicator": frozenset({"list", "text"}),
    "target": frozenset({"list"}),
}
"""Kinds of data cell that confirm a column read from its heading."""

TYPED_KINDS = frozenset({"percent", "integer", "code", "mission", "date"})
"""Kinds that, when a column is made of them, contradict a heading that expects another."""

COLUMN_OF_KIND: Mapping[str, str] = {
    "percent": "weighting_pct",
    "integer": "weight",
    "mission": "mission",
    "strategic": "strategic",
    "code": "code",
    "code_text": "objective",
    "date": "deadline",
}
"""Column a data-cell kind decides when the heading said nothing."""

CORRECTIONS: Mapping[tuple[str, str], str] = {
    ("weight", "percent"): "weighting_pct",
    ("weighting_pct", "integer"): "weight",
    ("objective", "code"): "code",
    ("objective", "integer"): "code",
}
"""(column read from the heading, kind of its data) -> the column it really is."""


@dataclass(frozen=True, slots=True)
class ColumnMatch:
    """One column of the table: which canonical column it is, and why we think so.

    ``score`` is the heading's best alias score (0 when there is no heading), ``by`` says
    whether the heading or the content decided, ``confirmed`` whether the data cells agree
    (None when they cannot tell), ``kind`` what most data cells look like.
    """

    name: str
    index: int
    heading: str
    score: float
    by: str
    confirmed: bool | None = None
    kind: str | None = None


class HeaderMapping(NamedTuple):
    """The header of one table: its rows, headings and columns."""

    rows: tuple[int, ...]
    headings: tuple[str, ...]
    columns: tuple[ColumnMatch, ...]
    carried: bool = False

    @property
    def mapping(self) -> ColumnMap:
        """Canonical column -> cell index (``extra`` columns left out)."""
        return {
            c.name: c.index
            for c in sorted(self.columns, key=lambda c: c.index)
            if c.name != "extra"
        }

    @property
    def extras(self) -> tuple[int, ...]:
        return tuple(c.index for c in self.columns if c.name == "extra")

    @property
    def unmapped(self) -> tuple[tuple[int, str], ...]:
        """(index, heading) of printed headings that no column took."""
        taken = {c.index for c in self.columns}
        return tuple(
            (index, text) for index, text in enumerate(self.headings) if text and index not in taken
        )


# headings ------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def folded_aliases(aliases: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, list[str]]:
    return {name: [fold(alias) for alias in names] for name, names in aliases}


def alias_key(settings: NormalizeSettings) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((name, tuple(names)) for name, names in settings.header_aliases.items())


def score_heading(text: str, aliases: Sequence[str]) -> float:
    """Best rapidfuzz token-set score of a heading against one column's aliases (0 for a
    heading or a column without words)."""
    folded = fold(text)
    if not folded or not aliases:
        return 0.0
    return process.extractOne(folded, aliases, scorer=fuzz.token_set_ratio)[1]


def heading_closeness(text: str, aliases: Sequence[str]) -> float:
    """Whole-string similarity, to break token-set ties ("Peso %" is the ponderazione,
    although "Peso" is a subset of it)."""
    return folded_closeness(fold(text), aliases)


def folded_closeness(folded: str, aliases: Sequence[str]) -> float:
    """:func:`heading_closeness` of a text already folded."""
    return max((fuzz.ratio(folded, alias) for alias in aliases), default=0.0)


def is_heading_text(text: str) -> bool:
    """A cell that may be a heading: not empty, not a long paragraph, not data."""
    return (
        bool(text.strip()) and len(text.split()) <= _MAX_HEADING_WORDS and not looks_like_data(text)
    )


@lru_cache(maxsize=8192)
def heading_scores(
    text: str, key: tuple[tuple[str, tuple[str, ...]], ...], min_score: float
) -> tuple[tuple[float, float, str], ...]:
    """(score, closeness, column) of one heading against every column scoring ``min_score``
    (cached: the same headings recur on every page and in every block of rows tried)."""
    if not is_heading_text(text):
        return ()
    folded = fold(text)  # once, not once per column
    columns = folded_aliases(key)
    best = column_scores(folded, key, min_score)
    return tuple(
        (best[name], folded_closeness(folded, names), name)
        for name, names in columns.items()
        if best[name] >= min_score
    )


@lru_cache(maxsize=64)
def every_alias(key: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[list[str], list[str]]:
    """Every column's folded aliases in one list, and the column of each."""
    aliases: list[str] = []
    columns: list[str] = []
    for name, names in folded_aliases(key).items():
        aliases += names
        columns += [name] * len(names)
    return aliases, columns


def column_scores(
    folded: str, key: tuple[tuple[str, tuple[str, ...]], ...], min_score: float
) -> dict[str, float]:
    """Per column, :func:`score_heading` of a folded heading against its aliases (0 below
    ``min_score``), all scored by one rapidfuzz call over every alias: the best alias's
    score is the column's (a call per column cost more than its scoring)."""
    best = dict.fromkeys(folded_aliases(key), 0.0)
    if not folded:
        return best
    aliases, columns = every_alias(key)
    found = process.extract(
        folded, aliases, scorer=fuzz.token_set_ratio, score_cutoff=min_score, limit=None
    )
    for _, score, index in found:
        column = columns[index]
        best[column] = max(best[column], score)
    return best


def heading_candidates(
    headings: Sequence[str], settings: NormalizeSettings
) -> list[tuple[float, float, str, int]]:
    """(score, closeness, column, index) of every heading/column pair scoring enough, best
    first by score and closeness together: a short alias inside a long heading ("Obiettivo"
    in "Ponderazione relativa obiettivo") scores 100 by token set but is not close to it."""
    key = alias_key(settings)
    candidates = [
        (score, closeness, name, index)
        for index, text in enumerate(headings)
        for score, closeness, name in heading_scores(text, key, settings.header_min_score)
    ]
    return sorted(candidates, key=lambda c: (-(c[0] + c[1]), -c[0], c[3], c[2]))


def assign_one_to_one(
    candidates: Sequence[tuple[float, float, str, int]], headings: Sequence[str]
) -> list[ColumnMatch]:
    """Each column gets its best heading and each heading one column, best score first;
    ``extra`` may take several headings."""
    matches: list[ColumnMatch] = []
    names: set[str] = set()
    used: set[int] = set()
    for score, _closeness, name, index in candidates:
        if index in used or (name in names and name != "extra"):
            continue
        matches.append(ColumnMatch(name, index, headings[index], score, "heading"))
        names.add(name)
        used.add(index)
    return sorted(matches, key=lambda match: match.index)


def map_headings(headings: Sequence[str], settings: NormalizeSettings) -> list[ColumnMatch]:
    return assign_one_to_one(heading_candidates(headings, settings), headings)


def combine_header_rows(rows: Rows) -> list[str]:
    """Header rows joined column-wise ("MISURAZIONE" over "Indicatore" -> "MISURAZIONE
    Indicatore"); a text repeated by a vertical merge is kept once."""
    width = max((len(row) for row in rows), default=0)
    combined = []
    for index in range(width):
        parts: list[str] = []
        for row in rows:
            text = row[index].strip() if index < len(row) else ""
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        combined.append(" ".join(" ".join(parts).split()))
    return combined


def is_header(
    matches: Sequence[ColumnMatch], headings: Sequence[str], settings: NormalizeSettings
) -> bool:
    """Enough headings matched, one of them an objective (or code) column.

    ``header_min_columns`` matches always suffice; a narrow table needs half its filled
    headings (at least two), so 3- to 5-column tables have headers too.
    """
    names = {match.name for match in matches if match.name != "extra"}
    if not names & {*OBJECTIVE_FIELDS, "title"}:
        return False
    filled = sum(bool(text.strip()) for text in headings)
    needed = max(2, min(settings.header_min_columns, math.ceil(filled / 2)))
    return len(matches) >= needed


def label_year_targets(
    matches: Sequence[ColumnMatch], headings: Sequence[str]
) -> list[ColumnMatch]:
    """The header's columns with its yearly target columns named (targets by year, as the
    indicator-rows genre prints them, :mod:`normalize.indicator_rows`): the first year
    ``target`` (``items.target`` keeps the first plan year's target), the others
    ``target_<year>``; a header without yearly targets is returned as it is; a column
    without a year that had the name ``target`` becomes ``extra``."""
    years = year_target_columns(headings)
    if not years:
        return list(matches)
    first = min(years.values())
    names = {
        index: "target" if year == first else f"target_{year}" for index, year in years.items()
    }
    by_index = {match.index: match for match in matches}
    kept = [
        replace(match, name="extra") if match.name == "target" else match
        for match in matches
        if match.index not in names
    ]
    for index, name in names.items():
        old = by_index.get(index)
        if old is not None:
            kept.append(replace(old, name=name))
        else:
            kept.append(ColumnMatch(name, index, headings[index], 100.0, "heading"))
    return sorted(kept, key=lambda match: match.index)


#: The rows :func:`map_header` read last, with the settings they were read with (one
#: settings object kept, and at most :data:`MAPPED_ROWS` rows, so memory does not grow).
_mapped_rows: list[tuple[NormalizeSettings, dict[tuple[str, ...], ColumnMap]]] = []
MAPPED_ROWS = 4096


def map_header(cells: Sequence[str], settings: NormalizeSettings) -> ColumnMap:
    """Canonical column -> cell index for one header row (empty when it is not one).

    Read once per row text: a table's rows are asked by :func:`read_header` (the rows below
    its header) and by the row labels (every row), before and after the rows cut by a page
    break are joined. :func:`read_header_row` reads only the cells' texts and the settings
    (the same object, frozen), so the remembered mapping is the one it would give again;
    each caller gets its own copy."""
    if not _mapped_rows or _mapped_rows[0][0] is not settings:
        _mapped_rows[:] = [(settings, {})]
    remembered = _mapped_rows[0][1]
    key = tuple(cells)
    found = remembered.get(key)
    if found is None:
        if len(remembered) >= MAPPED_ROWS:
            remembered.clear()
        found = remembered[key] = read_header_row(cells, settings)
    return dict(found)


def read_header_row(cells: Sequence[str], settings: NormalizeSettings) -> ColumnMap:
    """:func:`map_header` read afresh."""
    if any(looks_like_data(text) for text in cells):
        return {}
    matches = map_headings(cells, settings)
    if not is_header(matches, cells, settings):
        return {}
    matches = label_year_targets(matches, cells)
    return {m.name: m.index for m in matches if m.name != "extra"}


def _block_key(matches: Sequence[ColumnMatch], length: int) -> tuple[int, float, int]:
    return (len(matches), sum(match.score for match in matches), -length)


def find_header_block(
    rows: Rows, settings: NormalizeSettings, start: int = 0
) -> tuple[tuple[int, ...], list[str], list[ColumnMatch]] | None:
    """The consecutive rows (from ``start``, before the first data row) that together map
    best as a header: most columns matched, then highest scores, then fewest rows; extended
    over the following wrapped-heading rows. None when no block is a header."""
    end = start
    while end < len(rows) and end - start < settings.header_max_rows + 4:
        if any(looks_like_data(text) for text in rows[end]):
            break
        end += 1
    best: tuple[tuple[int, float, int], int, int, list[str], list[ColumnMatch]] | None = None
    for first in range(start, end):
        if not any(is_heading_text(text) for text in rows[first]):
            continue
        for last in range(first, min(end, first + settings.header_max_rows)):
            headings = combine_header_rows(rows[first : last + 1])
            matches = map_headings(headings, settings)
            if not is_header(matches, headings, settings):
                continue
            key = _block_key(matches, last - first + 1)
            if best is None or key > best[0]:
                best = (key, first, last, headings, matches)
    if best is None:
        return None
    _key, first, last, headings, matches = best
    while (
        last + 1 < end
        and last + 1 - first < settings.header_max_rows
        and _is_wrapped_fragment(rows[last + 1])
    ):
        extended = combine_header_rows(rows[first : last + 2])
        more = map_headings(extended, settings)
        if len(more) < len(matches):
            break
        last, headings, matches = last + 1, extended, more
    return tuple(range(first, last + 1)), headings, matches


def _is_wrapped_fragment(cells: Sequence[str]) -> bool:
    """A row of short heading pieces (a heading wrapped over several lines), not a sector
    heading printed as a row of the table."""
    filled = [text for text in cells if text.strip()]
    if not filled or _SECTOR_ROW.match(filled[0]):
        return False
    if not all(len(text.split()) <= 6 and not looks_like_data(text) for text in filled):
        return False
    return len(filled) >= 2 or len(filled[0].split()) <= 3


# content -------------------------------------------------------------------------------------


@memo.remembers_short_texts  # every pass over the header rows asks it of the same cells
def looks_like_data(text: str) -> bool:
    """A cell no heading looks like: an objective code opening a text, a bare code, a weight,
    a percentage or a lettered list."""
    text = text.strip()
    if not text:
        return False
    return bool(
        is_weight(text)
        or is_percent(text)
        or _CODE_THEN_TEXT.match(text)
        or is_code_cell(text)
        or re.match(r"^\s*[a-z]\)\s", text)
    )


@memo.remembers_short_texts  # asked of a cell by the header's profile and the page joins
def cell_kind(text: str) -> str | None:
    """What a data cell looks like: percent, integer, code, mission, code_text, strategic,
    list, date or text (None when empty)."""
    text = text.strip()
    if not text:
        return None
    if is_percent(text):
        return "percent"
    if is_weight(text):
        return "integer"
    if is_mission_text(text):
        return "mission"
    if is_code_cell(text):
        return "code"
    if _CODE_THEN_TEXT.match(text):
        return "code_text"
    if is_strategic_text(text):
        return "strategic"
    if _LIST.match(text):
        return "date" if is_date_list(text) else "list"
    if len(text) <= 80 and find_dates(text, 2000):
        return "date"
    return "text"


def is_date_list(text: str) -> bool:
    """A list whose every item is a short date phrase ("a) entro il 31/12/2025")."""
    items = [part for part in _LIST_MARKER.split(text) if part.strip()]
    return bool(items) and all(len(item) <= 60 and find_dates(item, 2000) for item in items)


def row_label(cells: Sequence[str]) -> str:
    """A row's first filled cell that is not a number: the label of a total row, wherever
    its column stands ("18 | TOTALE PESI" where the weight column is printed first)."""
    return next(
        (text for text in cells if text.strip() and not (is_weight(text) or is_percent(text))),
        "",
    )


#: A total row's label that names the weight rather than saying "totale": the weight's noun
#: and a word of sum or maximum ("Punteggio massimo", "Punti totali", "Peso complessivo"),
#: blanks removed (a label wrapped in a narrow column: "Punteggi o massimo").
_WEIGHT_TOTAL = re.compile(
    r"^(?:punteggio|punti|peso|pesi|pesatura)(?:massim[oa]|max\.?|total[ei]|complessiv[oa])$"
)


def is_weight_total_row(cells: Sequence[str]) -> bool:
    """A row whose label is a weight-total phrase (:data:`_WEIGHT_TOTAL`) and whose other
    filled cells are all numbers: the sum of a points column ("Punteggio massimo | 100")."""
    label = row_label(cells)
    if not _WEIGHT_TOTAL.match(fold(label).rstrip(":").replace(" ", "")):
        return False
    others = [text for text in cells if text.strip() and text != label]
    return bool(others) and all(is_weight(text) or is_percent(text) for text in others)


def is_total_row(cells: Sequence[str]) -> bool:
    """The ``totale`` row that closes a sector table (also "TOTA LE", a word split by a
    narrow column), its label read past any number printed before it, or a weight-total
    row (:func:`is_weight_total_row`)."""
    first = fold(row_label(cells)).rstrip(":")
    return (
        first in ("total", "tot.")
        or first.startswith(("total ", "tot. "))
        or first.replace(" ", "").startswith("totale")
        or is_weight_total_row(cells)
    )


def profile_columns(rows: Rows, width: int, limit: int = 40) -> list[Counter[str]]:
    """Per column, how many of the first ``limit`` data rows' cells are of each kind."""
    profiles: list[Counter[str]] = [Counter() for _ in range(width)]
    for row in [row for row in rows if not is_total_row(row)][:limit]:
        for index, text in enumerate(row[:width]):
            kind = cell_kind(text)
            if kind:
                profiles[index][kind] += 1
    return profiles


def dominant_kind(profile: Counter[str], share: float) -> str | None:
    """The kind of at least ``share`` of a column's filled cells (None when mixed or empty)."""
    total = sum(profile.values())
    if not total:
        return None
    kind, count = profile.most_common(1)[0]
    return kind if count / total >= share else None


def average_length(rows: Rows, index: int) -> float:
    lengths = [len(row[index]) for row in rows if index < len(row) and row[index].strip()]
    return sum(lengths) / len(lengths) if lengths else 0.0


def confirm(match: ColumnMatch, kind: str | None) -> ColumnMatch:
    """Mark whether the data cells agree with a column read from its heading."""
    confirming = CONFIRMING_KINDS.get(match.name)
    if kind is None or confirming is None:
        confirmed = None
    elif kind in confirming:
        confirmed = True
    else:
        confirmed = False if kind in TYPED_KINDS else None
    return ColumnMatch(
        match.name, match.index, match.heading, match.score, match.by, confirmed, kind
    )


_PERCENT_HEADING = re.compile(r"%|percentual", re.IGNORECASE)


def prints_percent(heading: str) -> bool:
    """A heading that says its numbers are percentages (``Peso %``, ``Peso percentuale``)."""
    return bool(_PERCENT_HEADING.search(heading or ""))


def correct_by_content(matches: list[ColumnMatch]) -> list[ColumnMatch]:
    """Rename the columns whose content contradicts their heading (see CORRECTIONS), when
    the column they really are is free or is the one swapped with them."""
    by_name = {match.name: match for match in matches}
    corrected = []
    for match in matches:
        target = CORRECTIONS.get((match.name, match.kind or ""))
        if target == "weight" and prints_percent(match.heading):
            target = None  # "Peso %" printing 40: a percentage without its sign
        holder = by_name.get(target) if target else None
        if target and (
            holder is None or CORRECTIONS.get((holder.name, holder.kind or "")) == match.name
        ):
            corrected.append(
                ColumnMatch(
                    target, match.index, match.heading, match.score, "content", True, match.kind
                )
            )
        else:
            corrected.append(match)
    return corrected


def place_by_content(
    matches: list[ColumnMatch], kinds: Sequence[str | None], headings: Sequence[str]
) -> list[ColumnMatch]:
    """Columns no heading placed, placed by what their cells are (a percentage column is the
    ponderazione, a column of ``M 01`` the mission, ...) when that column is still free."""
    taken = {match.index for match in matches}
    names = {match.name for match in matches}
    placed = list(matches)
    for index, kind in enumerate(kinds):
        name = COLUMN_OF_KIND.get(kind or "")
        if index in taken or name is None or name in names:
            continue
        heading = headings[index] if index < len(headings) else ""
        placed.append(ColumnMatch(name, index, heading, 0.0, "content", True, kind))
        names.add(name)
    return sorted(placed, key=lambda match: match.index)


def place_lists(
    matches: list[ColumnMatch], kinds: Sequence[str | None], headings: Sequence[str]
) -> list[ColumnMatch]:
    """List columns no heading placed, left to right: the indicators, then the targets."""
    taken = {match.index for match in matches}
    names = {match.name for match in matches}
    placed = list(matches)
    free = iter(name for name in ("indicator", "target") if name not in names)
    for index, kind in enumerate(kinds):
        if kind != "list" or index in taken:
            continue
        name = next(free, None)
        if name is None:
            break
        heading = headings[index] if index < len(headings) else ""
        placed.append(ColumnMatch(name, index, heading, 0.0, "content", True, kind))
    return sorted(placed, key=lambda match: match.index)


def place_objective_text(
    matches: list[ColumnMatch], rows: Rows, width: int, headings: Sequence[str]
) -> list[ColumnMatch]:
    """With a code column but no objective column, the longest free text column beside the
    codes holds the objectives."""
    names = {match.name for match in matches}
    if "objective" in names or "code" not in names:
        return matches
    if "title" in names:
        return [
            ColumnMatch("objective", m.index, m.heading, m.score, "content", m.confirmed, m.kind)
            if m.name == "title"
            else m
            for m in matches
        ]
    taken = {match.index for match in matches}
    free = [
        index for index in range(width) if index not in taken and average_length(rows, index) > 0
    ]
    if not free:
        return matches
    best = max(free, key=lambda index: average_length(rows, index))
    heading = headings[best] if best < len(headings) else ""
    return sorted(
        [*matches, ColumnMatch("objective", best, heading, 0.0, "content", None, "text")],
        key=lambda m: m.index,
    )


def _objective_rival(
    match: ColumnMatch | None, text: str, aliases: dict[str, list[str]], min_score: float
) -> bool:
    """A heading that reads as an objective heading at least as closely as it reads as the
    column it was given (or that no column took)."""
    if not is_heading_text(text) or score_heading(text, aliases["objective"]) < min_score:
        return False
    if match is None:
        return True
    if match.name in ("objective", "code", "title"):
        return False
    own = heading_closeness(text, aliases.get(match.name, []))
    return heading_closeness(text, aliases["objective"]) > own


def split_title_and_description(
    matches: list[ColumnMatch], rows: Rows, headings: Sequence[str], settings: NormalizeSettings
) -> list[ColumnMatch]:
    """Two columns headed like the objective ("Obiettivo operativo" and "Descrizione e
    risultato atteso"): the one with the shorter cells is the title, the other the objective."""
    names = {match.name for match in matches}
    if "objective" not in names or "title" in names:
        return matches
    aliases = folded_aliases(alias_key(settings))
    by_index = {match.index: match for match in matches}
    rivals = [
        index
        for index, text in enumerate(headings)
        if _objective_rival(by_index.get(index), text, aliases, settings.header_min_score)
    ]
    if not rivals:
        return matches
    objective = next(match for match in matches if match.name == "objective")
    rival = rivals[0]
    short, long_ = sorted((objective.index, rival), key=lambda index: average_length(rows, index))
    result = [m for m in matches if m.name != "objective" and m.index != rival]
    scores = {
        objective.index: objective.score,
        rival: score_heading(headings[rival], aliases["objective"]),
    }
    result.append(ColumnMatch("title", short, headings[short], scores[short], "heading"))
    result.append(ColumnMatch("objective", long_, headings[long_], scores[long_], "heading"))
    return sorted(result, key=lambda match: match.index)


def settle_by_content(
    matches: list[ColumnMatch],
    headings: Sequence[str],
    data_rows: Rows,
    settings: NormalizeSettings,
) -> list[ColumnMatch]:
    """Confirm, correct and complete the heading mapping by the data cells below it."""
    width = max([len(headings), *(len(row) for row in data_rows[:40])], default=0)
    profiles = profile_columns(data_rows, width)
    kinds = [dominant_kind(profile, settings.content_share) for profile in profiles]
    matches = split_title_and_description(matches, data_rows, headings, settings)
    matches = [
        confirm(match, kinds[match.index] if match.index < width else None) for match in matches
    ]
    matches = correct_by_content(matches)
    matches = place_by_content(matches, kinds, headings)
    matches = place_lists(matches, kinds, headings)
    matches = place_objective_text(matches, data_rows, width, headings)
    return matches


def read_header(rows: Rows, settings: NormalizeSettings, start: int = 0) -> HeaderMapping | None:
    """The header of a table from row ``start``: heading rows found and mapped, then settled
    by the data rows below; a table without a header row is read by content alone. None
    when neither finds an objective (or code) column."""
    block = find_header_block(rows, settings, start)
    if block is None:
        data = rows[start:]
        matches = settle_by_content([], [], data, settings)
        if not {match.name for match in matches} & set(OBJECTIVE_FIELDS):
            return None
        return HeaderMapping((), (), tuple(matches))
    header_rows, headings, matches = block
    matches = label_year_targets(matches, headings)
    data = [row for row in rows[header_rows[-1] + 1 :] if not _is_header_like(row, settings)]
    settled = settle_by_content(matches, headings, data, settings)
    return HeaderMapping(header_rows, tuple(headings), tuple(settled))


def table_width(rows: Rows) -> int:
    return max((len(row) for row in rows), default=0)


def carry_header(
    own: HeaderMapping | None, previous: HeaderMapping | None, rows: Rows
) -> HeaderMapping | None:
    """A table printing no header row of its own (a header printed once for several
    sectors, a sector heading printed as a row splitting one table) reads with the header of
    the table before it, when it has as many columns; else by content alone."""
    if own is not None and own.rows:
        return own
    if previous is None or not previous.headings or len(previous.headings) != table_width(rows):
        return own
    return HeaderMapping((), previous.headings, previous.columns, carried=True)


def _is_header_like(cells: Sequence[str], settings: NormalizeSettings) -> bool:
    return bool(map_header(cells, settings))


# repeated rows -------------------------------------------------------------------------------


def row_signature(cells: Sequence[str]) -> str:
    """Folded text of a row, for recognising a repeated banner row."""
    return " | ".join(fold(text) for text in cells if text.strip())


def is_repeat_of(cells: Sequence[str], banners: Sequence[str], threshold: float) -> bool:
    """True when a row reads like one of the banner rows printed above the header."""
    signature = row_signature(cells)
    if not signature:
        return False
    return any(fuzz.ratio(signature, banner) >= threshold for banner in banners)
