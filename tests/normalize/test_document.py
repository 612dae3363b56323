"""The real document end to end: values read by hand from the attachment.

Regression tests are named after the defect of the real document they pin down.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from schema import TABLES


def objective(tables: dict[str, pd.DataFrame], sector: str, code: str) -> pd.Series:
    objectives = tables["objectives"]
    rows = objectives[(objectives.sector_code == sector) & (objectives.objective_code == code)]
    assert len(rows) == 1, (sector, code)
    return rows.iloc[0]


def findings(tables: dict[str, pd.DataFrame], rule: str) -> pd.DataFrame:
    quality = tables["quality"]
    return quality[quality.rule == rule]


def test_four_sectors_with_declared_totals_matching_the_weights(tables, expected):
    sectors = tables["sectors"].set_index("sector_code")
    assert list(sectors.index) == list(expected.SECTORS)
    for code, (total, count, pages) in expected.SECTORS.items():
        assert sectors.loc[code, "declared_weight_total"] == total
        assert sectors.loc[code, "weight_total"] == total
        assert sectors.loc[code, "objective_count"] == count
        assert list(sectors.loc[code, "source_pages"]) == pages
    assert sectors.loc["SAP", "sector_name"] == "SERVIZI ALLE PERSONE DEL COMUNE"
    assert findings(tables, "weight_total_mismatch").empty


def test_48_objectives_in_document_order_unique_per_sector_and_code(tables, expected):
    objectives = tables["objectives"]
    assert len(objectives) == 48
    assert not objectives.duplicated(["sector_code", "objective_code"]).any()
    for sector, codes in expected.OBJECTIVE_CODES.items():
        in_sector = objectives[objectives.sector_code == sector]
        assert list(in_sector.objective_code) == codes
        assert list(in_sector.weight) == expected.WEIGHTS[sector]
        assert list(in_sector.row_number) == list(range(1, len(codes) + 1))


def test_same_code_recurs_in_several_sectors(tables):
    objectives = tables["objectives"]
    anticorruzione = objectives[objectives.objective_code == "1.1.1"]
    assert list(anticorruzione.sector_code) == ["STAFF", "SAP", "FIN", "TEC"]
    assert set(anticorruzione.title) == {"ANTICORRUZIONE"}


def test_italian_percentages_parsed(tables):
    assert objective(tables, "STAFF", "1.1.1").weighting_pct == pytest.approx(26.3158)
    assert objective(tables, "SAP", "4.1.1.1").weighting_pct == pytest.approx(7.5758)
    assert objective(tables, "FIN", "1.2.1").weighting_pct == pytest.approx(11.63)
    sums = tables["objectives"].groupby("sector_code").weighting_pct.sum()
    assert sums.to_dict() == pytest.approx(
        {"STAFF": 100, "SAP": 100, "FIN": 100, "TEC": 100}, abs=0.05
    )


def test_tec_1_3_1_shifted_row_is_realigned(tables):
    row = objective(tables, "TEC", "1.3.1")
    assert row.strategic_code == "1.3"
    assert row.strategic_name == "Attrarre risorse esterne per lo sviluppo del territorio"
    assert row.description.startswith("1.3.1 Analisi e predisposizione elementi propedeutici")
    assert row.realization_period == "2023"
    assert row.assessore == "Sindaco"
    assert row.responsible == "Tutti i Dirigenti, Segretario e Dirigenti Unione"
    assert row.weight == 5
    found = findings(tables, "row_realigned")
    shifted = found[found.objective_code == "1.3.1"]
    assert len(shifted) == 1
    assert "shifted 1 column(s) to the right" in shifted.iloc[0].message
    assert shifted.iloc[0].line == 104


def test_tec_1_3_1_missing_ponderazione_is_derived_as_6_94(tables):
    row = objective(tables, "TEC", "1.3.1")
    assert row.weighting_pct == pytest.approx(6.94)
    assert bool(row.weighting_pct_derived)
    derived = findings(tables, "weighting_pct_derived")
    assert list(derived.objective_code) == ["1.3.1"]
    assert "5/72" in derived.iloc[0].message
    assert tables["objectives"].weighting_pct_derived.sum() == 1


def test_tec_9_3_2_6_row_starting_at_column_0_is_realigned(tables):
    row = objective(tables, "TEC", "9.3.2.6")
    assert row.title.startswith("OPERE DI REALIZZAZIONE NUOVO CAMPO DA CALCIO A 11")
    assert row.realization_period == "2023-2024"
    assert row.assessore.startswith("Sindaco/Assessore LL.PP.")
    assert row.responsible.startswith("Dirigente Settore - Personale servizio progettazione")
    assert row.weight == 5
    assert row.weighting_pct == pytest.approx(6.94)
    assert not row.weighting_pct_derived
    found = findings(tables, "row_realigned")
    assert (
        "lost its 3 leading empty cell(s)"
        in found[found.objective_code == "9.3.2.6"].iloc[0].message
    )


def test_tec_9_3_2_6_pnrr_investment_number_is_not_an_objective_code(tables):
    assert list(objective(tables, "TEC", "9.3.2.6").codes) == ["9.3.2.6"]


def test_strategic_code_conflicts_are_recorded_and_the_code_wins(tables, expected):
    found = findings(tables, "strategic_code_conflict")
    assert (
        set(zip(found.sector_code, found.objective_code, strict=True))
        == expected.STRATEGIC_CONFLICTS
    )
    fin = objective(tables, "FIN", "9.2.2")
    assert (fin.mission_code, fin.strategic_code) == (9, "9.2")
    assert fin.strategic_name == "Beni demaniali e patrimoniali"
    tec = objective(tables, "TEC", "9.3.2.1")
    assert (tec.mission_code, tec.strategic_code) == (9, "9.3")
    assert tec.strategic_name == "Opere Pubbliche - completamento e nuove realizzazioni"


def test_mission_derived_from_code_and_named_from_missione_cell(tables):
    row = objective(tables, "SAP", "14.1.1.1")
    assert row.mission_code == 14
    assert row.mission_name == "Sviluppo economico e competitività"
    assert objective(tables, "TEC", "11.1.1.1").mission_name == "Soccorso Civile"


def test_sap_5_2_strategic_only_row_is_carried_forward(tables):
    row = objective(tables, "SAP", "5.2.2.1")
    assert row.strategic_code == "5.2"
    assert row.strategic_name == "Biblioteca e attività culturali"
    context = findings(tables, "context_only_row")
    assert len(context) == 1 and context.iloc[0].line == 48


def test_multi_code_cells_keep_every_code(tables, expected):
    for (sector, code), codes in expected.MULTI_CODE_CELLS.items():
        assert list(objective(tables, sector, code).codes) == codes


def test_sap_4_1_2_1_heading_before_the_code_still_keys_by_first_code(tables):
    row = objective(tables, "SAP", "4.1.2.1")
    assert row.title == "SCUOLE D'INFANZIA STATALI"
    assert row.description.startswith("POTENZIAMENTO DEI SERVIZI EDUCATIVI E SCOLASTICI")
    assert row.description.count("\n") == 6  # seven <p> paragraphs


def test_programme_line_carried_and_html_removed(tables):
    row = objective(tables, "STAFF", "1.3.1")
    assert row.programme_line == "2. FUNZIONI GENERALI DI AMMINISTRAZIONE E CONTROLLO"


def test_lettered_items_count_and_objectives_without_letters(tables):
    items = tables["items"]
    assert items.item.notna().sum() == 122
    unlettered = items[items.item.isna()]
    assert len(unlettered) == 14
    assert not items.duplicated(["sector_code", "objective_code", "item_seq"]).any()
    fin = items[(items.sector_code == "FIN") & (items.objective_code == "1.5.2")]
    assert len(fin) == 1
    assert fin.iloc[0].indicator == "Miglioramento della % di copertura"
    assert fin.iloc[0].target == "Entro il 31.12.2023."
    assert fin.iloc[0].deadline == "2023"


def test_staff_1_1_3_code_qualified_items(tables):
    items = tables["items"]
    staff = items[(items.sector_code == "STAFF") & (items.objective_code == "1.1.3")]
    assert list(zip(staff.item_code, staff.item, strict=True)) == [
        ("1.1.3", "a"),
        ("1.1.3", "b"),
        ("1.1.3", "c"),
        ("1.1.4", "a"),
    ]
    assert staff.aligned.all()
    last = staff.iloc[-1]
    assert last.target == "Avvio sistema e progressiva implementazione delle funzionalità."
    assert last.deadline.startswith("Avvio sistema entro marzo 2023.")


def test_staff_1_3_1_shared_letter_list_gives_each_letter_the_deadline(tables):
    items = tables["items"]
    staff = items[(items.sector_code == "STAFF") & (items.objective_code == "1.3.1")]
    assert list(staff.item) == ["a", "b", "c", "d"]
    assert set(staff.deadline) == {"Entro il 31.12.2023"}
    assert staff.aligned.all()


def test_sap_12_1_1_1_duplicate_letter_is_flagged(tables):
    items = tables["items"]
    sap = items[(items.sector_code == "SAP") & (items.objective_code == "12.1.1.1")]
    b_items = sap[sap.item == "b"]
    assert len(b_items) == 2
    assert not b_items.aligned.any()
    assert list(b_items.target) == ["attivazione GARCIA dal 01/01/2024", "almeno 3"]


def test_misaligned_items_are_exactly_the_doubtful_letters(tables, expected):
    items = tables["items"]
    doubtful = items[~items.aligned]
    found = set(
        zip(
            doubtful.sector_code,
            doubtful.objective_code,
            doubtful.item_code,
            doubtful.item,
            strict=True,
        )
    )
    assert found == expected.MISALIGNED_ITEMS
    assert len(findings(tables, "item_misaligned")) == len(doubtful)


def test_fin_1_1_1_items_start_at_b_after_a_lead(tables):
    items = tables["items"]
    fin = items[(items.sector_code == "FIN") & (items.objective_code == "1.1.1")]
    assert pd.isna(fin.iloc[0]["item"])
    assert fin.iloc[0].indicator.startswith("Collaborazione con il Segretario")
    assert list(fin.item[1:]) == ["b", "c", "d", "e", "f"]
    gaps = findings(tables, "item_letter_gap")
    assert "a)" in gaps[(gaps.sector_code == "FIN")].iloc[0].message


def test_the_two_impossible_dates_are_flagged(tables, expected):
    dates = tables["dates"]
    invalid = dates[~dates.valid]
    found = set(
        zip(invalid.sector_code, invalid.objective_code, invalid.item, invalid.text, strict=True)
    )
    assert found == expected.IMPOSSIBLE_DATES
    assert invalid.date.isna().all()
    quality = findings(tables, "impossible_date")
    assert set(quality.objective_code) == {"9.3.2.5", "9.3.2.8"}
    assert set(quality.severity) == {"error"}
    assert set(quality.line) == {111, 118}


def date_row(tables, sector, code, text):
    dates = tables["dates"]
    rows = dates[
        (dates.sector_code == sector) & (dates.objective_code == code) & (dates.text == text)
    ]
    assert len(rows) >= 1, (sector, code, text)
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("sector", "code", "text", "date", "precision", "kind"),
    [
        ("STAFF", "1.1.1", "Entro il 14.01.2023", dt.date(2023, 1, 14), "day", "by"),
        ("SAP", "4.1.2.1", "entro novembre 2023", dt.date(2023, 11, 30), "month", "by"),
        ("TEC", "9.2.1.3", "entro II semestre 2023", dt.date(2023, 12, 31), "semester", "by"),
        ("SAP", "5.1.1.1", "entro estate 2023", dt.date(2023, 9, 22), "season", "by"),
        ("STAFF", "1.1.1", "entro dicembre 2023/gennaio 2024", dt.date(2024, 1, 31), "month", "by"),
        ("SAP", "12.1.1.1", "dal 01/01/2024", dt.date(2024, 1, 1), "day", "from"),
        ("STAFF", "1.1.2", "2023-2025", dt.date(2025, 12, 31), "period", "period"),
        ("SAP", "4.1.2.1", "entro il mese di novembre", dt.date(2023, 11, 30), "month", "by"),
        ("TEC", "9.3.2.3", "entro il 2023", dt.date(2023, 12, 31), "year", "by"),
        ("TEC", "9.3.2.5", "06 marzo 2019", dt.date(2019, 3, 6), "day", "on"),
    ],
)
def test_date_phrases_of_the_document(tables, sector, code, text, date, precision, kind):
    row = date_row(tables, sector, code, text)
    assert (row.date, row.precision, row.kind, bool(row.valid)) == (date, precision, kind, True)


def test_realization_period_bounds(tables):
    row = objective(tables, "SAP", "6.2.1.2")
    assert row.realization_period == "2023/2025"
    assert (row.period_start, row.period_end) == (dt.date(2023, 1, 1), dt.date(2025, 12, 31))
    staff = objective(tables, "STAFF", "1.1.1")
    assert (staff.period_start, staff.period_end) == (dt.date(2023, 1, 14), dt.date(2024, 1, 31))


def test_document_record(tables):
    document = tables["documents"].iloc[0]
    assert document.doc_id == "abc9700a84e76d81"
    assert document.source_format == "text" and document.extractor == "text"
    assert document.plan_title == "Piano Integrato Attività e Organizzazione 2023-2025"
    assert (document.period_start, document.period_end) == (
        dt.date(2023, 1, 1),
        dt.date(2025, 12, 31),
    )
    assert document.page_count == 10


def test_every_objective_traces_back_to_its_cells(tables):
    cells = tables["cells"]
    for row in tables["objectives"].itertuples():
        own = cells[(cells.table_index == row.table_index) & (cells.row_index == row.row_index)]
        objective_cell = own[own.field == "objective"]
        assert len(objective_cell) == 1
        assert objective_cell.iloc[0].objective_code == row.objective_code
        assert objective_cell.iloc[0].page in list(row.source_pages)
        assert objective_cell.iloc[0].line == row.source_line


def test_quality_rules_that_fire_on_the_real_document(tables):
    counts = tables["quality"].rule.value_counts().to_dict()
    assert counts == {
        "strategic_code_conflict": 11,
        "item_misaligned": 15,
        "row_realigned": 2,
        "impossible_date": 2,
        "item_letter_gap": 2,
        "context_only_row": 1,
        "weighting_pct_derived": 1,
    }


def test_every_table_key_is_unique(normalized):
    for name, table in TABLES.items():
        frame = pd.DataFrame(normalized.records[name], columns=table.column_names)
        assert not frame.duplicated(list(table.key)).any(), name


def test_one_target_row_per_item_without_year(tables):
    targets, items = tables["targets"], tables["items"]
    assert len(targets) == len(items) == 136
    assert targets["year"].isna().all()
    keys = ["sector_code", "objective_code", "item_seq"]
    joined = items.merge(targets, on=keys, suffixes=("", "_t"))
    assert (joined["target"].fillna("") == joined["target_t"].fillna("")).all()


def test_targets_parsed_from_the_printed_text(tables):
    targets = tables["targets"]
    parsed = targets[targets["comparator"] == "almeno"]
    assert len(parsed) == 12
    assert parsed["value"].notna().all()
    dated = targets[targets["unit"] == "date"]
    assert len(dated) == 36 and dated["target_date"].notna().all()


def test_grid_items_have_no_baseline_or_source(tables):
    assert tables["items"][["baseline", "baseline_year", "source"]].isna().all().all()
