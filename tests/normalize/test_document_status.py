"""A whole document's status and its missions, on small synthetic tables: the rules of
normalize.status wired into normalize.document, and the mission only where it is printed."""

from __future__ import annotations

from extract.model import RawCell, RawDocument, RawRow, RawTable
from normalize import normalize_document

WITH_MISSION = ["Missione", "Obiettivo operativo", "Indicatore", "Target", "Scadenza", "Peso"]
WITHOUT_MISSION = WITH_MISSION[1:]


def raw_document(rows: list[list[str]]) -> RawDocument:
    table = RawTable(
        heading="SETTORE FINANZE (FIN)",
        rows=tuple(
            RawRow(tuple(RawCell(text, c, 1, line) for c, text in enumerate(cells)), (1,), line)
            for line, cells in enumerate(rows, start=1)
        ),
        index=0,
    )
    return RawDocument("test.txt", "0" * 64, "text", "text", 1, "PIAO 2025-2027", (table,))


def row(code: str, weight: str, deadline: str = "30/06/2025") -> list[str]:
    return [f"{code} BILANCIO. Approvazione", "Atti approvati", "100%", deadline, weight]


def document_row(rows: list[list[str]]) -> dict:
    return normalize_document(raw_document(rows)).records["documents"][0]


def test_a_plain_grid_is_ok_with_its_coverage():
    row_ = document_row(
        [WITHOUT_MISSION, row("2.1.1", "3"), row("2.1.2", "2"), ["Totale"] + [""] * 3 + ["5"]]
    )
    assert (row_["status"], row_["status_reasons"]) == ("ok", [])
    assert row_["text_coverage"] == 1.0


def test_weights_missing_the_printed_total_make_the_document_doubtful():
    document = normalize_document(
        raw_document(
            [WITHOUT_MISSION, row("2.1.1", "3"), row("2.1.2", "2"), ["Totale"] + [""] * 3 + ["9"]]
        )
    )
    row_ = document.records["documents"][0]
    assert row_["status"] == "doubtful"
    assert row_["status_reasons"] == [
        "weights_miss_declared_total: weights sum to 5, the totale row says 9 (sector FIN, totale)"
    ]
    doubts = [q for q in document.records["quality"] if q["rule"] == "doubtful_reading"]
    assert [(q["severity"], q["sector_code"], q["location"]) for q in doubts] == [
        ("warning", "FIN", "totale")
    ]


def test_an_impossible_date_stays_a_finding_and_the_document_ok():
    document = normalize_document(
        raw_document([WITHOUT_MISSION, row("2.1.1", "3", "31/06/2025"), row("2.1.2", "2")])
    )
    assert [q["rule"] for q in document.records["quality"]].count("impossible_date") == 1
    assert document.records["documents"][0]["status"] == "ok"


def test_the_documents_row_comes_last_with_the_status():
    document = normalize_document(raw_document([WITHOUT_MISSION, row("2.1.1", "3")]))
    assert list(document.records)[-1] == "documents"


def objectives_and_findings(rows: list[list[str]]) -> tuple[list, list]:
    records = normalize_document(raw_document(rows)).records
    found = [q["message"] for q in records["quality"] if q["rule"] == "mission_not_printed"]
    return [(o["objective_code"], o["mission_code"]) for o in records["objectives"]], found


def test_without_missione_a_dotted_codes_first_number_is_no_mission_and_a_finding_says_why():
    objectives, found = objectives_and_findings(
        [WITHOUT_MISSION, row("2.1.1", "3"), row("2.1.2", "2")]
    )
    assert objectives == [("2.1.1", None), ("2.1.2", None)]
    assert found == [
        "no Missione column or field, no M 01 prefix and no mission–programme code "
        "(0101, 01.01): mission_code left empty for 2 objective(s) (2.1.1, 2.1.2)"
    ]


def test_a_missione_column_gives_the_mission_without_a_finding():
    objectives, found = objectives_and_findings(
        [WITH_MISSION, ["03 – Ordine pubblico", *row("2.1.1", "3")]]
    )
    assert (objectives, found) == ([("2.1.1", 3)], [])


def test_a_mission_programme_code_gives_the_mission():
    objectives, found = objectives_and_findings([WITHOUT_MISSION, row("Obiettivo 01.01", "3")])
    assert (objectives, found) == ([("01.01", 1)], [])
