"""The genres and a detector's guess (normalize.genre_guess), shared by the genre readers."""

from __future__ import annotations

from normalize import genre
from normalize.genre_guess import CARDS, GENRES, GRID, GenreGuess


def test_the_grid_is_the_first_of_four_genres():
    assert GENRES == ("grid", "cards", "indicator_rows", "objective_list")


def test_a_guess_without_reasons_says_no_evidence():
    assert GenreGuess(GRID, 1.0).describe() == "grid (confidence 1.00): no evidence"


def test_the_genre_module_names_the_same_genres_and_guess():
    assert (genre.GRID, genre.CARDS, genre.GENRES) == (GRID, CARDS, GENRES)
    assert genre.GenreGuess is GenreGuess
