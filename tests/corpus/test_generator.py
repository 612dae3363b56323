"""The corpus generator's committed output matches its structures, and the structures add up."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, CORPUS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


make_corpus = _load("make_corpus")
PLANS = make_corpus.PLANS


@pytest.mark.parametrize("plan", PLANS, ids=lambda plan: plan.slug)
def test_committed_text_and_expected_tables_are_regenerated(plan):
    """Edit structures.py, then rerun make_corpus.py: the committed files must follow."""
    folder = CORPUS / plan.slug
    assert (folder / f"{plan.slug}.txt").read_text(encoding="utf-8") == make_corpus.render_text(
        plan
    )
    committed = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(make_corpus.expected_plan(plan)))


@pytest.mark.parametrize("plan", PLANS, ids=lambda plan: plan.slug)
def test_printed_weights_add_up_per_sector(plan):
    for sector in plan.sectors:
        if plan.layout.weights == "points":
            assert sum(o.weight for o in sector.objectives) == 100, sector.name
        if any(name == "pct" for name, _ in plan.layout.columns):
            total = sum(make_corpus.percent(o.pct) for o in sector.objectives)
            assert total == pytest.approx(100, abs=0.001), sector.name


def test_every_plan_has_its_own_slug_and_ente():
    assert len({plan.slug for plan in PLANS}) == len({plan.ente for plan in PLANS}) == len(PLANS)
    assert len(PLANS) >= 11


def test_cut_row_keeps_the_row_text_across_the_break():
    layout = make_corpus.Layout(columns=(), cut_words=2)
    row = make_corpus.Row([["Ob. 3 GESTIONE DEL PERSONALE. Piano"], ["a", "b", "c"]], "objective")
    first, rest = make_corpus.cut_row(layout, row)
    assert first.cells == [["Ob. 3"], ["a", "b"]]
    assert rest.cells == [["GESTIONE DEL PERSONALE. Piano"], ["c"]]
