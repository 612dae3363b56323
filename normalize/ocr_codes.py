"""Objective codes read by OCR, checked against their sibling codes.

OCR can misread one part of a code as another valid-looking number (a ``9`` under a speck
read ``3``: ``9.2.2`` -> ``3.2.2``; ``6.1.1.1`` -> ``18.1.1.1``). Such a code is no
repairable character confusion (``:`` for ``.``, ``i`` for ``1``: :mod:`extract.ocr` does
those) and would key an invented objective. What gives it away is its place: a sector table
lists its objective codes in ascending order (``9.2.1.1`` then ``9.2.2``), so a code read by
OCR that breaks the order its neighbours keep is out of place.

Rules, applied only to codes whose cell was read by OCR (``RawCell.ocr_confidence`` set):

- the codes that agree with each other are the longest run of the sector's codes in
  ascending order (compared part by part as numbers); a tie between two such runs is broken
  by the row's own context (a code whose first part is the row's mission number, whose first
  two are its strategic objective's code), then by OCR confidence. A code outside that run
  is **out of place**;
- it is **repaired** (``ocr_repair``, a warning) when exactly one code made by replacing one
  of its parts with the same part of a neighbour in the run sorts between those neighbours
  and is not already used in the sector (``3.2.2`` after ``9.2.1.1`` -> ``9.2.2``;
  ``18.1.1.1`` between ``5.2.2.2`` and ``6.1.2.1`` -> ``6.1.1.1``);
- otherwise it is kept as read and recorded as a doubt (``ocr_code_doubt``, a warning).

The neighbours are every code mention of the sector in reading order, the other codes of a
multi-code cell included. A sector printed out of order on purpose is left alone when it
was not OCR'd; when it was, every code changed or doubted is a finding, none is silent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from normalize.codes import parse_mission, parse_strategic
from normalize.quality import WARNING, Finding

if TYPE_CHECKING:  # the row types only: nothing of them runs here
    from normalize.sector_rows import ObjectiveRow, SectorRows

Parts = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Mention:
    """One code mention of a sector: its row, its index among the row's codes, its parts."""

    row: ObjectiveRow
    index: int
    parts: Parts | None

    @property
    def code(self) -> str:
        return self.row.codes[self.index].code


def code_parts(code: str) -> Parts | None:
    """``"9.3.2.10"`` -> ``(9, 3, 2, 10)``; ``None`` for a code that is not dotted digits."""
    pieces = code.rstrip(".").split(".")
    return tuple(int(piece) for piece in pieces) if all(p.isdigit() for p in pieces) else None


def read_by_ocr(row: ObjectiveRow) -> bool:
    """Whether the cell the row's codes come from was read by OCR."""
    cells = row.cells.get(row.code_field or "", [])
    return any(cell.ocr_confidence is not None for cell in cells)


def in_order(before: Parts | None, code: Parts, after: Parts | None) -> bool:
    """``before <= code <= after`` (a missing neighbour does not constrain)."""
    return (before is None or before <= code) and (after is None or code <= after)


def sibling_candidates(
    code: Parts, before: Parts | None, after: Parts | None, used: set[Parts]
) -> set[Parts]:
    """Codes made by replacing one part of ``code`` with the same part of a neighbour that
    sort between the neighbours and are not already used."""
    found = set()
    for side in (before, after):
        if side is None:
            continue
        for position in range(min(len(code), len(side))):
            candidate = (*code[:position], side[position], *code[position + 1 :])
            if candidate != code and candidate not in used and in_order(before, candidate, after):
                found.add(candidate)
    return found


def agreement(row: ObjectiveRow, parts: Parts) -> float:
    """How far the row's own printed context backs a code read by OCR: its first part is the
    number of the row's mission cell (0.5), its first two parts the code of the row's
    strategic cell (0.25). Only breaks ties between equally long orderings: a code's first
    number is not always the mission (see :mod:`normalize.hierarchy`)."""
    mission, _ = parse_mission(row.context.get("mission", ""))
    strategic, _ = parse_strategic(row.context.get("strategic", ""))
    score = 0.5 if mission is not None and parts[0] == mission else 0.0
    if strategic and ".".join(map(str, parts[:2])) == strategic.rstrip("."):
        score += 0.25
    return score


