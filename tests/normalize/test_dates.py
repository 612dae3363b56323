"""Tests for normalize.dates: the Italian date grammar, on phrases from the Portomaggiore PIAO."""

from __future__ import annotations

import datetime
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize import dates as dates_module
from normalize.dates import DateMention, find_dates

SEED = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "raw"
    / "portomaggiore_piao_2023-2025_allegato1.txt"
)

D = datetime.date


def only(text: str, default_year: int | None = None) -> DateMention:
    """The single mention found in ``text``."""
    mentions = find_dates(text, default_year)
    assert len(mentions) == 1, mentions
    return mentions[0]


def summary(mention: DateMention) -> tuple:
    return (
        mention.text,
        mention.date,
        mention.start_date,
        mention.precision,
        mention.kind,
        mention.valid,
    )


# ----------------------------------------------------------------------------------- days


def test_entro_il_day_is_a_deadline() -> None:
    mention = only("a) Entro il 14.01.2023")
    assert summary(mention) == (
        "Entro il 14.01.2023",
        D(2023, 1, 14),
        D(2023, 1, 14),
        "day",
        "by",
        True,
    )
    assert mention.problem is None
    assert (mention.start, mention.end) == (3, 22)


def test_upper_case_entro_and_weekday_in_parentheses() -> None:
    mentions = find_dates("b) ENTRO il 15.01.2023 (scadenza il lunedì 16.01.2023);")
    assert [summary(m) for m in mentions] == [
        ("ENTRO il 15.01.2023", D(2023, 1, 15), D(2023, 1, 15), "day", "by", True),
        ("16.01.2023", D(2023, 1, 16), D(2023, 1, 16), "day", "on", True),
    ]


def test_day_in_parentheses_after_prose_is_on() -> None:
    mention = only("entro il termine fissato da ANAC (15.01.2023).")
    assert summary(mention) == ("15.01.2023", D(2023, 1, 15), D(2023, 1, 15), "day", "on", True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30/06/2023", D(2023, 6, 30)),
        ("14.01.2023", D(2023, 1, 14)),
        ("31-12-2023", D(2023, 12, 31)),
        ("1/2/2024", D(2024, 2, 1)),
    ],
)
def test_numeric_day_separators(text: str, expected: datetime.date) -> None:
    mention = only(text)
    assert (mention.date, mention.precision, mention.kind) == (expected, "day", "on")


def test_mixed_separators_are_not_a_day() -> None:
    assert find_dates("30/06.2023") == []


def test_worded_day_from_decree_title() -> None:
    mention = only(
        "LAVORI MESSA IN SICUREZZA EDIFICI finanziati con Decreto Interministeriale "
        "del 06 marzo 2019 - Ristrutturazione"
    )
    assert summary(mention) == ("06 marzo 2019", D(2019, 3, 6), D(2019, 3, 6), "day", "on", True)


def test_worded_day_with_ordinal_mark() -> None:
    mention = only("a decorrere dal 1° gennaio 2024")
    assert summary(mention) == (
        "a decorrere dal 1° gennaio 2024",
        D(2024, 1, 1),
        D(2024, 1, 1),
        "day",
        "from",
        True,
    )


def test_worded_day_without_year_takes_default_year() -> None:
    assert only("entro il 15 marzo", default_year=2023).date == D(2023, 3, 15)
    assert find_dates("entro il 15 marzo") == []


def test_full_date_after_law_number_is_a_date() -> None:
    text = "controlli interni introdotti dall'art. 3 D.L. n. 174 del 10/10/2012."
    assert summary(only(text)) == (
        "10/10/2012",
        D(2012, 10, 10),
        D(2012, 10, 10),
        "day",
        "on",
        True,
    )


def test_date_after_dell_apostrophe() -> None:
    mention = only("istituito con delibera GU n. 30 dell'11.05.2022 avente ad oggetto")
    assert (mention.text, mention.date, mention.kind) == ("11.05.2022", D(2022, 5, 11), "on")


