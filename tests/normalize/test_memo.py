"""normalize.memo: a cell's cleaned, folded and dated forms are computed once per text."""

from __future__ import annotations

from normalize.memo import MAX_REMEMBERED_TEXT, remembers_short_texts


def counting() -> tuple[list[str], object]:
    calls: list[str] = []

    @remembers_short_texts
    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    return calls, upper


def test_a_short_text_is_computed_once() -> None:
    calls, upper = counting()
    assert [upper("entro"), upper("entro"), upper("giugno")] == ["ENTRO", "ENTRO", "GIUGNO"]
    assert calls == ["entro", "giugno"]


def test_a_long_text_is_computed_every_time_and_not_kept() -> None:
    calls, upper = counting()
    long_text = "a" * (MAX_REMEMBERED_TEXT + 1)
    assert upper(long_text) == upper(long_text) == long_text.upper()
    assert len(calls) == 2
    assert upper.cache_info().currsize == 0


def test_other_arguments_are_part_of_what_is_remembered() -> None:
    calls: list[tuple[str, int]] = []

    @remembers_short_texts
    def repeat(text: str, times: int) -> str:
        calls.append((text, times))
        return text * times

    assert [repeat("ab", 2), repeat("ab", 3), repeat("ab", 2)] == ["abab", "ababab", "abab"]
    assert calls == [("ab", 2), ("ab", 3)]


def test_a_text_given_by_keyword_is_computed() -> None:
    calls, upper = counting()
    assert upper(text="entro") == "ENTRO"
    assert calls == ["entro"]
