"""Cell text cleaning."""

from __future__ import annotations

import unicodedata

from normalize.cleaning import clean_cell, collapse_whitespace, fold, without_marks


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


def test_clean_cell_decodes_entities_only_where_an_ampersand_is():
    assert clean_cell("R&amp;S &egrave; &#8364; 5 &nbsp;x") == "R&S è € 5 x"
    assert clean_cell("Ricerca & sviluppo") == "Ricerca & sviluppo"
    assert clean_cell("città; 5 <b>€</b>") == "città; 5 €"


def test_without_marks_removes_what_a_translation_of_the_marks_removes():
    for text in ["perché è già", "città più", "naïve café", "plain", "", "e\u0301\u0327x\u0301"]:
        decomposed = unicodedata.normalize("NFKD", text)
        marks = {ord(c): None for c in decomposed if unicodedata.combining(c)}
        assert without_marks(decomposed) == decomposed.translate(marks)
    assert without_marks("e\u0301\u0327x\u0301") == "ex"
    assert without_marks("città") == "città"  # composed: nothing combining to remove
    assert fold("Perché  È  GIÀ") == "perche e gia"
