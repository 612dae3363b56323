"""The table finder ported from pdfplumber (extract.pdf_grid) against pdfplumber's own:
the same cells, rows and boxes for every call the pdfium engine makes on the fixture PDFs,
and the steps on small hand-made grids."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from pdfplumber.table import TableFinder, TableSettings

from extract import pdf_grid, pdf_pdfium, pdf_pdfplumber
from extract.errors import ExtractError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PDFS = sorted(FIXTURES.glob("**/*.pdf"))


def finder_calls(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, dict]]:
    """Every (page, settings) the pdfium engine asks tables of while reading ``path``."""
    calls: list[tuple[Any, dict]] = []
    original = pdf_pdfium.PdfiumPage.find_tables

    def spy(page: Any, table_settings: Any = None) -> Any:
        calls.append((page, dict(table_settings or {})))
        return original(page, table_settings)

    monkeypatch.setattr(pdf_pdfium.PdfiumPage, "find_tables", spy)
    with contextlib.suppress(ExtractError):  # a fixture meant not to read (scans, errors)
        pdf_pdfium.read_pdf(path)
    return calls


@pytest.mark.parametrize("path", PDFS, ids=[str(p.relative_to(FIXTURES)) for p in PDFS])
def test_same_tables_as_pdfplumbers_finder(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = finder_calls(path, monkeypatch)
    for page, settings in calls:
        theirs = TableFinder(page, TableSettings.resolve(settings)).tables
        ours = pdf_grid.find_tables(page.edges, page.bbox, settings)
        assert ours == [table.cells for table in theirs]
        for cells, table in zip(ours, theirs, strict=True):
            assert pdf_grid.table_box(cells) == table.bbox
            assert [(row.cells, row.bbox) for row in pdf_grid.table_rows(cells)] == [
                (row.cells, row.bbox) for row in table.rows
            ]


def test_the_ruled_fixture_asks_for_tables_on_every_page_with_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = finder_calls(FIXTURES / "portomaggiore_ruled.pdf", monkeypatch)
    assert len(calls) == 18
    assert all(settings["vertical_strategy"] == "lines" for _, settings in calls)


def rect(x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
    """A rectangle as pdfplumber's dict (page 100 points high)."""
    return {
        "object_type": "rect", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
        "doctop": top, "y0": 100 - bottom, "y1": 100 - top, "width": x1 - x0,
        "height": bottom - top,
    }  # fmt: skip


def test_two_by_two_grid_of_rectangles() -> None:
    rects = [rect(10, 10, 50, 30), rect(50, 10, 90, 30), rect(10, 30, 50, 50), rect(50, 30, 90, 50)]
    edges = pdf_grid.page_edges([], rects, [])
    assert len(edges) == 16
    tables = pdf_grid.find_tables(edges, (0, 0, 100, 100), pdf_pdfplumber.LINES_SETTINGS)
    # cells in the order of their top-left corners, column by column (pdfplumber's)
    assert tables == [[(10, 10, 50, 30), (10, 30, 50, 50), (50, 10, 90, 30), (50, 30, 90, 50)]]
    rows = pdf_grid.table_rows(tables[0])
    assert [row.bbox for row in rows] == [(10, 10, 90, 30), (10, 30, 90, 50)]


def test_edges_within_the_snap_tolerance_meet_at_their_mean() -> None:
    edges = [(10.0, 0.0, 10.0, 50.0, 50.0), (12.0, 0.0, 12.0, 50.0, 50.0)]
    assert pdf_grid.snapped(edges, True, 3) == [
        (11.0, 0.0, 11.0, 50.0, 50.0),
        (11.0, 0.0, 11.0, 50.0, 50.0),
    ]


def test_joined_edge_grows_by_the_gap_it_closes() -> None:
    edges = [(0.0, 5.0, 0.0, 20.0, 15.0), (0.0, 22.0, 0.0, 40.0, 18.0)]
    assert pdf_grid.joined(edges, True, 3) == [(0.0, 5.0, 0.0, 40.0, 35.0)]


def test_explicit_grid_on_an_empty_page() -> None:
    settings = {
        **pdf_pdfplumber.EXPLICIT_SETTINGS,
        "explicit_vertical_lines": [10.0, 40.0, 70.0],
        "explicit_horizontal_lines": [20.0, 30.0],
    }
    tables = pdf_grid.find_tables([], (0, 0, 100, 100), settings)
    assert tables == [[(10.0, 20.0, 40.0, 30.0), (40.0, 20.0, 70.0, 30.0)]]


def test_settings_the_port_does_not_cover_are_refused() -> None:
    with pytest.raises(ValueError, match="strategy not ported: text"):
        pdf_grid.grid_settings({"vertical_strategy": "text"})
    with pytest.raises(ValueError, match="settings not ported"):
        pdf_grid.grid_settings({"join_tolerance": 1})
