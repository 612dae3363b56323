"""The objective list + activity sheets genre, on hand-made raw documents."""

from __future__ import annotations

import datetime as dt

from extract.model import RawCell, RawDocument, RawRow, RawTable
from normalize.document import normalize_document
from normalize.objective_list import (
    detect_objective_list,
    month_columns,
    month_text,
    split_activity,
    split_code,
)

MONTHS = list("GFMAMGLASOND")


def row(texts: list[str], page: int = 1) -> RawRow:
    cells = tuple(RawCell(text=t, column=i, page=page) for i, t in enumerate(texts))
    return RawRow(cells=cells, pages=(page,))


def marks(months: set[int]) -> list[str]:
    return ["X" if month in months else "" for month in range(1, 13)]


def sheet(code_cell: str, activities: list[tuple[str, set[int]]], page: int) -> list[RawRow]:
    blank = [""] * 11
    rows = [
        row(["Obiettivo", code_cell, *blank], page),
        row(["Finalità", "Una descrizione", *blank], page),
        row(["Responsabile", "Rossi", *blank], page),
        row(["Attività", *MONTHS], page),
    ]
    return rows + [row([text, *marks(months)], page) for text, months in activities]


def document(tables: list[tuple[str, list[RawRow]]], preamble: str = "PIANO 2025") -> RawDocument:
    return RawDocument(
        source_name="lista.txt",
        source_sha256="ab" * 32,
        source_format="text",
        extractor="test",
        page_count=4,
        preamble=preamble,
        tables=tuple(
            RawTable(heading=heading, rows=tuple(rows), index=index)
            for index, (heading, rows) in enumerate(tables)
        ),
    )


def plan() -> RawDocument:
    """A list broken over two pages (its second part a table of its own, as a page break
    splits it), then two sheets, each a table headed by its caption (as a DOCX prints it)."""
    return document(
        [
            (
                "AREA AMMINISTRATIVA (AMM)",
                [
                    row(["Obiettivi", "Peso"]),
                    row(["n. 0 – Trasparenza (pre-requisito)", "X"]),
                    row(["n. 1 – Digitalizzazione", "60"]),
                ],
            ),
            ("", [row(["n. 2 – Archivio", "40"], 2), row(["Totale", "100"], 2)]),
            (
                "SCHEDA OBIETTIVO N. 1",
                sheet(
                    "n. 1 – DIGITALIZZAZIONE",
                    [("1. Mappatura", {1, 2, 3}), ("2. Moduli on-line", {4, 7})],
                    3,
                ),
            ),
            ("SCHEDA OBIETTIVO N. 2", sheet("n. 2", [("Riordino", {9, 10})], 4)),
        ]
    )


def test_month_header_read_in_its_three_forms_and_split_by_a_narrow_column():
    assert month_columns(["Attività", *MONTHS]) == tuple(range(1, 13))
    short = ["Fasi", "gen", "feb", "ma r", "apr", "mag", "giu", "lug", "ago", "set", "ott"]
    assert month_columns([*short, "nov", "dic"]) == tuple(range(1, 13))
    assert month_columns(["Attività", "G", "F", "M"]) is None


def test_list_code_and_sheet_code_split_from_their_titles():
    assert split_code("n. 1 – DIGITALIZZAZIONE DEI PROCEDIMENTI") == (
        "1",
        "DIGITALIZZAZIONE DEI PROCEDIMENTI",
    )
    assert split_code("n. 0 Rispetto degli equilibri") == ("0", "Rispetto degli equilibri")
    assert split_code("Totale") == (None, "Totale")


def test_activity_marker_split_from_its_text():
    assert split_activity("Fase 2 – Emissione degli avvisi") == ("2", "Emissione degli avvisi")
    assert split_activity("1. Mappatura dei procedimenti") == ("1", "Mappatura dei procedimenti")
    assert split_activity("Stesura della bozza") == (None, "Stesura della bozza")


def test_month_text_names_the_marked_span():
    assert month_text([1, 2, 3], 2025) == "gennaio-marzo 2025"
    assert month_text([5], 2025) == "maggio 2025"


def test_detector_needs_month_grids_and_a_weighted_list():
    confidence, reasons = detect_objective_list(plan())
    assert confidence >= 0.9
    assert any("month grid" in reason for reason in reasons)
    grid = document([("SETTORE X (X)", [row(["Obiettivo", "Indicatore", "Peso"])])])
    assert detect_objective_list(grid) == (0.0, [])


def test_list_objectives_with_weights_across_a_page_break_and_x_as_no_weight():
    records = normalize_document(plan()).records
    objectives = {r["objective_code"]: r for r in records["objectives"]}
    assert list(objectives) == ["0", "1", "2"]
    assert [objectives[c]["weight"] for c in "012"] == [None, 60, 40]
    assert [objectives[c]["weighting_pct"] for c in "012"] == [None, 60.0, 40.0]
    [sector] = records["sectors"]
    assert (sector["sector_code"], sector["weight_total"], sector["declared_weight_total"]) == (
        "AMM",
        100,
        100,
    )
    rules = [(f["rule"], f["objective_code"]) for f in records["quality"]]
    assert ("weight_prerequisite", "0") in rules
    assert ("weight_total_mismatch", None) not in rules


