"""Objective cards (normalize.cards): key/value tables read by meaning, one item per
indicator row, sectors from the headings between cards."""

from __future__ import annotations

import datetime as dt

from extract.model import RawCell, RawDocument, RawRow, RawTable
from normalize.cards import (
    card_code,
    detect_cards,
    labelled_field,
    read_label,
    strip_captions,
    yearly_columns,
)
from normalize.document import normalize_document
from normalize.settings import NormalizeSettings

INDICATORS = [
    ["Indicatore", "Target", "Scadenza"],
    ["Avvisi emessi", "Almeno 250", "30/09/2025"],
    ["Somme riscosse", "Euro 120.000", "entro il 31/12/2025"],
]


def table(index: int, heading: str, rows: list[list[str]], page: int = 1) -> RawTable:
    return RawTable(
        heading,
        tuple(
            RawRow(
                tuple(
                    RawCell(text, column, page, source_table=index + 1, source_row=number)
                    for column, text in enumerate(row)
                ),
                (page,),
            )
            for number, row in enumerate(rows, start=1)
        ),
        index,
    )


def read(*tables: RawTable) -> dict[str, list]:
    raw = RawDocument(
        "cards.docx", "ab" * 32, "docx", "test", 2, "Comune di Prova\nPIAO 2025-2027", tables
    )
    return normalize_document(raw, extracted_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)).records


def card(code: str, weight: str = "40", **more: str) -> list[list[str]]:
    fields = {
        "Codice obiettivo": code,
        "Titolo": "Riscossione coattiva",
        "Descrizione": "Recupero dei crediti tributari",
        "Missione / Programma": "01 / 04 Gestione delle entrate tributarie",
        "Obiettivo strategico DUP": "1.2 Equità fiscale",
        "Responsabile": "Dott.ssa Ferretti",
        "Peso": weight,
        **more,
    }
    return [[label, value] for label, value in fields.items() if value]


def rules(records: dict[str, list]) -> list[str]:
    return [row["rule"] for row in records["quality"]]


def test_card_fields_are_read_by_meaning():
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", card("1.2.1") + INDICATORS))
    (objective,) = records["objectives"]
    assert (objective["sector_code"], objective["objective_code"]) == ("SF", "1.2.1")
    assert objective["title"] == "Riscossione coattiva"
    assert objective["description"] == "Recupero dei crediti tributari"
    assert (objective["mission_code"], objective["strategic_code"]) == (1, "1.2")
    assert objective["responsible"] == "Dott.ssa Ferretti"
    assert records["documents"][0]["ente"] == "Comune di Prova"


def test_labels_in_other_wording_are_read_alike():
    settings = NormalizeSettings()
    names = {
        text: label.name if (label := read_label(text, settings)) else None
        for text in (
            "Cod. obiettivo:",
            "Denominazione obiettivo",
            "Finalità",
            "Collegamento al DUP",
            "Missione e programma di bilancio",
            "Dirigente responsabile",
            "Peso %",
            "Descrizione indicatore",
            "Valore atteso",
            "Termine",
            "Fonte dei dati",
        )
    }
    assert names == {
        "Cod. obiettivo:": "code",
        "Denominazione obiettivo": "title",
        "Finalità": "objective",
        "Collegamento al DUP": "strategic",
        "Missione e programma di bilancio": "mission",
        "Dirigente responsabile": "responsible",
        "Peso %": "weighting_pct",
        "Descrizione indicatore": "indicator",
        "Valore atteso": "target",
        "Termine": "deadline",
        "Fonte dei dati": "source",
    }


def test_each_indicator_row_is_one_unmarked_item_in_order():
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", card("1.2.1") + INDICATORS))
    items = [
        (row["item_seq"], row["item"], row["indicator"], row["target"], row["deadline"])
        for row in records["items"]
    ]
    assert items == [
        (1, None, "Avvisi emessi", "Almeno 250", "30/09/2025"),
        (2, None, "Somme riscosse", "Euro 120.000", "entro il 31/12/2025"),
    ]


