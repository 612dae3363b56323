"""The comparison functions on small hand-made records."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from compare import (
    Edition,
    changes_table,
    diff_dates,
    diff_editions,
    diff_fields,
    diff_items,
    field_change,
    match_objectives,
)
from schema import DIFF_TABLES, TABLES


def objective(sector="SAP", code="1.1.1", title="ANTICORRUZIONE", text=None, **values):
    description = text or f"{code} {title}. Elaborazione documenti di programmazione"
    return {
        "doc_id": "d",
        "sector_code": sector,
        "objective_code": code,
        "codes": [code],
        "title": title,
        "description": description,
        "weight": 4,
        "weighting_pct": 6.0606,
        "realization_period": "2023-2025",
        "assessore": "Sindaco",
        "responsible": "Segretario",
    } | values


def item(code="1.1.1", letter="a", seq=1, **texts):
    return {
        "sector_code": "SAP",
        "objective_code": code,
        "item_seq": seq,
        "item_code": code,
        "item": letter,
        "indicator": None,
        "target": None,
        "deadline": None,
    } | texts


def date(text, value, offset=0, field="deadline", letter="a", code="1.1.1"):
    return {
        "sector_code": "SAP",
        "objective_code": code,
        "item_code": code,
        "item": letter,
        "field": field,
        "text": text,
        "offset": offset,
        "date": value,
    }


def test_cosmetic_differences_are_not_changes():
    assert field_change("assessore", "Sindaco", "  <b>SINDACO</b>\n") is None
    assert field_change("responsible", "a\nb", "a b") is None
    assert field_change("weight", 4, 4) is None
    assert field_change("weighting_pct", 6.0606, 6.06060000001) is None
    assert field_change("assessore", None, "  ") is None


def test_field_change_actions_and_values():
    assert field_change("weight", 3, 5) == {
        "field": "weight",
        "action": "changed",
        "old_value": "3",
        "new_value": "5",
    }
    assert field_change("weighting_pct", 9.30, 9.52)["old_value"] == "9.3"
    assert field_change("assessore", None, "Sindaco")["action"] == "added"
    assert field_change("assessore", "Sindaco", None)["action"] == "removed"


def test_reworded_title_is_one_change_and_title_case_is_none():
    old = objective(title="GESTIONE NIDO COMUNALE")
    new = objective(title="GESTIONE DEL NIDO COMUNALE")
    assert [c["field"] for c in diff_fields(old, new)] == ["title"]
    lower = objective(text=old["description"].replace("GESTIONE NIDO", "Gestione nido"), title=None)
    assert diff_fields(old, lower) == []


def test_renumbered_code_inside_the_text_is_not_a_description_change():
    old = objective(code="12.1.3.1")
    new = objective(code="12.1.3.2")
    assert diff_fields(old, new, {"12.1.3.1": "12.1.3.2"}) == []
    assert [c["field"] for c in diff_fields(old, new)] == ["description"]


def test_match_by_key_then_by_text_one_to_one():
    old = [objective(code="1.1.1"), objective(code="2.1.1", title="VIOLENZA DI GENERE")]
    new = [
        objective(code="1.1.1"),
        objective(code="2.1.2", title="VIOLENZA DI GENERE"),
        objective(code="3.1.1", title="CAFFE' IN FRAZIONE", text="3.1.1 Incontri"),
    ]
    matching = match_objectives(old, new)
    assert [(p.old["objective_code"], p.new["objective_code"]) for p in matching.pairs] == [
        ("1.1.1", "1.1.1"),
        ("2.1.1", "2.1.2"),
    ]
    assert matching.pairs[0].score is None
    assert matching.pairs[1].score == 100
    assert matching.removed == []
    assert [o["objective_code"] for o in matching.added] == ["3.1.1"]


def test_one_new_objective_near_two_old_ones_is_paired_once():
    """Renumbered, with a near twin among the old ones: the closer old one gets it, the
    other is removed (never two pairs on one new objective)."""
    old = [
        objective(code="2.1.1", title="VIOLENZA DI GENERE"),
        objective(code="2.1.3", title="VIOLENZA DI GENERI"),
    ]
    new = [objective(code="2.1.2", title="VIOLENZA DI GENERE")]
    matching = match_objectives(old, new)
    assert [(p.old["objective_code"], p.new["objective_code"]) for p in matching.pairs] == [
        ("2.1.1", "2.1.2")
    ]
    assert matching.pairs[0].score == 100
    assert [o["objective_code"] for o in matching.removed] == ["2.1.3"]
    assert matching.added == []


def test_dissimilar_objectives_are_removed_and_added():
    old = [objective(code="2.1.1", title="VIOLENZA DI GENERE")]
    new = [objective(code="2.1.2", title="CAFFE IN FRAZIONE", text="2.1.2 Incontri mensili")]
    matching = match_objectives(old, new)
    assert not matching.pairs and len(matching.removed) == len(matching.added) == 1


def test_items_matched_by_code_letter_and_occurrence():
    old = [item(indicator="report", target="entro il 30/06/2023"), item(letter="b", seq=2)]
    new = [
        item(indicator="Report", target="entro il 30/09/2023"),
        item(letter="c", seq=2, indicator="collaudo"),
    ]
    changes = diff_items(old, new, deadline=False)
    assert [(c["item"], c["field"], c["action"]) for c in changes] == [
        ("a", "target", "changed"),
        ("c", None, "added"),
        ("b", None, "removed"),
    ]


def test_dates_aligned_in_order_with_the_shift_in_days():
    old = [
        date("entro il 30.04.2023", dt.date(2023, 4, 30), 0),
        date("entro il 31.12.2023", dt.date(2023, 12, 31), 30),
    ]
    new = [
        date("entro il 30.06.2023", dt.date(2023, 6, 30), 0),
        date("entro 31/12/2023", dt.date(2023, 12, 31), 30),
        date("collaudo entro marzo 2024", dt.date(2024, 3, 31), 60),
    ]
    changes = diff_dates(old, new)
    assert [(c["action"], c["old_date"], c["new_date"], c["shift_days"]) for c in changes] == [
        ("moved", dt.date(2023, 4, 30), dt.date(2023, 6, 30), 61),
        ("added", None, dt.date(2024, 3, 31), None),
    ]
    assert changes[0]["old_value"] == "entro il 30.04.2023"
    assert diff_dates(old, old) == []


def test_same_words_resolving_to_another_date_are_no_change():
    old = Edition("o", [objective()], [item(deadline="entro giugno")], [])
    new = Edition("n", [objective()], [item(deadline="entro giugno")], [])
    old.dates.append(date("entro giugno", dt.date(2023, 6, 30)))
    new.dates.append(date("entro giugno", dt.date(2024, 6, 30)))
    assert diff_editions(old, new) == []


def test_changes_rows_fit_the_schema_which_is_not_an_extraction_table():
    old = Edition("o", [objective(), objective(code="2.1.1", title="ALTRO")])
    new = Edition("n", [objective(weight=5)])
    rows = diff_editions(old, new)
    assert [(r["change"], r["objective_code"], r["field"]) for r in rows] == [
        ("removed", "2.1.1", None),
        ("modified", "1.1.1", "weight"),
    ]
    table = changes_table(rows)
    assert table.schema == DIFF_TABLES["changes"].schema
    assert table.column("seq").to_pylist() == [1, 2]
    assert "changes" not in TABLES


@pytest.mark.parametrize("threshold", [50, 85, 99])
def test_identical_editions_have_no_changes_whatever_the_threshold(threshold):
    edition = Edition("d", [objective(), objective(code="2.1.1", title="ALTRO")])
    assert diff_editions(edition, edition, threshold) == []


def test_the_history_refresh_imports_difflib_only_to_align_dates():
    """``difflib`` is imported by :func:`diff_dates`, not with the comparison's modules: a
    refresh whose series have one edition each aligns nothing (start-up time)."""
    code = "import sys, compare.refresh; print('difflib' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.stdout.split() == ["False"], run.stderr
