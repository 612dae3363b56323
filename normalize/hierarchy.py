"""Mission and strategic objective of an objective: from the printed columns and the code.

A code's first number is not always the budget mission (in some plans ``2.1.1`` belongs to
Missione 03), while a strategic cell carried down over many rows can be stale (on the shipped
document it disagrees with the code on 11 rows). So:

- the **mission** is the Missione column's number when the table prints one (also merged
  over several rows, i.e. carried down); else the code's first number when the code has two
  or more levels; else null;
- the **strategic objective** is the code's first two parts when the code has three or more
  levels; else the strategic column's code; else null;
- every disagreement between code and column is a :class:`Conflict` (a quality finding).

Mission cells come as ``M 01 Servizi``, ``Missione 01 - Servizi``, ``03 – Ordine pubblico``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from normalize.codes import parse_strategic

_MISSION_CELL = re.compile(
    r"^\s*(?:M(?:iss(?:ione)?)?\s*\.?\s*)?(\d{1,2})(?![\d.,]\d)\b\.?\s*[-–—:.]?\s*(.*)$",
    re.I | re.S,
)


@dataclass(frozen=True, slots=True)
class Conflict:
    """The code says one thing, the printed column another; ``kept`` is the value used."""

    level: str
    from_code: object
    from_column: object
    kept: object


@dataclass(frozen=True, slots=True)
class Hierarchy:
    mission_code: int | None
    mission_name: str | None
    strategic_code: str | None
    strategic_name: str | None
    conflicts: tuple[Conflict, ...] = field(default=())

    def record(self) -> dict[str, object]:
        return {
            "mission_code": self.mission_code,
            "mission_name": self.mission_name,
            "strategic_code": self.strategic_code,
            "strategic_name": self.strategic_name,
        }


def parse_mission_cell(text: str) -> tuple[int | None, str]:
    """``"Missione 01 - Servizi"`` -> (1, "Servizi"); ``"03 – Ordine pubblico"`` -> (3, ...);
    (None, text) when the cell does not open with a mission number."""
    match = _MISSION_CELL.match(text or "")
    if not match:
        return None, (text or "").strip()
    return int(match.group(1)), " ".join(match.group(2).split()).strip(" .-–—")


def code_levels(code: str | None) -> int:
    return len(code.split(".")) if code else 0


def mission_from_code(code: str | None) -> int | None:
    """The code's first number, for codes of two or more levels."""
    if code_levels(code) < 2:
        return None
    first = code.split(".")[0]  # type: ignore[union-attr]
    return int(first) if first.isdigit() else None


def strategic_from_code(code: str | None) -> str | None:
    """The code's first two parts, for codes of three or more levels."""
    if code_levels(code) < 3:
        return None
    return ".".join(code.split(".")[:2])  # type: ignore[union-attr]


def decide_hierarchy(
    code: str | None,
    mission_cell: str,
    strategic_cell: str,
    missions: Mapping[int, str],
    strategics: Mapping[str, str],
) -> Hierarchy:
    """Mission and strategic objective of one objective row (see module doc).

    ``missions`` / ``strategics`` are the names printed anywhere in the document, to name a
    value the row's own cell does not print.
    """
    conflicts: list[Conflict] = []
    column_mission, mission_name = parse_mission_cell(mission_cell) if mission_cell else (None, "")
    coded_mission = mission_from_code(code)
    mission = column_mission if column_mission is not None else coded_mission
    if column_mission is not None and coded_mission is not None and coded_mission != column_mission:
        conflicts.append(Conflict("mission", coded_mission, column_mission, column_mission))
    if column_mission is None and mission is not None:
        mission_name = missions.get(mission, "")
    column_strategic, strategic_name = parse_strategic(strategic_cell)
    coded_strategic = strategic_from_code(code)
    strategic = coded_strategic or column_strategic
    if coded_strategic and column_strategic and coded_strategic != column_strategic:
        conflicts.append(Conflict("strategic", coded_strategic, column_strategic, coded_strategic))
    if strategic != column_strategic:
        strategic_name = strategics.get(strategic, "") if strategic else ""
    return Hierarchy(
        mission,
        mission_name or None,
        strategic,
        strategic_name or None,
        tuple(conflicts),
    )
