"""Target texts parsed (one number, percentage or date with its comparator) and the
``targets`` rows of an item."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from normalize.targets import (
    ParsedTarget,
    YearTarget,
    parse_number,
    parse_target,
    split_comparator,
    target_records,
)


def test_percentage_with_symbol_comparator():
    assert parse_target("≥ 95%") == ParsedTarget(95.0, "%", "≥")


def test_ascii_comparator_is_recorded_as_the_symbol():
    assert parse_target(">= 80 %") == ParsedTarget(80.0, "%", "≥")
    assert parse_target("<=30") == ParsedTarget(30.0, None, "≤")


def test_worded_comparator_and_unit():
    assert parse_target("almeno 12 eventi") == ParsedTarget(12.0, "eventi", "almeno")
    assert parse_target("non oltre 30 giorni") == ParsedTarget(30.0, "giorni", "non oltre")


def test_italian_thousands_and_decimals():
    assert parse_target("2.000 presenze") == ParsedTarget(2000.0, "presenze", None)
    assert parse_target("12,5%") == ParsedTarget(12.5, "%", None)
    assert parse_number("1.200,50") == 1200.5


def test_date_target_with_entro():
    parsed = parse_target("entro il 30/06/2025")
    assert parsed == ParsedTarget(None, "date", "entro", dt.date(2025, 6, 30))


def test_month_target_completed_with_the_default_year():
    assert parse_target("entro giugno", 2026).date == dt.date(2026, 6, 30)


def test_bare_date_has_no_comparator():
    assert parse_target("31.12.2025") == ParsedTarget(None, "date", None, dt.date(2025, 12, 31))


def test_texts_that_are_not_one_value_are_not_parsed():
    for text in ("Tutte le domande", "Gradimento almeno 7/10", "SI", "3 incontri entro giugno"):
        assert parse_target(text) == ParsedTarget(), text


def test_comparator_word_must_stand_alone():
    assert split_comparator("entrone 5") == (None, "entrone 5")


@given(
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(["", "≥ ", ">= ", "almeno ", "non oltre ", "≤ "]),
    st.booleans(),
)
def test_a_printed_integer_reads_back(number, comparator, percent):
    printed = f"{number:,}".replace(",", ".")
    parsed = parse_target(f"{comparator}{printed}{'%' if percent else ''}")
    assert parsed.value == number
    assert parsed.unit == ("%" if percent else None)
    expected = {"": None, ">= ": "≥", "≥ ": "≥", "≤ ": "≤"}.get(comparator, comparator.strip())
    assert parsed.comparator == expected


@given(st.text(max_size=60))
def test_any_text_parses_without_error_and_keeps_a_value_or_nothing(text):
    parsed = parse_target(text)
    if parsed.value is None and parsed.date is None:
        assert parsed.unit is None and parsed.comparator is None


ITEM = {
    "doc_id": "d",
    "sector_code": "SAG",
    "objective_code": "1.1.1",
    "item_seq": 2,
    "target": "≥ 75%",
}


def test_item_without_yearly_targets_gives_one_row_with_year_null():
    [row] = target_records(ITEM)
    assert (row["year"], row["target"], row["value"], row["unit"]) == (None, "≥ 75%", 75.0, "%")
    assert row["item_seq"] == 2


def test_one_row_per_printed_year():
    yearly = [YearTarget(2025, "≥ 75%"), YearTarget(2026, "≥ 80%"), YearTarget(2027, None)]
    rows = target_records(ITEM, yearly)
    assert [(r["year"], r["value"]) for r in rows] == [(2025, 75.0), (2026, 80.0), (2027, None)]
