"""Header rows recognised and mapped by content, whatever the wording and position."""

from __future__ import annotations

import pytest

from normalize.headers import is_repeat_of, map_header, row_signature
from normalize.settings import NormalizeSettings

SETTINGS = NormalizeSettings()

REAL_HEADER = [
    "Missione",
    "Indirizzi/Obiettivi strategici",
    "Linee programmatiche 2021-2026 e Programmazione 2023-25",
    "Obiettivi gestionali discendenti dagli obiettivi Operativi DUP con l'indicazione di "
    "eventuali fasi",
    "Indicatore di risultato",
    "Valore indicatore",
    "Tempi di realizzazione",
    "Assessore di riferimento",
    "Settore di riferimento e coordinatore progetto nel caso di più Settori coinvolti",
    "priorità/peso assegnato da giunta per il 2023 (da 1 a 5)",
    "Ponderazione relativa obiettivo (in termini %)",
]


def test_real_header_maps_every_column():
    assert map_header(REAL_HEADER, SETTINGS) == {
        "mission": 0,
        "strategic": 1,
        "programme_line": 2,
        "objective": 3,
        "indicator": 4,
        "target": 5,
        "deadline": 6,
        "assessore": 7,
        "responsible": 8,
        "weight": 9,
        "weighting_pct": 10,
    }


def test_tec_header_variant_and_other_years():
    variant = list(REAL_HEADER)
    variant[1] = "Indirizzi/Obiettivi strategici DUP aggiornati"
    variant[2] = "Linee programmatiche 2021-2026 e Programmazione 2023 - 2025"
    variant[9] = "priorità/peso assegnato da giunta per il 2024 (da 1 a 5)"
    assert map_header(variant, SETTINGS)["strategic"] == 1
    assert map_header(variant, SETTINGS)["weight"] == 9


def test_columns_in_another_order_are_found_by_content():
    reordered = [REAL_HEADER[i] for i in (3, 0, 1, 2, 4, 5, 6, 7, 8, 10, 9)]
    mapping = map_header(reordered, SETTINGS)
    assert (
        mapping["objective"],
        mapping["mission"],
        mapping["weight"],
        mapping["weighting_pct"],
    ) == (0, 1, 10, 9)


def test_data_row_is_not_a_header():
    data = [
        "M 01 Servizi istituzionali",
        "1.1 Migliorare",
        "",
        "1.1.1 ANTICORRUZIONE",
        "a) Raccolta",
        "a) Invio",
        "a) Entro il 14.01.2023",
        "Sindaco",
        "Segretario",
        "5",
        "26,3158%",
    ]
    assert map_header(data, SETTINGS) == {}


def test_banner_row_repeated_with_small_differences():
    banner = [
        "Sezione Strategica 2021/2026",
        "",
        "Mandato del Sindaco",
        "OBIETTIVI DI PERFORMANCE 2023-2025 SETTORE STAFF DEL SEGRETARIO GENERALE",
    ]
    again = [
        "Sezione Strategica 2021/2026",
        "",
        "Mandato del Sindaco",
        "OBIETTIVI PERFORMANCE 2023 -2025 SETTORE STAFF DEL SEGRETARIO GENERALE",
    ]
    assert is_repeat_of(again, [row_signature(banner)], 85)
    assert not is_repeat_of(["M 01", "1.1 Migliorare"], [row_signature(banner)], 85)


def test_settings_are_validated_once():
    with pytest.raises(ValueError, match="unknown columns"):
        NormalizeSettings(header_aliases={"colour": ("Colore",)})
    with pytest.raises(ValueError, match="unknown settings"):
        NormalizeSettings.resolve({"colour": 1})
    assert NormalizeSettings.resolve({"header_min_score": 70}).header_min_score == 70
    assert NormalizeSettings.resolve(None) == NormalizeSettings()


# header blocks and content ---------------------------------------------------------

from normalize.headers import (  # noqa: E402
    cell_kind,
    combine_header_rows,
    find_header_block,
    read_header,
)

GROUPED = [
    ["PIANO DELLA PERFORMANCE 2025-2027", "", "", "", "", "", ""],
    ["N.", "Obiettivo operativo", "MISURAZIONE", "", "", "Responsabile", "Punti"],
    ["", "", "Indicatore", "Target", "Scadenza", "", ""],
]
GROUPED_DATA = [
    [
        "Ob. 1",
        "GESTIONE DEL PERSONALE. Piano",
        "1) Concorsi",
        "1) Tutti",
        "1) entro giugno 2025",
        "Rossi",
        "40",
    ],
    [
        "Ob. 2",
        "DIGITALIZZAZIONE. Servizi",
        "1) Servizi",
        "1) Almeno 5",
        "1) 31/12/2025",
        "Bianchi",
        "60",
    ],
]