def test_item_deadlines_are_dates_keyed_by_their_item_seq():
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", card("1.2.1") + INDICATORS))
    dates = [
        (row["field"], row["item_seq"], str(row["date"]), row["kind"]) for row in records["dates"]
    ]
    assert dates == [("deadline", 1, "2025-09-30", "on"), ("deadline", 2, "2025-12-31", "by")]
    assert "duplicate_key" not in rules(records)
    assert records["objectives"][0]["period_end"] == dt.date(2025, 12, 31)


def test_a_caption_is_not_the_code():
    rows = [["SCHEDA OBIETTIVO N. 3"], *card("2.1.1"), *INDICATORS]
    records = read(table(0, "SETTORE TECNICO (ST) SCHEDA OBIETTIVO N. 3", rows))
    assert [row["objective_code"] for row in records["objectives"]] == ["2.1.1"]
    assert records["sectors"][0]["sector_name"] == "TECNICO"


def test_a_card_cut_in_two_tables_reads_as_one():
    rows = card("2.1.1")
    records = read(
        table(0, "SETTORE TECNICO (ST)", rows[:2]),
        table(1, "", rows[2:] + INDICATORS, page=2),
    )
    (objective,) = records["objectives"]
    assert (objective["objective_code"], objective["weight"]) == ("2.1.1", 40)
    assert objective["source_pages"] == [1, 2]
    assert len(records["items"]) == 2


def test_sectors_come_from_the_headings_between_cards_with_their_weights():
    records = read(
        table(0, "SERVIZIO FINANZIARIO (SF)", card("1.2.1", "40") + INDICATORS),
        table(1, "SCHEDA OBIETTIVO N. 2", card("1.2.2", "60") + INDICATORS),
        table(2, "AREA TECNICA – AT", card("2.1.1", "100") + INDICATORS),
    )
    objectives = [
        (row["sector_code"], row["objective_code"], row["weight"], row["weighting_pct"])
        for row in records["objectives"]
    ]
    assert objectives == [
        ("SF", "1.2.1", 40, 40.0),
        ("SF", "1.2.2", 60, 60.0),
        ("AT", "2.1.1", 100, 100.0),
    ]
    assert [row["weight_scheme"] for row in records["sectors"]] == ["points", "points"]
    assert rules(records).count("weighting_pct_derived") == 3


def test_percent_weights_and_no_weights():
    percent = read(table(0, "AREA AMMINISTRATIVA – AA", card("OB.01", "100%") + INDICATORS))
    assert (percent["objectives"][0]["weight"], percent["objectives"][0]["weighting_pct"]) == (
        None,
        100.0,
    )
    none = read(table(0, "AREA AMMINISTRATIVA – AA", card("OB.01", "") + INDICATORS))
    assert none["objectives"][0]["weighting_pct"] is None
    assert "weights_absent" in rules(none)


def test_codes_keep_the_printed_forms():
    assert [mention.code for mention in card_code("OB.03")] == ["03"]
    assert [mention.code for mention in card_code("0101")] == ["0101"]
    assert [mention.code for mention in card_code("01010601.")] == ["01010601"]
    assert [mention.code for mention in card_code("2.1.1")] == ["2.1.1"]
    assert card_code("da definire") == []


def test_peg_codes_without_dots_key_the_objectives():
    records = read(
        table(0, "SERVIZIO DEMOGRAFICO (SD)", card("0107", "") + INDICATORS),
        table(1, "", card("01070602", "") + INDICATORS),
    )
    assert [row["objective_code"] for row in records["objectives"]] == ["0107", "01070602"]


def test_labelled_indicator_values_make_items():
    rows = [
        *card("1.2.1"),
        ["Indicatore", "Avvisi emessi"],
        ["Target", "Almeno 250"],
        ["Scadenza", "30/09/2025"],
        ["Indicatore", "Somme riscosse"],
        ["Target", "Euro 120.000"],
    ]
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", rows))
    items = [(row["indicator"], row["target"], row["deadline"]) for row in records["items"]]
    assert items == [
        ("Avvisi emessi", "Almeno 250", "30/09/2025"),
        ("Somme riscosse", "Euro 120.000", None),
    ]


