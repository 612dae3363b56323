"""Bad PDFs end in one of our one-line errors naming the file, never in a traceback."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from extract import read_document
from extract.errors import (
    CorruptPDFError,
    EmptyFileError,
    EncryptedPDFError,
    ExtractError,
    ImageOnlyPDFError,
    NoTableError,
    UnsupportedFormatError,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RULED = FIXTURES / "portomaggiore_ruled.pdf"
ENGINES = ("auto", "pdfium", "pdfplumber", "camelot")


def assert_one_line_error(error: ExtractError, path: Path) -> None:
    message = str(error)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert "Traceback" not in message


@pytest.mark.parametrize("engine", ENGINES)
def test_empty_pdf(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError) as caught:
        read_document(path, engine=engine)
    assert_one_line_error(caught.value, path)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("keep", [0.5, 0.05])
def test_truncated_pdf(tmp_path: Path, engine: str, keep: float) -> None:
    data = RULED.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(CorruptPDFError) as caught:
        read_document(path, engine=engine)
    assert_one_line_error(caught.value, path)
    assert "truncated or corrupt" in str(caught.value)


@pytest.mark.parametrize("engine", ENGINES)
def test_garbage_after_pdf_header(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"not a pdf at all " * 50)
    with pytest.raises(CorruptPDFError) as caught:
        read_document(path, engine=engine)
    assert_one_line_error(caught.value, path)


@pytest.mark.parametrize("engine", ENGINES)
def test_encrypted_pdf(tmp_path: Path, engine: str, make_pdfs: ModuleType) -> None:
    path = tmp_path / "encrypted.pdf"
    make_pdfs.write_encrypted_pdf(path)
    with pytest.raises(EncryptedPDFError) as caught:
        read_document(path, engine=engine)
    assert_one_line_error(caught.value, path)
    assert "encrypted" in str(caught.value)


@pytest.mark.parametrize("engine", ENGINES)
def test_image_only_pdf_names_pages(tmp_path: Path, engine: str, make_pdfs: ModuleType) -> None:
    """Without OCR (``--ocr never``; with it, tests/extract/test_ocr.py) the engine's refusal
    names the pages without a text layer."""
    path = tmp_path / "scanned.pdf"
    make_pdfs.write_image_only_pdf(path, pages=3)
    with pytest.raises(ImageOnlyPDFError) as caught:
        read_document(path, engine=engine, ocr="never")
    assert_one_line_error(caught.value, path)
    assert "pages 1-3" in str(caught.value)


@pytest.mark.parametrize("engine", ENGINES)
def test_pdf_without_table(tmp_path: Path, engine: str, make_pdfs: ModuleType) -> None:
    path = tmp_path / "prose.pdf"
    make_pdfs.write_no_table_pdf(path)
    with pytest.raises(NoTableError) as caught:
        read_document(path, engine=engine)
    assert_one_line_error(caught.value, path)


def test_text_engine_refuses_pdf() -> None:
    with pytest.raises(UnsupportedFormatError) as caught:
        read_document(RULED, engine="text")
    assert_one_line_error(caught.value, RULED)
