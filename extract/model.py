"""Raw extraction output: cells exactly as read, each with its provenance.

Every engine (text, pdfplumber, camelot, ...) returns a :class:`RawDocument`. Nothing here
interprets the cells: that is the normaliser's job. What the extractor must get right is
*where* each cell came from, so that any record can be traced back to its page and cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class RawCell:
    """One table cell as read from the source.

    ``column`` is the 0-based position in the source row (the grid column in a DOCX table or a
    spreadsheet: a merged cell's text sits at its first grid position, the positions it covers
    are empty), ``page`` the 1-based page (for a DOCX the page counted by its explicit page
    breaks, for a spreadsheet the sheet's 1-based position), ``line`` the 1-based line of a
    text source, ``bbox`` (x0, top, x1, bottom) in PDF points. Documents without pages or
    boxes say where a cell is instead with ``source_table`` (1-based table of a DOCX),
    ``source_row`` (1-based row in that table, or in the sheet as the spreadsheet numbers it)
    and ``sheet`` (the sheet's name). ``ocr_confidence`` (0-1, Tesseract's mean word
    confidence) is set only for a cell read by OCR from a scanned page.
    """

    text: str
    column: int
    page: int
    line: int | None = None
    bbox: BBox | None = None
    source_table: int | None = None
    source_row: int | None = None
    sheet: str | None = None
    ocr_confidence: float | None = None


@dataclass(frozen=True, slots=True)
class RawRow:
    """One table row; ``pages`` lists every page the row spans (a row re-joined across a
    page break spans two)."""

    cells: tuple[RawCell, ...]
    pages: tuple[int, ...]
    line: int | None = None

    @property
    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]

    @property
    def page(self) -> int:
        return self.pages[0]


@dataclass(frozen=True, slots=True)
class ExtractNote:
    """Something the extractor repaired or doubts (a re-joined row, a decoding fallback).

    The normaliser turns each note into a row of the ``quality`` table.
    """

    rule: str
    severity: str
    message: str
    page: int | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class RawTable:
    """One sector table, continued over as many pages as it spans.

    ``heading`` is the text printed above the table (e.g. "OBIETTIVI GESTIONALI ASSEGNATI AL
    SETTORE FINANZE (FIN)"); ``rows`` keeps every row, repeated header rows included.
    """

    heading: str
    rows: tuple[RawRow, ...]
    index: int

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(sorted({page for row in self.rows for page in row.pages}))


@dataclass(frozen=True, slots=True)
class RawDocument:
    """Everything an engine read from one attachment.

    ``signer_name`` and ``signer_organization`` are the subject (CN, O) of the certificates of
    a signed ``.p7m`` envelope (not verified), ``None`` for an unsigned file.
    """

    source_name: str
    source_sha256: str
    source_format: str
    extractor: str
    page_count: int
    preamble: str
    tables: tuple[RawTable, ...]
    notes: tuple[ExtractNote, ...] = field(default=())
    signer_name: str | None = None
    signer_organization: str | None = None

    @property
    def doc_id(self) -> str:
        """First 16 hex characters of the SHA-256 of the source bytes."""
        return self.source_sha256[:16]
