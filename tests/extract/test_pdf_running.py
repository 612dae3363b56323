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
