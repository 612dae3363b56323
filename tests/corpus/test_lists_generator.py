"""The objective-list plans' committed files follow their generator (make_lists.py)."""

from __future__ import annotations

import make_lists
import pytest
from committed import CORPUS, as_written, committed_text_and_tables


@pytest.mark.parametrize("plan", make_lists.PLANS, ids=lambda plan: plan.slug)
def test_committed_text_and_expected_tables_are_regenerated(plan):
    text, tables = committed_text_and_tables(plan.slug)
    assert text == make_lists.render_text(plan)
    assert tables == as_written(make_lists.expected_plan(plan))


@pytest.mark.parametrize("plan", make_lists.PLANS, ids=lambda plan: plan.slug)
def test_every_plan_is_rendered_as_text_docx_xlsx_and_three_producers_pdfs(plan):
    names = {path.name for path in (CORPUS / plan.slug).iterdir()}
    rendered = {
        f"{plan.slug}.{suffix}"
        for suffix in ("txt", "writer.docx", "writer.pdf", "calc.xlsx", "calc.pdf", "chromium.pdf")
    }
    assert rendered <= names


def test_plans_print_a_prerequisite_and_weights_adding_up():
    for plan in make_lists.PLANS:
        for sector in plan.sectors:
            assert any(o.weight is None for o in sector.objectives), sector.code
            assert make_lists.sector_total(sector) == 100


def test_docx_is_byte_identical_on_rerun(tmp_path):
    plan = make_lists.PLANS[0]
    make_lists.render_docx(plan, tmp_path / "a.docx")
    committed = CORPUS / plan.slug / f"{plan.slug}.writer.docx"
    assert (tmp_path / "a.docx").read_bytes() == committed.read_bytes()
