"""Unit tests of the PDF helpers and the stitcher, on hand-made rows."""

from __future__ import annotations

from extract.model import RawCell, RawRow
from extract.pdf_text import (
    hyphenated_words,
    is_heading,
    join_lines,
    line_wrapping,
    more_heading_words,
    page_ranges,
    reader_join,
    wraps_after_hyphens,
)
from extract.stitch import PageTable, stitch

#: Any header: the stitcher reads no column meaning.
HEADER = ["Obiettivo operativo", "Indicatore", "Scadenza", "Peso"]


def row(texts: list[str], page: int) -> RawRow:
    cells = tuple(RawCell(text=t, column=i, page=page) for i, t in enumerate(texts))
    return RawRow(cells=cells, pages=(page,))


def test_join_lines_reads_like_a_reader() -> None:
    assert join_lines(["a) Raccolta e", "analisi  dei", "", "report"]) == (
        "a) Raccolta e analisi dei report"
    )
    assert join_lines(["ammini\u00ad", "strativo"]) == "amministrativo"
    assert join_lines(["formazione-", "iniziative"], after_hyphens=False) == (
        "formazione- iniziative"
    )


def test_join_lines_word_wrapped_after_slash_or_range_hyphen_reads_as_one_word() -> None:
    """Word-processor renderings printed "2023- 2025", "0- 6", "Segretario/ RPCT"."""
    assert join_lines(["report 2023-", "2025"]) == "report 2023-2025"
    assert join_lines(["bambini 0-", "6 anni"]) == "bambini 0-6 anni"
    assert join_lines(["Segretario/", "RPCT"]) == "Segretario/RPCT"
    assert join_lines(["scolastici/", "educativi"]) == "scolastici/educativi"
    # a hyphen between letters keeps its space: "X- Y" is as common as "on-line"
    assert join_lines(["servizi on-", "line"]) == "servizi on- line"
    assert join_lines(["GIOVANI-", "prosecuzione"]) == "GIOVANI- prosecuzione"
    assert join_lines(["Missione 5-", "monitoraggio"]) == "Missione 5- monitoraggio"
    # a dash standing alone, or a next line opening with a marker, stays a space
    assert join_lines(["GESTIONE DOCUMENTALE -", "Avvio"]) == "GESTIONE DOCUMENTALE - Avvio"
    assert join_lines(["anni 2023 -", "2025"]) == "anni 2023 - 2025"
    assert join_lines(["a) uno/", "(b) due"]) == "a) uno/ (b) due"
    # where the producer wraps at spaces only, every break is a space
    assert join_lines(["report 2023-", "2025"], after_hyphens=False) == "report 2023- 2025"


def test_hyphenated_words_are_those_printed_whole_inside_a_line() -> None:
    lines = ["Servizi on-line attivati", "iscrizioni on-", "line", "Socio-Sanitario 2023-2025 -"]
    assert hyphenated_words(lines) == {"on-line", "socio-sanitario"}


def test_hyphenated_words_never_join_two_lines() -> None:
    """The lines are searched together: a word broken at a line end is not printed whole."""
    lines = ["Servizio tele-", "lavoro", "Auto-", "mobile e-mail"]
    assert hyphenated_words(lines) == {"e-mail"}


def test_line_end_hyphen_joins_a_word_the_document_prints_whole() -> None:
    """Regression (corpus santerno/writer, basso_reno/calc): LibreOffice wrapped "on-line"
    after its hyphen in one cell and printed it whole in others; it read "on- line"."""
    printed = hyphenated_words(["Iscrizioni on-line"])
    with line_wrapping("LibreOffice 7.4", printed):
        assert reader_join(["iscrizioni on-", "line"]) == "iscrizioni on-line"
        assert reader_join(["iscrizioni ON-", "LINE"]) == "iscrizioni ON-LINE"
        # a word the document never prints whole keeps its space, as the shipped
        # document's "formazione- iniziative"
        assert reader_join(["formazione-", "iniziative"]) == "formazione- iniziative"
    with line_wrapping("ReportLab PDF Library", printed):
        assert reader_join(["iscrizioni on-", "line"]) == "iscrizioni on- line"
    assert reader_join(["iscrizioni on-", "line"]) == "iscrizioni on- line"


def test_page_text_is_a_heading_when_it_holds_a_unit_word() -> None:
    assert is_heading("OBIETTIVI GESTIONALI ASSEGNATI AL SETTORE FINANZE (FIN)")
    assert is_heading("Unità organizzativa Tributi")
    assert is_heading("U. O. TRIBUTI") and is_heading("U.O. TRIBUTI")
    assert not is_heading("Pagina 2 di 5")
    assert not is_heading("AREAS")  # a unit word inside a longer word is not one
    assert not is_heading("UFFICIO TRIBUTI")
    with more_heading_words(["Ufficio"]):
        assert is_heading("UFFICIO TRIBUTI")
    assert not is_heading("UFFICIO TRIBUTI")


def test_wraps_after_hyphens_by_producer() -> None:
    assert wraps_after_hyphens("LibreOffice 7.4")
    assert wraps_after_hyphens("Microsoft® Word for Microsoft 365")
    assert wraps_after_hyphens(None)
    assert not wraps_after_hyphens("ReportLab PDF Library - www.reportlab.com")


def test_page_ranges() -> None:
    assert page_ranges([5, 1, 2, 3]) == "1-3, 5"
    assert page_ranges([4]) == "4"


