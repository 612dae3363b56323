"""Bad input that is not a PDF problem: one clear error naming the file, or a correct read
with a note (text not in UTF-8, content that does not match the extension)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from extract import read_document
from extract.errors import (
    EmptyFileError,
    ExtractError,
    ImageOnlyPDFError,
    NoTableError,
    UnsupportedFormatError,
)

ROOT = Path(__file__).resolve().parents[2]
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
FIXTURES = ROOT / "tests" / "fixtures"
RULED = FIXTURES / "portomaggiore_ruled.pdf"


def docx_bytes() -> bytes:
    """A minimal Word-like ZIP container."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def assert_one_line(error: ExtractError, path: Path) -> None:
    message = str(error)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t "], ids=["zero-bytes", "whitespace"])
def test_empty_text_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(EmptyFileError) as caught:
        read_document(path)
    assert_one_line(caught.value, path)
    assert "empty" in caught.value.reason


def test_docx_renamed_pdf_says_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "allegato.pdf"
    path.write_bytes(docx_bytes())
    with pytest.raises(UnsupportedFormatError) as caught:
        read_document(path)
    assert_one_line(caught.value, path)
    assert caught.value.reason.startswith(
        "a DOCX document that cannot be opened, damaged or incomplete ("
    )
    assert caught.value.reason.endswith("), not pdf as its name (.pdf) says")


def test_binary_file_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "scan.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(UnsupportedFormatError) as caught:
        read_document(path)
    assert "binary data" in caught.value.reason


def test_text_without_any_table(tmp_path: Path) -> None:
    path = tmp_path / "lettera.txt"
    path.write_text("Gentile sindaco,\n\nsi trasmette il piano.\n", encoding="utf-8")
    with pytest.raises(NoTableError) as caught:
        read_document(path)
    assert_one_line(caught.value, path)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_text_not_in_utf8_reads_accented_letters(tmp_path: Path, encoding: str) -> None:
    text = TEXT_SOURCE.read_text(encoding="utf-8")
    path = tmp_path / "allegato_cp1252.txt"
    path.write_bytes(text.encode(encoding))
    document = read_document(path)
    original = read_document(TEXT_SOURCE)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert cells == [
        cell.text for table in original.tables for row in table.rows for cell in row.cells
    ]
    assert any("attività" in text for text in cells)
    assert not any("\ufffd" in text or "Ã" in text for text in cells)
    notes = [note for note in document.notes if note.rule == "encoding_fallback"]
    assert len(notes) == 1
    assert "read as cp1252" in notes[0].message


def test_utf8_with_bom_has_no_note(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT_SOURCE.read_bytes())
    document = read_document(path)
    assert not [note for note in document.notes if note.rule == "encoding_fallback"]
    assert document.preamble == read_document(TEXT_SOURCE).preamble


def test_text_named_pdf_is_read_as_text_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "allegato.pdf"
    path.write_bytes(TEXT_SOURCE.read_bytes())
    document = read_document(path)
    assert document.source_format == "text"
    assert len(document.tables) == 4
    assert document.notes[0].rule == "extension_mismatch"
    assert document.notes[0].message == "named .pdf but the content is text; read as text"


def test_matching_extension_has_no_note() -> None:
    document = read_document(TEXT_SOURCE)
    assert not [note for note in document.notes if note.rule == "extension_mismatch"]


def test_pdf_named_txt_is_read_as_pdf(tmp_path: Path, make_pdfs: ModuleType) -> None:
    """The content decides: a scanned PDF named .txt fails as a PDF, not as garbled text."""
    path = tmp_path / "scansione.txt"
    make_pdfs.write_image_only_pdf(path, pages=2)
    with pytest.raises(ImageOnlyPDFError) as caught:
        read_document(path, ocr="never")
    assert_one_line(caught.value, path)


def test_pdf_named_txt_extracts_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "allegato.txt"
    path.write_bytes(RULED.read_bytes())
    document = read_document(path)
    assert document.source_format == "pdf"
    assert document.notes[0].rule == "extension_mismatch"
    assert document.notes[0].message == "named .txt but the content is pdf; read as pdf"