def test_dal_day_is_from() -> None:
    mention = only("b) attivazione GARCIA dal 01/01/2024 b) almeno 3")
    assert summary(mention) == ("dal 01/01/2024", D(2024, 1, 1), D(2024, 1, 1), "day", "from", True)


@pytest.mark.parametrize(
    ("text", "kind", "phrase"),
    [
        ("a partire dal 01/03/2023", "from", "a partire dal 01/03/2023"),
        ("da 15/09/2023", "from", "da 15/09/2023"),
        ("non oltre il 30/06/2023", "by", "non oltre il 30/06/2023"),
        ("fino al 31/12/2023", "by", "fino al 31/12/2023"),
        ("termine 30/06/2023", "by", "termine 30/06/2023"),
        ("Entro i 31/12/2023", "by", "Entro i 31/12/2023"),
    ],
)
def test_keywords_set_kind_and_are_part_of_text(text: str, kind: str, phrase: str) -> None:
    mention = only(text)
    assert (mention.kind, mention.text) == (kind, phrase)


def test_keyword_inside_a_word_is_not_a_keyword() -> None:
    assert only("rientro 30/06/2023").kind == "on"


def test_list_of_days_after_entro_are_all_deadlines() -> None:
    text = "1.1.3 a) Entro il 31.03.2023, il 30.06.2023, il 30.09.2023, il 31.12.2023."
    mentions = find_dates(text)
    assert [(m.text, m.date, m.kind) for m in mentions] == [
        ("Entro il 31.03.2023", D(2023, 3, 31), "by"),
        ("30.06.2023", D(2023, 6, 30), "by"),
        ("30.09.2023", D(2023, 9, 30), "by"),
        ("31.12.2023", D(2023, 12, 31), "by"),
    ]


def test_pair_of_days_after_entro_are_both_deadlines() -> None:
    mentions = find_dates("Controllo semestrale (entro 30.06.2023 e 31.12.2023) del sito")
    assert [(m.date, m.kind) for m in mentions] == [(D(2023, 6, 30), "by"), (D(2023, 12, 31), "by")]


def test_two_digit_years_are_ignored() -> None:
    assert find_dates("entro il 31/12/23") == []


# --------------------------------------------------------------------------------- months


def test_entro_month_year() -> None:
    mention = only("c) entro novembre 2023")
    assert summary(mention) == (
        "entro novembre 2023",
        D(2023, 11, 30),
        D(2023, 11, 1),
        "month",
        "by",
        True,
    )


def test_month_year_without_keyword_is_on() -> None:
    mention = only("f) entro tempi del progetto (giugno 2023 salvo proroghe)")
    assert summary(mention) == ("giugno 2023", D(2023, 6, 30), D(2023, 6, 1), "month", "on", True)


def test_da_month_is_from() -> None:
    text = "per il conferimento e l'avvio delle funzioni da aprile 2023"
    mention = only(text)
    assert (mention.text, mention.kind, mention.start_date, mention.date) == (
        "da aprile 2023",
        "from",
        D(2023, 4, 1),
        D(2023, 4, 30),
    )


def test_mese_di_without_year_uses_default_year() -> None:
    mention = only(
        "c) contributi handicap riconosciuti entro il mese di novembre", default_year=2023
    )
    assert summary(mention) == (
        "entro il mese di novembre",
        D(2023, 11, 30),
        D(2023, 11, 1),
        "month",
        "by",
        True,
    )


@pytest.mark.parametrize("text", ["entro il mese di novembre", "entro giugno", "da marzo a giugno"])
def test_phrases_without_year_are_skipped_without_default_year(text: str) -> None:
    assert find_dates(text) == []


def test_month_name_without_year_or_keyword_is_not_a_date() -> None:
    assert find_dates("festa di maggio a Portomaggiore", default_year=2023) == []