def names(header) -> dict[str, int]:
    return {match.name: match.index for match in header.columns}


def test_grouped_header_over_two_rows_below_a_banner_is_combined():
    header = read_header(GROUPED + GROUPED_DATA, SETTINGS)
    assert header.rows == (1, 2)
    assert names(header) == {
        "code": 0,
        "objective": 1,
        "indicator": 2,
        "target": 3,
        "deadline": 4,
        "responsible": 5,
        "weight": 6,
    }
    assert header.headings[2] == "MISURAZIONE Indicatore"


def test_grouped_header_with_the_merged_cells_shown_in_the_second_row():
    rows = [
        ["", "", "MISURAZIONE", "", "", "", ""],
        ["N.", "Obiettivo operativo", "Indicatore", "Target", "Scadenza", "Responsabile", "Punti"],
    ]
    header = read_header(rows + GROUPED_DATA, SETTINGS)
    assert header.rows[-1] == 1  # the group row adds nothing: read as a banner above
    assert names(header)["deadline"] == 4 and names(header)["weight"] == 6


def test_combine_header_rows_keeps_a_vertically_merged_text_once():
    assert combine_header_rows([["Obiettivo", "Peso"], ["Obiettivo", "%"]]) == [
        "Obiettivo",
        "Peso %",
    ]


def test_headings_wrapped_over_many_lines_are_one_header():
    rows = [
        ["Obiettivi", "Indicatore", "Tempi di", "priorità/", "Ponderazione"],
        ["gestionali", "di", "realizza-", "peso", "relativa"],
        ["discendenti", "risultato", "zione", "assegnato", "obiettivo"],
        ["", "", "", "", "(in termini %)"],
        ["1.1.1 ANTICORRUZIONE. Piano", "a) Invio", "a) entro il 31/01/2025", "5", "50%"],
    ]
    block = find_header_block(rows, SETTINGS)
    assert block is not None
    assert block[0] == (0, 1, 2, 3)
    header = read_header(rows, SETTINGS)
    assert names(header) == {
        "objective": 0,
        "indicator": 1,
        "deadline": 2,
        "weight": 3,
        "weighting_pct": 4,
    }


def test_three_column_table_has_a_header():
    rows = [["Obiettivo", "Indicatori", "Peso"], ["1.2.1 SERVIZI. Testo", "a) Pratiche", "4"]]
    header = read_header(rows, SETTINGS)
    assert header.rows == (0,)
    assert names(header) == {"objective": 0, "indicator": 1, "weight": 2}


def test_peso_heading_over_percentages_is_the_ponderazione_by_content():
    rows = [
        ["Obiettivo", "Indicatore", "Peso"],
        ["1.2.1 X", "a) y", "12,5%"],
        ["1.2.2 Z", "a) w", "87,5%"],
    ]
    column = next(m for m in read_header(rows, SETTINGS).columns if m.index == 2)
    assert (column.name, column.by, column.confirmed, column.kind) == (
        "weighting_pct",
        "content",
        True,
        "percent",
    )


def test_unknown_heading_is_placed_by_content_and_reported():
    rows = [
        ["Obiettivo", "Indicatore", "Colonna X"],
        ["1.2.1 X", "a) y", "3"],
        ["1.2.2 Z", "a) w", "2"],
    ]
    column = next(m for m in read_header(rows, SETTINGS).columns if m.index == 2)
    assert (column.name, column.heading, column.score, column.by) == (
        "weight",
        "Colonna X",
        0.0,
        "content",
    )


def test_heading_confirmed_by_content_or_not():
    rows = [
        ["Missione", "Obiettivo", "Peso"],
        ["M 01 Servizi", "1.1.1 X", "3"],
        ["", "1.1.2 Y", "2"],
    ]
    confirmed = {m.name: m.confirmed for m in read_header(rows, SETTINGS).columns}
    assert confirmed == {"mission": True, "objective": True, "weight": True}


