"""Lettered sub-items: splitting a cell, aligning the three columns."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from normalize.items import align_items, letter_gaps, split_lettered, split_marked


def letters(text: str) -> list[tuple[str | None, str, str]]:
    return [(p.item_code, p.letter, p.text) for p in split_lettered(text).pieces]


def test_split_plain_letters():
    assert letters("a) almeno 2 b) entro marzo 2023") == [
        (None, "a", "almeno 2"),
        (None, "b", "entro marzo 2023"),
    ]


def test_split_keeps_text_before_the_first_letter_as_lead():
    split = split_lettered("Collaborazione con il Segretario. b) Elaborazione relazione")
    assert split.lead == "Collaborazione con il Segretario."
    assert [p.letter for p in split.pieces] == ["b"]


def test_split_code_qualified_letters():
    assert letters("1.1.3 a) Invio atti. 1.1.3 b) Tabella 1.1.4 a) Avvio sistema.") == [
        ("1.1.3", "a", "Invio atti."),
        ("1.1.3", "b", "Tabella"),
        ("1.1.4", "a", "Avvio sistema."),
    ]


def test_shared_letter_list_gives_every_letter_the_text():
    assert {p.text for p in split_lettered("a), b), c), d) Entro il 31.12.2023").pieces} == {
        "Entro il 31.12.2023"
    }
    assert len(split_lettered("a), b), c), d) Entro il 31.12.2023").pieces) == 4


def test_letter_without_comma_before_the_next_is_empty():
    assert letters("a) >3 b) c) >12 d) >10") == [
        (None, "a", ">3"),
        (None, "b", ""),
        (None, "c", ">12"),
        (None, "d", ">10"),
    ]


def test_numbered_points_and_words_are_not_letters():
    assert split_lettered("due azioni: 1) educativa di strada 2) progetto").pieces == ()
    assert split_lettered("area (esempio commissione mensa)").pieces == ()


def test_paragraph_letters_from_html_cells():
    assert [p.letter for p in split_lettered("a) report\nb) indagine annuale").pieces] == [
        "a",
        "b",
    ]


def test_objective_without_letters_gives_one_item():
    items = align_items(
        "1.5.2", {"indicator": "Miglioramento", "target": "Entro", "deadline": "2023"}
    )
    assert len(items) == 1
    assert items[0].item is None and items[0].aligned
    assert items[0].texts == {"indicator": "Miglioramento", "target": "Entro", "deadline": "2023"}


def test_unlettered_deadline_of_a_lettered_objective_is_not_an_item_deadline():
    items = align_items(
        "6.1.1.1", {"indicator": "a) x b) y", "target": "a) 2 b) marzo", "deadline": "2023-2025"}
    )
    assert [(i.item, i.texts["deadline"]) for i in items] == [("a", None), ("b", None)]


def test_missing_letter_is_marked_not_aligned():
    items = align_items("1.4.1.1", {"indicator": "a) x b) y c) z d) w", "target": "a) 1 b) 2 c) 3"})
    assert [(i.item, i.aligned) for i in items] == [
        ("a", True),
        ("b", True),
        ("c", True),
        ("d", False),
    ]
    assert items[-1].problem == "missing from target"


def test_duplicated_letter_keeps_both_occurrences():
    items = align_items("12.1.1.1", {"indicator": "a) x b) y", "target": "a) 1 b) 2 b) 3"})
    assert [(i.item, i.texts["target"], i.aligned) for i in items] == [
        ("a", "1", True),
        ("b", "2", False),
        ("b", "3", False),
    ]


def test_letter_gaps():
    items = align_items("5.1.1.1", {"indicator": "a) x b) y d) z", "target": "a) 1 b) 2 d) 3"})
    assert all(item.aligned for item in items)
    assert letter_gaps(items) == ["c"]


@given(st.text(), st.text(), st.text())
def test_item_parsers_never_raise(indicator, target, deadline):
    items = align_items("1.1.1", {"indicator": indicator, "target": target, "deadline": deadline})
    assert all(item.item is None or item.item.isalnum() for item in items)
    letter_gaps(items)


# markers of any administration ----------------------------------------------------


def labels(text: str) -> list[tuple[str, str]]:
    return [(p.letter, p.text) for p in split_marked(text).pieces]


def test_dotted_letters_one_per_paragraph():
    assert labels("a. Interventi eseguiti\nb. Tempo medio di intervento") == [
        ("a", "Interventi eseguiti"),
        ("b", "Tempo medio di intervento"),
    ]


def test_numbered_items_with_parenthesis_or_dot():
    assert labels("1) Concorsi banditi\n2) Ore di formazione") == [
        ("1", "Concorsi banditi"),
        ("2", "Ore di formazione"),
    ]
    assert labels("1. entro il 30.06.2023\n2. 31.12.2023") == [
        ("1", "entro il 30.06.2023"),
        ("2", "31.12.2023"),
    ]


def test_numbers_followed_by_a_dash():
    assert labels("1 - Concorsi banditi\n2 – Ore di formazione") == [
        ("1", "Concorsi banditi"),
        ("2", "Ore di formazione"),
    ]
    assert labels("3 - 5 giorni") == []


def test_dates_and_codes_are_not_numbered_items():
    assert labels("30.06.2023") == []
    assert labels("entro il 30.06.2023") == []
    assert labels("1.2.1 DIGITALIZZAZIONE") == []
    assert labels("2. entro marzo") == []  # a list must start at 1


def test_inline_items_separated_by_semicolons():
    assert labels("1) Avvisi emessi; 2) Somme riscosse") == [
        ("1", "Avvisi emessi"),
        ("2", "Somme riscosse"),
    ]
    assert labels("- Avvisi emessi; - Somme riscosse") == [
        ("1", "Avvisi emessi"),
        ("2", "Somme riscosse"),
    ]


def test_dashes_and_bullets_label_items_by_position():
    assert labels("- Telecamere installate\n– Servizi serali") == [
        ("1", "Telecamere installate"),
        ("2", "Servizi serali"),
    ]
    assert labels("• uno • due ▪ tre") == [("1", "uno"), ("2", "due"), ("3", "tre")]
    assert labels("* uno\n* due") == [("1", "uno"), ("2", "due")]


def test_hyphens_in_prose_are_not_items():
    assert labels("Avvio 2023-2025 - seconda fase") == []
    assert split_marked("Relazione annuale").lead == "Relazione annuale"


def test_columns_marked_differently_are_paired_by_position():
    items = align_items(
        "OB.1",
        {
            "indicator": "- Avvisi emessi\n- Somme riscosse",
            "target": "a) 300 avvisi b) Euro 150.000",
            "deadline": "1. 30/09/2025\n2. entro il 31 marzo 2026",
        },
    )
    assert [
        (i.item, i.texts["indicator"], i.texts["target"], i.texts["deadline"]) for i in items
    ] == [
        ("1", "Avvisi emessi", "300 avvisi", "30/09/2025"),
        ("2", "Somme riscosse", "Euro 150.000", "entro il 31 marzo 2026"),
    ]
    assert all(item.aligned for item in items)


def test_numbered_items_beyond_nine_keep_numeric_order():
    text = "\n".join(f"{n}) voce {n}" for n in range(1, 12))
    items = align_items("1", {"indicator": text, "target": text})
    assert [item.item for item in items] == [str(n) for n in range(1, 12)]


def test_one_unmarked_deadline_is_the_period_not_an_item_deadline():
    items = align_items(
        "OB.02",
        {"indicator": "a. x\nb. y", "target": "a. 1\nb. 2", "deadline": "entro dicembre 2025"},
    )
    assert [(i.item, i.texts["deadline"]) for i in items] == [("a", None), ("b", None)]


def test_numbered_misalignment_is_a_finding():
    items = align_items("3", {"indicator": "1) x\n2) y\n3) z", "target": "1) a\n2) b"})
    assert [(i.item, i.aligned) for i in items] == [("1", True), ("2", True), ("3", False)]
    assert items[-1].problem == "missing from target"


@given(st.text())
def test_marked_pieces_have_labels(text):
    for piece in split_marked(text).pieces:
        assert piece.letter.isalnum()


def test_lists_whose_line_breaks_a_pdf_reader_lost():
    assert labels("1. Controlli semestrali 2. Relazione annuale 3. Formazione") == [
        ("1", "Controlli semestrali"),
        ("2", "Relazione annuale"),
        ("3", "Formazione"),
    ]
    assert labels("a. Interventi eseguiti b. Tempo medio") == [
        ("a", "Interventi eseguiti"),
        ("b", "Tempo medio"),
    ]
    assert labels("- Iscrizioni on-line - Indagine di gradimento") == [
        ("1", "Iscrizioni on-line"),
        ("2", "Indagine di gradimento"),
    ]


def test_inline_markers_need_a_list_opening_the_cell():
    assert labels("Relazione sulla fase 1. Avvio 2. Chiusura") == []
    assert labels("Relazione - fase due") == []
    assert labels("- Relazione - fase due\n- Chiusura") == [
        ("1", "Relazione - fase due"),
        ("2", "Chiusura"),
    ]


def test_unmapped_bullet_glyphs_from_pdfplumber_are_bullets():
    assert labels("(cid:127) Controlli semestrali (cid:127) Relazione annuale") == [
        ("1", "Controlli semestrali"),
        ("2", "Relazione annuale"),
    ]


# inline dash lists (a spreadsheet cell: "x - y - z") ----------------------------------

from normalize.items import split_inline_dashes  # noqa: E402


def test_inline_dash_lists_pair_by_position_when_every_cell_agrees() -> None:
    items = align_items(
        "01.01.01",
        {
            "indicator": "Procedimenti mappati nel triennio 2025-2027 - Richieste via e-mail",
            "target": "Almeno 40 procedimenti - 90% entro 5 giorni",
            "deadline": "entro il 30/06/2025 - 31.12.2025",
        },
    )
    assert [
        (i.item, i.texts["indicator"], i.texts["target"], i.texts["deadline"]) for i in items
    ] == [
        (
            "1",
            "Procedimenti mappati nel triennio 2025-2027",
            "Almeno 40 procedimenti",
            "entro il 30/06/2025",
        ),
        ("2", "Richieste via e-mail", "90% entro 5 giorni", "31.12.2025"),
    ]
    assert all(item.aligned for item in items)


def test_a_dash_across_a_wrapped_line_separates_too() -> None:
    assert split_inline_dashes(
        {"indicator": "Servizi on-line attivati\n- Pratiche", "target": "5 -\n60%"}
    ) == [
        {"indicator": "Servizi on-line attivati", "target": "5", "deadline": None},
        {"indicator": "Pratiche", "target": "60%", "deadline": None},
    ]


def test_hyphens_inside_words_and_year_ranges_are_not_separators() -> None:
    cells = {"indicator": "Schede on-line 2025-2027", "target": "Tutte le schede"}
    assert split_inline_dashes(cells) is None
    assert [i.texts["indicator"] for i in align_items("1", cells)] == ["Schede on-line 2025-2027"]


def test_dash_lists_of_different_lengths_stay_one_item() -> None:
    """A dash between blanks in prose ("verifica - controllo") beside a one-value target is
    not a list: nothing is guessed."""
    cells = {
        "indicator": "Verifica - controllo degli atti",
        "target": "100%",
        "deadline": "31.12.2025",
    }
    assert split_inline_dashes(cells) is None
    assert [i.texts["indicator"] for i in align_items("1", cells)] == [
        "Verifica - controllo degli atti"
    ]


def test_a_cell_opening_with_a_dash_is_a_bulleted_list_not_an_inline_one() -> None:
    cells = {"indicator": "- Telecamere - Servizi", "target": "- 10 - 24"}
    assert split_inline_dashes(cells) is None


def test_a_range_between_bare_numbers_is_not_a_separator() -> None:
    cells = {
        "indicator": "Piani del triennio 2025 - 2027 - Pratiche evase",
        "target": "Da 10 - 20 piani - 100%",
    }
    assert split_inline_dashes(cells) == [
        {
            "indicator": "Piani del triennio 2025 - 2027",
            "target": "Da 10 - 20 piani",
            "deadline": None,
        },
        {"indicator": "Pratiche evase", "target": "100%", "deadline": None},
    ]


def test_a_year_then_a_day_around_a_dash_are_two_dates() -> None:
    cells = {
        "indicator": "Relazione - Rendiconto",
        "deadline": "31 dicembre 2025 - 30 giugno 2026",
    }
    assert [item["deadline"] for item in split_inline_dashes(cells)] == [
        "31 dicembre 2025",
        "30 giugno 2026",
    ]


def test_find_markers_gives_a_fresh_list_each_time_for_a_remembered_text():
    from normalize.items import LETTER, find_markers

    text = "Indicatori: a) accessi; b) pratiche\nc) tempi"
    first = find_markers(text)
    assert [(m.label, m.kind, m.start) for m in first] == [
        ("a", LETTER, 12),
        ("b", LETTER, 24),
        ("c", LETTER, 36),
    ]
    first.clear()
    assert [m.label for m in find_markers(text)] == ["a", "b", "c"]


def test_numbered_markers_open_a_line_after_blanks_or_a_semicolon_only():
    split = split_marked("Premessa 1. non qui\n  1. primo; 2. secondo")
    assert split.lead == "Premessa 1. non qui"
    assert [(p.letter, p.text) for p in split.pieces] == [("1", "primo"), ("2", "secondo")]