def test_month_followed_by_its_day_is_one_deadline() -> None:
    mention = only("b) revisione del progetto entro maggio 31/05/2023 c) delibera")
    assert summary(mention) == (
        "entro maggio 31/05/2023",
        D(2023, 5, 31),
        D(2023, 5, 31),
        "day",
        "by",
        True,
    )


def test_month_followed_by_another_months_day_stays_two_mentions() -> None:
    mentions = find_dates("entro maggio 30/06/2023", default_year=2023)
    assert [(m.text, m.precision) for m in mentions] == [
        ("entro maggio", "month"),
        ("30/06/2023", "day"),
    ]


# ------------------------------------------------------------------------ semesters/seasons


def test_entro_second_semester() -> None:
    mention = only("Assegnazioni entro II semestre 2023")
    assert summary(mention) == (
        "entro II semestre 2023",
        D(2023, 12, 31),
        D(2023, 7, 1),
        "semester",
        "by",
        True,
    )


def test_first_semester_without_keyword_is_a_period() -> None:
    mention = only("I semestre 2023")
    assert summary(mention) == (
        "I semestre 2023",
        D(2023, 6, 30),
        D(2023, 1, 1),
        "semester",
        "period",
        True,
    )


def test_semester_without_year_uses_default_year() -> None:
    assert summary(only("per il I semestre", default_year=2024)) == (
        "per il I semestre",
        D(2024, 6, 30),
        D(2024, 1, 1),
        "semester",
        "period",
        True,
    )
    assert find_dates("per il I semestre") == []


SEMESTER_DEADLINES = "Entro 31.07.2023 per il I semestre ed entro il 31.01.2024 per il II semestre."


def test_semester_deadlines_without_default_year_are_the_two_days() -> None:
    mentions = find_dates(SEMESTER_DEADLINES)
    assert [summary(m) for m in mentions] == [
        ("Entro 31.07.2023", D(2023, 7, 31), D(2023, 7, 31), "day", "by", True),
        ("entro il 31.01.2024", D(2024, 1, 31), D(2024, 1, 31), "day", "by", True),
    ]


def test_semester_deadlines_with_default_year_also_name_the_semesters() -> None:
    # Design choice: "per il I semestre" names the period reported on, a separate expression
    # from the deadline; it is a "period" mention, never merged into the day.
    mentions = find_dates(SEMESTER_DEADLINES, default_year=2023)
    assert [(m.text, m.date, m.precision, m.kind) for m in mentions] == [
        ("Entro 31.07.2023", D(2023, 7, 31), "day", "by"),
        ("per il I semestre", D(2023, 6, 30), "semester", "period"),
        ("entro il 31.01.2024", D(2024, 1, 31), "day", "by"),
        ("per il II semestre", D(2023, 12, 31), "semester", "period"),
    ]


def test_entro_estate() -> None:
    mention = only("h) entro estate 2023")
    assert summary(mention) == (
        "entro estate 2023",
        D(2023, 9, 22),
        D(2023, 6, 21),
        "season",
        "by",
        True,
    )


@pytest.mark.parametrize(
    ("text", "end", "start"),
    [
        ("primavera 2023", D(2023, 6, 20), D(2023, 3, 21)),
        ("estate 2023", D(2023, 9, 22), D(2023, 6, 21)),
        ("autunno 2023", D(2023, 12, 21), D(2023, 9, 23)),
        ("inverno 2023", D(2023, 3, 20), D(2022, 12, 21)),
    ],
)
def test_season_ends(text: str, end: datetime.date, start: datetime.date) -> None:
    mention = only(text)
    assert (mention.date, mention.start_date, mention.precision) == (end, start, "season")


def test_season_without_year_needs_a_keyword() -> None:
    assert only("entro l'estate", default_year=2023).date == D(2023, 9, 22)
    assert find_dates("servizio estate ragazzi", default_year=2023) == []