def test_rows_keep_their_pages_and_nothing_is_rejoined() -> None:
    """Stitching knows no column meanings: the row cut at the foot of page 1 and its rest
    at the top of page 2 stay two rows (normalize.pages re-joins them)."""
    fragments = [
        PageTable(1, "OBIETTIVI ASSEGNATI AL SETTORE FINANZE (FIN)",
                  (row(HEADER, 1), row(["1.1.1 A", "", "", "5"], 1))),
        PageTable(2, "", (row(HEADER, 2), row(["", "rest", "", ""], 2))),
    ]  # fmt: skip
    (table,), notes = stitch(fragments)
    assert [r.pages for r in table.rows] == [(1,), (1,), (2,), (2,)]
    assert table.rows[3].texts[1] == "rest" and notes == []


def test_new_heading_starts_new_table() -> None:
    body = row(["1.1.1 A", "x", "31/12/2025", "1"], 1)
    fragments = [
        PageTable(1, "SETTORE A (A)", (row(HEADER, 1), body)),
        PageTable(2, "SETTORE B (B)", (row(HEADER, 2), body)),
    ]
    tables, notes = stitch(fragments)
    assert [t.heading for t in tables] == ["SETTORE A (A)", "SETTORE B (B)"]
    assert notes == []


def test_three_column_table_is_a_table() -> None:
    """A plan printing only objective, indicator and weight is still an objective table."""
    rows = (
        row(["Obiettivo operativo", "Indicatore", "Peso"], 1),
        row(["1.1.1 DIGITALIZZAZIONE", "Servizi attivati", "3"], 1),
        row(["1.1.2 ARCHIVIO", "Faldoni riordinati", "2"], 1),
    )
    tables, _notes = stitch([PageTable(1, "SETTORE AFFARI GENERALI (AG)", rows)])
    assert [(t.heading, len(t.rows)) for t in tables] == [("SETTORE AFFARI GENERALI (AG)", 3)]


def test_two_column_list_of_texts_and_short_values_is_a_table() -> None:
    """An objective list ``Obiettivi | Peso`` prints two columns only: it is kept, weights
    and the pre-requisite's X included."""
    rows = (
        row(["Obiettivi", "Peso"], 1),
        row(["n. 0 Trasparenza", "X"], 1),
        row(["n. 1 Digitalizzazione dei procedimenti", "40"], 1),
        row(["n. 2 Archivio", "60"], 1),
    )
    tables, _notes = stitch([PageTable(1, "AREA AMMINISTRATIVA (AMM)", rows)])
    assert [[r.texts for r in table.rows] for table in tables] == [[list(r.texts) for r in rows]]


def test_two_columns_of_prose_are_not_a_table() -> None:
    rows = tuple(
        row(["Il piano definisce gli obiettivi", "e le risorse assegnate ai settori"], 1)
        for _ in range(4)
    )
    assert stitch([PageTable(1, "", rows)]) == ([], [])


def key_value_page(page: int, heading: str, code: str) -> list[PageTable]:
    """One objective card: a two-column key/value table and its three-column indicators."""
    return [
        PageTable(page, heading, (row(["Codice obiettivo", code], page), row(["Peso", "5"], page))),
        PageTable(
            page,
            "",
            (row(["Indicatore", "Target", "Scadenza"], page), row(["Avvisi", "300", "2025"], page)),
        ),
    ]


def test_key_value_fragments_are_kept_each_as_a_table() -> None:
    fragments = key_value_page(1, "SERVIZIO FINANZE (SF)", "1.1") + key_value_page(2, "", "1.2")
    tables, notes = stitch(fragments)
    assert [(t.index, t.heading, len(t.rows)) for t in tables] == [
        (0, "SERVIZIO FINANZE (SF)", 2),
        (1, "", 2),
        (2, "", 2),
        (3, "", 2),
    ]
    assert tables[2].rows[0].texts == ["Codice obiettivo", "1.2"]
    assert notes == []


def test_one_two_column_fragment_among_sector_tables_is_still_dropped() -> None:
    grid = [row(HEADER, 1), row(["Bilancio", "Approvazione", "31/12", "5"], 1)]
    fragments = [
        PageTable(1, "SETTORE FINANZE (FIN)", tuple(grid)),
        PageTable(1, "", (row(["Firma", "Rossi"], 1), row(["Data", "2025"], 1))),
        PageTable(2, "", (row(["Tributi", "Avvisi", "30/06", "3"], 2),)),
    ]
    tables, _ = stitch(fragments)
    assert len(tables) == 1
    assert [r.texts[0] for r in tables[0].rows] == ["Obiettivo operativo", "Bilancio", "Tributi"]


def test_pages_of_a_four_column_grid_are_not_key_value_tables() -> None:
    """Rows of four cells with a continuation row of two: a grid, continued over pages."""
    fragments = [
        PageTable(
            page,
            "SETTORE FINANZE (FIN)" if page == 1 else "",
            (
                row(HEADER, page),
                row(["Bilancio", "Approvazione", "31/12", "5"], page),
                row(["", "Relazione", "30/06", ""], page),
            ),
        )
        for page in (1, 2, 3)
    ]
    tables, _ = stitch(fragments)
    assert [(table.heading, len(table.rows)) for table in tables] == [("SETTORE FINANZE (FIN)", 9)]