def test_sheets_give_titles_and_are_neither_sectors_nor_objectives():
    records = normalize_document(plan()).records
    assert [s["sector_code"] for s in records["sectors"]] == ["AMM"]
    objectives = {r["objective_code"]: r for r in records["objectives"]}
    assert objectives["1"]["title"] == "DIGITALIZZAZIONE"
    assert objectives["2"]["title"] == "Archivio"
    assert objectives["1"]["description"] == "Una descrizione"
    assert objectives["1"]["responsible"] == "Rossi"
    assert not any("~" in r["objective_code"] for r in records["objectives"])


def test_activities_are_items_and_their_marked_months_their_period():
    records = normalize_document(plan()).records
    items = [(i["objective_code"], i["item"], i["indicator"]) for i in records["items"]]
    assert items == [("1", "1", "Mappatura"), ("1", "2", "Moduli on-line"), ("2", "1", "Riordino")]
    dates = [
        (d["objective_code"], d["item"], d["start_date"], d["date"], d["precision"], d["kind"])
        for d in records["dates"]
    ]
    assert dates == [
        ("1", "1", dt.date(2025, 1, 1), dt.date(2025, 3, 31), "month", "period"),
        ("1", "2", dt.date(2025, 4, 1), dt.date(2025, 7, 31), "month", "period"),
        ("2", "1", dt.date(2025, 9, 1), dt.date(2025, 10, 31), "month", "period"),
    ]
    objective = next(r for r in records["objectives"] if r["objective_code"] == "1")
    assert (objective["period_start"], objective["period_end"]) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 7, 31),
    )


def test_every_cell_is_kept_with_the_field_it_was_read_as():
    records = normalize_document(plan()).records
    fields = {
        (c["table_index"], c["row_index"], c["column_index"]): c["field"] for c in records["cells"]
    }
    assert fields[(0, 1, 1)] == "weight"
    assert fields[(2, 4, 0)] == "indicator"
    assert fields[(2, 4, 1)] == "period"
    assert len(records["cells"]) == sum(len(r.cells) for t in plan().tables for r in t.rows)


def test_activity_without_a_marked_month_is_a_finding():
    raw = document(
        [
            ("AREA TECNICA (TEC)", [row(["Obiettivi", "Peso"]), row(["n. 1 Strade", "100"])]),
            ("", sheet("n. 1", [("Sopralluoghi", set())], 2)),
        ]
    )
    records = normalize_document(raw).records
    assert [f["rule"] for f in records["quality"] if f["rule"] == "activity_period_missing"] == [
        "activity_period_missing"
    ]
    assert records["dates"] == []


def test_prerequisite_finding_speaks_italian_with_the_sector_total():
    records = normalize_document(plan()).records
    [finding] = [f for f in records["quality"] if f["rule"] == "weight_prerequisite"]
    assert finding["message_it"] == (
        "Peso stampato come X (obiettivo pre-requisito): nessun peso, escluso dal totale del "
        "settore 100"
    )


def test_list_weighted_by_percentages_keeps_them_as_printed():
    raw = document(
        [
            (
                "SERVIZIO TRIBUTI (TRI)",
                [
                    row(["N.", "Obiettivo", "Peso %"]),
                    row(["1", "Obiettivo n. 1 Accertamenti", "62,5%"]),
                    row(["2", "Obiettivo n. 2 Rimborsi", "37,5%"]),
                ],
            ),
            ("", sheet("n. 1", [("Avvisi", {3})], 2)),
        ]
    )
    records = normalize_document(raw).records
    assert [
        (o["objective_code"], o["title"], o["weight"], o["weighting_pct"])
        for o in records["objectives"]
    ] == [
        ("1", "Accertamenti", None, 62.5),
        ("2", "Rimborsi", None, 37.5),
    ]
    assert records["sectors"][0]["weight_scheme"] == "percent"
    rules = {f["rule"] for f in records["quality"]}
    assert not rules & {"declared_total_missing", "weighting_pct_sum", "weight_prerequisite"}


def test_activity_marker_in_its_own_column_and_the_year_printed_over_the_grid():
    blank = [""] * 11
    rows = [
        row(["Obiettivo", "n. 1 – STRADE", *blank], 2),
        row(["", "", "", "", "", "", "", "2026", "", "", "", "", "", ""], 2),
        row(["N.", "Fase", *MONTHS], 2),
        row(["1", "Sopralluoghi", *marks({2, 3})], 2),
    ]
    raw = document(
        [
            ("AREA TECNICA (TEC)", [row(["Obiettivi", "Peso"]), row(["n. 1 Strade", "100"])]),
            ("", rows),
        ],
        preamble="PIANO DEGLI OBIETTIVI",
    )
    records = normalize_document(raw).records
    [item] = records["items"]
    assert (item["item"], item["indicator"]) == ("1", "Sopralluoghi")
    [date] = records["dates"]
    assert (date["start_date"], date["date"]) == (dt.date(2026, 2, 1), dt.date(2026, 3, 31))


def test_a_sheet_names_its_stakeholders():
    rows = sheet("n. 1 – DIGITALIZZAZIONE", [("1. Mappatura", {1, 2})], 3)
    rows.insert(3, row(["Portatori di interesse", "Cittadini e imprese", *[""] * 11], 3))
    raw = document(
        [
            (
                "AREA AMMINISTRATIVA (AMM)",
                [row(["Obiettivi", "Peso"]), row(["n. 1 – Dig.", "100"])],
            ),
            ("SCHEDA OBIETTIVO N. 1", rows),
        ]
    )
    (objective,) = normalize_document(raw).records["objectives"]
    assert (objective["responsible"], objective["stakeholders"]) == ("Rossi", "Cittadini e imprese")
