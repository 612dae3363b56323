"""Which tables of a whole PIAO are read for objectives (normalize.sections)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from extract.model import RawCell, RawDocument, RawRow, RawTable
from extract.sections import last_section
from normalize.document import normalize_document
from normalize.sections import PERFORMANCE, heading_tail, performance_tables, section_kind

HEADER = ("Codice", "Obiettivo", "Indicatore", "Target", "Peso")


def _table(index: int, heading: str, rows: list[tuple[str, ...]], page: int) -> RawTable:
    raw_rows = tuple(
        RawRow(tuple(RawCell(text, column, page) for column, text in enumerate(row)), (page,))
        for row in rows
    )
    return RawTable(heading=heading, rows=raw_rows, index=index)


def _document(tables: list[RawTable], preamble: str = "") -> RawDocument:
    return RawDocument("piao.pdf", "ab" * 32, "pdf", "test", 20, preamble, tuple(tables))


def _kind(heading: str) -> str | None:
    mention = last_section(heading)
    assert mention is not None
    return section_kind(mention)


def test_section_kinds():
    assert _kind("Sottosezione 2.2 Performance") == PERFORMANCE
    assert _kind("Sottosezione di programmazione Performance") == PERFORMANCE
    assert _kind("SEZIONE 2 – VALORE PUBBLICO, PERFORMANCE E ANTICORRUZIONE") is None
    assert _kind("2.3 Rischi corruttivi e trasparenza") == "corruption risks and transparency"
    assert _kind("SEZIONE 3.3 PIANO TRIENNALE DEI FABBISOGNI DI PERSONALE") == "workforce plan"
    assert _kind("SEZIONE 1 – SCHEDA ANAGRAFICA DELL'AMMINISTRAZIONE") == "registry"
    assert _kind("2.1 Valore pubblico e performance dell'ente") == "public value"
    assert _kind("Sezione 3 – Performance organizzativa") == PERFORMANCE


REGISTRY = [
    ("Dato", "Valore", "Note"),
    ("Popolazione al 31.12.2023", "12.345", "ISTAT"),
    ("Dipendenti", "84", ""),
]
OBJECTIVES = [
    HEADER,
    ("1.1", "Digitalizzare", "Pratiche", "90%", "50"),
    ("1.2", "Riscuotere", "Avvisi", "100", "50"),
]
STAFF = [("Profilo", "Posti", "Coperti"), ("Istruttore 12", "10", "8"), ("Funzionario 3", "4", "4")]


def test_whole_piao_reads_only_the_performance_section():
    tables = [
        _table(0, "SEZIONE 1 – SCHEDA ANAGRAFICA DELL'AMMINISTRAZIONE", REGISTRY, 3),
        _table(1, "Sottosezione 2.2 Performance\nSETTORE TRIBUTI (TRI)", OBJECTIVES, 9),
        _table(2, "SEZIONE 3 – ORGANIZZAZIONE E CAPITALE UMANO Dotazione organica", STAFF, 20),
    ]
    document = normalize_document(_document(tables), extracted_at=dt.datetime(2025, 1, 1))
    codes = [(o["sector_code"], o["objective_code"]) for o in document.table("objectives")]
    assert codes == [("TRI", "1.1"), ("TRI", "1.2")]
    skipped = [q for q in document.table("quality") if q["rule"] == "table_outside_performance"]
    assert [(q["severity"], q["page"]) for q in skipped] == [("info", 3), ("info", 20)]
    assert "SCHEDA ANAGRAFICA" in skipped[0]["message"]
    assert "organisation and human capital" in skipped[1]["message"]


def test_section_carries_to_the_next_tables_and_toc_does_not_count():
    preamble = "INDICE Sezione 2.2 Performance ....... 9 Sezione 3 Organizzazione ....... 20"
    tables = [
        _table(0, "Sezione 1 Scheda anagrafica", REGISTRY, 3),
        _table(1, "2.2 Performance SETTORE A (A)", OBJECTIVES, 9),
        _table(2, "SETTORE B (B)", OBJECTIVES, 10),
        _table(3, "2.3 Rischi corruttivi e trasparenza Mappatura", OBJECTIVES, 15),
    ]
    kept = [t.index for t in performance_tables(preamble, tables)]
    assert kept == [1, 2]


def test_attachment_without_sections_is_read_whole():
    tables = [_table(0, "SETTORE A (A)", OBJECTIVES, 1), _table(1, "SETTORE B (B)", OBJECTIVES, 2)]
    skipped: list = []
    assert [t.index for t in performance_tables("Allegato 1 al PIAO", tables, skipped)] == [0, 1]
    assert skipped == []


def test_attachment_without_performance_heading_skips_a_plainly_other_section():
    tables = [
        _table(0, "SETTORE A (A)", OBJECTIVES, 1),
        _table(1, "Sottosezione 3.4 Formazione del personale", STAFF, 2),
    ]
    skipped: list = []
    assert [t.index for t in performance_tables("", tables, skipped)] == [0]
    assert "training" in skipped[0].message


def test_prose_before_the_first_sector_heading_is_cut_from_its_heading():
    heading = (
        "2.2 Performance Gli obiettivi sono assegnati dal servizio controllo di gestione. "
        "SETTORE AFFARI GENERALI (AG)"
    )
    assert heading_tail(heading) == "SETTORE AFFARI GENERALI (AG)"
    assert heading_tail("OBIETTIVI ASSEGNATI ALLA U.O. TRIBUTI (TRI)") == (
        "OBIETTIVI ASSEGNATI ALLA U.O. TRIBUTI (TRI)"
    )


def test_heading_cut_only_in_a_whole_piao():
    prose = "Il servizio controllo di gestione misura gli obiettivi. SETTORE A (A)"
    attachment = [_table(0, prose, OBJECTIVES, 1)]
    assert next(performance_tables("", attachment)).heading == prose
    whole = [_table(0, f"Sottosezione 2.2 Performance {prose}", OBJECTIVES, 1)]
    assert next(performance_tables("", whole)).heading == "SETTORE A (A)"


CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


@pytest.mark.parametrize("slug", ["borgo_ardenza", "valle_savena"])
def test_whole_piao_of_the_corpus_names_its_ente_and_skips_other_sections(slug):
    """The text rendering of a whole PIAO: the cover's ente (not the province or a partner
    named in a table), and each table outside 2.2 skipped with its section named."""
    from piao.pipeline import process_document

    document = process_document(CORPUS / slug / f"{slug}.txt")
    expected = json.loads((CORPUS / slug / "expected.json").read_text(encoding="utf-8"))
    assert document.records["documents"][0]["ente"] == expected["ente"]
    skipped = [
        row["message"]
        for row in document.records["quality"]
        if row["rule"] == "table_outside_performance"
    ]
    assert len(skipped) == {"borgo_ardenza": 9, "valle_savena": 9}[slug]
    assert any("registry" in message for message in skipped)
    assert any("corruption risks and transparency" in message for message in skipped)
    assert len(document.records["objectives"]) == len(expected["objectives"])


def test_bare_numbered_headings_of_an_attachment_are_no_sections():
    """ "1.1 Trasparenza e partecipazione" above a table of an attachment is a strategic
    line; it is a section only in a document that prints "Sezione" headings."""
    tables = [
        _table(0, "LINEA STRATEGICA 1.1 Trasparenza e partecipazione SETTORE A (A)", OBJECTIVES, 1),
        _table(1, "LINEA STRATEGICA 3.4 Formazione continua SETTORE B (B)", OBJECTIVES, 2),
    ]
    assert [t.index for t in performance_tables("Allegato 1", tables)] == [0, 1]
    whole = "SEZIONE 2 – VALORE PUBBLICO, PERFORMANCE E ANTICORRUZIONE Premessa del piano."
    assert [t.index for t in performance_tables(whole, tables)] == []
