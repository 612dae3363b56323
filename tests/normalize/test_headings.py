"""Sector headings of any administration, and heading rows printed inside a table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.model import RawCell, RawRow, RawTable
from normalize.headings import (
    SectorHeading,
    derive_sector_code,
    heading_responsible,
    heading_row_text,
    parse_sector_heading,
    read_heading,
    split_at_heading_rows,
    total_label_code,
    unique_codes,
)
from normalize.settings import NormalizeSettings

WORDS = NormalizeSettings().sector_heading_words  # no extra words: the defaults


@pytest.mark.parametrize(
    ("heading", "code", "name"),
    [
        ("OBIETTIVI ASSEGNATI AL SETTORE FINANZE (FIN)", "FIN", "FINANZE"),
        ("SETTORE AFFARI GENERALI (AG)", "AG", "AFFARI GENERALI"),
        ("AREA SERVIZI GENERALI E PERSONALE – SGP", "SGP", "SERVIZI GENERALI E PERSONALE"),
        ("**AREA POLIZIA LOCALE - PL**", "PL", "POLIZIA LOCALE"),
        ("Servizio PL - Polizia Locale", "PL", "Polizia Locale"),
        ("DIREZIONE RISORSE E BILANCIO (RB)", "RB", "RISORSE E BILANCIO"),
        ("U.O. Tributi (TRI)", "TRI", "Tributi"),
        ("Unità organizzativa Anagrafe (ANA)", "ANA", "Anagrafe"),
        ("UNITA' ORGANIZZATIVA ANAGRAFE - ANA", "ANA", "ANAGRAFE"),
        ("Comune di X\nPIAO 2025\nsettore tecnico (TEC)", "TEC", "tecnico"),
        ("SETTORE 1 - AFFARI GENERALI", "1", "AFFARI GENERALI"),
        ("Settore n. 3 Lavori pubblici", "3", "Lavori pubblici"),
        ("SETTORE FINANZE (FIN) – Responsabile: Dott. Rossi", "FIN", "FINANZE"),
    ],
)
def test_printed_code(heading, code, name):
    assert read_heading(heading, WORDS) == SectorHeading(code, name, derived=False)
    assert parse_sector_heading(heading, WORDS) == (code, name)


@pytest.mark.parametrize(
    ("heading", "code", "name"),
    [
        ("SETTORE AFFARI GENERALI", "AG", "AFFARI GENERALI"),
        ("**SERVIZIO VIABILITA E TRASPORTI**", "VT", "VIABILITA E TRASPORTI"),
        ("Area Servizi alla Persona", "SP", "Servizi alla Persona"),
        ("SETTORE TECNICO", "TEC", "TECNICO"),
        ("Settore Affari Generali – Responsabile: Dott. Rossi", "AG", "Affari Generali"),
        ("AREA TECNICA Dirigente Ing. Bassi", "TEC", "TECNICA"),
    ],
)
def test_code_derived_from_the_name(heading, code, name):
    parsed = read_heading(heading, WORDS)
    assert (parsed.code, parsed.name, parsed.derived) == (code, name, True)


def test_heading_naming_no_sector():
    assert parse_sector_heading("OBIETTIVI DEL SERVIZIO", WORDS) == (None, "OBIETTIVI DEL SERVIZIO")
    assert read_heading("PIANO DELLA PERFORMANCE 2025", WORDS) is None


def test_heading_words_come_from_settings():
    words = NormalizeSettings.resolve({"sector_heading_words": ("RIPARTIZIONE",)})
    assert parse_sector_heading("RIPARTIZIONE CULTURA (CU)", words.sector_heading_words) == (
        "CU",
        "CULTURA",
    )
    assert parse_sector_heading("RIPARTIZIONE CULTURA (CU)", WORDS) == (
        "CU",
        "RIPARTIZIONE CULTURA (CU)",
    )
    assert heading_row_text(["RIPARTIZIONE CULTURA", ""], words.sector_heading_words)
    assert heading_row_text(["RIPARTIZIONE CULTURA", ""], WORDS) is None


def test_derived_codes_are_deterministic_and_unique():
    assert derive_sector_code("Affari generali e istituzionali") == "AGI"
    assert unique_codes(["AG", "AG", "FIN", "AG"], [False, True, False, True]) == [
        "AG",
        "AG2",
        "FIN",
        "AG3",
    ]


@pytest.mark.parametrize(
    ("cells", "heading"),
    [
        (["DIREZIONE RISORSE E BILANCIO (RB)", "", ""], "DIREZIONE RISORSE E BILANCIO (RB)"),
        (["SETTORE TECNICO"] * 3, "SETTORE TECNICO"),
        (["", "Servizio PL - Polizia Locale", ""], "Servizio PL - Polizia Locale"),
        (["TOTALE SETTORE AG", "", "19"], None),
        (["TOTALE AREA SGP", "", ""], None),
        (["Totale punti servizio PL", "", ""], None),
        (["Servizio mensa: avvio della gara", "", ""], None),
        (["SETTORE A (A)", "1.1.1 X", ""], None),
        (["DIREZIONE RISORSE E", "BILANCIO (RB)", ""], "DIREZIONE RISORSE E BILANCIO (RB)"),
        (["AREA SERVIZI", "GENERALI - SGP"], "AREA SERVIZI GENERALI - SGP"),
        (["SERVIZ", "IO AMBIENTE", ""], "SERVIZIO AMBIENTE"),
        (["AREA T", "ECNICA", ""], "AREA TECNICA"),
        (["Servizio mensa", "avvio della gara", "3"], None),
        (["Area verde", "Manutenzione del parco"], None),
    ],
)
def test_heading_rows(cells, heading):
    assert heading_row_text(cells, WORDS) == heading


def _row(*texts: str, page: int = 1) -> RawRow:
    cells = tuple(RawCell(text, column, page) for column, text in enumerate(texts))
    return RawRow(cells, (page,))


def test_heading_rows_split_a_table_and_each_part_keeps_the_header():
    rows = (
        _row("Obiettivo", "Indicatore", "Peso"),
        _row("DIREZIONE RISORSE E BILANCIO (RB)", "", ""),
        _row("1.1.1 PRIMO", "a) uno", "3"),
        _row("DIREZIONE TERRITORIO (TE)", "", "", page=2),
        _row("2.1.1 SECONDO", "a) due", "2", page=2),
        _row("Totale", "", "2", page=2),
    )
    parts = split_at_heading_rows(RawTable("OBIETTIVI 2025", rows, 4), WORDS)
    assert [part.heading for part in parts] == [
        "DIREZIONE RISORSE E BILANCIO (RB)",
        "DIREZIONE TERRITORIO (TE)",
    ]
    assert [[row.texts[0] if row.cells else None for row in part.rows] for part in parts] == [
        ["Obiettivo", None, "1.1.1 PRIMO", None, None, None],
        ["Obiettivo", None, None, None, "2.1.1 SECONDO", "Totale"],
    ]
    assert {part.index for part in parts} == {4}
    assert [part.pages for part in parts] == [(1,), (2,)]


def test_objectives_above_the_first_heading_row_stay_with_the_table_heading():
    rows = (
        _row("Obiettivo", "Indicatore", "Peso"),
        _row("1.1.1 PRIMO", "a) uno", "3"),
        _row("SETTORE TECNICO", "SETTORE TECNICO", "SETTORE TECNICO"),
        _row("2.1.1 SECONDO", "a) due", "2"),
    )
    parts = split_at_heading_rows(RawTable("SETTORE FINANZE (FIN)", rows, 0), WORDS)
    assert [part.heading for part in parts] == ["SETTORE FINANZE (FIN)", "SETTORE TECNICO"]
    assert [len([r for r in part.rows if r.cells]) for part in parts] == [2, 2]


def test_table_without_heading_rows_is_unchanged():
    table = RawTable("SETTORE FINANZE (FIN)", (_row("Obiettivo", "Peso"), _row("1.1.1 X", "3")), 0)
    assert split_at_heading_rows(table, WORDS) == [table]


@given(st.text(), st.lists(st.text(), max_size=4))
def test_heading_readers_never_raise(heading, cells):
    parsed = read_heading(heading)
    assert parsed is None or parsed.code
    heading_row_text(cells)


def test_heading_row_repeated_at_the_top_of_a_page_starts_no_new_sector():
    rows = (
        _row("Obiettivo", "Indicatore", "Peso"),
        _row("SETTORE FINANZE (FIN)", "", ""),
        _row("1.1.1 PRIMO", "a) uno", "3"),
        _row("SETTORE FINANZE (FIN)", "", "", page=2),
        _row("1.1.2 SECONDO", "a) due", "2", page=2),
        _row("SETTORE TECNICO (TEC)", "", "", page=2),
        _row("2.1.1 TERZO", "a) tre", "1", page=2),
    )
    parts = split_at_heading_rows(RawTable("", rows, 0), WORDS)
    assert [part.heading for part in parts] == ["SETTORE FINANZE (FIN)", "SETTORE TECNICO (TEC)"]
    assert [[r.texts[0] for r in part.rows if r.cells] for part in parts] == [
        ["Obiettivo", "1.1.1 PRIMO", "1.1.2 SECONDO"],
        ["Obiettivo", "2.1.1 TERZO"],
    ]
    assert [part.pages for part in parts] == [(1, 2), (2,)]


def test_heading_row_naming_the_sector_of_the_page_heading_continues_it():
    rows = (
        _row("Obiettivo", "Indicatore", "Peso"),
        _row("1.1.1 PRIMO", "a) uno", "3"),
        _row("Settore Finanze (FIN)", "", "", page=2),
        _row("1.1.2 SECONDO", "a) due", "2", page=2),
    )
    parts = split_at_heading_rows(RawTable("SETTORE FINANZE (FIN)", rows, 0), WORDS)
    assert len(parts) == 1
    assert [r.texts[0] for r in parts[0].rows if r.cells] == [
        "Obiettivo",
        "1.1.1 PRIMO",
        "1.1.2 SECONDO",
    ]


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("TOTALE SETTORE AG", "AG"),
        ("TOTALE AREA SGP", "SGP"),
        ("Totale punti servizio PL", "PL"),
        ("TOTA LE AREA SGP", "SGP"),
        ("Totale", None),
        ("TOTALE", None),
        ("Totale complessivo", None),
        ("SETTORE AG", None),
    ],
)
def test_total_rows_naming_a_sector(label, code):
    assert total_label_code(label) == code


def test_totals_of_two_sectors_in_one_table_split_it():
    rows = (
        _row("Obiettivo", "Indicatore", "Peso"),
        _row("1.1.1 PRIMO", "a) uno", "3"),
        _row("TOTALE SETTORE AG", "", "3"),
        _row("Obiettivo", "Indicatore", "Peso", page=2),
        _row("4.1.1 SECONDO", "a) due", "2", page=2),
        _row("TOTALE SETTORE ESV", "", "2", page=2),
    )
    parts = split_at_heading_rows(RawTable("SETTORE AFFARI GENERALI (AG)", rows, 0), WORDS)
    assert [read_heading(part.heading).code for part in parts] == ["AG", "ESV"]
    assert [[r.texts[0] for r in part.rows if r.cells] for part in parts] == [
        ["Obiettivo", "1.1.1 PRIMO", "TOTALE SETTORE AG"],
        ["Obiettivo", "Obiettivo", "4.1.1 SECONDO", "TOTALE SETTORE ESV"],
    ]
    assert [part.pages for part in parts] == [(1,), (2,)]


def test_one_sector_total_repeated_splits_nothing():
    rows = (
        _row("Obiettivo", "Indicatore", "Peso"),
        _row("1.1.1 PRIMO", "a) uno", "3"),
        _row("TOTALE SETTORE AG", "", "3"),
    )
    table = RawTable("SETTORE AFFARI GENERALI (AG)", rows, 0)
    assert split_at_heading_rows(table, WORDS) == [table]


def test_heading_spread_over_lines_reads_the_printed_code_on_its_last_line():
    """A sector heading whose name runs over two lines with its code on the last one is read
    with the printed code (SAP), not one derived from the first line (SP)."""
    heading = "SETTORE SERVIZI ALLE PERSONE\nDEL COMUNE (SAP)"
    assert read_heading(heading, WORDS) == SectorHeading("SAP", "SERVIZI ALLE PERSONE DEL COMUNE")


def test_heading_followed_by_other_text_still_derives_its_code():
    heading = "SETTORE SERVIZI ALLE PERSONE\nPIAO 2025-2027 – ALLEGATO"
    parsed = read_heading(heading, WORDS)
    assert (parsed.code, parsed.derived) == ("SP", True)


def test_two_line_heading_names_the_sector_of_its_last_line():
    """An area above its sector: the sector line (the last naming one) is the table's."""
    heading = "AREA SERVIZI GENERALI (AA)\nSETTORE AFFARI GENERALI (AG)"
    assert read_heading(heading, WORDS) == SectorHeading("AG", "AFFARI GENERALI", derived=False)