def test_table_without_header_row_read_by_content():
    rows = [
        ["OB.01", "Manutenzione delle strade comunali e degli edifici scolastici", "25%"],
        ["OB.02", "Mobilità sostenibile e nuove piste ciclabili in città", "75%"],
    ]
    header = read_header(rows, SETTINGS)
    assert header.rows == ()
    assert names(header) == {"code": 0, "objective": 1, "weighting_pct": 2}


def test_short_title_column_beside_a_description():
    rows = [
        ["Codice", "Obiettivo operativo", "Descrizione e risultato atteso", "Peso %"],
        ["OB.01", "Manutenzione", "Programma di manutenzione ordinaria di strade e scuole", "40%"],
        ["OB.02", "Mobilità", "Nuove piste ciclabili e razionalizzazione del trasporto", "60%"],
    ]
    assert names(read_header(rows, SETTINGS)) == {
        "code": 0,
        "title": 1,
        "objective": 2,
        "weighting_pct": 3,
    }


def test_extra_columns_are_kept_and_unknown_headings_listed():
    rows = [
        ["Obiettivo", "Stakeholder", "Note", "Colore", "Peso"],
        ["1.1.1 X", "Cittadini", "nessuna", "rosso", "3"],
    ]
    header = read_header(rows, SETTINGS)
    assert header.extras == (2,)
    assert header.mapping["stakeholders"] == 1
    assert header.unmapped == ((3, "Colore"),)


def test_data_row_mentioning_headings_is_not_a_header():
    row = ["1.1.1 Obiettivo operativo del Responsabile", "Indicatore", "Scadenza", "5"]
    assert map_header(row, SETTINGS) == {}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("M 01 Servizi istituzionali", "mission"),
        ("Missione 01 - Servizi", "mission"),
        ("03 – Ordine pubblico e sicurezza", "mission"),
        ("Ob. 3", "code"),
        ("OB.01", "code"),
        ("9.2.1/9.2.2", "code"),
        ("Obiettivo 1.2.1 – RISCOSSIONE. Recupero", "code_text"),
        ("1.2.1 RISCOSSIONE", "code_text"),
        ("1.2 Ente digitale", "strategic"),
        ("12,5%", "percent"),
        ("40", "integer"),
        ("a) Concorsi\nb) Ore", "list"),
        ("entro il 31/12/2025", "date"),
        ("Dott. Rossi", "text"),
    ],
)
def test_cell_kinds(text, kind):
    assert cell_kind(text) == kind


def test_risultato_atteso_is_the_target_not_a_second_objective():
    rows = [
        ["Obiettivo", "Indicatore", "Risultato atteso", "Baseline", "Peso"],
        ["1.1.1 A. Testo lungo dell'obiettivo", "a) x", "a) 100%", "80%", "3"],
    ]
    assert names(read_header(rows, SETTINGS)) == {
        "objective": 0,
        "indicator": 1,
        "target": 2,
        "baseline": 3,
        "weight": 4,
    }


def test_table_without_header_places_missions_lists_and_dated_lists_by_content():
    rows = [
        [
            "M 01 Servizi",
            "1.2.1 BILANCIO. Approvazione",
            "a) Approvazione\nb) Invio",
            "a) entro il 31/12/2025\nb) 30/01/2026",
            "60",
        ],
        ["", "1.2.2 TRIBUTI. Recupero", "a) Avvisi", "a) 30/09/2025", "40"],
        ["TOTALE AREA AF", "", "", "", "100"],
    ]
    header = read_header(rows, SETTINGS)
    assert header.rows == ()
    assert names(header) == {
        "mission": 0,
        "objective": 1,
        "indicator": 2,
        "deadline": 3,
        "weight": 4,
    }


# hold-out layouts ------------------------------------------------------------------

from normalize.headers import is_total_row, map_headings, row_label  # noqa: E402


def test_total_row_with_the_weight_column_printed_first_is_a_total() -> None:
    """Regression (castelnuovo): "18 | TOTALE PESI" was read as an objective row, halving
    every ponderazione of the sector."""
    cells = ["18", "TOTALE PESI", "", "", ""]
    assert row_label(cells) == "TOTALE PESI"
    assert is_total_row(cells)
    assert not is_total_row(["8", "OB. 1.1 RISCOSSIONE DELLE ENTRATE", "", "", ""])


def test_abbreviated_mission_is_a_mission_cell() -> None:
    assert cell_kind("Miss. 10") == "mission"