def test_an_indicator_row_without_indicator_continues_the_one_above():
    rows = card("1.2.1") + INDICATORS + [["", "e oltre", ""]]
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", rows))
    assert records["items"][1]["target"] == "Euro 120.000\ne oltre"
    (finding,) = [row for row in records["quality"] if row["rule"] == "card_row_continued"]
    assert finding["location"] == "p. 1, row 10"


def test_text_outside_any_card_field_is_a_finding():
    rows = [*card("1.2.1"), ["Nota bene", "vedi allegato", "x", "y"]]
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", rows))
    assert "card_text_unread" in rules(records)


def test_cells_keep_their_source_table_and_row():
    rows = card("2.1.1")
    records = read(
        table(0, "SETTORE TECNICO (ST)", rows[:2]),
        table(1, "", rows[2:] + INDICATORS, page=2),
    )
    weight = next(row for row in records["cells"] if row["field"] == "weight")
    assert (weight["text"], weight["page"], weight["source_table"], weight["source_row"]) == (
        "40",
        2,
        2,
        5,
    )
    assert weight["objective_code"] == "2.1.1"


def test_the_genre_is_a_finding():
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", card("1.2.1") + INDICATORS))
    (genre,) = [row for row in records["quality"] if row["rule"] == "genre_detected"]
    assert genre["severity"] == "info"
    assert genre["message"].startswith("cards (confidence 0.")


def test_strip_captions_in_any_spacing():
    assert strip_captions("SERVIZIO X (SX) SCHEDAOBIETTIVON.1").strip() == "SERVIZIO X (SX)"
    assert strip_captions("Scheda n. 4 – AREA").strip() == "– AREA"


def test_a_row_may_print_two_labelled_values():
    rows = [
        ["Codice obiettivo", "AG-04", "Peso", "100"],
        ["Titolo", "Protocollo informatico", "Responsabile", "Dott. Neri"],
        ["Descrizione", "Fascicolazione digitale dei documenti in entrata"],
        *INDICATORS,
    ]
    records = read(table(0, "DIREZIONE AFFARI GENERALI – DAG", rows))
    (objective,) = records["objectives"]
    assert (objective["objective_code"], objective["weight"], objective["responsible"]) == (
        "AG-04",
        100,
        "Dott. Neri",
    )
    assert objective["title"] == "Protocollo informatico"


def test_a_header_of_headings_is_not_a_card():
    rows = [["Codice", "Obiettivo", "Indicatore", "Peso"], ["1.1.1", "Bilancio", "Atti", "5"]]
    records = read(table(0, "SETTORE FINANZE (FIN)", rows))
    assert "genre_detected" not in rules(records)
    assert [row["objective_code"] for row in records["objectives"]] == ["1.1.1"]


def test_a_card_without_indicators_is_a_finding():
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", card("1.2.1") + card("1.2.2")))
    findings = [
        (row["objective_code"], row["location"])
        for row in records["quality"]
        if row["rule"] == "card_without_indicators"
    ]
    assert findings == [
        ("1.2.1", "p. 1, row 0, col 1 (code)"),
        ("1.2.2", "p. 1, row 7, col 1 (code)"),
    ]
    assert records["items"] == []


def test_codes_of_something_else_are_not_the_objective_code():
    settings = NormalizeSettings()
    names = {
        text: label.name if (label := read_label(text, settings)) else None
        for text in ("Codice IPA", "Codice fiscale", "Codice obiettivo operativo", "Obiettivo n.")
    }
    assert names == {
        "Codice IPA": "extra",
        "Codice fiscale": "extra",
        "Codice obiettivo operativo": "code",
        "Obiettivo n.": "code",
    }


def test_a_numbered_indicator_table_keeps_its_number_apart():
    indicators = [
        ["N.", "Indicatore", "Target", "Scadenza"],
        ["1", "Avvisi emessi", "Almeno 250", "30/09/2025"],
        ["2", "Somme riscosse", "Euro 120.000", "entro il 31/12/2025"],
    ]
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", card("1.2.1") + indicators))
    items = [(row["indicator"], row["target"]) for row in records["items"]]
    assert items == [("Avvisi emessi", "Almeno 250"), ("Somme riscosse", "Euro 120.000")]
    number = next(row for row in records["cells"] if row["text"] == "2")
    assert number["field"] == "extra"


