"""Objective cards printed as layout text (pdftotext -layout): extract.text_cards."""

from __future__ import annotations

from extract import read_document
from extract.text_cards import cut_overrun, fixed_width_rows, layout_card_rows, word_groups

HEADER = "Indicatore            Valore atteso         Scadenza"


def card(number: int, *table: str, listed: tuple[str, ...] = (), purpose: str = "") -> list[str]:
    """One card as pdftotext -layout prints it, indented by eight spaces."""
    lines = [
        f"Obiettivo n. {number} – Titolo {number}",
        "",
        "Settore: Polizia Locale",
        "Responsabile: Comm. Marco Fabbri",
        purpose or "Finalità: Aumentare i controlli",
        "Peso: 50 punti",
        "Indicatori di risultato:",
        *(f"\uf0b7 {name}" for name in listed),
        "",
        *table,
        "",
        "",
    ]
    return [f"        {line}" if line else "" for line in lines]


def texts(lines: list[str]) -> list[list[str]]:
    result = layout_card_rows(lines)
    assert result is not None
    return [row.texts for row in result[1]]


def test_repeated_label_lines_are_key_value_rows_after_the_text_above():
    lines = ["        UNIONE DI PROVA", "", *card(1), *card(2)]
    preamble, rows, notes = layout_card_rows(lines) or ("", [], [])
    assert preamble == "UNIONE DI PROVA"
    assert [row.texts for row in rows[:6]] == [
        ["Obiettivo n. 1 – Titolo 1"],
        ["Settore", "Polizia Locale"],
        ["Responsabile", "Comm. Marco Fabbri"],
        ["Finalità", "Aumentare i controlli"],
        ["Peso", "50 punti"],
        ["Indicatori di risultato:"],
    ]
    assert (rows[1].line, rows[1].cells[1].line) == (5, 5)
    assert notes[0].rule == "label_lines_read"


def test_labels_printed_on_one_card_only_are_not_cards():
    assert layout_card_rows(card(1)) is None


def test_a_text_with_tabs_is_not_read_as_layout_cards():
    assert layout_card_rows([*card(1), *card(2), "a\tb"]) is None


def test_a_wide_label_line_is_joined_to_the_plain_line_under_it():
    purpose = "Finalità: Uniformare la gestione documentale dei comuni aderenti con un unico"
    wrapped = [*card(1, purpose=purpose), *card(2)]
    wrapped.insert(wrapped.index(f"        {purpose}") + 1, "        titolario")
    rows = texts(wrapped)
    assert rows[3] == [
        "Finalità",
        "Uniformare la gestione documentale dei comuni aderenti con un unico titolario",
    ]


def test_a_short_label_line_keeps_the_line_under_it_apart():
    lines = [*card(1), *card(2)]
    lines.insert(lines.index("        Peso: 50 punti") + 1, "        Nota del servizio")
    rows = texts(lines)
    assert rows[4:6] == [["Peso", "50 punti"], ["Nota del servizio"]]


def test_bullets_are_taken_off_listed_names():
    rows = texts([*card(1, listed=("Turni serali svolti",)), *card(2)])
    assert rows[6] == ["Turni serali svolti"]


def test_a_fixed_width_table_is_cut_at_the_header_columns():
    table = (HEADER, "Turni serali svolti   Almeno 150            31/12/2025")
    rows = texts([*card(1, *table), *card(2)])
    assert rows[6:8] == [
        ["Indicatore", "Valore atteso", "Scadenza"],
        ["Turni serali svolti", "Almeno 150", "31/12/2025"],
    ]


def test_lines_without_other_columns_continue_the_row_above():
    body = [
        (2, "Manuale di gestione   Approvato             30/06/2025"),
        (3, "documentale unico"),
        (4, "                      entro giugno"),
    ]
    rows, problems = fixed_width_rows(HEADER, body, [])
    assert rows == [
        (2, ["Manuale di gestione documentale unico", "Approvato entro giugno", "30/06/2025"])
    ]
    assert problems == []


def test_an_overrun_cell_is_cut_where_a_listed_name_ends():
    body = [
        (2, "Comuni che usano il titolario 5 su 5        31/12/2025"),
        (3, "unico"),
    ]
    rows, problems = fixed_width_rows(HEADER, body, ["Comuni che usano il titolario unico"])
    assert rows == [(2, ["Comuni che usano il titolario unico", "5 su 5", "31/12/2025"])]
    assert problems == []


