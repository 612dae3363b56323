"""The years a table's headings name (normalize.year_headings): targets by year."""

from __future__ import annotations

from normalize.year_headings import heading_year, year_target_columns

HEADER = ["Indicatore", "Fonte", "Baseline 2024", "Target 2025", "Target 2026", "Target 2027"]


def test_heading_year_is_the_one_year_named():
    assert heading_year("Baseline 2024") == 2024
    assert heading_year("Target 2025-2027") is None
    assert heading_year("Target") is None


def test_yearly_target_columns_by_heading_and_under_a_grouped_heading():
    assert year_target_columns(HEADER) == {3: 2025, 4: 2026, 5: 2027}
    grouped = ["Obiettivo", "Indicatore", "TARGET 2025", "2026", "2027", "Note 2024"]
    assert year_target_columns(grouped) == {2: 2025, 3: 2026, 4: 2027}


def test_two_targets_of_one_year_name_no_yearly_columns():
    assert year_target_columns(["Indicatore", "Target 2025", "Valore atteso 2025"]) == {}
