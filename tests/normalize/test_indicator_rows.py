"""The indicator-rows genre: one row per indicator under a merged objective cell, baselines
and targets by year."""

from __future__ import annotations

from extract.model import RawCell, RawDocument, RawRow, RawTable
from normalize.cleaning import fold
from normalize.document import normalize_document
from normalize.headers import read_header
from normalize.indicator_rows import (
    detect_indicator_rows,
    may_name_indicator,
    spread_over_items,
)
from normalize.sectors import read_sector
from normalize.settings import NormalizeSettings

SETTINGS = NormalizeSettings()
HEADER = [
    "Obiettivo operativo",
    "Responsabile",
    "Peso",
    "Indicatore",
    "Baseline 2024",
    "Target 2025",
    "Target 2026",
    "Target 2027",
]
ROWS = [
    HEADER,
    [
        *("2.1.1 SPORTELLO UNICO. Servizi on-line", "Dott. Neri", "60", "Pratiche on-line"),
        *("40%", "≥ 50%", "≥ 60%", "≥ 70%"),
    ],
    ["", "", "", "Tempo medio di risposta (giorni)", "30", "25", "20", "15"],
    [
        *("2.1.2 TRASPARENZA. Aggiornamento della sezione", "Dott. Neri", "40", "Obblighi"),
        *("85%", "90%", "95%", "100%"),
    ],
    ["totale", "", "100", "", "", "", "", ""],
]


def raw_table(rows: list[list[str]], pages: list[int] | None = None) -> RawTable:
    pages = pages or [1] * len(rows)
    raw_rows = tuple(
        RawRow(
            cells=tuple(RawCell(text, column, page, line) for column, text in enumerate(cells)),
            pages=(page,),
            line=line,
        )
        for line, (cells, page) in enumerate(zip(rows, pages, strict=True), start=1)
    )
    return RawTable(heading="SETTORE SERVIZI AL CITTADINO (SSC)", rows=raw_rows, index=0)


def raw_document(rows: list[list[str]], pages: list[int] | None = None) -> RawDocument:
    return RawDocument(
        source_name="comune_prova_piao_2025-2027.txt",
        source_sha256="ab" * 32,
        source_format="text",
        extractor="text",
        page_count=max(pages or [1]),
        preamble="Comune di Prova\nPIAO 2025-2027",
        tables=(raw_table(rows, pages),),
    )


def test_header_names_the_first_year_target_and_the_later_years_apart():
    mapping = read_header(ROWS, SETTINGS).mapping
    assert (mapping["baseline"], mapping["target"]) == (4, 5)
    assert (mapping["target_2026"], mapping["target_2027"]) == (6, 7)
    assert "weighting_pct" not in mapping  # a percent target column is not the ponderazione


def test_a_row_of_numbers_is_an_indicator_not_a_phantom_objective():
    sector = read_sector(raw_table(ROWS), SETTINGS)
    assert [row.codes[0].code for row in sector.objectives] == ["2.1.1", "2.1.2"]
    assert [row.fields["weight"] for row in sector.objectives] == ["60", "40"]
    assert sector.declared_total == 100
    first = sector.objectives[0].indicator_rows
    assert first is not None and len(first) == 2
    assert first[1]["target_2027"] == "15"


def test_each_indicator_row_is_one_unmarked_item_with_its_baseline():
    items = normalize_document(raw_document(ROWS)).records["items"]
    first = [item for item in items if item["objective_code"] == "2.1.1"]
    assert [(i["item_seq"], i["item"]) for i in first] == [(1, None), (2, None)]
    assert [i["indicator"] for i in first] == [
        "Pratiche on-line",
        "Tempo medio di risposta (giorni)",
    ]
    assert [i["target"] for i in first] == ["≥ 50%", "25"]
    assert [(i["baseline"], i["baseline_year"]) for i in first] == [("40%", 2024), ("30", 2024)]


def test_every_target_year_gives_a_targets_row():
    targets = normalize_document(raw_document(ROWS)).records["targets"]
    assert len(targets) == 3 * 3
    second = [(t["year"], t["value"], t["comparator"]) for t in targets if t["item_seq"] == 2]
    assert second == [(2025, 25.0, None), (2026, 20.0, None), (2027, 15.0, None)]
    assert targets[0]["unit"] == "%" and targets[0]["comparator"] == "≥"


def test_weights_of_the_sector_are_the_objectives_own():
    objectives = normalize_document(raw_document(ROWS)).records["objectives"]
    assert [(o["weight"], o["weighting_pct"]) for o in objectives] == [(60, 60.0), (40, 40.0)]


def test_page_break_inside_a_merged_group_continues_the_objective():
    rows = [*ROWS[:2], HEADER, *ROWS[2:]]
    document = normalize_document(raw_document(rows, [1, 1, 2, 2, 2, 2]))
    objectives = document.records["objectives"]
    assert [o["objective_code"] for o in objectives] == ["2.1.1", "2.1.2"]
    assert objectives[0]["source_pages"] == [1, 2]
    assert sum(i["objective_code"] == "2.1.1" for i in document.records["items"]) == 2


STAKEHOLDERS = ["Stakeholder", "Imprese", "", "", ""]


def test_stakeholders_column_fills_the_objective():
    rows = [[*row, text] for row, text in zip(ROWS, STAKEHOLDERS, strict=True)]
    objectives = normalize_document(raw_document(rows)).records["objectives"]
    assert [o["stakeholders"] for o in objectives] == ["Imprese", None]


def test_grid_cell_spread_over_marked_items_by_position():
    assert spread_over_items("a) 10\nb) 20", 2) == ["10", "20"]
    assert spread_over_items("10", 2) == ["10", None]


