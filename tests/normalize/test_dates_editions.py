"""A deadline moves only when its text moves: the shipped attachment walked through three
editions (2023, 2024, 2025; tests/fixtures/make_editions.py) and read with each edition's plan
year, every date phrase whose text is unchanged must resolve to the same day.

"Entro 31.07.2023 per il I semestre" is the case: the plan year of the 2024 edition must not
make it the first semester of 2024."""

from __future__ import annotations

from collections import defaultdict

import pytest

from schema import read_table

FIELD_TEXT = {"indicator": "indicator", "target": "target", "deadline": "deadline"}


def field_texts(data) -> dict[tuple, str]:
    """(doc_id, sector, objective, item_code, item, field) -> the text dates were read in."""
    texts: dict[tuple, str] = {}
    for row in read_table("items", data).to_pylist():
        for field in FIELD_TEXT:
            key = (row["doc_id"], row["sector_code"], row["objective_code"])
            texts[(*key, row["item_code"], row["item"], field)] = row[field] or ""
    return texts


@pytest.fixture(scope="module")
def moved(editions_corpus) -> tuple[int, list[tuple]]:
    """(date phrases compared, those that moved with their text unchanged)."""
    data = editions_corpus[0]
    documents = read_table("documents", data).to_pylist()
    years = {d["doc_id"]: (d["ente"], d["period_start"].year) for d in documents}
    texts = field_texts(data)
    dates: dict[tuple, dict] = {}
    for row in read_table("dates", data).to_pylist():
        ente, year = years[row["doc_id"]]
        where = (row["sector_code"], row["objective_code"], row["item_code"], row["item"])
        key = (row["doc_id"], *where, row["field"])
        dates[(ente, year, *where, row["field"], row["offset"])] = row | {
            "field_text": texts.get(key)
        }
    compared, bad = 0, []
    by_ente = defaultdict(set)
    for ente, year in years.values():
        by_ente[ente].add(year)
    for (ente, year, *rest), new in dates.items():
        if year - 1 not in by_ente[ente]:
            continue
        old = dates.get((ente, year - 1, *rest))
        if old is None or old["field_text"] is None or old["field_text"] != new["field_text"]:
            continue
        if not any(ch.isdigit() for ch in old["field_text"]):
            continue  # no year printed anywhere: the plan year is all there is
        compared += 1
        if (old["date"], old["start_date"]) != (new["date"], new["start_date"]):
            bad.append((ente, year, *rest, new["text"], old["date"], new["date"]))
    return compared, bad


def test_no_deadline_moves_without_its_text_moving(moved) -> None:
    compared, bad = moved
    assert compared > 300  # 3 administrations x 2 pairs of editions x most of ~200 phrases
    assert bad == []


def test_a_semester_reported_on_keeps_its_printed_year(editions_corpus) -> None:
    data = editions_corpus[0]
    years = {d["doc_id"]: d["period_start"].year for d in read_table("documents", data).to_pylist()}
    rows = [
        (years[r["doc_id"]], r["text"], r["date"].isoformat())
        for r in read_table("dates", data).to_pylist()
        if r["objective_code"] == "1.1.3" and r["item"] == "b" and "semestre" in r["text"]
    ]
    assert {(text, date) for _year, text, date in rows} == {
        ("per il I semestre", "2023-06-30"),
        ("per il II semestre", "2023-12-31"),
    }
    assert {year for year, _text, _date in rows} == {2023, 2024, 2025}
