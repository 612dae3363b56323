"""normalize.status: each sign of a misread layout, and a document's status from them."""

from __future__ import annotations

from normalize.status import (
    DOUBTFUL,
    OK,
    DocumentStatus,
    Landing,
    StatusReason,
    StatusThresholds,
    cell_coverage,
    column_contradicts_mapping,
    contradicts,
    header_words,
    low_genre_confidence,
    low_text_coverage,
    percents_exceed_whole,
    percents_miss_declared_total,
    record_words,
    row_values,
    rows_without_code,
    unmapped_data,
    weights_miss_declared_total,
)
from schema.records import RECORD_TYPES


def test_rows_without_code_names_the_rows():
    reason = rows_without_code("FIN", [(4, 2), (7, 3)])
    assert reason is not None
    assert reason.code == "rows_without_code"
    assert reason.message == "2 row(s) with data but no objective code (rows 4, 7)"
    assert (reason.sector_code, reason.location, reason.page) == ("FIN", "row 4", 2)


def test_rows_without_code_none_when_every_row_has_a_code():
    assert rows_without_code("FIN", []) is None


def test_unmapped_data_flags_a_column_unmapped_in_most_rows():
    cells = [(1, 5, 1, "Servizi demografici", False), (2, 5, 1, "Ufficio tributi", False)]
    reason = unmapped_data("AG", cells)
    assert reason is not None
    assert reason.message.startswith("2 data cell(s) in column(s) [5] mapped to no field")
    assert reason.location == "row 1, col 5"


def test_unmapped_data_leaves_a_shifted_cell_to_the_coverage():
    cells = [
        (1, 5, 1, "Servizi demografici", True),
        (2, 5, 1, "Ufficio tributi", True),
        (3, 5, 1, "Polizia locale", False),
    ]
    assert unmapped_data("AG", cells) is None


def test_unmapped_data_ignores_empty_cells():
    assert unmapped_data("AG", [(1, 5, 1, "", False), (2, 5, 1, " - ", False)]) is None


def test_weights_miss_declared_total():
    reason = weights_miss_declared_total("SAP", 20, 17, page=9)
    assert reason is not None
    assert reason.message == "weights sum to 17, the totale row says 20"
    assert reason.message_it == "i pesi sommano a 17, la riga del totale dice 20"
    assert reason.page == 9


def test_weights_meeting_or_without_a_declared_total_are_not_doubted():
    assert weights_miss_declared_total("SAP", 20, 20) is None
    assert weights_miss_declared_total("SAP", None, 17) is None


def test_percents_missing_the_printed_total():
    reason = percents_miss_declared_total("LV", 100.0, [50.0, 37.5], 0.01, page=3)
    assert reason is not None
    assert reason.message == "percentages sum to 87.50%, the totale row says 100%"
    assert percents_miss_declared_total("LV", 100.0, [33.33, 33.33, 33.33], 0.015) is None
    assert percents_miss_declared_total("LV", None, [50.0], 0.01) is None


def test_contradicts_reads_what_a_weight_cell_holds():
    assert contradicts("weight", "5", 12) is None
    assert contradicts("weight", "12,5%", 12) is None
    assert contradicts("weight", "X", 12) is None
    assert contradicts("weight", "entro il 31/12/2023", 12) == "a date"
    assert contradicts("weight", "Numero di pratiche evase", 12) == "a text"
    assert contradicts("code", "1.2.1 " + "parola " * 13, 12) == "a long text"
    assert contradicts("indicator", "anything at all", 12) is None


def test_column_contradicts_mapping_when_most_cells_do():
    cells = [(3, 1, "entro il 30/06/2023"), (4, 1, "31/12/2023"), (5, 1, "3")]
    reason = column_contradicts_mapping("FIN", "weight", cells)
    assert reason is not None
    assert reason.message == "2 of 3 cells read as weight hold a date (e.g. 'entro il 30/06/2023')"
    assert reason.location == "row 3, weight"


def test_one_odd_cell_of_a_column_is_the_documents_own():
    cells = [(3, 1, "entro il 30/06/2023"), (4, 1, "2"), (5, 1, "3")]
    assert column_contradicts_mapping("FIN", "weight", cells) is None


def test_low_genre_confidence_is_a_hook_for_the_genre_guess():
    reason = low_genre_confidence("cards", 0.4, ["two key/value tables", "no code column"])
    assert reason is not None
    assert reason.message == (
        "read as cards with confidence 0.40 (two key/value tables; no code column)"
    )
    assert low_genre_confidence("grid", 0.9) is None
    at_half = StatusThresholds(min_genre_confidence=0.5)
    assert low_genre_confidence("grid", 0.5, thresholds=at_half) is None
    assert low_genre_confidence("grid", 0.5) is not None


