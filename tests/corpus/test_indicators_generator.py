"""The indicator-rows generator's committed output matches its plans, and the plans print
what the genre prints (merged groups, page breaks inside them, targets by year)."""

from __future__ import annotations

import make_indicators
import pytest
from committed import as_written, committed_text_and_tables

PLANS = make_indicators.PLANS
BY_SLUG = {plan.slug: plan for plan in PLANS}


@pytest.mark.parametrize("plan", PLANS, ids=lambda plan: plan.slug)
def test_committed_text_and_expected_tables_are_regenerated(plan):
    """Edit make_indicators.py, then rerun it: the committed files must follow."""
    text, tables = committed_text_and_tables(plan.slug)
    assert text == make_indicators.render_text(plan)
    assert tables == as_written(make_indicators.expected_plan(plan))


@pytest.mark.parametrize("plan", PLANS, ids=lambda plan: plan.slug)
def test_printed_weights_add_up_per_sector(plan):
    for sector in plan.sectors:
        if plan.layout.weights == "points":
            assert sum(int(o.weight) for o in sector.objectives) == 100, sector.name
        if plan.layout.weights == "percent":
            total = sum(make_indicators.corpus.percent(o.weight) for o in sector.objectives)
            assert total == pytest.approx(100), sector.name


def test_plans_vary_code_style_weights_and_years():
    layouts = [plan.layout for plan in PLANS]
    assert {layout.code_style for layout in layouts} == {"dotted", "worded", "column"}
    assert {layout.weights for layout in layouts} == {"points", "percent", "none"}
    assert {layout.target_years for layout in layouts} == {(2025, 2026, 2027), (None,)}


def test_objective_cells_merge_down_over_the_indicator_rows():
    plan = BY_SLUG["colli_berici"]
    rows = make_indicators.sector_rows(plan.layout, plan.sectors[0], 0)
    heading, first, second = rows[:3]
    assert heading.kind == "heading" and heading.spans == [(0, 10)]
    assert first.merge_down == {0: 2, 1: 2, 2: 2, 3: 2, 10: 2}  # objective ... stakeholder
    assert second.cells[0] == [] and second.cells[4] == ["Istanze presentate on-line"]


def test_page_break_falls_inside_a_merged_group():
    plan = BY_SLUG["colli_berici"]
    rows = make_indicators.sector_rows(plan.layout, plan.sectors[0], 0)
    first_page, second_page = make_indicators.paginate(plan.layout, rows)
    assert first_page[-1].objective == second_page[0].objective == 1
    assert second_page[0].cells[0] == []  # the merged objective cell prints on page 1 only


def test_grouped_target_heading_spans_the_year_columns():
    plan = BY_SLUG["monti_dauni"]
    top, bottom = make_indicators.header_rows(plan.layout)
    assert top.spans == [(6, 8)] and top.cells[6] == ["TARGET"]
    assert bottom.cells[6:] == [["2025"], ["2026"], ["2027"]]


def test_expected_items_list_every_target_year():
    expected = make_indicators.expected_plan(BY_SLUG["colli_berici"])
    item = expected["objectives"][0]["items"][1]
    assert item["baseline"] == "45%" and item["baseline_year"] == 2024
    assert [t["year"] for t in item["targets"]] == [2025, 2026, 2027]
    assert item["target"] == "≥ 55%"
