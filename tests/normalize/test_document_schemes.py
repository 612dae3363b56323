"""Whole-document rules for any administration's layout, on small synthetic tables: sector
heading rows inside a table, derived sector codes, and the four weighting schemes (priority,
points, percent, none).
"""

from __future__ import annotations

from extract.model import RawCell, RawDocument, RawRow, RawTable
from normalize import normalize_document

HEADER = ["Missione", "Obiettivo operativo", "Indicatore", "Target", "Scadenza", "Peso", "Peso %"]


def raw_document(*tables: tuple[str, list[list[str]]]) -> RawDocument:
    raw_tables = tuple(
        RawTable(
            heading=heading,
            rows=tuple(
                RawRow(tuple(RawCell(text, c, 1, line) for c, text in enumerate(cells)), (1,), line)
                for line, cells in enumerate(rows, start=1)
            ),
            index=index,
        )
        for index, (heading, rows) in enumerate(tables)
    )
    return RawDocument("test.txt", "0" * 64, "text", "text", 1, "PIAO 2025-2027", raw_tables)


def row(code: str, weight: str = "", pct: str = "", mission: str = "M 01") -> list[str]:
    return [mission, f"{code} TITOLO. Descrizione", "a) uno", "a) 1", "a) 30/06/2025", weight, pct]


def rules(document, rule: str) -> list[dict]:
    return [r for r in document.records["quality"] if r["rule"] == rule]


def test_heading_rows_inside_one_table_make_two_sectors():
    document = normalize_document(
        raw_document(
            (
                "OBIETTIVI OPERATIVI 2025",
                [
                    HEADER,
                    ["DIREZIONE RISORSE E BILANCIO (RB)"] + [""] * 6,
                    row("1.2.1", "3", "60%"),
                    row("1.2.2", "2", "40%"),
                    ["SETTORE TECNICO"] * 7,
                    row("1.2.1", "5", "100%", "M 08"),
                    ["TOTALE SETTORE TEC", "", "", "", "", "5", "100%"],
                ],
            )
        )
    )
    sectors = document.records["sectors"]
    assert [(s["sector_code"], s["sector_name"], s["objective_count"]) for s in sectors] == [
        ("RB", "RISORSE E BILANCIO", 2),
        ("TEC", "TECNICO", 1),
    ]
    objectives = document.records["objectives"]
    assert [(o["sector_code"], o["objective_code"], o["row_index"]) for o in objectives] == [
        ("RB", "1.2.1", 2),
        ("RB", "1.2.2", 3),
        ("TEC", "1.2.1", 5),
    ]
    assert sectors[1]["declared_weight_total"] == 5
    assert [r["sector_code"] for r in rules(document, "sector_code_derived")] == ["TEC"]
    cells = document.records["cells"]
    keys = [(c["table_index"], c["row_index"], c["column_index"]) for c in cells]
    assert len(keys) == len(set(keys))
    assert {c["sector_code"] for c in cells if c["row_index"] == 5} == {"TEC"}


def test_derived_sector_codes_are_unique_within_the_document():
    document = normalize_document(
        raw_document(
            ("SETTORE AFFARI GENERALI (AG)", [HEADER, row("1.1.1", "1", "100%")]),
            ("AREA AMBIENTE GIARDINI", [HEADER, row("1.1.1", "1", "100%")]),
        )
    )
    assert [s["sector_code"] for s in document.records["sectors"]] == ["AG", "AG2"]
    assert [o["sector_code"] for o in document.records["objectives"]] == ["AG", "AG2"]


def test_priority_weights_give_ponderazione_over_the_total():
    document = normalize_document(
        raw_document(
            (
                "SETTORE FINANZE (FIN)",
                [
                    HEADER,
                    row("1.1.1", "3", "75%"),
                    row("1.1.2", "1", ""),
                    ["Totale"] + [""] * 4 + ["4", ""],
                ],
            )
        )
    )
    (sector,) = document.records["sectors"]
    assert (sector["weight_scheme"], sector["weight_total"]) == ("priority", 4)
    assert [o["weighting_pct"] for o in document.records["objectives"]] == [75.0, 25.0]
    assert len(rules(document, "weighting_pct_derived")) == 1


