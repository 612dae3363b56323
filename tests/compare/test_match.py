"""Pairing the objectives of two editions (compare.match): keys, codes, the text compared,
the similarity score and the code map of a pair, each on exact values."""

from __future__ import annotations

from compare.match import (
    DEFAULT_THRESHOLD,
    Pair,
    code_map,
    codes_of,
    key,
    match_objectives,
    similarity,
    similarity_text,
)


def objective(code: str = "1.1.1", sector: str = "SAP", **values: object) -> dict:
    return {
        "sector_code": sector,
        "objective_code": code,
        "codes": [code],
        "title": "ANTICORRUZIONE",
        "description": f"{code} Elaborazione del piano",
    } | values


def test_key_is_sector_then_code_as_text() -> None:
    assert key(objective("2.1", sector="FIN")) == ("FIN", "2.1")
    assert key({"sector_code": 7, "objective_code": 3}) == ("7", "3")


def test_codes_are_the_listed_ones_else_the_objective_code() -> None:
    assert codes_of(objective("1.1.1", codes=["1.1.1", 2])) == ["1.1.1", "2"]
    assert codes_of(objective("4.2", codes=None)) == ["4.2"]
    assert codes_of(objective("4.2", codes=[])) == ["4.2"]
    assert codes_of({"sector_code": "S", "objective_code": 5}) == ["5"]


def test_the_compared_text_is_title_and_description_folded_without_codes() -> None:
    record = objective("9.3.2", title="Piano  ANTICORRUZIONE", description="9.3.2 Verifica 9.3.21")
    assert similarity_text(record) == "piano anticorruzione verifica 9.3.21"
    assert similarity_text({"objective_code": "1", "title": None, "description": None}) == ""


def test_similarity_is_a_rounded_ratio_ignoring_codes_and_case() -> None:
    old = objective("1.1.1", description="1.1.1 Elaborazione del piano")
    assert similarity(old, objective("3.4.5", description="3.4.5 ELABORAZIONE DEL PIANO")) == 100
    score = similarity(old, objective("1.1.2", title="TRASPARENZA"))
    assert isinstance(score, float) and score == round(score, 2) and 0 < score < DEFAULT_THRESHOLD


def test_a_pair_under_the_threshold_is_removed_and_added() -> None:
    old = [objective("1.1.1")]
    new = [objective("1.1.2", title="CAFFE' IN FRAZIONE", description="Incontri mensili")]
    assert match_objectives(old, new, threshold=100).pairs == []
    matching = match_objectives(old, new, threshold=0)
    assert [(p.old["objective_code"], p.new["objective_code"]) for p in matching.pairs] == [
        ("1.1.1", "1.1.2")
    ]


def test_the_best_score_is_paired_first() -> None:
    old = [objective("1.1.1", title="PIANO A"), objective("1.1.2", title="PIANO ANTICORRUZIONE")]
    new = [objective("2.1.1", title="PIANO ANTICORRUZIONE")]
    matching = match_objectives(old, new, threshold=50)
    assert [p.old["objective_code"] for p in matching.pairs] == ["1.1.2"]
    assert [o["objective_code"] for o in matching.removed] == ["1.1.1"]


def test_the_code_map_pairs_every_code_when_both_list_as_many() -> None:
    pair = Pair(objective("1.1", codes=["1.1", "1.2"]), objective("2.1", codes=["2.1", "2.2"]))
    assert code_map(pair) == {"1.1": "2.1", "1.2": "2.2"}


def test_the_code_map_keeps_the_objective_codes_when_counts_differ() -> None:
    pair = Pair(objective("1.1", codes=["1.1", "1.2"]), objective("2.1", codes=["2.1"]))
    assert code_map(pair) == {"1.1": "2.1"}
    assert code_map(Pair({"objective_code": 3}, {"objective_code": 4})) == {"3": "4"}


def test_a_pair_knows_whether_it_was_renumbered_or_moved() -> None:
    pair = Pair(objective("1.1", sector="SAP"), objective("1.2", sector="FIN"), 90.0)
    assert (pair.renumbered, pair.moved) == (True, True)
    same = Pair(objective("1.1"), objective("1.1"))
    assert (same.renumbered, same.moved, same.score) == (False, False, None)
