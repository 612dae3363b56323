"""Mission and strategic objective of an objective: from the printed columns and the code.

A code's first number is not always the budget mission (in some plans ``2.1.1`` belongs to
Missione 03; in a whole PIAO the first number follows the strategic lines of section 2.1),
while a strategic cell carried down over many rows can be stale (on the shipped document it
disagrees with the code on 11 rows). So:

- the **mission** is taken only where the document prints it: the Missione column's number
  when the table prints one (also merged over several rows, i.e. carried down); else an
  ``M 01`` prefix of the objective cell; else a mission–programme code of the national
  chart of accounts (``0101``, ``01.01``, ``01010601``); else null (and the sector says why
  in an info finding, ``mission_not_printed``);
- the **strategic objective** is the code's first two parts when the code has three or more
  levels; else the strategic column's code; else null;
- every disagreement between code and column is a :class:`Conflict` (a quality finding).

Mission cells are read by :func:`normalize.codes.parse_mission`, the one reading every
stage shares (``M 01 Servizi``, ``Missione 01 - Servizi``, ``03 – Ordine pubblico``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from normalize.codes import (
    code_levels,
    mission_of_code,
    mission_prefix,
    parse_mission,
    parse_strategic,
)


class Conflict(NamedTuple):
    """The code says one thing, the printed column another; ``kept`` is the value used."""

    level: str
    from_code: object
    from_column: object
    kept: object


class Hierarchy(NamedTuple):
    mission_code: int | None
    mission_name: str | None
    strategic_code: str | None
    strategic_name: str | None
    conflicts: tuple[Conflict, ...] = ()

    def record(self) -> dict[str, object]:
        return {
            "mission_code": self.mission_code,
            "mission_name": self.mission_name,
            "strategic_code": self.strategic_code,
            "strategic_name": self.strategic_name,
        }


def mission_printed(code: str | None, objective_text: str = "") -> int | None:
    """The mission the objective itself prints: an ``M 01`` prefix of its cell, else a
    mission–programme code (:func:`normalize.codes.mission_of_code`); None otherwise."""
    prefixed = mission_prefix(objective_text)
    return prefixed if prefixed is not None else mission_of_code(code)


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
    objective_text: str = "",
) -> Hierarchy:
    """Mission and strategic objective of one objective row (see module doc).

    ``missions`` / ``strategics`` are the names printed anywhere in the document, to name a
    value the row's own cell does not print; ``objective_text``, the objective cell (for an
    ``M 01`` prefix).
    """
    conflicts: list[Conflict] = []
    column_mission, mission_name = parse_mission(mission_cell) if mission_cell else (None, "")
    coded_mission = mission_printed(code, objective_text)
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
