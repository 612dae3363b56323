"""The corpus scorer on small synthetic documents: what counts as read, missed or extra."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import score

EXPECTED = {
    "sectors": [
        {"sector_code": "AG", "sector_name": "AFFARI GENERALI", "objective_count": 1},
        {"sector_code": None, "sector_name": "AMBIENTE", "objective_count": 1},
    ],
    "objectives": [
        {
            "sector_code": "AG",
            "sector_name": "AFFARI GENERALI",
            "objective_code": "1.1.1",
            "title": "DIGITALIZZAZIONE",
            "description": "1.1.1 DIGITALIZZAZIONE. Nuovi servizi",
            "weight": 5,
            "weighting_pct": 62.5,
            "mission_code": 1,
            "strategic_code": "1.1",
            "responsible": "Rossi",
            "items": [{"indicator": "Servizi", "target": "5", "deadline": "entro il 30/06/2025"}],
            "deadlines": [{"date": "2025-06-30", "precision": "day", "kind": "by"}],
        },
        {
            "sector_code": None,
            "sector_name": "AMBIENTE",
            "objective_code": "01",
            "title": "Raccolta",
            "description": "Raccolta differenziata",
            "weight": None,
            "weighting_pct": 37.5,
            "mission_code": 9,
            "strategic_code": None,
            "responsible": None,
            "items": [{"indicator": "Quota", "target": "75%", "deadline": None}],
            "deadlines": [],
        },
    ],
}


def perfect_records() -> dict:
    """Records exactly as expected; the unnamed sector read with a derived code ``AMB``."""
    objectives, items, dates, targets = [], [], [], []
    for objective in EXPECTED["objectives"]:
        code = objective["sector_code"] or "AMB"
        row = {field: objective[field] for field in score.OBJECTIVE_FIELDS}
        objectives.append({**row, "sector_code": code})
        for seq, item in enumerate(objective["items"], 1):
            items.append(
                {
                    "sector_code": code,
                    "objective_code": objective["objective_code"],
                    "item_seq": seq,
                    **item,
                }
            )
            targets.append({**items[-1], "year": None})
        for when in objective["deadlines"]:
            dates.append(
                {
                    "sector_code": code,
                    "objective_code": objective["objective_code"],
                    "field": "deadline",
                    **when,
                }
            )
    sectors = [
        {"sector_code": "AG", "sector_name": "AFFARI GENERALI"},
        {"sector_code": "AMB", "sector_name": "SERVIZIO AMBIENTE"},
    ]
    return {
        "objectives": objectives,
        "items": items,
        "dates": dates,
        "sectors": sectors,
        "targets": targets,
    }


def test_exact_reading_scores_full_marks():
    result = score.score(EXPECTED, SimpleNamespace(records=perfect_records()))
    assert (result.objectives.value, result.extra) == (1.0, 0)
    assert (result.fields.hits, result.fields.total) == (18, 18)
    assert (result.items.hits, result.items.total) == (6, 6)
    assert (result.deadlines.hits, result.deadlines.total) == (1, 1)
    assert (result.targets.hits, result.targets.total) == (2, 2)
    assert result.passes and result.misses == ()


def test_texts_compare_after_whitespace_folding_and_percentages_within_tolerance():
    records = perfect_records()
    records["objectives"][0]["description"] = "1.1.1  DIGITALIZZAZIONE.\nNuovi servizi"
    records["objectives"][0]["weighting_pct"] = 62.505
    assert score.score(EXPECTED, SimpleNamespace(records=records)).fields.value == 1.0


def test_extra_objective_is_counted_apart_and_fails():
    records = perfect_records()
    records["objectives"].append({"sector_code": "AG", "objective_code": "AG-row1"})
    result = score.score(EXPECTED, SimpleNamespace(records=records))
    assert result.objectives.value == 1.0
    assert result.extra == 1
    assert not result.passes


def test_missing_objective_loses_its_fields_items_and_deadlines():
    records = perfect_records()
    records["objectives"] = records["objectives"][1:]
    records["items"] = records["items"][1:]
    records["dates"] = []
    result = score.score(EXPECTED, SimpleNamespace(records=records))
    assert (result.objectives.hits, result.fields.hits, result.items.hits) == (1, 9, 3)
    assert result.deadlines.value == 0.0
    assert "AG 1.1.1: not read" in result.misses


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("weight", 4),
        ("mission_code", None),
        ("title", "DIGITALIZZAZIONE SERVIZI"),
        ("weighting_pct", 62.6),
    ],
)
def test_one_wrong_field_is_one_miss(field, value):
    records = perfect_records()
    records["objectives"][0][field] = value
    result = score.score(EXPECTED, SimpleNamespace(records=records))
    assert result.fields.hits == 17
    assert len(result.misses) == 1 and field in result.misses[0]


def test_deadline_must_match_date_precision_and_kind():
    records = perfect_records()
    records["dates"][0]["kind"] = "on"
    assert score.score(EXPECTED, SimpleNamespace(records=records)).deadlines.value == 0.0


def test_deadline_read_at_objective_level_counts():
    records = perfect_records()
    records["dates"][0]["field"] = "period"
    assert score.score(EXPECTED, SimpleNamespace(records=records)).deadlines.value == 1.0


def test_date_found_in_an_indicator_is_not_a_deadline():
    records = perfect_records()
    records["dates"][0]["field"] = "indicator"
    assert score.score(EXPECTED, SimpleNamespace(records=records)).deadlines.value == 0.0


def with_baseline_and_targets() -> dict:
    """EXPECTED with its first item printed in the indicator-rows genre."""
    expected = {**EXPECTED, "objectives": [dict(o) for o in EXPECTED["objectives"]]}
    item = {
        **EXPECTED["objectives"][0]["items"][0],
        "baseline": "3",
        "baseline_year": 2024,
        "source": "Portale",
        "targets": [{"year": 2025, "target": "5"}, {"year": 2026, "target": "6"}],
    }
    expected["objectives"][0]["items"] = [item]
    return expected


def test_baselines_and_targets_by_year_are_scored():
    records = perfect_records()
    records["items"][0].update(baseline="3", baseline_year=2024, source="Portale")
    records["targets"][:1] = [
        {
            "sector_code": "AG",
            "objective_code": "1.1.1",
            "item_seq": 1,
            "year": 2025,
            "target": "5",
        },
        {
            "sector_code": "AG",
            "objective_code": "1.1.1",
            "item_seq": 1,
            "year": 2026,
            "target": "7",
        },
    ]
    result = score.score(with_baseline_and_targets(), SimpleNamespace(records=records))
    assert (result.baselines.hits, result.baselines.total) == (3, 3)
    assert (result.targets.hits, result.targets.total) == (2, 3)  # 2025 and the second item
    assert not result.passes
    assert "AG 1.1.1 item 1 target 2026: expected '6', read '7'" in result.misses


def test_documents_without_baselines_score_them_complete():
    result = score.score(EXPECTED, SimpleNamespace(records=perfect_records()))
    assert (result.baselines.hits, result.baselines.total) == (0, 0)
    assert result.baselines.value == 1.0


def test_an_item_without_targets_by_year_expects_its_target_in_the_targets_table():
    records = perfect_records()
    records["targets"] = records["targets"][:1]  # the second item's row is missing
    result = score.score(EXPECTED, SimpleNamespace(records=records))
    assert (result.targets.hits, result.targets.total) == (1, 2)
    assert not result.passes
    assert "AMBIENTE 01 item 1 target: expected '75%' in targets, read []" in result.misses


def test_an_item_target_is_found_whatever_its_year():
    records = perfect_records()
    records["targets"][0]["year"] = 2025
    assert score.score(EXPECTED, SimpleNamespace(records=records)).targets.value == 1.0


def test_stakeholders_are_scored_when_the_plan_lists_them():
    expected = {**EXPECTED, "objectives": [dict(o) for o in EXPECTED["objectives"]]}
    expected["objectives"][0]["stakeholders"] = "Cittadini"
    records = perfect_records()
    records["objectives"][0]["stakeholders"] = "Imprese"
    result = score.score(expected, SimpleNamespace(records=records))
    assert (result.fields.hits, result.fields.total) == (18, 19)
    assert "AG 1.1.1 stakeholders: expected 'Cittadini', read 'Imprese'" in result.misses
