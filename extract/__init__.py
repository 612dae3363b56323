"""Extraction stage: attachment file -> :class:`RawDocument` (raw cells + provenance).

Imports nothing from the other stages. Engines live one per module; :func:`read_document`
picks one from the file's content, not its name.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import tempfile
from collections.abc import Sequence
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
from extract.pdf_columns import PageBoundaries, given_boundaries
from extract.pdf_text import more_heading_words

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

ENGINES = ("auto", "text", "pdfium", "pdfplumber", "camelot")
OCR_MODES = ("auto", "never", "force")
#: The format a file's extension promises; the content decides, a mismatch is noted.
EXTENSION_FORMATS = {
    ".pdf": "pdf",
    ".txt": "text",
    ".text": "text",
    ".tsv": "text",
    ".md": "text",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".ods": "ods",
    ".p7m": "p7m",
}
#: Leading bytes of an OLE2 compound file: a password-protected DOCX/XLSX, or a legacy .doc/.xls.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
#: The member of an Office ZIP that tells what it is.
#: An OpenDocument ``mimetype`` member is one short line; a larger one is not read.
MIMETYPE_BYTES = 256
_ZIP_MEMBERS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
_ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.text": "odt",
}


#: Share of control bytes (other than tab, line breaks, form feed, NUL) from which the
#: start of a file is binary data rather than text with a few stray bytes.
BINARY_CONTROL_SHARE = 0.1
_CONTROL_BYTES = bytes(set(range(32)) - {0, 9, 10, 12, 13})


def detect_format(data: bytes) -> str:
    """Format from the content: ``pdf``, ``zip`` (any ZIP), ``ole`` (an OLE2 compound file),
    ``p7m`` (a signed envelope, DER or base64), ``binary`` or ``text``.

    UTF-16 text (zero bytes on one side) is text; so is text with a few NUL or control
    bytes (the text engine removes and reports NULs). Binary data has many control bytes,
    or NULs not in a UTF-16 pattern.
    """
    head = data[:1024]
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.lstrip()[:1] in (b"0", b"M", b"-") and is_envelope(data):
        return "p7m"
    if text_engine.utf16_codec(data) is not None:
        return "text"
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    nuls = head.count(0)
    if (controls + nuls) > BINARY_CONTROL_SHARE * len(head) or (nuls and controls):
        return "binary"
    return "text"


def is_envelope(data: bytes) -> bool:
    """:func:`extract.p7m.is_envelope`, whose module (and its records) is imported only for
    a file that starts like one (start-up time: a text or PDF attachment never needs it)."""
    from extract import p7m

    return p7m.is_envelope(data)


def zip_kind(data: bytes) -> str:
    """What a ZIP container holds: ``docx``, ``xlsx``, ``ods``, ``odt`` or ``zip`` (other).
    ``zipfile`` is imported here, for a ZIP only (start-up time)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= MIMETYPE_BYTES:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in _ODF_MIMETYPES:
                    return _ODF_MIMETYPES[mimetype]
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip"
    for member, kind in _ZIP_MEMBERS.items():
        if member in names:
            return kind
    return "zip"


def read_document(
    path: str | Path,
    engine: str = "auto",
    ocr: str = "auto",
    heading_words: Sequence[str] = (),
    *,
    lazy: bool = False,
    columns: Sequence[PageBoundaries] = (),
) -> RawDocument:
    """Extract the sector tables of one attachment.

    The content decides how it is read, not the name: a PDF, text, a DOCX, an XLSX or ODS
    spreadsheet, or any of these inside a signed ``.p7m`` envelope. Raises an
    :class:`ExtractError` subclass (one-line message naming the file) when the file cannot be
    read or holds no table. ``ocr`` says which PDF pages are read by OCR: ``auto`` those
    without a text layer, ``force`` all, ``never`` none (see :mod:`extract.ocr`).
    ``heading_words`` are a layout's own words opening a unit heading, besides
    :data:`extract.pdf_text.TABLE_HEADING_WORDS`: page text holding one starts a new table.
    ``lazy``: a text attachment's tables are read from its lines each time they are asked
    for (:class:`extract.text.LazyTables`: a large text's cells never all in memory).
    ``columns``: column boundaries given for the borderless tables of a PDF's pages
    (:mod:`extract.pdf_columns`), used instead of the ones its words suggest.
    """
    path = Path(path)
    if ocr not in OCR_MODES:
        raise ValueError(f"unknown OCR mode {ocr!r}; choose one of {', '.join(OCR_MODES)}")
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExtractError(path, f"cannot be read ({error.strerror or error})") from error
    if not data.strip():
        raise EmptyFileError(path)
    sha256 = hashlib.sha256(data).hexdigest()
    with more_heading_words(heading_words), given_boundaries(columns):
        document = read_content(path, data, sha256, engine, on_disk=True, ocr=ocr, lazy=lazy)
    if not document.tables:
        raise NoTableError(path)
    return with_extension_note(document, path)


