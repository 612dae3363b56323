"""Text engine: tables, headings, inferred pages and provenance of the real document."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract import detect_format, read_document
from extract.errors import EmptyFileError, NoTableError, UnsupportedFormatError
from extract.text import decode_text, paginate


def test_four_sector_tables_with_headings(raw_document):
    headings = [table.heading for table in raw_document.tables]
    assert headings == [
        "OBIETTIVI GESTIONALI ASSEGNATI AL SETTORE STAFF DEL SEGRETARIO GENERALE (STAFF)",
        "OBIETTIVI GESTIONALI ASSEGNATI AL SETTORE SERVIZI ALLE PERSONE DEL COMUNE (SAP)",
        "OBIETTIVI GESTIONALI ASSEGNATI AL SETTORE FINANZE (FIN)",
        "OBIETTIVI GESTIONALI ASSEGNATI AL SETTORE TECNICO (TEC)",
    ]
    assert [len(table.rows) for table in raw_document.tables] == [9, 30, 17, 24]


def test_pages_are_inferred_from_repeated_headers(raw_document):
    assert raw_document.page_count == 10
    assert [table.pages for table in raw_document.tables] == [(2,), (3, 4, 5, 6), (7, 8), (9, 10)]


def test_every_cell_keeps_file_line_page_and_column(raw_document):
    tec = raw_document.tables[3]
    shifted = next(row for row in tec.rows if row.line == 104)
    cell = shifted.cells[4]
    assert (cell.line, cell.page, cell.column) == (104, 9, 4)
    assert cell.text.startswith("1.3.1 Analisi e predisposizione")
    assert len(shifted.cells) == 11


def test_preamble_is_the_cover_text(raw_document):
    assert raw_document.preamble.splitlines()[:2] == [
        "ALLEGATO 1",
        "Al Piano Integrato Attività e Organizzazione 2023-2025",
    ]


def test_doc_id_is_the_sha256_prefix(raw_document):
    assert raw_document.doc_id == raw_document.source_sha256[:16] == "abc9700a84e76d81"


def test_cp1252_text_is_decoded_with_a_note():
    text, notes = decode_text("Missione\tcompetitività".encode("cp1252"))
    assert text == "Missione\tcompetitività"
    assert [note.rule for note in notes] == ["encoding_fallback"]


def test_page_breaks_need_a_blank_line_after_table_rows():
    lines = ["**HEAD (A)**", "", "h\tx", "r\t1", "", "h\tx", "r\t2"]
    assert [line.page for line in paginate(lines)] == [1, 1, 1, 2, 2]


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b"%PDF-1.7\n", "pdf"), (b"PK\x03\x04rest", "zip"), (b"a\x00b", "binary"), (b"a\tb", "text")],
)
def test_format_is_detected_from_content(data, kind):
    assert detect_format(data) == kind


def test_empty_file(tmp_path: Path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError, match=r"empty\.txt: the file is empty"):
        read_document(path)


def test_text_without_table(tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_text("Just a note.\n", encoding="utf-8")
    with pytest.raises(NoTableError, match=r"note\.txt: no objective table found"):
        read_document(path)


def test_zip_content_is_unsupported(tmp_path: Path):
    path = tmp_path / "plan.txt"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 20)
    with pytest.raises(UnsupportedFormatError, match="a ZIP archive that is not a DOCX"):
        read_document(path)


def test_label_lines_of_a_text_without_table_are_two_cell_rows(tmp_path):
    path = tmp_path / "schede.txt"
    path.write_text(
        "# Comune di Prova\n\n## SERVIZIO FINANZE (SF)\n\nCodice obiettivo: 1.2.1\n"
        "Titolo: Riscossione\nIndicatore: Avvisi emessi\n\nNota senza etichetta\n"
        "Codice obiettivo: 1.2.2\n",
        encoding="utf-8",
    )
    raw = read_document(path)
    assert [table.heading for table in raw.tables] == [
        "Comune di Prova SERVIZIO FINANZE (SF)",
        "Nota senza etichetta",
    ]
    assert [row.texts for row in raw.tables[0].rows] == [
        ["Codice obiettivo", "1.2.1"],
        ["Titolo", "Riscossione"],
        ["Indicatore", "Avvisi emessi"],
    ]
    assert raw.tables[0].rows[0].cells[1].line == 5
    (note,) = [note for note in raw.notes if note.rule == "label_lines_read"]
    assert note.message == "no table in the text; 4 'Label: value' lines read as two-cell rows"


def test_label_lines_are_not_read_in_a_text_with_tables(tmp_path):
    path = tmp_path / "griglia.txt"
    path.write_text(
        "Approvato: con delibera n. 5\n\nCodice\tObiettivo\tPeso\n1.1\tBilancio\t5\n",
        encoding="utf-8",
    )
    raw = read_document(path)
    assert len(raw.tables) == 1
    assert raw.preamble == "Approvato: con delibera n. 5"