def test_cards_without_indicators_opening_with_their_title_stay_apart():
    first = [["Titolo", "Bilancio"], ["Codice obiettivo", "1.1"], ["Peso", "60"]]
    second = [["Titolo", "Tributi"], ["Codice obiettivo", "1.2"], ["Peso", "40"]]
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", first + second))
    objectives = [(row["objective_code"], row["title"]) for row in records["objectives"]]
    assert objectives == [("1.1", "Bilancio"), ("1.2", "Tributi")]


YEARLY = [
    [
        "Indicatore",
        "Formula",
        "Baseline 2024",
        "Target 2025",
        "Target 2026",
        "Target 2027",
        "Fonte",
    ],
    ["Avvisi emessi", "N. avvisi", "180", "Almeno 250", "Almeno 300", "Almeno 350", "Gestionale"],
    ["Fatture pagate", "", "88%", "95%", "96%", "≥ 97%", "PCC"],
]


def test_an_indicator_table_gives_baselines_sources_and_targets_by_year():
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", card("1.2.1") + YEARLY))
    items = [
        (row["target"], row["baseline"], row["baseline_year"], row["source"])
        for row in records["items"]
    ]
    assert items == [("Almeno 250", "180", 2024, "Gestionale"), ("95%", "88%", 2024, "PCC")]
    targets = [
        (row["item_seq"], row["year"], row["target"], row["value"], row["unit"], row["comparator"])
        for row in records["targets"]
    ]
    assert targets == [
        (1, 2025, "Almeno 250", 250.0, None, "almeno"),
        (1, 2026, "Almeno 300", 300.0, None, "almeno"),
        (1, 2027, "Almeno 350", 350.0, None, "almeno"),
        (2, 2025, "95%", 95.0, "%", None),
        (2, 2026, "96%", 96.0, "%", None),
        (2, 2027, "≥ 97%", 97.0, "%", "≥"),
    ]


def test_a_wide_indicator_table_is_still_read_as_cards():
    rows = card("1.2.1") + YEARLY + card("1.2.2") + YEARLY
    raw = RawDocument("c.pdf", "ab" * 32, "pdf", "test", 1, "", (table(0, "SF", rows),))
    guess = detect_cards(raw, NormalizeSettings())
    assert guess is not None and guess.confidence == 1.0


def test_a_formula_column_stays_in_cells():
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", card("1.2.1") + YEARLY))
    formula = [row["field"] for row in records["cells"] if row["text"] == "N. avvisi"]
    assert formula == ["extra"]


def test_labelled_values_give_baseline_source_yearly_targets_and_stakeholders():
    rows = [
        *card("1.2.1"),
        ["Portatori di interesse", "Contribuenti"],
        ["Indicatore", "Avvisi emessi"],
        ["Valore di partenza 2024", "180"],
        ["Valore atteso 2025", "Almeno 250"],
        ["Valore atteso 2026", "Almeno 300"],
        ["Fonte dati", "Gestionale"],
    ]
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", rows))
    assert records["objectives"][0]["stakeholders"] == "Contribuenti"
    (item,) = records["items"]
    assert (item["baseline"], item["baseline_year"], item["source"]) == ("180", 2024, "Gestionale")
    assert [(row["year"], row["target"]) for row in records["targets"]] == [
        (2025, "Almeno 250"),
        (2026, "Almeno 300"),
    ]


def test_a_source_among_the_card_fields_goes_to_the_first_indicator():
    rows = card("1.2.1", **{"Fonte": "Registro", "Situazione di partenza": "In corso"})
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", rows + INDICATORS))
    pairs = [(row["baseline"], row["source"]) for row in records["items"]]
    assert pairs == [("In corso", "Registro"), (None, None)]