@pytest.mark.parametrize(
    ("heading", "column"),
    [
        ("Rilevanza", "weight"),
        ("Miss.", "mission"),
        ("Linea strategica", "strategic"),
        ("Unità coinvolte", "extra"),
    ],
)
def test_headings_of_the_hold_out_layouts_map_by_heading(heading, column) -> None:
    """Headings a real plan prints, first met on the hold-out layouts, now read
    by their heading rather than by content alone (or left unmapped)."""
    headings = ["Descrizione obiettivo", heading, "Indicatori", "Target", "Scadenza"]
    matches = {m.index: m.name for m in map_headings(headings, NormalizeSettings())}
    assert matches[1] == column


@pytest.mark.parametrize(
    "cells",
    [
        ["Punteggio massimo", "", "", "100", ""],
        ["Punteggi o massimo", "", "", "100", ""],  # wrapped in a narrow column
        ["100", "Punti totali:", "", ""],
        ["Peso complessivo", "", "100%"],
    ],
)
def test_a_weight_total_label_closes_the_sector(cells: list[str]) -> None:
    assert is_total_row(cells)


@pytest.mark.parametrize(
    "cells",
    [
        ["Punteggio massimo", "Attribuito in base al grado di raggiungimento", "100"],
        ["Punti", "Descrizione", "Indicatore"],
        ["Punteggio massimo", "", ""],
    ],
)
def test_a_weight_total_label_with_text_beside_it_is_not_a_total(cells: list[str]) -> None:
    assert not is_total_row(cells)


# a percent heading over integers -----------------------------------------------------------

from normalize.headers import ColumnMatch, correct_by_content  # noqa: E402


def _match(name: str, heading: str, kind: str) -> ColumnMatch:
    return ColumnMatch(name, 0, heading, 100.0, "heading", None, kind)


def test_peso_percent_printing_integers_stays_the_percentage():
    """``Peso %`` over 40, 35, 25: percentages without their sign, not weights."""
    [match] = correct_by_content([_match("weighting_pct", "Peso %", "integer")])
    assert match.name == "weighting_pct"


def test_ponderazione_printing_integers_is_the_weight():
    [match] = correct_by_content([_match("weighting_pct", "Ponderazione", "integer")])
    assert match.name == "weight"


def test_formula_di_calcolo_is_kept_as_extra():
    headings = ["Obiettivo operativo", "Indicatore", "Formula di calcolo", "Target 2024", "Peso %"]
    names = [match.name for match in map_headings(headings, SETTINGS)]
    assert names == ["objective", "indicator", "extra", "target", "weighting_pct"]


from normalize.headers import (  # noqa: E402
    alias_key,
    folded_aliases,
    heading_closeness,
    heading_scores,
    score_heading,
)


@pytest.mark.parametrize("min_score", [0.0, 60.0, 90.0])
def test_heading_scores_are_each_columns_score_and_closeness_at_or_above_the_minimum(min_score):
    key = alias_key(NormalizeSettings())
    for text in ["Obiettivo operativo", "Peso %", "Data di scadenza", "Responsabile", "--"]:
        expected = {
            name: (score_heading(text, names), heading_closeness(text, names))
            for name, names in folded_aliases(key).items()
            if score_heading(text, names) >= min_score
        }
        found = heading_scores(text, key, min_score)
        assert {name: (score, closeness) for score, closeness, name in found} == expected
        assert len(found) == len(expected)
    assert heading_scores("Peso %", key, 90.0)  # the weight column scores high


def test_map_header_remembers_a_rows_mapping_and_gives_each_caller_its_own():
    from normalize import headers as headers_module
    from normalize.headers import read_header_row

    first = map_header(REAL_HEADER, SETTINGS)
    assert first == read_header_row(REAL_HEADER, SETTINGS)
    first["weight"] = -1  # a caller's copy: changing it changes no later answer
    assert map_header(list(REAL_HEADER), SETTINGS) == read_header_row(REAL_HEADER, SETTINGS)
    data_row = ["M 01", "1.2 Servizi", "4.1.2.1 Scuola", "40", "5%"]
    assert map_header(data_row, SETTINGS) == {} == read_header_row(data_row, SETTINGS)
    # other settings (another object) read the row afresh, and are the ones kept
    other = NormalizeSettings(header_min_score=100.0)
    assert map_header(REAL_HEADER, other) == read_header_row(REAL_HEADER, other)
    assert headers_module._mapped_rows[0][0] is other
    assert list(headers_module._mapped_rows[0][1]) == [tuple(REAL_HEADER)]