# --------------------------------------------------------------------------------- ranges


def test_month_range_across_years() -> None:
    text = "riferite al 2023 tra il mese di dicembre 2023/gennaio 2024."
    mentions = find_dates(text)
    assert [summary(m) for m in mentions] == [
        ("riferite al 2023", D(2023, 12, 31), D(2023, 1, 1), "year", "period", True),
        (
            "tra il mese di dicembre 2023/gennaio 2024",
            D(2024, 1, 31),
            D(2023, 12, 1),
            "month",
            "period",
            True,
        ),
    ]


def test_entro_month_range_is_a_deadline() -> None:
    mention = only("e) Richiesta report 2023 entro dicembre 2023/gennaio 2024 a seconda")
    assert summary(mention) == (
        "entro dicembre 2023/gennaio 2024",
        D(2024, 1, 31),
        D(2023, 12, 1),
        "month",
        "by",
        True,
    )


def test_month_range_without_year_uses_default_year() -> None:
    text = "un momento di scambio con le cittadine e i cittadini nel periodo da marzo a giugno."
    mention = only(text, default_year=2023)
    assert summary(mention) == (
        "da marzo a giugno",
        D(2023, 6, 30),
        D(2023, 3, 1),
        "month",
        "period",
        True,
    )


def test_day_range() -> None:
    mention = only("dal 01/01/2024 al 31/12/2024")
    assert summary(mention) == (
        "dal 01/01/2024 al 31/12/2024",
        D(2024, 12, 31),
        D(2024, 1, 1),
        "day",
        "period",
        True,
    )


def test_range_ending_before_it_starts_is_invalid() -> None:
    mention = only("dal 01/01/2024 al 31/12/2023")
    assert (mention.valid, mention.date, mention.start_date) == (False, None, None)
    assert "ends before it starts" in (mention.problem or "")


@pytest.mark.parametrize("text", ["2023-2025", "2023/2025", "2023 - 2025", "2023-25"])
def test_year_ranges_are_periods(text: str) -> None:
    assert summary(only(text)) == (text, D(2025, 12, 31), D(2023, 1, 1), "period", "period", True)


def test_year_range_in_a_title() -> None:
    mention = only("Piano Integrato Attività e Organizzazione 2023-2025 Obiettivi gestionali")
    assert (mention.text, mention.kind, mention.precision) == ("2023-2025", "period", "period")


# ---------------------------------------------------------------------------------- years


@pytest.mark.parametrize(
    ("text", "phrase", "kind"),
    [
        ("a) Conclusione lavori entro il 2023 b) Supporto", "entro il 2023", "by"),
        ("prosecuzione nel 2023 ed anni seguenti", "nel 2023", "period"),
        ("formazione anticorruzione annuale per il 2023.", "per il 2023", "period"),
        ("censimento anno 2023", "anno 2023", "period"),
        (
            "relazione annuale anticorruzione riferita al 2022, pubblicazione",
            "riferita al 2022",
            "period",
        ),
        ("2023", "2023", "period"),
    ],
)
def test_year_phrases(text: str, phrase: str, kind: str) -> None:
    mention = only(text)
    assert summary(mention) == (
        phrase,
        D(int(phrase[-4:]), 12, 31),
        D(int(phrase[-4:]), 1, 1),
        "year",
        kind,
        True,
    )


def test_obiettivo_slittato_dal_year_is_from() -> None:
    mention = only("(obiettivo slittato dal 2022)")
    assert (mention.text, mention.kind, mention.date) == ("dal 2022", "from", D(2022, 12, 31))


@pytest.mark.parametrize(
    "text",
    [
        "e) Richiesta report 2023 a seconda della scadenza",
        "revisione del progetto con nuovo prezzario regionale 2023",
        "attestazione positiva del NdV riferita all'anno precedente (2022).",
        "Avviso C.S.E. 2022 - Comuni per la sostenibilità",
    ],
)
def test_bare_year_in_prose_is_not_a_date(text: str) -> None:
    assert find_dates(text) == []