def test_an_un_yeared_target_gives_one_targets_row_without_year():
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", card("1.2.1") + INDICATORS))
    assert [(row["year"], row["target"]) for row in records["targets"]] == [
        (None, "Almeno 250"),
        (None, "Euro 120.000"),
    ]


def test_targets_by_year_are_named_as_the_grid_names_them():
    names = ["indicator", "baseline", "target", "target", "target", "extra"]
    headings = ["Indicatore", "Baseline 2024", "Target 2025", "Target 2026", "2027", "Note"]
    assert yearly_columns(names, headings) == [
        "indicator",
        "baseline",
        "target",
        "target_2026",
        "target_2027",
        "extra",
    ]
    assert yearly_columns(["indicator", "target"], ["Indicatore", "Target"]) == [
        "indicator",
        "target",
    ]


def test_a_labelled_target_names_its_year():
    years: dict[str, int] = {}
    assert labelled_field("target", "Target 2025", years) == "target"
    assert labelled_field("target", "Target 2026", years) == "target_2026"
    assert labelled_field("baseline", "Baseline 2024", years) == "baseline"
    assert years == {"target": 2025, "target_2026": 2026, "baseline": 2024}


def test_one_card_with_targets_by_year_is_read_as_a_card():
    """Its indicator table prints targets by year as the indicator-rows genre's header does
    (0.9 there): one card with its table is as sure, and the tie keeps the cards."""
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", card("1.2.1") + YEARLY))
    assert records["quality"][0]["message"].startswith("cards (confidence 0.90)")
    assert [row["objective_code"] for row in records["objectives"]] == ["1.2.1"]


def test_stakeholders_printed_per_indicator_are_the_objective_s():
    rows = [
        ["Indicatore", "Target", "Stakeholder"],
        ["Avvisi emessi", "Almeno 250", "Contribuenti"],
        ["Somme riscosse", "Euro 120.000", "Contribuenti"],
        ["Ricorsi", "0", "Commissione tributaria"],
    ]
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", card("1.2.1") + rows))
    assert records["objectives"][0]["stakeholders"] == "Contribuenti\nCommissione tributaria"
    assert len(records["items"]) == 3


def test_a_source_below_indicators_that_have_their_own_is_the_card_s():
    rows = card("1.2.1") + YEARLY + [["Fonte dei dati", "Relazione annuale"]]
    records = read(table(0, "SERVIZIO FINANZIARIO (SF)", rows))
    assert [row["source"] for row in records["items"]] == ["Gestionale", "PCC"]
    cell = next(row for row in records["cells"] if row["text"] == "Relazione annuale")
    assert (cell["field"], cell["objective_code"]) == ("source", "1.2.1")


# cards printed as paragraphs (a DOCX's labelled paragraphs read as rows) ---------------------


def paragraph_card(number: int, sector: str, points: str, listed: bool = True) -> list[list[str]]:
    rows = [
        [f"Obiettivo n. {number} – Controlli sulla sicurezza stradale {number}"],
        ["Settore", sector],
        ["Finalità", "Aumentare i controlli della velocità"],
        ["Tempistica", "entro il 31 ottobre 2025"],
        ["Peso", points],
    ]
    if listed:
        rows += [["Indicatori di risultato:"], ["Servizi di controllo"], ["Verbali notificati"]]
    return [
        *rows,
        ["Indicatore", "Valore atteso", "Scadenza"],
        ["Servizi di controllo", "Almeno 120", "31/10/2025"],
        ["Verbali notificati", "100%", "31/10/2025"],
    ]


def test_a_card_opened_by_its_numbered_title_is_read():
    rows = paragraph_card(4, "Polizia Locale", "15 punti") + paragraph_card(
        5, "Polizia Locale", "85 punti"
    )
    records = read(table(0, "UNIONE DI PROVA", rows))
    assert [
        (row["sector_code"], row["objective_code"], row["title"], row["weight"])
        for row in records["objectives"]
    ] == [
        ("PL", "4", "Controlli sulla sicurezza stradale 4", 15),
        ("PL", "5", "Controlli sulla sicurezza stradale 5", 85),
    ]


