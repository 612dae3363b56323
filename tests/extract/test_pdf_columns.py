"""extract.pdf_columns: column boundaries given per page range, and the grids recorded."""

from __future__ import annotations

from extract.pdf_columns import (
    PageBoundaries,
    boundaries_for,
    given_boundaries,
    record_layout,
    recording_layouts,
)

EVERY_PAGE = PageBoundaries(1, None, (100.0, 200.0))
PAGES_3_TO_5 = PageBoundaries(3, 5, (90.0, 180.0, 300.0))


def test_no_boundaries_are_given_outside_a_reading():
    assert boundaries_for(1) == ()


def test_a_page_range_wins_over_the_whole_document():
    with given_boundaries([EVERY_PAGE, PAGES_3_TO_5]):
        assert boundaries_for(2) == (100.0, 200.0)
        assert boundaries_for(3) == (90.0, 180.0, 300.0)
        assert boundaries_for(5) == (90.0, 180.0, 300.0)
        assert boundaries_for(6) == (100.0, 200.0)
    assert boundaries_for(3) == ()


def test_a_page_outside_every_range_has_none():
    with given_boundaries([PAGES_3_TO_5]):
        assert boundaries_for(2) == ()
        assert boundaries_for(4) == (90.0, 180.0, 300.0)


def test_grids_are_recorded_per_page_only_while_recording():
    record_layout(1, (10.0, 50.0, 90.0), (5.0, 20.0, 40.0))  # not recording: dropped
    with recording_layouts() as used:
        record_layout(2, (10.0, 50.0, 90.0), (5.0, 20.0, 40.0))
        record_layout(2, (12.0, 60.0, 95.0), (50.0, 70.0))
    assert used == {2: [((10.0, 50.0, 90.0), 5.0, 40.0), ((12.0, 60.0, 95.0), 50.0, 70.0)]}
