"""Extraction stage: attachment file -> :class:`RawDocument` (raw cells + provenance).

Imports nothing from the other stages. Engines live one per module; :func:`read_document`
picks one from the file's content, not its name.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from extract import text as text_engine
from extract.errors import (
    EmptyFileError,
    ExtractError,
    NoTableError,
    UnsupportedFormatError,
)
from extract.model import ExtractNote, RawCell, RawDocument, RawRow, RawTable
from extract.pdf import read_pdf_document

__all__ = [
    "ExtractError",
    "ExtractNote",
    "RawCell",
    "RawDocument",
    "RawRow",
    "RawTable",
    "detect_format",
    "read_document",
]

ENGINES = ("auto", "text", "pdfplumber", "camelot")
#: The format a file's extension promises; the content decides, a mismatch is noted.
EXTENSION_FORMATS = {".pdf": "pdf", ".txt": "text", ".text": "text", ".tsv": "text", ".md": "text"}


#: Share of control bytes (other than tab, line breaks, form feed, NUL) from which the
#: start of a file is binary data rather than text with a few stray bytes.
BINARY_CONTROL_SHARE = 0.1
_CONTROL_BYTES = bytes(set(range(32)) - {0, 9, 10, 12, 13})


def detect_format(data: bytes) -> str:
    """Format from the leading bytes: ``pdf``, ``zip`` (DOCX/XLSX), ``binary`` or ``text``.

    UTF-16 text (zero bytes on one side) is text; so is text with a few NUL or control
    bytes (the text engine removes and reports NULs). Binary data has many control bytes,
    or NULs not in a UTF-16 pattern.
    """
    head = data[:1024]
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if text_engine.utf16_codec(data) is not None:
        return "text"
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    nuls = head.count(0)
    if (controls + nuls) > BINARY_CONTROL_SHARE * len(head) or (nuls and controls):
        return "binary"
    return "text"


def read_document(path: str | Path, engine: str = "auto") -> RawDocument:
    """Extract the sector tables of one attachment.

    Raises an :class:`ExtractError` subclass (one-line message naming the file) when the file
    cannot be read or holds no table.
    """
    path = Path(path)
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExtractError(path, f"cannot be read ({error.strerror or error})") from error
    if not data.strip():
        raise EmptyFileError(path)
    source_format = detect_format(data)
    sha256 = hashlib.sha256(data).hexdigest()
    if source_format == "text":
        if engine not in ("auto", "text"):
            raise UnsupportedFormatError(path, f"engine {engine!r} reads PDF, this is text")
        preamble, tables, page_count, notes = text_engine.read_text(data)
        document = RawDocument(
            source_name=path.name,
            source_sha256=sha256,
            source_format="text",
            extractor=text_engine.ENGINE,
            page_count=page_count,
            preamble=preamble,
            tables=tuple(tables),
            notes=tuple(notes),
        )
    elif source_format == "pdf":
        if engine == "text":
            raise UnsupportedFormatError(path, "engine 'text' reads text, this is a PDF")
        document = read_pdf_document(path, sha256, engine)
    else:
        kind = "a ZIP container (DOCX/XLSX)" if source_format == "zip" else "binary data"
        raise UnsupportedFormatError(path, f"unsupported content: {kind}{named_as(path)}")
    if not document.tables:
        raise NoTableError(path)
    return with_extension_note(document, path)


def named_as(path: Path) -> str:
    """``", not pdf as its name (.pdf) says"`` for a supported extension, else ``""``."""
    suffix = path.suffix.lower()
    expected = EXTENSION_FORMATS.get(suffix)
    return f", not {expected} as its name ({suffix}) says" if expected else ""


def with_extension_note(document: RawDocument, path: Path) -> RawDocument:
    """The document, with an ``extension_mismatch`` note first when its content (which decided
    how it was read) is not what its extension says: a PDF named ``.txt`` is read as a PDF."""
    suffix = path.suffix.lower()
    expected = EXTENSION_FORMATS.get(suffix)
    if expected is None or expected == document.source_format:
        return document
    note = ExtractNote(
        rule="extension_mismatch",
        severity="warning",
        message=f"named {suffix} but the content is {document.source_format}; "
        f"read as {document.source_format}",
    )
    return dataclasses.replace(document, notes=(note, *document.notes))
