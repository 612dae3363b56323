"""The genre of a document (normalize.genre): grid by default, cards when cards are seen."""

from __future__ import annotations

from pathlib import Path

from extract import read_document
from extract.model import RawCell, RawDocument, RawRow, RawTable
from normalize.genre import CARDS, DETECTORS, GRID, INDICATOR_ROWS, GenreGuess, detect_genre

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "raw"
SHIPPED = SHIPPED / "portomaggiore_piao_2023-2025_allegato1.txt"


def table(index: int, heading: str, rows: list[list[str]]) -> RawTable:
    return RawTable(
        heading,
        tuple(
            RawRow(tuple(RawCell(text, column, 1) for column, text in enumerate(row)), (1,))
            for row in rows
        ),
        index,
    )


def document(*tables: RawTable) -> RawDocument:
    return RawDocument("x.pdf", "0" * 64, "pdf", "test", 1, "", tables)


def card(index: int, code: str) -> RawTable:
    return table(
        index,
        "",
        [["Codice obiettivo", code], ["Titolo", "Bilancio"], ["Peso", "50"]],
    )


GRID_TABLE = [
    ["Codice", "Obiettivo", "Indicatore", "Peso"],
    ["1.1.1", "Bilancio", "Approvazione", "5"],
    ["1.1.2", "Tributi", "Avvisi", "3"],
]


def test_the_shipped_attachment_is_a_grid():
    guess = detect_genre(read_document(SHIPPED))
    assert (guess.genre, guess.confidence) == (GRID, 1.0)
    assert guess.reasons == ("no other genre's evidence",)


def test_cards_are_detected_with_the_evidence_seen():
    guess = detect_genre(document(card(0, "2.1.1"), card(1, "2.1.2"), card(2, "2.1.3")))
    assert guess.genre == CARDS
    assert guess.confidence == 0.9
    assert guess.reasons[0] == "3 key/value cards opening with 'Codice obiettivo'"
    assert guess.reasons[1] == "9 of 9 rows outside indicator tables are key/value rows"


def test_one_card_beside_a_grid_leaves_the_grid_with_the_weak_guess_said():
    guess = detect_genre(document(table(0, "", GRID_TABLE), card(1, "2.1.1")))
    assert guess.genre == GRID
    assert guess.reasons[1].startswith("cards only 0.")
    assert guess.confidence > 0.5


def test_a_genre_is_added_with_one_detector():
    def indicator_rows(raw: RawDocument, settings: object) -> GenreGuess:
        return GenreGuess(INDICATOR_ROWS, 0.9, ("12 rows per objective",))

    detectors = {**DETECTORS, INDICATOR_ROWS: indicator_rows}
    guess = detect_genre(document(table(0, "", GRID_TABLE)), detectors=detectors)
    assert guess == GenreGuess(INDICATOR_ROWS, 0.9, ("12 rows per objective",))


def test_describe_is_one_line_with_genre_confidence_and_reasons():
    guess = GenreGuess(CARDS, 0.8, ("a", "b"))
    assert guess.describe() == "cards (confidence 0.80): a; b"