def test_low_text_coverage_below_the_threshold():
    reason = low_text_coverage(80, 100)
    assert reason is not None
    assert reason.message == (
        "only 80.0% of the tables' printed words (80 of 100) are in the output tables"
    )
    assert low_text_coverage(95, 100) is None
    assert low_text_coverage(0, 0) is None


def test_record_words_skip_the_cells_table():
    records = {
        "objectives": [{"title": "Sportello unico", "codes": ["12.1"], "weight": 5}],
        "cells": [{"text": "Parola persa"}],
        "dates": [{"text": "entro giugno"}],
    }
    assert record_words(records) == {"sportello", "unico", "12"}


def test_landing_covers_a_word_broken_at_a_line_end():
    landing = Landing({"organizzazione", "servizi"})
    assert {"organizzazione", "organizza", "zione", "servizi"} <= {
        word for word in ("organizzazione", "organizza", "zione", "servizi") if word in landing
    }
    assert "persa" not in landing


def test_cell_coverage_skips_header_and_total_rows():
    cells = [
        {"field": "header", "text": "Indicatore di risultato"},
        {"field": "indicator", "text": "Numero pratiche evase"},
        {"field": None, "text": "parola persa"},
        {"field": "total", "text": "Totale 20"},
    ]
    assert cell_coverage(cells, {"numero", "pratiche", "evase"}) == (3, 5)


def test_cell_coverage_reads_records_as_dicts():
    cells = [
        RECORD_TYPES["cells"](field="header", text="Indicatore di risultato"),
        RECORD_TYPES["cells"](field="indicator", text="Numero pratiche evase pratiche"),
    ]
    assert cell_coverage(cells, {"numero", "pratiche"}) == (3, 4)
    assert header_words(cells) == {"indicatore", "di", "risultato"}


def test_row_values_of_a_record_are_its_columns_in_order():
    record = RECORD_TYPES["sectors"](sector_code="FIN", sector_name="Finanze")
    assert list(row_values(record)) == list(dict(record).values())
    assert list(row_values({"a": 1, "b": "x"})) == [1, "x"]


def test_header_words_are_the_tables_vocabulary():
    cells = [{"field": "header", "text": "Peso obiettivo"}, {"field": "weight", "text": "5"}]
    assert header_words(cells) == {"peso", "obiettivo"}


def test_document_status_ok_without_reasons():
    status = DocumentStatus()
    status.add(None)
    status.count_words(
        [{"field": "indicator", "text": "Numero pratiche"}],
        {"items": [{"indicator": "Numero pratiche"}]},
    )
    columns = status.columns()
    assert columns == {
        "status": OK,
        "status_reasons": [],
        "status_reasons_it": [],
        "text_coverage": 1.0,
    }


def test_document_status_doubtful_with_english_and_italian_reasons():
    status = DocumentStatus()
    status.add(weights_miss_declared_total("SAP", 20, 17))
    status.add(StatusReason("custom", "a sign", "un segno"))
    columns = status.columns()
    assert columns["status"] == DOUBTFUL
    assert columns["status_reasons"] == [
        "weights_miss_declared_total: weights sum to 17, the totale row says 20 "
        "(sector SAP, totale)",
        "custom: a sign",
    ]
    assert columns["status_reasons_it"][0] == (
        "weights_miss_declared_total: i pesi sommano a 17, la riga del totale dice 20 "
        "(settore SAP, totale)"
    )


def test_document_status_judges_the_coverage_at_the_end():
    status = DocumentStatus()
    status.count_words([{"field": None, "text": "parole finite nel nulla"}], {})
    columns = status.columns()
    assert columns["status"] == DOUBTFUL
    assert columns["text_coverage"] == 0.0
    assert columns["status_reasons"][0].startswith("low_text_coverage: only 0.0%")


def test_percents_over_the_whole_are_doubted():
    """A sector's percentages making 143% (objectives of another sector read into it)."""
    reason = percents_exceed_whole("AGF", [37.5, 37.5, 25.0, 43.0], 0.01, page=1)
    assert reason is not None
    assert reason.code == "percents_exceed_whole"
    assert reason.message.startswith("percentages sum to 143.00%, more than 100%")


def test_percents_of_a_part_of_the_whole_are_not_doubted():
    assert percents_exceed_whole("AGF", [37.5, 37.5, 25.0], 0.01) is None
    assert percents_exceed_whole("AGF", [20.0, 30.0], 0.01) is None
