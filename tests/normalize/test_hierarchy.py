"""Mission and strategic objective from the printed columns and the code."""

from __future__ import annotations

import pytest

from normalize.codes import parse_mission, parse_strategic
from normalize.headers import cell_kind
from normalize.hierarchy import Conflict, decide_hierarchy, mission_printed
from normalize.rows import field_by_content


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("M 01 Servizi istituzionali", (1, "Servizi istituzionali")),
        ("Missione 01 - Servizi istituzionali", (1, "Servizi istituzionali")),
        ("03 – Ordine pubblico e sicurezza", (3, "Ordine pubblico e sicurezza")),
        ("Missione 14", (14, "")),
        ("Miss. 03", (3, "")),
        ("Servizi", (None, "Servizi")),
        ("1.2 Ente digitale", (None, "1.2 Ente digitale")),
    ],
)
def test_mission_cell_forms(text, parsed):
    assert parse_mission(text) == parsed


@pytest.mark.parametrize(
    "text",
    ["03 – Ordine pubblico e sicurezza", "M 01 Servizi", "Missione 14", "Miss. 10 Trasporti"],
)
def test_every_stage_reads_a_mission_cell_alike(text):
    """One meaning, one parser: the hierarchy, the header detection and the row
    realignment all read a mission cell as a mission."""
    assert parse_mission(text)[0] is not None
    assert cell_kind(text) == "mission"
    assert field_by_content(text) == "mission"


def test_every_stage_reads_a_programme_line_alike():
    text = "1 Rafforzare l'ente"
    assert parse_mission(text)[0] is None
    assert cell_kind(text) != "mission"
    assert field_by_content(text) == "programme_line"


def test_missione_column_wins_over_a_mission_programme_code_and_the_conflict_is_kept():
    decided = decide_hierarchy("0201", "03 – Ordine pubblico", "", {}, {})
    assert (decided.mission_code, decided.mission_name) == (3, "Ordine pubblico")
    assert decided.conflicts == (Conflict("mission", 2, 3, 3),)


def test_a_codes_first_number_is_not_a_mission():
    decided = decide_hierarchy("2.1.1", "03 – Ordine pubblico", "", {}, {})
    assert decided.mission_code == 3
    assert decided.strategic_code == "2.1"
    assert decided.conflicts == ()


def test_three_level_code_wins_over_a_stale_strategic_cell():
    decided = decide_hierarchy(
        "9.2.2", "M 09 Ambiente", "9.1 Verde pubblico", {}, {"9.2": "Beni demaniali"}
    )
    assert (decided.strategic_code, decided.strategic_name) == ("9.2", "Beni demaniali")
    assert decided.conflicts == (Conflict("strategic", "9.2", "9.1", "9.2"),)


def test_agreeing_code_and_columns_give_no_conflict():
    decided = decide_hierarchy("1.1.1", "M 01 Servizi", "1.1 Efficienza", {}, {})
    assert decided.record() == {
        "mission_code": 1,
        "mission_name": "Servizi",
        "strategic_code": "1.1",
        "strategic_name": "Efficienza",
    }
    assert decided.conflicts == ()


def test_without_column_a_dotted_code_gives_no_mission():
    decided = decide_hierarchy("4.1.1", "", "", {4: "Istruzione"}, {})
    assert (decided.mission_code, decided.mission_name, decided.strategic_code) == (
        None,
        None,
        "4.1",
    )


@pytest.mark.parametrize(
    ("code", "objective", "mission"),
    [
        ("0401", "", 4),
        ("04.01", "", 4),
        ("04010601", "", 4),
        ("4.1.1", "M 04 – 4.1.1 SCUOLE SICURE", 4),
        ("4.1.1", "4.1.1 SCUOLE SICURE", None),
    ],
)
def test_without_column_the_mission_is_where_the_objective_prints_it(code, objective, mission):
    assert mission_printed(code, objective) == mission


def test_a_printed_mission_is_named_from_the_document():
    decided = decide_hierarchy("04.01", "", "", {4: "Istruzione"}, {})
    assert (decided.mission_code, decided.mission_name) == (4, "Istruzione")


def test_two_level_code_gives_no_mission_and_the_strategic_column_the_strategic():
    decided = decide_hierarchy("3.2", "", "3.1 Città sicura", {}, {})
    assert (decided.mission_code, decided.strategic_code) == (None, "3.1")
    assert decided.conflicts == ()


def test_neither_column_nor_multi_level_code_gives_nulls():
    decided = decide_hierarchy("01", "", "", {}, {})
    assert decided.record() == {
        "mission_code": None,
        "mission_name": None,
        "strategic_code": None,
        "strategic_name": None,
    }


@pytest.mark.parametrize(
    ("text", "parsed", "kind", "field"),
    [
        ("1.2 Ente digitale", ("1.2", "Ente digitale"), "strategic", "strategic"),
        ("1.2. Migliorare l'accesso", ("1.2", "Migliorare l'accesso"), "strategic", "strategic"),
        ("1.2 2023", (None, "1.2 2023"), "text", "programme_line"),
    ],
)
def test_every_stage_reads_a_strategic_cell_alike(text, parsed, kind, field):
    """One meaning, one parser: codes.parse_strategic decides for the hierarchy, the header
    detection and the row realignment."""
    assert parse_strategic(text) == parsed
    assert cell_kind(text) == kind
    assert field_by_content(text) == field
