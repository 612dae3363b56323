"""Section headings of a whole PIAO in page text (extract.sections)."""

from __future__ import annotations

from extract.pdf_text import is_heading
from extract.sections import carried_heading, has_section, last_section, section_mentions


def test_worded_and_numbered_headings_give_number_and_title():
    text = (
        "SEZIONE 2 – VALORE PUBBLICO, PERFORMANCE E ANTICORRUZIONE "
        "Sottosezione 2.2 Performance Gli obiettivi operativi sono assegnati ai settori dal "
        "piano esecutivo. 2.3 Rischi corruttivi e trasparenza La mappatura dei processi è "
        "aggiornata ogni anno."
    )
    found = [(m.number, m.title.split()[0], m.toc) for m in section_mentions(text)]
    assert found == [
        ("2", "VALORE", False),
        ("2.2", "Performance", False),
        ("2.3", "Rischi", False),
    ]


def test_programming_subsection_without_number():
    mention = last_section("Sottosezione di programmazione Performance")
    assert mention is not None
    assert (mention.number, mention.title) == (None, "Performance")


def test_table_of_contents_entries_are_not_sections():
    toc = (
        "INDICE Sezione 1 – Scheda anagrafica dell'amministrazione ........ 3 "
        "Sottosezione 2.2 Performance ........ 12 3.3 Piano triennale dei fabbisogni 24"
    )
    assert [m.toc for m in section_mentions(toc)] == [True, True, True]
    assert not has_section(toc)


def test_title_ends_where_the_prose_or_the_next_heading_begins():
    titles = [
        m.title
        for m in section_mentions(
            "SEZIONE 1. SCHEDA ANAGRAFICA DELL'AMMINISTRAZIONE Il Comune di X è un ente. "
            "2.1 Valore pubblico Le linee strategiche del mandato. "
            "Sottosezione di programmazione Performance SETTORE AFFARI GENERALI (AG)"
        )
    ]
    assert titles == ["SCHEDA ANAGRAFICA DELL'AMMINISTRAZIONE", "Valore pubblico", "Performance"]


def test_table_of_contents_without_page_numbers():
    toc = (
        "INDICE Premessa Sezione 1 Scheda anagrafica Sezione 2 Valore pubblico, performance "
        "e anticorruzione 2.1 Valore pubblico 2.2 Performance Sezione 3 Organizzazione"
    )
    assert [m.toc for m in section_mentions(toc)] == [True] * 5


def test_a_reference_inside_a_sentence_is_no_heading():
    assert section_mentions("come previsto nella sezione 2.3 del presente piano") == []
    assert section_mentions("nell'ambito della sottosezione 2.2 Performance") == []


def test_a_section_heading_starts_a_table_like_a_sector_heading():
    assert is_heading("SOTTOSEZIONE 2.3 RISCHI CORRUTTIVI E TRASPARENZA")
    assert not is_heading("Tabella 4 – mappatura dei processi")


def test_section_of_the_pages_before_is_carried_to_a_sector_heading():
    carried = carried_heading("SETTORE TRIBUTI (TRI)", "SOTTOSEZIONE 2.2 PERFORMANCE Premessa")
    assert carried == "SOTTOSEZIONE 2.2 PERFORMANCE\nSETTORE TRIBUTI (TRI)"
    assert carried_heading("", "pagina") == "pagina"
    assert carried_heading("SEZIONE 3 ORGANIZZAZIONE", "Sezione 2.2 Performance") == (
        "SEZIONE 3 ORGANIZZAZIONE"
    )


def test_a_bare_number_inside_the_text_above_a_table_starts_no_table():
    assert is_heading("2.3 Rischi corruttivi e trasparenza Mappatura dei processi")
    assert not is_heading("LINEA STRATEGICA 1.1 Trasparenza e partecipazione")