def test_peg_codes_end_the_header_each_sector_part_keeps():
    """A grid keyed by PEG codes (``01021``, ``1204``): each part keeps the header rows and
    its own objectives only, not the rows above a target that looks like a code ("6")."""
    rows = (
        _row("Missione", "Codice PEG", "Obiettivo", "Valore atteso"),
        _row("SETTORE AFFARI GENERALI", "", "", ""),
        _row("Missione 1 – Servizi", "01021", "Protocollo", "100%"),
        _row("SETTORE SERVIZI ALLA PERSONA", "", "", ""),
        _row("Missione 12 – Diritti", "1204", "Contributi", "6"),
    )
    parts = split_at_heading_rows(RawTable("", rows, 0), WORDS)
    assert [[row.texts[1] for row in part.rows if row.cells] for part in parts] == [
        ["Codice PEG", "01021"],
        ["Codice PEG", "1204"],
    ]


@pytest.mark.parametrize(
    ("heading", "responsible"),
    [
        ("AREA AMMINISTRATIVA – Responsabile: Dott.ssa Laura Bini", "Dott.ssa Laura Bini"),
        ("SETTORE TECNICO - Dirigente: Ing. Paolo Serra", "Ing. Paolo Serra"),
        ("SETTORE FINANZE (FIN)", None),
        ("AREA TECNICA Dirigente Ing. Bassi", None),
    ],
)
def test_heading_responsible(heading, responsible):
    assert heading_responsible(heading) == responsible