def test_a_settore_row_puts_its_card_in_that_sector():
    rows = paragraph_card(1, "Affari Generali", "40") + paragraph_card(2, "Polizia Locale", "60")
    records = read(table(0, "UNIONE DI PROVA", rows))
    assert [(row["sector_code"], row["sector_name"]) for row in records["sectors"]] == [
        ("AG", "Affari Generali"),
        ("PL", "Polizia Locale"),
    ]
    assert [row["sector_code"] for row in records["objectives"]] == ["AG", "PL"]


def test_a_listed_indicator_is_replaced_by_the_indicator_table():
    records = read(table(0, "UNIONE DI PROVA", paragraph_card(1, "Polizia Locale", "40")))
    assert [(row["indicator"], row["target"]) for row in records["items"]] == [
        ("Servizi di controllo", "Almeno 120"),
        ("Verbali notificati", "100%"),
    ]


def test_a_listed_indicator_without_table_is_an_item():
    rows = paragraph_card(1, "Polizia Locale", "40")[:8]
    records = read(table(0, "UNIONE DI PROVA", rows))
    assert [row["indicator"] for row in records["items"]] == [
        "Servizi di controllo",
        "Verbali notificati",
    ]


# cards printed as layout text (pdftotext -layout: label lines and aligned columns) ----------


def layout_card(number: int, points: int, row: str) -> list[str]:
    """A card as layout text: label lines, a bulleted list, an aligned indicator table."""
    return [
        f"Obiettivo n. {number} – Presidio serale {number}",
        "Settore: Polizia Locale",
        "Finalità: Estendere il servizio di pattuglia serale",
        f"Peso: {points} punti",
        "Indicatori di risultato:",
        "\uf0b7 Turni serali svolti nei centri",
        "",
        "Indicatore            Valore atteso         Scadenza",
        row,
        "",
    ]


def layout_cards_records(tmp_path, first_row: str, second_row: str) -> dict[str, list]:
    """The records of two layout-text cards (weights 40 and 60) whose indicator rows are
    ``first_row`` and ``second_row``."""
    from extract import read_document

    path = tmp_path / "schede.txt"
    lines = layout_card(1, 40, first_row) + layout_card(2, 60, second_row)
    path.write_text("\n".join(lines), encoding="utf-8")
    return normalize_document(
        read_document(path), extracted_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    ).records


def test_a_layout_text_card_reads_its_objectives_and_items(tmp_path):
    records = layout_cards_records(
        tmp_path,
        "Turni serali svolti nei centri Almeno 150".ljust(44) + "31/12/2025",
        "Turni serali svolti nei centri Almeno 80   30/06/2025",
    )
    assert [(row["objective_code"], row["weight"]) for row in records["objectives"]] == [
        ("1", 40),
        ("2", 60),
    ]
    assert [(row["indicator"], row["target"]) for row in records["items"]] == [
        ("Turni serali svolti nei centri", "Almeno 150"),
        ("Turni serali svolti nei centri", "Almeno 80"),
    ]


def test_a_layout_cell_left_whole_is_a_finding_at_its_line(tmp_path):
    records = layout_cards_records(
        tmp_path,
        "Turni svolti nel mese Almeno 150".ljust(44) + "31/12/2025",
        "Turni serali svolti nei centri Almeno 80   30/06/2025",
    )
    (finding,) = [row for row in records["quality"] if row["rule"] == "layout_cell_overrun"]
    assert (finding["severity"], finding["line"]) == ("warning", 9)


def test_a_layout_cell_left_whole_makes_the_document_doubtful(tmp_path):
    """A cell kept whole (indicator and target run together) is a guessed reading: the
    document says so, even when every other sign is right."""
    records = layout_cards_records(
        tmp_path,
        "Turni svolti nel mese Almeno 150".ljust(44) + "31/12/2025",
        "Turni serali svolti nei centri Almeno 80   30/06/2025",
    )
    (document,) = records["documents"]
    assert document["status"] == "doubtful"
    assert [reason.split(":")[0] for reason in document["status_reasons"]] == ["cells_left_uncut"]