def test_points_summing_to_100():
    document = normalize_document(
        raw_document(
            (
                "AREA POLIZIA LOCALE - PL",
                [
                    HEADER,
                    row("1", "60"),
                    row("2", "40"),
                    ["Totale punti servizio PL"] + [""] * 4 + ["100", ""],
                ],
            )
        )
    )
    (sector,) = document.records["sectors"]
    assert (sector["sector_code"], sector["weight_scheme"]) == ("PL", "points")
    assert [(o["weight"], o["weighting_pct"]) for o in document.records["objectives"]] == [
        (60, 60.0),
        (40, 40.0),
    ]
    assert not rules(document, "weight_total_mismatch")
    assert not rules(document, "points_total_not_100")


def test_points_not_making_100_are_a_finding():
    document = normalize_document(
        raw_document(
            (
                "AREA X (X)",
                [HEADER, row("1", "60"), row("2", "30"), ["Totale"] + [""] * 4 + ["100", ""]],
            )
        )
    )
    assert document.records["sectors"][0]["weight_scheme"] == "points"
    assert len(rules(document, "points_total_not_100")) == 1
    assert len(rules(document, "weight_total_mismatch")) == 1


def test_percentages_only_leave_the_weight_empty_without_an_error_per_row():
    document = normalize_document(
        raw_document(
            (
                "SERVIZIO AMBIENTE (AMB)",
                [
                    HEADER,
                    row("1", "", "62,5%"),
                    row("2", "", "37,5%"),
                    ["Totale"] + [""] * 5 + ["100%"],
                ],
            )
        )
    )
    (sector,) = document.records["sectors"]
    assert (sector["weight_scheme"], sector["weight_total"]) == ("percent", None)
    assert [(o["weight"], o["weighting_pct"]) for o in document.records["objectives"]] == [
        (None, 62.5),
        (None, 37.5),
    ]
    assert not rules(document, "weight_missing")
    assert not rules(document, "weighting_pct_sum")
    assert not rules(document, "declared_total_missing")


def test_percentage_printed_in_the_weight_column():
    document = normalize_document(
        raw_document(("SERVIZIO AMBIENTE (AMB)", [HEADER, row("1", "12,5%"), row("2", "87,5%")]))
    )
    assert [o["weighting_pct"] for o in document.records["objectives"]] == [12.5, 87.5]
    assert document.records["sectors"][0]["weight_scheme"] == "percent"


def test_percentages_not_making_100_are_a_finding():
    document = normalize_document(
        raw_document(
            ("SERVIZIO AMBIENTE (AMB)", [HEADER, row("1", "", "50%"), row("2", "", "30%")])
        )
    )
    assert len(rules(document, "weighting_pct_sum")) == 1


def test_no_weights_at_all_is_one_sector_finding():
    document = normalize_document(
        raw_document(("DIREZIONE RISORSE (RB)", [HEADER, row("1.2.1"), row("1.2.2"), row("1.2.3")]))
    )
    (sector,) = document.records["sectors"]
    assert sector["weight_scheme"] == "none"
    assert all(
        o["weight"] is None and o["weighting_pct"] is None for o in document.records["objectives"]
    )
    assert [r["severity"] for r in rules(document, "weights_absent")] == ["info"]
    assert not rules(document, "weight_missing")
    assert not rules(document, "declared_total_missing")


def test_points_with_decimals_are_percentages():
    document = normalize_document(
        raw_document(("AREA X (X)", [HEADER, row("1", "62,5"), row("2", "37,5")]))
    )
    assert document.records["sectors"][0]["weight_scheme"] == "percent"
    assert [(o["weight"], o["weighting_pct"]) for o in document.records["objectives"]] == [
        (None, 62.5),
        (None, 37.5),
    ]