def test_an_overrun_over_two_columns_takes_the_other_rows_word_counts():
    body = [
        (2, "Servizi di controllo della velocità Almeno 120 31/10/2025"),
        (3, "Verbali notificati entro 60 giorni 100%     31/10/2025"),
    ]
    names = ["Servizi di controllo della velocità", "Verbali notificati entro 60 giorni"]
    rows, problems = fixed_width_rows(HEADER, body, names)
    assert rows == [
        (2, ["Servizi di controllo della velocità", "Almeno 120", "31/10/2025"]),
        (3, ["Verbali notificati entro 60 giorni", "100%", "31/10/2025"]),
    ]
    assert problems == []


def test_an_overrun_without_a_single_fitting_name_is_kept_whole_with_a_note():
    body = [(2, "Pratiche concluse nei termini ≥ 95%".ljust(44) + "31/12/2025")]
    rows, problems = fixed_width_rows(HEADER, body, ["Pratiche evase"])
    assert rows == [(2, ["Pratiche concluse nei termini ≥ 95%", "", "31/12/2025"])]
    assert problems == [
        (
            2,
            "'Pratiche concluse nei termini ≥ 95%' runs into the next column and cannot be "
            "cut unambiguously",
        )
    ]


def test_two_names_fitting_the_same_overrun_is_ambiguous():
    assert cut_overrun("Ore svolte 60", "", ["Ore", "Ore svolte"]) is None
    assert cut_overrun("Ore svolte 60", "", ["Ore svolte"]) == ("Ore svolte", "60")


def test_word_groups_are_split_at_two_spaces():
    assert [(group.start, group.text) for group in word_groups("  Valore atteso   Scadenza")] == [
        (2, "Valore atteso"),
        (18, "Scadenza"),
    ]


def test_an_uncut_overrun_is_a_note_at_its_line(tmp_path):
    table = (HEADER, "Pratiche concluse nei termini ≥ 95%".ljust(44) + "31/12/2025")
    path = tmp_path / "schede.txt"
    path.write_text("\n".join([*card(1, *table), *card(2)]), encoding="utf-8")
    raw = read_document(path)
    (note,) = [note for note in raw.notes if note.rule == "layout_cell_overrun"]
    assert (note.line, note.severity) == (10, "warning")
    assert len(raw.tables) == 1


def test_an_overrun_value_printed_left_of_its_column_is_not_cut():
    body = [(2, "Turni svolti Almeno 150".ljust(44) + "31/12/2025")]
    rows, problems = fixed_width_rows(HEADER, body, ["Turni svolti"])
    assert rows == [(2, ["Turni svolti Almeno 150", "", "31/12/2025"])]
    assert len(problems) == 1


def test_spaced_words_over_lines_of_one_column_are_not_a_table():
    lines = [
        *card(1, "Documenti collegati   in allegato", "Relazione annuale del servizio"),
        *card(2),
    ]
    rows = texts(lines)
    assert rows[6:8] == [["Documenti collegati   in allegato"], ["Relazione annuale del servizio"]]


def test_a_value_wrapped_under_itself_is_joined_however_short():
    lines = [*card(1, purpose="Finalità:   Ridurre i tempi"), *card(2)]
    lines.insert(
        lines.index("        Finalità:   Ridurre i tempi") + 1, "                    di attesa"
    )
    rows = texts(lines)
    assert rows[3] == ["Finalità", "Ridurre i tempi di attesa"]


def test_a_one_row_table_is_cut_by_the_other_tables_under_the_same_header():
    lines = [
        *card(1, HEADER, "Turni serali svolti nei centri Almeno 1500 31/12/2025"),
        *card(2, HEADER, "Ore di servizio".ljust(22) + "Almeno 80".ljust(22) + "30/06/2025"),
    ]
    rows = texts(lines)
    assert rows[7] == ["Turni serali svolti nei centri", "Almeno 1500", "31/12/2025"]


def test_a_one_row_table_alone_under_its_header_is_kept_whole():
    lines = [*card(1, HEADER, "Turni serali svolti nei centri Almeno 1500 31/12/2025"), *card(2)]
    result = layout_card_rows(lines)
    assert result is not None
    assert [row.texts for row in result[1]][7] == [
        "Turni serali svolti nei centri Almeno 1500 31/12/2025",
        "",
        "",
    ]
    assert [note.rule for note in result[2]] == ["label_lines_read", "layout_cell_overrun"]
