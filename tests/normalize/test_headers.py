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