# ------------------------------------------------------------------------- invalid dates


@pytest.mark.parametrize(
    ("text", "phrase", "problem"),
    [
        (
            "b) Sollecito al Ministero relativo alla richiesta di mantenimento del finanziamento "
            "entro 31/06/2023 Relazione",
            "entro 31/06/2023",
            "31/06/2023: June has 30 days",
        ),
        (
            "d) entro il 31/11/2023 e) entro",
            "entro il 31/11/2023",
            "31/11/2023: November has 30 days",
        ),
        ("30/02/2024", "30/02/2024", "30/02/2024: February 2024 has 29 days"),
        ("15/13/2023", "15/13/2023", "15/13/2023: there is no month 13"),
        ("00/01/2023", "00/01/2023", "00/01/2023: there is no day 0"),
        ("31 aprile 2023", "31 aprile 2023", "31 aprile 2023: April has 30 days"),
    ],
)
def test_impossible_days_are_reported_invalid(text: str, phrase: str, problem: str) -> None:
    mention = only(text)
    assert (mention.text, mention.valid, mention.date, mention.start_date) == (
        phrase,
        False,
        None,
        None,
    )
    assert mention.problem == problem
    assert mention.precision == "day"


def test_leap_day_is_valid() -> None:
    assert only("29/02/2024").date == D(2024, 2, 29)


# ------------------------------------------------------------------------------- non-dates


@pytest.mark.parametrize(
    "text",
    [
        "introdotti dall'art. 3 D.L. n. 174",
        "controlli successivi del Segretario ex DL 174/2012.",
        "art. 1 co. 848 l. 205/2017.",
        "principio contabile allegato 4/2 del D.Lgs. 118/2011.",
        "delibera GU n. 30",
        "Portomaggiore - CUP D99B2300060001 -",
        "linea di intervento M5 C3 Investimento 1.1.1 del PNRR",
        "4.1.2.1 SCUOLE D'INFANZIA STATALI",
        "1.3.1.1 N° partecipazioni bandi: almeno 4",
        "26,3158%",
        "monitoraggio dei servizi 0-6 sul territorio",
        "priorità/peso assegnato da giunta (da 1 a 5)",
        "protocollo n. 2021/2023",
    ],
)
def test_not_dates(text: str) -> None:
    assert find_dates(text, default_year=2023) == []


# ------------------------------------------------------------------------------ properties


@given(st.text(), st.none() | st.integers(min_value=1900, max_value=2099))
def test_never_raises_and_spans_match_text(text: str, default_year: int | None) -> None:
    mentions = find_dates(text, default_year)
    assert isinstance(mentions, list)
    check_mentions(text, mentions)


FRAGMENTS = [
    "entro",
    "ENTRO il",
    "dal",
    "da",
    "a",
    "e",
    "il",
    "tra il mese di",
    "per il",
    "nel",
    "I",
    "II",
    "semestre",
    "estate",
    "inverno",
    "marzo",
    "giugno",
    "dicembre",
    "2023",
    "2024",
    "-",
    "/",
    "2023-25",
    "31/06/2023",
    "30.06.2023",
    "1°",
    "31",
    "15",
    "n.",
    "(",
    ")",
    ",",
    "l'",
    "dell'11.05.2022",
]


@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=12),
    st.sampled_from([" ", "", "\t"]),
    st.none() | st.integers(min_value=1900, max_value=2099),
)
def test_never_raises_on_date_like_text(
    fragments: list[str], joiner: str, default_year: int | None
) -> None:
    text = joiner.join(fragments)
    check_mentions(text, find_dates(text, default_year))


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2099, 12, 31)), st.sampled_from("/.-"))
def test_numeric_days_round_trip(day: datetime.date, separator: str) -> None:
    text = f"entro il {day.day:02d}{separator}{day.month:02d}{separator}{day.year}"
    mention = only(text)
    assert (mention.date, mention.start_date, mention.kind) == (day, day, "by")


