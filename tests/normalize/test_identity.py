"""The document's ente from its own identity (normalize.identity)."""

from __future__ import annotations

from extract.model import RawCell, RawRow, RawTable
from normalize.identity import document_ente, ente_in


def _table(rows: list[tuple[str, ...]], heading: str = "") -> RawTable:
    raw_rows = tuple(
        RawRow(tuple(RawCell(text, column, 1) for column, text in enumerate(row)), (1,))
        for row in rows
    )
    return RawTable(heading=heading, rows=raw_rows, index=0)


def test_cover_in_capitals_is_written_as_a_name():
    assert ente_in("COMUNE DI BORGO ARDENZA") == "Comune di Borgo Ardenza"
    assert ente_in("UNIONE DEI COMUNI DELLA VALLE DEL SAVENA") == (
        "Unione dei Comuni della Valle del Savena"
    )
    assert ente_in("COMUNE DI SANT'AGATA SUL SANTERNO") == "Comune di Sant'Agata sul Santerno"


def test_a_name_stops_where_the_sentence_goes_on():
    text = "Il Comune di Borgo Ardenza è un ente locale della Provincia di Ravenna."
    assert ente_in(text) == "Comune di Borgo Ardenza"


def test_the_cover_body_wins_over_the_province_under_it():
    preamble = "COMUNE DI BORGO ARDENZA\nProvincia di Ravenna\nPIAO 2025-2027"
    assert document_ente(preamble, [], []) == "Comune di Borgo Ardenza"


def test_registry_table_before_a_partner_named_in_a_heading():
    registry = _table(
        [("Voce", "Dato", "Fonte"), ("Denominazione", "Comune di Fontanelle", "")],
        heading="SEZIONE 1 – SCHEDA ANAGRAFICA DELL'AMMINISTRAZIONE",
    )
    heading = "Obiettivi condivisi con la Provincia di Modena"
    assert document_ente("PIAO 2025-2027", [registry], [heading]) == "Comune di Fontanelle"
    assert document_ente("PIAO 2025-2027", [], [heading]) == "Provincia di Modena"


def test_no_body_named():
    assert (
        document_ente("ALLEGATO 1\nOBIETTIVI PERFORMANCE", [], ["SETTORE AFFARI GENERALI"]) is None
    )