def test_detector_names_the_genre_and_why():
    confidence, reasons = detect_indicator_rows(raw_document(ROWS))
    assert confidence >= 0.8
    assert any("2025, 2026, 2027" in reason for reason in reasons)


def test_detector_does_not_see_the_genre_in_a_grid():
    grid = [
        ["Obiettivo", "Indicatore", "Target", "Scadenza", "Peso"],
        ["1.1 X", "a", "b", "c", "3"],
    ]
    assert detect_indicator_rows(raw_document(grid)) == (0.0, [])


def test_only_rows_that_may_name_the_indicator_are_mapped():
    settings = NormalizeSettings()
    aliases = tuple(map(fold, settings.header_aliases["indicator"]))
    header = ["Obiettivo", "Indicatori di risultato", "Target 2025"]
    data = ["Servizi on-line", "Pratiche evase", "50%"]
    assert may_name_indicator(header, aliases, settings.header_min_score)
    assert not may_name_indicator(data, aliases, settings.header_min_score)
    assert not may_name_indicator(header, (), settings.header_min_score)


GRID = [
    ["Obiettivo", "Indicatore", "Target", "Scadenza", "Peso"],
    ["1.1.1 SPORTELLO. Servizi on-line", "Pratiche on-line", "50%", "31/12/2025", "3"],
    ["", "Tempo di risposta", "20 giorni", "30/06/2025", ""],
    ["1.1.2 ARCHIVIO. Riordino", "a) Fascicoli\nb) Scarto", "a) 100\nb) 1", "31/12/2025", "2"],
    ["totale", "", "", "", "5"],
]


def test_grid_row_with_its_own_indicator_and_target_is_the_next_indicator():
    document = normalize_document(raw_document(GRID))
    items = [(i["objective_code"], i["item"], i["indicator"]) for i in document.records["items"]]
    assert items == [
        ("1.1.1", None, "Pratiche on-line"),
        ("1.1.1", None, "Tempo di risposta"),
        ("1.1.2", "a", "Fascicoli"),
        ("1.1.2", "b", "Scarto"),
    ]
    deadlines = [d["date"].isoformat() for d in document.records["dates"] if d["item_seq"]]
    assert deadlines[:2] == ["2025-12-31", "2025-06-30"]


def test_grid_row_with_objective_text_is_not_an_indicator_row():
    rows = [GRID[0], GRID[1], ["Continua il testo", "Altro", "", "", ""], GRID[4]]
    items = normalize_document(raw_document(rows)).records["items"]
    assert [i["indicator"] for i in items] == ["Pratiche on-line\nAltro"]


def test_detector_reads_years_under_a_grouped_target_heading():
    rows = [
        ["Codice", "Obiettivo", "Indicatore", "TARGET", "", ""],
        ["", "", "", "2025", "2026", "2027"],
        ["0101", "X. Testo", "Pratiche", "10", "12", "14"],
    ]
    confidence, reasons = detect_indicator_rows(raw_document(rows))
    assert confidence == 0.9
    assert reasons == ["targets by year [2025, 2026, 2027] in a header"]


def test_detector_sees_indicator_rows_under_a_merged_objective_cell_of_a_grid():
    confidence, reasons = detect_indicator_rows(raw_document([*GRID[:3], GRID[2], GRID[4]]))
    assert (confidence, reasons) == (0.7, ["2 indicator rows under a merged objective cell"])


def test_stakeholders_printed_per_indicator_join_the_objective_without_a_finding():
    per_row = ["Stakeholder", "Imprese", "Cittadini", "Imprese", ""]
    rows = [[*row, text] for row, text in zip(ROWS, per_row, strict=True)]
    document = normalize_document(raw_document(rows))
    assert [o["stakeholders"] for o in document.records["objectives"]] == [
        "Imprese\nCittadini",
        "Imprese",
    ]
    assert not [f for f in document.records["quality"] if f["rule"] == "continuation_row_merged"]


def test_grid_indicator_row_ending_in_a_number_is_not_realigned_into_an_objective():
    rows = [
        ["Obiettivo", "Indicatore", "Target", "Peso"],
        ["1.1.1 SPORTELLO. Servizi on-line", "Pratiche on-line", "50", "3"],
        ["", "Pratiche evase", "120", ""],
        ["totale", "", "", "3"],
    ]
    document = normalize_document(raw_document(rows))
    assert [o["objective_code"] for o in document.records["objectives"]] == ["1.1.1"]
    assert [i["target"] for i in document.records["items"]] == ["50", "120"]
    assert document.records["objectives"][0]["weight"] == 3


def test_a_grid_target_heading_naming_a_year_gives_its_targets_that_year():
    rows = [["Obiettivo", "Indicatore", "Valore atteso 2025", "Scadenza", "Peso"], *GRID[1:]]
    targets = normalize_document(raw_document(rows)).records["targets"]
    assert [(t["objective_code"], t["item_seq"], t["year"], t["target"]) for t in targets] == [
        ("1.1.1", 1, 2025, "50%"),
        ("1.1.1", 2, 2025, "20 giorni"),
        ("1.1.2", 1, 2025, "100"),
        ("1.1.2", 2, 2025, "1"),
    ]


def test_detector_does_not_see_the_genre_in_a_card_indicator_table():
    """A card's indicator table prints targets by year and a baseline, but no objective
    column: the objective is the card's key/value rows above it."""
    rows = [
        ["Indicatore", "Baseline 2024", "Target 2025", "Target 2026", "Fonte"],
        ["Pratiche on-line", "40%", "50%", "60%", "Portale"],
    ]
    assert detect_indicator_rows(raw_document(rows)) == (0.0, [])
