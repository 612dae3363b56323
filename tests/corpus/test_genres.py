"""The corpus's plans in genres other than the grid (tests/fixtures/corpus/make_genres.py):
rendered by two producers or more, read in their genre, never refused, regenerated alike."""

from __future__ import annotations

import json
from pathlib import Path

import make_genres
import pytest

from piao.pipeline import process_document

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


PLANS = make_genres.CARD_PLANS
SUFFIXES = make_genres.SUFFIXES
FILES = [
    pytest.param(CORPUS / plan.slug / f"{plan.slug}{SUFFIXES[kind]}", id=f"{plan.slug}/{kind}")
    for plan in PLANS
    for kind in plan.renderings
]


def test_three_card_plans_each_by_two_producers_one_of_them_chromium():
    assert len(PLANS) >= 3
    for plan in PLANS:
        assert len(plan.renderings) >= 2 and "chromium" in plan.renderings, plan.slug
        assert (CORPUS / plan.slug / "expected.json").exists()
    kinds = {kind for plan in PLANS for kind in plan.renderings}
    assert kinds >= {"chromium", "docx", "text", "lines", "chromium-lines"}
    assert {plan.weights for plan in PLANS} == {"points", "percent", "none"}


@pytest.mark.parametrize("path", FILES)
def test_a_card_document_is_read_as_cards_never_refused(path: Path):
    expected = json.loads((path.parent / "expected.json").read_text(encoding="utf-8"))
    document = process_document(path)  # raises NoTableError if piao refuses the file
    genre = [row for row in document.records["quality"] if row["rule"] == "genre_detected"]
    assert len(genre) == 1 and genre[0]["message"].startswith("cards (confidence ")
    read = [(row["sector_code"], row["objective_code"]) for row in document.records["objectives"]]
    assert read == [(o["sector_code"], o["objective_code"]) for o in expected["objectives"]]
    items = sum(len(o["items"]) for o in expected["objectives"])
    assert len(document.records["items"]) == items
    assert all(row["item"] is None for row in document.records["items"])


@pytest.mark.parametrize("plan", PLANS, ids=lambda plan: plan.slug)
def test_text_docx_and_expected_regenerate_byte_identical(plan, tmp_path):
    folder = CORPUS / plan.slug
    expected = json.dumps(make_genres.expected_plan(plan), indent=1, ensure_ascii=False) + "\n"
    assert (folder / "expected.json").read_text(encoding="utf-8") == expected
    if "text" in plan.renderings or "lines" in plan.renderings:
        text = make_genres.render_text(plan) + "\n"
        assert (folder / f"{plan.slug}.txt").read_text(encoding="utf-8") == text
    if "xlsx" in plan.renderings:
        path = tmp_path / "out.xlsx"
        make_genres.render_xlsx(plan, path)
        assert path.read_bytes() == (folder / f"{plan.slug}.calc.xlsx").read_bytes()
    if "docx" in plan.renderings:
        path = tmp_path / "out.docx"
        make_genres.render_docx(plan, path)
        assert path.read_bytes() == (folder / f"{plan.slug}.writer.docx").read_bytes()


def test_card_plans_print_baselines_sources_stakeholders_and_targets_by_year():
    """Every card plan prints baselines, sources and stakeholders; valmarina's indicator
    table its targets by year, all listed in expected.json."""
    for plan in PLANS:
        expected = make_genres.expected_plan(plan)
        items = [item for o in expected["objectives"] for item in o["items"]]
        assert any(item["baseline"] for item in items), plan.slug
        assert any(item["source"] for item in items), plan.slug
        assert any(o["stakeholders"] for o in expected["objectives"]), plan.slug
    valmarina = make_genres.expected_plan(PLANS[0])
    first = valmarina["objectives"][0]["items"][0]
    assert (first["baseline"], first["baseline_year"], first["source"]) == (
        "180",
        2024,
        "Gestionale tributi",
    )
    assert first["targets"] == [
        {"year": 2025, "target": "Almeno 250"},
        {"year": 2026, "target": "Almeno 300"},
        {"year": 2027, "target": "Almeno 350"},
    ]
    assert valmarina["objectives"][0]["deadlines"] == []
