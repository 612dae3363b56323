"""Pairing the objectives of two editions, one-to-one.

First by (sector_code, objective_code); then, among what is left, by the similarity of
title + description (rapidfuzz), so that a renumbered or moved objective is one change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from compare.text import comparable, strip_codes

Record = dict[str, object]
DEFAULT_THRESHOLD = 85.0


@dataclass(frozen=True)
class Pair:
    """An objective of the old edition and its counterpart in the new one.

    ``score`` is None for a pair on the same (sector, code); else the similarity (0-100).
    """

    old: Record
    new: Record
    score: float | None = None

    @property
    def renumbered(self) -> bool:
        return self.old["objective_code"] != self.new["objective_code"]

    @property
    def moved(self) -> bool:
        return self.old["sector_code"] != self.new["sector_code"]


@dataclass
class Matching:
    pairs: list[Pair] = field(default_factory=list)
    removed: list[Record] = field(default_factory=list)
    added: list[Record] = field(default_factory=list)


def key(objective: Record) -> tuple[str, str]:
    return str(objective["sector_code"]), str(objective["objective_code"])


def codes_of(objective: Record) -> list[str]:
    codes = objective.get("codes")
    return [str(code) for code in codes] if codes else [str(objective["objective_code"])]


def similarity_text(objective: Record) -> str:
    """Title + description, clean, case-folded and without the objective's codes."""
    text = f"{comparable(objective.get('title'))} {comparable(objective.get('description'))}"
    return strip_codes(text, codes_of(objective))


def similarity(old: Record, new: Record) -> float:
    """0-100 similarity of two objectives' title + description."""
    return round(float(fuzz.ratio(similarity_text(old), similarity_text(new))), 2)


def match_objectives(
    old: Sequence[Record], new: Sequence[Record], threshold: float = DEFAULT_THRESHOLD
) -> Matching:
    """Pairs by (sector, code) first, then by similarity >= ``threshold`` (best first,
    ties in document order); the rest are removed / added."""
    new_by_key = {key(objective): objective for objective in new}
    matching = Matching()
    paired_new: set[int] = set()
    left_old: list[Record] = []
    for objective in old:
        counterpart = new_by_key.get(key(objective))
        if counterpart is not None and id(counterpart) not in paired_new:
            matching.pairs.append(Pair(objective, counterpart))
            paired_new.add(id(counterpart))
        else:
            left_old.append(objective)
    left_new = [objective for objective in new if id(objective) not in paired_new]
    candidates = sorted(
        (
            (-score, i, j)
            for i, old_objective in enumerate(left_old)
            for j, new_objective in enumerate(left_new)
            if (score := similarity(old_objective, new_objective)) >= threshold
        ),
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    for negative_score, i, j in candidates:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        matching.pairs.append(Pair(left_old[i], left_new[j], -negative_score))
    matching.removed = [o for i, o in enumerate(left_old) if i not in used_old]
    matching.added = [o for j, o in enumerate(left_new) if j not in used_new]
    return matching


def code_map(pair: Pair) -> dict[str, str]:
    """Old code -> new code for the codes of a pair (all of them when both cells list the
    same number of codes, else the objective codes only)."""
    old_codes, new_codes = codes_of(pair.old), codes_of(pair.new)
    if len(old_codes) == len(new_codes):
        return dict(zip(old_codes, new_codes, strict=True))
    return {str(pair.old["objective_code"]): str(pair.new["objective_code"])}
