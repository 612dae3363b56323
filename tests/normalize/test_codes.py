"""Objective, mission and strategic codes; titles after codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.codes import (
    code_levels,
    codes_in_code_cell,
    find_objective_codes,
    is_code_cell,
    mission_of_code,
    mission_prefix,
    parse_mission,
    parse_strategic,
    strategic_of,
    title_after,
)


def codes(text: str) -> list[str]:
    return [mention.code for mention in find_objective_codes(text)]


def test_code_at_cell_start():
    assert codes("1.1.1 ANTICORRUZIONE. Elaborazione documenti") == ["1.1.1"]


def test_trailing_dot_is_not_part_of_the_code():
    assert codes("1.3.1. Consulenza e supporto giuridico-amministrativo") == ["1.3.1"]


def test_codes_joined_by_slash():
    assert codes("6.1.1.1/6.1.2.1/6.1.3.1 GIOVANI- prosecuzione") == [
        "6.1.1.1",
        "6.1.2.1",
        "6.1.3.1",
    ]


def test_second_code_after_a_sentence():
    text = "1.1.3 Realizzazione controlli del 10/10/2012. 1.1.4 Introduzione ed uso corretto"
    assert codes(text) == ["1.1.3", "1.1.4"]


def test_second_code_followed_by_an_upper_case_heading_inside_prose():
    text = "coinvolgimento di giovani 5.2.2.2 BIBLIOTECA - Gestione del servizio"
    assert codes("5.2.2.1 INIZIATIVE CULTURALI - sostegno " + text) == ["5.2.2.1", "5.2.2.2"]


def test_code_at_paragraph_start_after_a_heading():
    text = "POTENZIAMENTO DEI SERVIZI\n4.1.2.1 SCUOLE D'INFANZIA STATALI - supporto"
    assert codes(text) == ["4.1.2.1"]


@pytest.mark.parametrize(
    "text",
    [
        "linea di intervento M5 C3 Investimento 1.1.1 del PNRR",
        "art. 1 co. 848 l. 205/2017",
        "principio contabile allegato 4/2 del D.Lgs. 118/2011",
        "CUP D95B22000450006",
        "entro il 31.12.2023",
        "nuovo prezzario 2.3.4 incluso",
    ],
)
def test_numbers_that_are_not_objective_codes(text):
    assert codes(text) == []


def test_strategic_derived_from_code():
    assert (strategic_of("9.3.2.1"), strategic_of("1.1.1")) == ("9.3", "1.1")


@pytest.mark.parametrize(
    ("code", "mission"),
    [
        ("0101", 1),
        ("01.01", 1),
        ("01010601", 1),
        ("0306", 3),
        ("12.01.2", 12),
        ("2.1.1", None),
        ("9.3.2.1", None),
        ("12.1.3.1", None),
        ("01", None),
        ("3.1", None),
        ("5101", None),
    ],
)
def test_only_a_mission_programme_code_prints_a_mission(code, mission):
    assert mission_of_code(code) == mission


def test_mission_prefix_opens_the_cell():
    assert mission_prefix("M 04 – 4.1.1 SCUOLE SICURE") == 4
    assert mission_prefix("Missione 12 Diritti sociali") == 12
    assert mission_prefix("03 – Ordine pubblico") is None
    assert mission_prefix("4.1.1 SCUOLE") is None


def test_code_levels_of_no_code_is_zero():
    assert (code_levels(None), code_levels("")) == (0, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "M 01 Servizi istituzionali, generali e di gestione",
            (1, "Servizi istituzionali, generali e di gestione"),
        ),
        ("M09 Sviluppo sostenibile", (9, "Sviluppo sostenibile")),
        ("M12 Diritti sociali", (12, "Diritti sociali")),
        ("M 14. Sviluppo economico e competitività", (14, "Sviluppo economico e competitività")),
        ("Missione 4 Istruzione", (4, "Istruzione")),
        ("Miss. 10 Trasporti", (10, "Trasporti")),
        ("Servizi istituzionali", (None, "Servizi istituzionali")),
        ("03 – Ordine pubblico e sicurezza", (3, "Ordine pubblico e sicurezza")),
        ("Missione 01 - Servizi istituzionali", (1, "Servizi istituzionali")),
        ("Miss. 03", (3, "")),
        ("03", (3, "")),
        ("1 Rafforzare l'ente", (None, "1 Rafforzare l'ente")),
        ("1.2 Ente digitale", (None, "1.2 Ente digitale")),
        ("M 1.2 Ente", (None, "M 1.2 Ente")),
    ],
)
def test_parse_mission(text, expected):
    assert parse_mission(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.1 Migliorare l'efficacia", ("1.1", "Migliorare l'efficacia")),
        ("1.2. Migliorare l'accesso", ("1.2", "Migliorare l'accesso")),
        ("9.3 Opere Pubbliche - completamento", ("9.3", "Opere Pubbliche - completamento")),
        ("2. FUNZIONI GENERALI", (None, "2. FUNZIONI GENERALI")),
        ("1.3.1 Analisi", (None, "1.3.1 Analisi")),
    ],
)
def test_parse_strategic(text, expected):
    assert parse_strategic(text) == expected


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("1.1.1 ANTICORRUZIONE. Elaborazione documenti", "ANTICORRUZIONE"),
        ("1.2.1.1 SERVIZI ON-LINE- consolidamento strumenti", "SERVIZI ON-LINE"),
        ("9.2.1.1 INVENTARIO BENI ARMONIZZATO - Aggiornamento", "INVENTARIO BENI ARMONIZZATO"),
        ("9.2.1.2 PIANO ALIENAZIONI: collaborazione con il S.STAFF", "PIANO ALIENAZIONI"),
        ("14.1.1.1 CAFFE' IN FRAZIONE avvio da parte", "CAFFE' IN FRAZIONE"),
        ("6.1.1.1/6.1.2.1 GIOVANI- prosecuzione", "GIOVANI"),
        ("1.1.3 Realizzazione controlli interni", None),
        ("9.3.2.9 Programma Operativo Nazionale (PON/FESR)", None),
    ],
)
def test_title_is_the_upper_case_heading_after_the_code(text, title):
    mention = find_objective_codes(text)[0]
    assert title_after(text, mention.end) == title


@given(st.text())
def test_code_parsers_never_raise(text):
    for mention in find_objective_codes(text):
        assert text[mention.start : mention.end].rstrip(".") == mention.code
        title_after(text, mention.end)
    parse_mission(text)
    parse_strategic(text)


# any administration's codes -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "title"),
    [
        (
            "Obiettivo 1.2.1 – RISCOSSIONE DELLE ENTRATE. Recupero",
            ["1.2.1"],
            "RISCOSSIONE DELLE ENTRATE",
        ),
        ("Obiettivo n. 2 - SERVIZI ON LINE", ["2"], "SERVIZI ON LINE"),
        ("Ob. 3 PERSONALE e formazione", ["3"], "PERSONALE"),
        ("OB.01 BILANCIO", ["01"], "BILANCIO"),
        ("n. 4 TRIBUTI", ["4"], "TRIBUTI"),
        ("Obiettivo operativo 2.1 Migliorare l'accesso", ["2.1"], None),
        ("Obiettivo 3: RIDUZIONE dei tempi", ["3"], "RIDUZIONE"),
        ("2 DIGITALIZZAZIONE - avvio", ["2"], "DIGITALIZZAZIONE"),
        (
            "Obiettivo 1.2.2.1/1.2.2.2 – GESTIONE DEL PERSONALE.",
            ["1.2.2.1", "1.2.2.2"],
            "GESTIONE DEL PERSONALE",
        ),
        ("9.2.1/9.2.2 INVENTARIO", ["9.2.1", "9.2.2"], "INVENTARIO"),
    ],
)
def test_prefixed_and_short_codes_key_without_the_prefix(text, expected, title):
    mentions = find_objective_codes(text)
    assert [m.code for m in mentions] == expected
    assert title_after(text, mentions[0].end) == title


@pytest.mark.parametrize(
    "text",
    [
        "Attuazione della legge n. 174 del 2012",
        "ai sensi dell'art. 3 comma 2",
        "PNRR M1C1 investimento 1.2",
        "1 entro il 30.06.2023",
        "30.06.2023 scadenza",
        "DL n. 80/2021 art. 6",
        "come da obiettivo 3 del DUP",
        "n. 12 pratiche evase",
        "raggiungimento dell'obiettivo 2 entro l'anno",
        "Obiettivo n. 2/2023",
        "x.\nn. 4 pratiche",
    ],
)
def test_law_references_counts_and_dates_are_not_short_codes(text):
    assert codes(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", ["1"]),
        ("OB.01", ["01"]),
        ("Ob. 3", ["3"]),
        ("n. 4", ["4"]),
        ("1.2.1.", ["1.2.1"]),
        ("9.2.1/9.2.2", ["9.2.1", "9.2.2"]),
        ("Totale", []),
        ("2023", []),
        ("1,5", []),
        ("12,5%", []),
        ("Ob. 3 PERSONALE", []),
    ],
)
def test_a_code_cell_holds_only_codes(text, expected):
    assert [m.code for m in codes_in_code_cell(text)] == expected


def test_code_in_its_own_column_then_the_title_opens_the_objective_cell():
    assert [m.code for m in codes_in_code_cell("Ob. 1")] == ["1"]
    assert title_after("GESTIONE DEL PERSONALE. Piano dei fabbisogni", 0) == (
        "GESTIONE DEL PERSONALE"
    )
    assert is_code_cell("OB.02") and not is_code_cell("Responsabile")


def test_short_prefixed_code_in_the_prose_of_a_coded_cell_is_not_a_second_code():
    assert codes("1.2.1 TRIBUTI. Recupero evasione. Obiettivo 2: ridurre i tempi") == ["1.2.1"]
    assert codes("1.2.1 TRIBUTI. Vedi anche Obiettivo 1.2.2 – CATASTO") == ["1.2.1", "1.2.2"]


def test_code_levels():
    assert [code_levels(c) for c in ("01", "2.1", "1.2.1", "4.1.2.1")] == [1, 2, 3, 4]


@given(st.text())
def test_short_code_readers_never_raise(text):
    for mention in codes_in_code_cell(text):
        assert text[mention.start : mention.end] == mention.code
    for mention in find_objective_codes(text):
        title_after(text, mention.end)


@pytest.mark.parametrize(
    ("text", "is_code"),
    [
        ("Ob. 3", True),
        ("OB.01", True),
        ("9.2.1/9.2.2", True),
        ("2.1", True),
        ("Ob. 3 PERSONALE", False),
    ],
)
def test_every_stage_reads_a_code_cell_alike(text, is_code):
    """One meaning, one parser: the header detection reads a code cell with
    codes.is_code_cell, as the heading and row readers do."""
    from normalize.headers import cell_kind, looks_like_data

    assert is_code_cell(text) is is_code
    assert (cell_kind(text) == "code") is is_code
    assert looks_like_data(text)  # a code alone, or a code opening a text


def test_mission_programme_pair_reads_its_mission():
    """A "Missione / Programma" cell prints both numbers: the first is the mission."""
    assert parse_mission("01 / 04 Gestione delle entrate tributarie") == (
        1,
        "Gestione delle entrate tributarie",
    )
    assert parse_mission("01/07") == (1, "")
    assert parse_mission("1/2") == (None, "1/2")  # not a two-digit pair: no mission


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("OP.2.3 – Attuazione degli interventi PNRR", "2.3"),
        ("OP1.1 – Digitalizzazione", "1.1"),
        ("OP.01 – Protocollo", "01"),
    ],
)
def test_op_prefix_of_the_template_opens_a_code(text, code):
    """``OP.`` (obiettivo operativo, the Funzione Pubblica template) prefixes a code."""
    assert [mention.code for mention in find_objective_codes(text)] == [code]


def test_op_in_prose_is_no_code():
    assert find_objective_codes("vedi op. 3 del piano") == []


@pytest.mark.parametrize(("code", "mission"), [("01021", 1), ("1204", 12), ("0105", 1)])
def test_mission_of_an_odd_length_peg_code(code, mission):
    assert mission_of_code(code) == mission


def test_a_text_without_a_digit_holds_no_objective_code() -> None:
    assert find_objective_codes("Obiettivo tre – TITOLO") == []


def test_a_code_in_digits_of_another_script_is_still_found() -> None:
    """The digit pre-check reads a digit as the code patterns do (any decimal digit)."""
    assert [m.code for m in find_objective_codes("Obiettivo ٣ – TITOLO")] == ["٣"]
