"""Cell text cleaning."""

from __future__ import annotations

from normalize.cleaning import clean_cell, collapse_whitespace, fold


def test_html_paragraphs_become_lines_and_bold_is_dropped():
    assert clean_cell("<p>a) entro il 30/06/2023</p> <p>b) almeno una</p>") == (
        "a) entro il 30/06/2023\nb) almeno una"
    )
    assert clean_cell("<b>7,5758%</b>") == "7,5758%"


def test_entities_and_spaces():
    assert clean_cell("Servizi &amp; lavori  \u00a0 pubblici") == "Servizi & lavori pubblici"
    assert clean_cell(None) == ""


def test_fold_and_collapse():
    assert fold("  Priorità/PESO ") == "priorita/peso"
    assert collapse_whitespace("a\n b\t c") == "a b c"