def read_content(
    path: Path,
    data: bytes,
    sha256: str,
    engine: str,
    *,
    on_disk: bool,
    ocr: str = "auto",
    lazy: bool = False,
) -> RawDocument:
    """The document in ``data``: the bytes of ``path`` (``on_disk``), or the content of its
    envelope, which exists only in memory."""
    source_format = detect_format(data)
    if source_format == "p7m":
        return read_envelope(path, data, sha256, engine, ocr)
    if source_format == "text":
        if engine not in ("auto", "text"):
            raise UnsupportedFormatError(path, f"engine {engine!r} reads PDF, this is text")
        return read_text_document(path, data, sha256, lazy=lazy)
    if source_format == "pdf":
        if engine == "text":
            raise UnsupportedFormatError(path, "engine 'text' reads text, this is a PDF")
        if on_disk:
            return read_pdf_file(path, sha256, engine, ocr)
        return read_pdf_bytes(path, data, sha256, engine, ocr)
    if source_format == "zip":
        return read_office(path, data, sha256, engine)
    if source_format == "ole":
        raise UnsupportedFormatError(path, ole_reason(data))
    raise UnsupportedFormatError(path, f"unsupported content: binary data{named_as(path)}")


def read_text_document(path: Path, data: bytes, sha256: str, *, lazy: bool = False) -> RawDocument:
    """A text attachment (TAB-separated table rows), read by the text engine (``lazy``:
    see :func:`read_document`)."""
    preamble, tables, page_count, notes = text_engine.read_text(data, lazy=lazy)
    return RawDocument(
        source_name=path.name,
        source_sha256=sha256,
        source_format="text",
        extractor=text_engine.ENGINE,
        page_count=page_count,
        preamble=preamble,
        tables=tables if isinstance(tables, text_engine.LazyTables) else tuple(tables),
        notes=tuple(notes),
    )


def read_pdf_file(path: Path, sha256: str, engine: str, ocr: str) -> RawDocument:
    """A PDF on disk: the pages without a text layer (or all, ``force``) read by OCR; the
    running headers/footers the engine dropped are noted
    (:func:`extract.pdf.with_running_notes`)."""
    from extract.pdf import with_running_notes
    from extract.pdf_text import collecting_running_lines

    with collecting_running_lines() as running:
        document = read_pdf_file_pages(path, sha256, engine, ocr)
    return with_running_notes(document, running)


def read_pdf_file_pages(path: Path, sha256: str, engine: str, ocr: str) -> RawDocument:
    """:func:`read_pdf_file` less the running-line notes."""
    if ocr == "auto" and engine in ("auto", "pdfium"):
        return read_pdfium_or_ocr(path, sha256, engine)
    if ocr != "never":
        from extract import ocr as ocr_engine

        pages = ocr_engine.pages_to_ocr(path, ocr)
        if pages:
            return ocr_engine.read_pdf_ocr(path, sha256, engine, pages)
    return read_pdf_document(path, sha256, engine)


def read_pdfium_or_ocr(path: Path, sha256: str, engine: str) -> RawDocument:
    """A PDF read by the pdfium engine, unless some page has no text layer (``--ocr
    auto``): the engine counts each page's characters as it reads it, so the text layer is
    not looked for in a pass of its own, and the OCR engine is imported only when needed."""
    from extract import pdf_pdfium
    from extract.pdf import reading_document
    from extract.pdf_text import pages_without_text_layer

    with pdf_pdfium.open_pages(path) as pdf:
        scanned = pages_without_text_layer(pdf.char_counts)
        reading = None if scanned else pdf_pdfium.read_opened(path, pdf)
    if reading is not None:
        return reading_document(path, sha256, reading)
    from extract import ocr as ocr_engine

    return ocr_engine.read_pdf_ocr(path, sha256, engine, scanned)


def read_pdf_bytes(path: Path, data: bytes, sha256: str, engine: str, ocr: str) -> RawDocument:
    """A PDF that exists only in memory (the content of an envelope), read from a private
    temporary copy (the PDF engines read files); errors still name ``path``."""
    with tempfile.TemporaryDirectory(prefix="piao-") as folder:
        copy = Path(folder) / f"{path.stem}.pdf"
        copy.write_bytes(data)
        try:
            document = read_pdf_file(copy, sha256, engine, ocr)
        except ExtractError as error:
            raise type(error)(path, error.reason.replace(str(copy), path.name)) from error
    return dataclasses.replace(document, source_name=path.name)


