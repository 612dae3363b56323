"""Weights and Italian percentages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.weights import derive_percent, parse_percent, parse_weight, percent_decimals


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
