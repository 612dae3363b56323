"""The shipped document against the derived 2024-2026 edition: exactly the planted changes.

tests/fixtures/make_edition_2024.py derives the edition by editing the text and writes the
planted changes as data (edition_2024_changes.json); the diff must report those and nothing
else, with renumbered / moved objectives paired, not removed + added.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from compare import Edition, diff_editions, edition_from_records
from extract import read_document
from normalize import normalize_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EDITION_2024 = FIXTURES / "portomaggiore_piao_2024-2026_allegato1.txt"
PLANTED = FIXTURES / "edition_2024_changes.json"
KEY = (
    "change",
    "level",
    "sector_code",
    "objective_code",
    "old_sector_code",
    "old_objective_code",
    "item_code",
    "item",
    "field",
    "action",
)


@pytest.fixture(scope="module")
def old(normalized) -> Edition:
    return edition_from_records(normalized.records)


@pytest.fixture(scope="module")
def new() -> Edition:
    document = normalize_document(
        read_document(EDITION_2024),
        extracted_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        pipeline_version="test",
    )
    return edition_from_records(document.records)


@pytest.fixture(scope="module")
def rows(old, new) -> list[dict]:
    return diff_editions(old, new)


@pytest.fixture(scope="module")
def planted() -> list[dict]:
    return json.loads(PLANTED.read_text(encoding="utf-8"))["planted"]


def key(row: dict) -> tuple:
    return tuple(row[name] for name in KEY)


def test_fixture_is_what_the_script_derives():
    spec = importlib.util.spec_from_file_location(
        "make_edition_2024", FIXTURES / "make_edition_2024.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text, changes = module.derive()
    assert EDITION_2024.read_text(encoding="utf-8") == text
    assert json.loads(PLANTED.read_text(encoding="utf-8")) == json.loads(json.dumps(changes))


def test_reports_exactly_the_planted_changes(rows, planted):
    found, expected = Counter(map(key, rows)), Counter(map(key, planted))
    assert found - expected == Counter(), "spurious changes"
    assert expected - found == Counter(), "missing changes"


def test_values_of_the_planted_changes(rows, planted):
    by_key = {key(row): row for row in rows}
    for expected in planted:
        row = by_key[key(expected)]
        for name in ("old_value", "new_value", "shift_days"):
            if name in expected:
                assert row[name] == expected[name], (expected["why"], name)
        for name in ("old_date", "new_date"):
            if name in expected:
                assert row[name] == dt.date.fromisoformat(expected[name]), expected["why"]
        for name in ("old", "new"):
            if f"{name}_contains" in expected:
                assert expected[f"{name}_contains"] in (row[f"{name}_value"] or "")
        if "min_score" in expected:
            assert row["match_score"] >= expected["min_score"], expected["why"]


def test_renumbered_and_moved_objectives_are_paired_with_their_score(rows):
    paired = {r["change"]: r for r in rows if r["change"] in ("renumbered", "moved")}
    assert (paired["renumbered"]["old_objective_code"], paired["renumbered"]["objective_code"]) == (
        "12.1.3.1",
        "12.1.3.2",
    )
    assert (paired["moved"]["old_sector_code"], paired["moved"]["sector_code"]) == ("FIN", "TEC")
    assert all(r["match_score"] == 100 for r in paired.values())
    for kind in ("added", "removed"):
        codes = {r["objective_code"] for r in rows if r["change"] == kind}
        assert not codes & {"12.1.3.1", "12.1.3.2", "1.5.3"}


def test_cosmetic_edits_are_not_changes(rows):
    touched = {(r["sector_code"], r["objective_code"], r["field"]) for r in rows}
    assert ("SAP", "6.2.1.2", "title") not in touched
    assert ("TEC", "9.3.2.3", "description") not in touched
    assert ("FIN", "1.5.1", "responsible") not in touched
    assert not any(r["field"] == "indicator" and r["objective_code"] == "1.1.2" for r in rows)
    assert ("SAP", "4.1.1.1", "assessore") not in touched


def test_an_edition_against_itself_reports_nothing(old, new):
    assert diff_editions(old, old) == []
    assert diff_editions(new, new) == []


def test_the_reverse_diff_mirrors_added_and_removed(old, new, rows):
    reverse = diff_editions(new, old)
    kinds = Counter(r["change"] for r in rows)
    back = Counter(r["change"] for r in reverse)
    assert (back["added"], back["removed"]) == (kinds["removed"], kinds["added"])
    assert (back["renumbered"], back["moved"]) == (kinds["renumbered"], kinds["moved"])
    assert len(reverse) == len(rows)