def check_mentions(text: str, mentions: list[DateMention]) -> None:
    previous_end = 0
    for mention in mentions:
        assert mention.text == text[mention.start : mention.end]
        assert mention.start >= previous_end
        assert mention.start < mention.end
        previous_end = mention.end
        assert mention.valid == (mention.problem is None)
        assert mention.valid == (mention.date is not None) == (mention.start_date is not None)
        if mention.valid:
            assert mention.start_date <= mention.date
        assert mention.precision in {"day", "month", "season", "semester", "year", "period"}
        assert mention.kind in {"by", "from", "on", "period"}


def test_deterministic() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert find_dates(text, 2023) == find_dates(text, 2023)


def test_default_year_out_of_range_is_rejected() -> None:
    with pytest.raises(ValueError, match="default_year"):
        find_dates("entro giugno", default_year=23)


# -------------------------------------------------------------------------- seed document


def seed_cells() -> list[str]:
    return [
        cell for line in SEED.read_text(encoding="utf-8").splitlines() for cell in line.split("\t")
    ]


def test_seed_document_only_invalid_dates_are_the_two_impossible_days() -> None:
    raw = SEED.read_text(encoding="utf-8")
    mentions = [m for cell in seed_cells() for m in find_dates(cell, default_year=2023)]
    invalid = [m for m in mentions if not m.valid]
    assert sorted(m.text for m in invalid) == ["entro 31/06/2023", "entro il 31/11/2023"]
    assert raw.count("31/06/2023") == raw.count("31/11/2023") == 1
    assert {m.problem for m in invalid} == {
        "31/06/2023: June has 30 days",
        "31/11/2023: November has 30 days",
    }
    assert len(mentions) > 250


def test_seed_document_cells_all_parse_without_default_year() -> None:
    for cell in seed_cells():
        check_mentions(cell, find_dates(cell))


# ------------------------------------------------------------------------- rule screening

DATE_WORDS = st.sampled_from(
    [
        "entro",
        "il",
        "dal",
        "al",
        "da",
        "a",
        "tra",
        "fra",
        "e",
        "del",
        "nel",
        "mese",
        "di",
        "fino",
        "non",
        "oltre",
        "giugno",
        "Dicembre",
        "maggio",
        "2023",
        "2024",
        "25",
        "31/06/2023",
        "14.01.2023",
        "30-06-2023",
        "1°",
        "15",
        "II",
        "I",
        "primo",
        "semestre",
        "estate",
        "inverno",
        "-",
        "/",
        "–",
        "(",
        ")",
        ",",
        "n.",
        "anni",
        "triennio",
    ]
)


@given(st.lists(DATE_WORDS, max_size=8).map(" ".join))
def test_a_rule_matches_only_texts_holding_what_it_needs(text: str) -> None:
    """A rule is skipped for a text lacking one of its ``needs`` (a digit, a month...): that
    screening must never hide a match."""
    for rule in dates_module._RULES:
        if rule.pattern.search(text):
            assert all(need.search(text) for need in rule.needs), (text, rule.pattern.pattern)


def test_seed_cells_are_matched_only_by_rules_whose_needs_they_hold() -> None:
    cells = [cell for cell in seed_cells() if cell.strip()]
    matched = 0
    for cell in cells:
        for rule in dates_module._RULES:
            if rule.pattern.search(cell):
                matched += 1
                assert all(need.search(cell) for need in rule.needs), (cell, rule.pattern.pattern)
    assert matched > 200  # 225 rule matches in the shipped document


def test_a_repeated_text_gives_equal_mentions_in_a_list_of_its_own() -> None:
    first = find_dates("entro il 30/06/2023", 2023)
    first.clear()  # the caller's list: the remembered result must not change
    assert [m.text for m in find_dates("entro il 30/06/2023", 2023)] == ["entro il 30/06/2023"]