def trust(mention: Mention) -> float:
    """Tie-break weight of a mention: a code from a text layer above any OCR'd one; among
    OCR'd codes, the one its row's context backs (:func:`agreement`), then the more
    confident reading."""
    if mention.parts is None:
        return 0.0
    if not read_by_ocr(mention.row):
        return 2.0
    cells = mention.row.cells.get(mention.row.code_field or "", [])
    confidence = max((cell.ocr_confidence or 0.0 for cell in cells), default=0.0)
    return agreement(mention.row, mention.parts) + 0.1 * confidence


def kept_in_order(mentions: list[Mention]) -> set[int]:
    """Indexes of the longest run of mentions in ascending order (a longest non-decreasing
    subsequence; ties broken by :func:`trust`): the codes that agree with each other.
    The others are out of place."""
    best: list[tuple[int, float]] = []
    back: list[int | None] = []
    for i, mention in enumerate(mentions):
        weight = trust(mention)
        score, previous = (1, weight), None
        if mention.parts is not None:
            for j in range(i):
                other = mentions[j].parts
                if other is not None and other <= mention.parts:
                    candidate = (best[j][0] + 1, best[j][1] + weight)
                    if candidate > score:
                        score, previous = candidate, j
        best.append(score)
        back.append(previous)
    kept: set[int] = set()
    index = max(range(len(mentions)), key=lambda k: best[k], default=None)
    while index is not None:
        kept.add(index)
        index = back[index]
    return kept


def mentions_of(sector: SectorRows) -> list[Mention]:
    return [
        Mention(row, index, code_parts(mention.code))
        for row in sector.objectives
        for index, mention in enumerate(row.codes)
    ]


def nearest_kept(mentions: list[Mention], kept: set[int], start: int, step: int) -> Parts | None:
    """The parts of the nearest code in order from ``start`` in direction ``step``."""
    index = start + step
    while 0 <= index < len(mentions):
        if index in kept and mentions[index].parts is not None:
            return mentions[index].parts
        index += step
    return None


def check_ocr_codes(sector: SectorRows) -> list[Finding]:
    """Repair or doubt each OCR'd code out of place among its siblings (see module doc);
    the repaired code replaces the read one in ``row.codes``. Returns the findings."""
    findings: list[Finding] = []
    mentions = mentions_of(sector)
    if not any(read_by_ocr(mention.row) for mention in mentions):
        return findings  # only a code read by OCR is ever repaired or doubted (below)
    kept = kept_in_order(mentions)
    used = {m.parts for m in mentions if m.parts is not None}
    for position, mention in enumerate(mentions):
        if position in kept or mention.parts is None or not read_by_ocr(mention.row):
            continue
        before = nearest_kept(mentions, kept, position, -1)
        after = nearest_kept(mentions, kept, position, 1)
        candidates = sibling_candidates(mention.parts, before, after, used)
        findings.append(code_finding(sector, mention, before, after, candidates))
        if len(candidates) == 1:
            (repaired,) = candidates
            used.add(repaired)
            mention.row.codes[mention.index] = mention.row.codes[mention.index]._replace(
                code=".".join(map(str, repaired))
            )
    return findings


def code_finding(
    sector: SectorRows,
    mention: Mention,
    before: Parts | None,
    after: Parts | None,
    candidates: set[Parts],
) -> Finding:
    """The ``ocr_repair`` (one candidate) or ``ocr_code_doubt`` finding of a code out of
    place, located at the code's cell."""
    between = " and ".join(
        f"{label} {'.'.join(map(str, parts))}"
        for label, parts in (("after", before), ("before", after))
        if parts is not None
    )
    location, page, line = mention.row.location(mention.row.code_field)
    if len(candidates) == 1:
        (candidate,) = candidates
        fixed = ".".join(map(str, candidate))
        rule = "ocr_repair"
        message = f"OCR read code {mention.code} {between}, out of order; repaired to {fixed}"
        code = fixed
    else:
        rule = "ocr_code_doubt"
        options = ", ".join(sorted(".".join(map(str, c)) for c in candidates)) or "none"
        message = (
            f"OCR read code {mention.code} {between}, out of order; kept as read "
            f"(sibling codes that would fit: {options})"
        )
        code = mention.code
    return Finding(rule, WARNING, message, sector.code, code, location, page, line)
