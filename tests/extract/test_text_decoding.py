"""Text decoding: decoding loses as little as possible and reports what it loses.

One bad byte must not turn every accented letter into mojibake; UTF-16 is text; NUL bytes
never reach the titles.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from extract import detect_format, read_document
from extract.text import MAX_CELLS_PER_ROW, decode_text, read_text

ROOT = Path(__file__).resolve().parents[2]
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"


def cells(document) -> list[tuple[int | None, str]]:
    return [
        (cell.line, cell.text)
        for table in document.tables
        for row in table.rows
        for cell in row.cells
    ]


@pytest.fixture(scope="module")
def original():
    return read_document(TEXT_SOURCE)


def line_of(data: bytes, needle: bytes) -> int:
    """1-based line number of the first line holding ``needle``."""
    return data[: data.index(needle)].count(b"\n") + 1


def test_one_bad_byte_loses_one_character_at_its_line(tmp_path, original):
    data = TEXT_SOURCE.read_bytes()
    at = data.index("attività".encode())
    broken = data[:at] + b"\xff" + data[at:]
    path = tmp_path / "allegato.txt"
    path.write_bytes(broken)
    document = read_document(path)

    texts = [text for _, text in cells(document)]
    assert not any("Ã" in text for text in texts)  # no mojibake anywhere
    assert sum("attività" in text for text in texts) == sum(
        "attività" in text for _, text in cells(original)
    )
    changed = [(a, b) for a, b in zip(cells(document), cells(original), strict=True) if a != b]
    assert len(changed) == 1
    assert changed[0][0][1] == changed[0][1][1].replace("attività", "\ufffdattività", 1)
    lost = [note for note in document.notes if note.rule == "lost_character"]
    assert [note.line for note in lost] == [line_of(broken, b"\xff")]
    assert "b'\\xff'" in lost[0].message
    assert not [note for note in document.notes if note.rule == "encoding_fallback"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_or_without_bom_reads_like_utf8(tmp_path, original, codec):
    data = TEXT_SOURCE.read_text(encoding="utf-8").encode(codec)  # "utf-16" writes a BOM
    assert data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) == (codec == "utf-16")
    assert detect_format(data) == "text"
    path = tmp_path / "allegato.txt"
    path.write_bytes(data)
    document = read_document(path)
    assert cells(document) == cells(original)
    assert document.preamble == original.preamble
    assert document.notes == original.notes  # nothing lost, no fallback


def test_nul_bytes_are_removed_and_reported_at_their_line(tmp_path, original):
    data = TEXT_SOURCE.read_bytes()
    at = data.index(b"Missione")
    broken = data[:at] + b"Miss\x00ione\x00" + data[at + len(b"Missione") :]
    path = tmp_path / "allegato.txt"
    path.write_bytes(broken)
    document = read_document(path)
    assert cells(document) == cells(original)
    notes = [note for note in document.notes if note.rule == "nul_removed"]
    assert [note.line for note in notes] == [line_of(broken, b"\x00")]
    assert notes[0].message.startswith("2 NUL character(s) removed")


def test_a_file_mostly_in_cp1252_is_read_as_cp1252(tmp_path, original):
    path = tmp_path / "allegato.txt"
    path.write_bytes(TEXT_SOURCE.read_text(encoding="utf-8").encode("cp1252"))
    document = read_document(path)
    assert cells(document) == cells(original)
    assert [note.rule for note in document.notes] == ["encoding_fallback"]


def test_a_utf8_file_with_one_cp1252_line_keeps_utf8_elsewhere():
    data = "città\tvalore\n".encode() * 5 + "attività\t1\n".encode("cp1252")
    text, notes = decode_text(data)
    assert text.splitlines()[:5] == ["città\tvalore"] * 5
    assert text.splitlines()[5] == "attivit\ufffd\t1"
    assert [(note.rule, note.line) for note in notes] == [("lost_character", 6)]


def test_line_numbers_count_form_feeds_as_the_text_engine_does():
    data = b"page one\x0cpage two\ncitt\xc3\xa0\nbad \xff\n"
    text, notes = decode_text(data)
    assert text.splitlines()[3] == "bad \ufffd"
    assert [note.line for note in notes] == [4]


def test_many_bad_lines_give_at_most_twenty_notes_and_a_summary():
    data = "città\n".encode() * 60 + b"x\xff\n" * 30
    _, notes = decode_text(data)
    assert len(notes) == 21
    assert notes[-1].message == "and 10 more lines like the ones above"


def test_binary_data_is_still_binary():
    assert detect_format(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))) == "binary"
    assert detect_format(b"Missione\tcodice\nuno\x00due\n") == "text"


def test_absurdly_long_row_is_cut_with_a_finding():
    line = "\t".join(f"c{number}" for number in range(MAX_CELLS_PER_ROW + 100))
    _, tables, _, notes = read_text(f"Titolo\n\n{line}\n".encode())
    assert len(tables[0].rows[0].cells) == MAX_CELLS_PER_ROW
    assert tables[0].rows[0].cells[-1].text == f"c{MAX_CELLS_PER_ROW - 1}"
    assert [(note.rule, note.line) for note in notes] == [("row_truncated", 3)]
    assert (
        notes[0].message == f"a row of {MAX_CELLS_PER_ROW + 100} cells: only the first 500 are read"
    )