def read_office(path: Path, data: bytes, sha256: str, engine: str) -> RawDocument:
    """A DOCX, XLSX or ODS document (a ZIP container), read from its own cell structure;
    refused first if it would inflate beyond the limits (:mod:`extract.zip_limits`)."""
    from extract.zip_limits import check_zip

    check_zip(path, data)
    kind = zip_kind(data)
    if kind in ("docx", "xlsx", "ods") and engine not in ("auto", kind):
        raise UnsupportedFormatError(path, f"engine {engine!r} reads PDF, this is {kind.upper()}")
    try:
        if kind == "docx":
            from extract.docx import read_docx

            return read_docx(path, data, sha256)
        if kind in ("xlsx", "ods"):
            from extract.xlsx import read_spreadsheet

            return read_spreadsheet(path, data, sha256, kind)
    except UnsupportedFormatError as error:
        raise UnsupportedFormatError(path, f"{error.reason}{named_as(path)}") from error
    if kind == "odt":
        reason = "an OpenDocument text (ODT); save it as DOCX or PDF"
    else:
        reason = "a ZIP archive that is not a DOCX, XLSX or ODS document"
    raise UnsupportedFormatError(path, f"unsupported content: {reason}{named_as(path)}")


def ole_reason(data: bytes) -> str:
    """Why an OLE2 compound file is not read: a password-protected Office document (its
    ``EncryptedPackage`` stream) or a legacy binary .doc/.xls."""
    if _ENCRYPTED_PACKAGE in data:
        return (
            "a password-protected (encrypted) Office document; "
            "remove the password and save it again"
        )
    return "a legacy Office file (.doc/.xls); save it as DOCX, XLSX or PDF"


def read_envelope(path: Path, data: bytes, sha256: str, engine: str, ocr: str) -> RawDocument:
    """A signed ``.p7m`` envelope: its content read by what it is (PDF, text, DOCX, XLSX,
    ODS), with the signers' names and ``source_format`` such as ``pdf+p7m``.

    The document keeps the envelope's SHA-256 (the file as stored) as its identity.
    """
    from extract import p7m

    try:
        envelope = p7m.unwrap(data)
    except p7m.EnvelopeError as error:
        raise UnsupportedFormatError(path, f"signed envelope (.p7m): {error}") from error
    inner_format = detect_format(envelope.content)
    if inner_format == "zip":
        inner_format = zip_kind(envelope.content)
    if inner_format not in ("pdf", "text", "docx", "xlsx", "ods") or not envelope.content.strip():
        what = "nothing" if not envelope.content.strip() else describe(inner_format)
        raise UnsupportedFormatError(
            path, f"the signed envelope (.p7m) holds {what}, not an attachment piao reads"
        )
    inner_path = path.with_suffix("") if path.suffix.lower() == ".p7m" else path
    document = read_content(inner_path, envelope.content, sha256, engine, on_disk=False, ocr=ocr)
    return dataclasses.replace(
        document,
        source_name=path.name,
        source_format=f"{document.source_format}+p7m",
        signer_name=envelope.signer_name,
        signer_organization=envelope.signer_organization,
    )


def describe(kind: str) -> str:
    """A format name for a message: ``binary data``, ``an ODT document``, ``a ZIP archive``."""
    return {
        "binary": "binary data",
        "ole": "a legacy or encrypted Office file",
        "odt": "an OpenDocument text (ODT)",
        "zip": "a ZIP archive",
    }.get(kind, kind)


def named_as(path: Path) -> str:
    """``", not pdf as its name (.pdf) says"`` for a supported extension, else ``""``."""
    suffix = path.suffix.lower()
    expected = EXTENSION_FORMATS.get(suffix)
    return f", not {expected} as its name ({suffix}) says" if expected else ""


def matches_extension(source_format: str, expected: str) -> bool:
    """Whether a document's format is what its extension promised (``pdf+p7m`` is a .p7m)."""
    return source_format == expected or source_format.endswith(f"+{expected}")


def with_extension_note(document: RawDocument, path: Path) -> RawDocument:
    """The document, with an ``extension_mismatch`` note first when its content (which decided
    how it was read) is not what its extension says: a PDF named ``.txt`` is read as a PDF."""
    suffix = path.suffix.lower()
    expected = EXTENSION_FORMATS.get(suffix)
    if expected is None or matches_extension(document.source_format, expected):
        return document
    note = ExtractNote(
        rule="extension_mismatch",
        severity="warning",
        message=f"named {suffix} but the content is {document.source_format}; "
        f"read as {document.source_format}",
    )
    return dataclasses.replace(document, notes=(note, *document.notes))