def test_a_year_printed_in_the_clause_wins_over_the_plan_year() -> None:
    text = "Entro 31.07.2023 per il I semestre ed entro il 31.01.2024 per il II semestre."
    for plan_year in (2023, 2024, 2025):
        found = [(m.text, m.date.isoformat()) for m in find_dates(text, plan_year)]
        assert found == [
            ("Entro 31.07.2023", "2023-07-31"),
            ("per il I semestre", "2023-06-30"),
            ("entro il 31.01.2024", "2024-01-31"),
            ("per il II semestre", "2023-12-31"),
        ]


def test_a_year_printed_in_another_clause_lends_nothing() -> None:
    text = "a) entro il 30.06.2023 b) entro dicembre"
    assert [m.date.isoformat() for m in find_dates(text, 2024)] == ["2023-06-30", "2024-12-31"]


@pytest.mark.parametrize(
    ("text", "default_year"),
    [
        ("da novembre a febbraio 2024", None),
        ("da novembre 2023 a febbraio", None),
        ("da novembre a febbraio", 2023),
    ],
)
def test_month_range_that_wraps_the_year_starts_the_year_before(text, default_year) -> None:
    """November to February: the range crosses New Year, whichever endpoint carries the
    year (or none: the default year is the first one's)."""
    mention = only(text, default_year=default_year)
    assert (mention.start_date, mention.date) == (D(2023, 11, 1), D(2024, 2, 29))
    assert (mention.precision, mention.kind, mention.valid) == ("month", "period", True)


def test_ascii_fold_holds_every_character_case_insensitive_matching_takes_for_a_letter() -> None:
    """The pre-check of the word needs folds every non-ASCII character that Python's
    case-insensitive matching takes for an ASCII letter, so it never rules out a match."""
    letter = re.compile("[a-z]", re.IGNORECASE)
    takers = {chr(point) for point in range(0x80, sys.maxunicode + 1) if letter.match(chr(point))}
    assert takers == {chr(point) for point in dates_module._ASCII_FOLD}


@pytest.mark.parametrize(
    "text",
    ["GENNAİO 2025", "entro dıcembre", "II ſemeſtre", "autunno", "Ottobre", "nessuna data", "è 12"],
)
def test_needs_found_as_their_patterns_find_them(text: str) -> None:
    """The word pre-check changes nothing: the needs present are those the patterns find."""
    expected = {need for need in dates_module._NEEDS if need.search(text)}
    assert dates_module._present_needs(text) == expected


def test_a_month_written_with_a_dotless_i_is_still_a_month() -> None:
    """ "dıcembre" matches the month case-insensitively, so its pre-check must let it through."""
    assert dates_module._MONTH_WORD in dates_module._present_needs("entro dıcembre 2025")


def test_every_match_of_a_rule_needing_a_year_prints_one() -> None:
    """A rule needing a year's digits is skipped in a text without them: on every line of the
    shipped attachment, each of its matches holds a year."""
    rules = [rule for rule in dates_module._RULES if dates_module._YEAR_DIGITS in rule.needs]
    assert len(rules) == 6
    matches = [
        match.group(0)
        for line in SEED.read_text(encoding="utf-8").splitlines()
        for rule in rules
        for match in rule.pattern.finditer(line)
    ]
    assert len(matches) > 100
    assert all(dates_module._YEAR_DIGITS.search(text) for text in matches)


def test_folded_replaces_the_characters_a_translation_folds() -> None:
    """The replacements give the translation by the fold table, on every character of it."""
    for text in ["GENNAİO ıſ \u212a", "İİ ıı", "plain", "già İ", ""]:
        assert dates_module._folded(text) == text.translate(dates_module._ASCII_FOLD).lower()
    assert dates_module._folded("dıcembre İ") == "dicembre i"
