"""Weights and Italian percentages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.weights import (
    NO_WEIGHTS,
    PERCENT,
    POINTS,
    PRIORITY,
    derive_percent,
    parse_bare_percent,
    parse_decimal,
    parse_percent,
    parse_weight,
    percent_decimals,
    weight_scheme,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("26,3158%", 26.3158),
        ("100,00%", 100.0),
        ("9,30%", 9.3),
        ("100%", 100.0),
        ("6.94%", 6.94),
        (" 4,5455 % ", 4.5455),
        ("1.234,5%", 1234.5),
    ],
)
def test_parse_percent(text, value):
    assert parse_percent(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "5", "abc%", "26,3158"])
def test_not_a_percent(text):
    assert parse_percent(text) is None


def test_parse_weight():
    assert parse_weight("5") == 5
    assert parse_weight(" 72 ") == 72
    assert parse_weight("5,5") is None
    assert parse_weight("Sindaco") is None


def test_decimals_and_derivation_follow_the_sector():
    assert percent_decimals("9,30%") == 2
    assert percent_decimals("26,3158%") == 4
    assert derive_percent(5, 72, 2) == 6.94
    assert derive_percent(5, 19, 4) == 26.3158


@given(st.text())
def test_number_parsers_never_raise(text):
    parse_percent(text)
    parse_weight(text)
    percent_decimals(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("12,5%", 12.5), ("12,5", 12.5), ("40", 40.0), ("6.94", 6.94), ("", None), ("alta", None)],
)
def test_bare_percent_in_a_percentage_column(text, value):
    assert parse_bare_percent(text) == (pytest.approx(value) if value is not None else None)


@pytest.mark.parametrize(
    ("weights", "percents", "declared", "scheme"),
    [
        ([5, 4, 5, 3, 2], [26.3, 21.1, 26.3, 15.8, 10.5], 19, PRIORITY),
        ([40, 35, 25], [None, None, None], 100, POINTS),
        ([60, 30], [None, None], 100, POINTS),
        ([5, 5], [None, None], None, PRIORITY),
        ([None, None], [50.0, 50.0], None, PERCENT),
        ([None, None], [None, None], None, NO_WEIGHTS),
        ([], [], None, NO_WEIGHTS),
        ([None, 3], [None, 100.0], 3, PRIORITY),
    ],
)
def test_weight_scheme_from_values_and_declared_total(weights, percents, declared, scheme):
    assert weight_scheme(weights, percents, declared) == scheme


@pytest.mark.parametrize(
    ("text", "value"), [("12,5", 12.5), ("7.25", 7.25), ("12", None), ("", None)]
)
def test_decimal_points(text, value):
    assert parse_decimal(text) == value


def test_twenty_objectives_weighted_five_are_priorities_even_summing_to_100() -> None:
    """5 is the top of the 1-5 priority range: a total of 100 alone does not make points."""
    assert weight_scheme([5] * 20, [None] * 20, None) == PRIORITY
    assert weight_scheme([5] * 20, [None] * 20, 100) == PRIORITY


def test_one_weight_above_five_summing_to_100_makes_points() -> None:
    assert weight_scheme([6, *[5] * 18, 4], [None] * 20, None) == POINTS


@pytest.mark.parametrize(
    ("text", "decimals"),
    [("9,30%", 2), ("6.94%", 2), ("10%", 0), ("1.234,5%", 1), ("7.5 %", 1), ("peso", None)],
)
def test_percent_decimals_counts_the_printed_decimals(text: str, decimals: int | None) -> None:
    assert percent_decimals(text) == decimals


def test_weight_and_percent_cells_are_recognised() -> None:
    from normalize.weights import is_percent, is_weight

    assert (is_weight("5"), is_weight(" 12 "), is_weight("5%"), is_weight("")) == (
        True,
        True,
        False,
        False,
    )
    assert (is_percent("26,3158%"), is_percent("6.94 %"), is_percent("5")) == (True, True, False)


def test_points_written_out_are_a_weight():
    assert [parse_weight(text) for text in ("15 punti", "15 Punti", "20 pt.", "15 euro")] == [
        15,
        15,
        20,
        None,
    ]
