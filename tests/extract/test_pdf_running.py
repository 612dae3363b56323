"""Running headers and footers (:mod:`extract.pdf_text`): found and dropped in the page's top
and bottom bands only."""

from __future__ import annotations

from extract.pdf_layout import Word
from extract.pdf_text import running_lines, without_running_words

HEIGHT = 842.0


def word(text: str, x0: float, top: float) -> Word:
    return Word(text, x0, top, x0 + 6.0 * len(text), top + 8.0)


def page(year: str, body: list[Word]) -> list[Word]:
    """A page with a banner whose second line is only a year, then the body."""
    return [word("PIANO", 40.0, 40.0), word("2023-", 90.0, 40.0), word(year, 40.0, 50.0), *body]


def test_a_cell_line_printed_like_a_running_line_stays_in_the_table() -> None:
    """A banner wrapped as "2023-" / "2025" on every page makes "####" (digits aside) a
    running line; a cell's last line "2023" in the middle of a page printed alike was
    dropped from the layout's words, so the row boundary fell across it and the word went
    to the next row."""
    body = [word("censuarie", 248.0, 415.5), word("2023", 248.0, 424.7), word("M", 43.0, 434.6)]
    pages = [page("2025", body), page("2025", body), page("2025", [])]
    lines = [[(w.text, w.top, w.bottom, HEIGHT) for w in words] for words in pages]
    running = running_lines(lines)

    kept = without_running_words(pages[0], running, HEIGHT)

    assert "#" in running
    assert [w.text for w in kept] == ["PIANO", "2023-", "censuarie", "2023", "M"]


# the running lines dropped are reported ------------------------------------------------

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from extract import read_document  # noqa: E402
from extract.pdf_text import collecting_running_lines, running_line_notes  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


def test_running_lines_found_are_collected_with_their_pages() -> None:
    footer = [("Comune di X – PIAO 2025-2027 – pag. 1", 800.0, 808.0, HEIGHT)]
    pages = [footer, [("Comune di X – PIAO 2025-2027 – pag. 2", 800.0, 808.0, HEIGHT)], []]
    pages.append([("Comune di X – PIAO 2025-2027 – pag. 4", 800.0, 808.0, HEIGHT)])

    with collecting_running_lines() as found:
        running_lines(pages)

    assert found == [("Comune di X – PIAO 2025-2027 – pag. 1", (1, 2, 4))]


def test_each_running_line_gives_one_info_note_at_its_first_page() -> None:
    found = [("Pagina 1 di 3", (1, 2, 3)), ("Pagina 1 di 3", (1, 2, 3)), ("Ente", (2, 3))]

    notes = running_line_notes(found)

    assert [(n.rule, n.severity, n.page) for n in notes] == [
        ("running_line_dropped", "info", 1),
        ("running_line_dropped", "info", 2),
    ]
    assert notes[0].message == (
        "running header/footer 'Pagina 1 di 3' printed on pages 1-3 dropped from the tables"
    )


@pytest.mark.parametrize("engine", ["auto", "pdfplumber", "camelot"])
def test_a_spreadsheet_page_footer_is_dropped_and_noted(engine: str) -> None:
    """Calc prints the sheet's page footer "Comune di X – PIAO 2025-2027 – settore AMM –
    pag. N" at the foot of every page, the sheet's name changing with the sector (each
    alike on a third of the pages only): out of every cell and heading, and said in a
    note. Read as the next table's heading, it used to cut each sector in two."""
    document = read_document(CORPUS / "serralunga" / "serralunga.calc.pdf", engine=engine)

    texts = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    notes = [note for note in document.notes if note.rule == "running_line_dropped"]
    assert not any("PIAO 2025-2027" in text for text in texts)
    assert not any("PIAO" in table.heading for table in document.tables)
    assert [(note.page, note.message) for note in notes] == [
        (
            1,
            "running header/footer 'Comune di Serralunga Ligure – PIAO 2025-2027 – settore AMM "
            "– pag. 1' printed on pages 1-6 dropped from the tables",
        )
    ]


def footer_page(number: int, sheet: str) -> list[tuple[str, float, float, float]]:
    text = f"Comune di X – PIAO 2025-2027 – settore {sheet} – pag. {number}"
    return [(text, 800.0, 808.0, HEIGHT)]


def test_a_footer_naming_each_sheet_is_a_running_family() -> None:
    pages = [footer_page(n, sheet) for n, sheet in enumerate("AAABBBCCC", start=1)]

    running = running_lines(pages)

    assert "comune di x – piao #-# – settore b – pag. #" in running
    assert len(running) == 3


def test_headings_opening_alike_without_the_page_number_are_no_family() -> None:
    """Headings at the top of each page that open with the same words and end with the
    sector ("OBIETTIVI ASSEGNATI AL SETTORE FINANZE (FIN)") stay headings: no line prints
    its page's number."""
    names = ["FINANZE (FIN)", "TRIBUTI (TRI)", "TECNICO (TEC)", "POLIZIA (PL)"]
    pages = [[(f"OBIETTIVI ASSEGNATI AL SETTORE {name}", 40.0, 50.0, HEIGHT)] for name in names]

    assert running_lines(pages) == set()


def test_a_numbered_family_printed_at_different_heights_is_no_running_line() -> None:
    pages = [footer_page(n, sheet) for n, sheet in enumerate("ABC", start=1)]
    pages[1] = [(pages[1][0][0], 760.0, 768.0, HEIGHT)]

    assert running_lines(pages) == set()
