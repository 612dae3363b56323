"""The records a sector table is read into (normalize.sector_rows)."""

from __future__ import annotations

from extract.model import RawCell
from normalize import sectors
from normalize.sector_rows import ObjectiveRow, SectorRows


def objective_row() -> ObjectiveRow:
    weight = RawCell("30", 4, 2, 17)
    return ObjectiveRow(3, 5, 12, [2], {"weight": "30"}, {"weight": [weight]}, {}, [])


def test_a_row_is_located_by_its_page_line_and_row():
    assert objective_row().location() == ("p. 2, line 12, row 5", 2, 12)


def test_a_field_is_located_by_its_own_cell():
    assert objective_row().location("weight") == ("p. 2, line 17, row 5, col 4 (weight)", 2, 17)


def test_a_field_without_a_cell_falls_back_to_the_row():
    assert objective_row().location("deadline") == ("p. 2, line 12, row 5, deadline", 2, 12)


def test_a_sector_starts_empty_and_the_reader_names_the_same_types():
    sector = SectorRows(0, "SSC", "Servizi al cittadino", "SETTORE SSC", [1])
    assert (sector.objectives, sector.findings, sector.skipped) == ([], [], None)
    assert (sectors.ObjectiveRow, sectors.SectorRows) == (ObjectiveRow, SectorRows)
