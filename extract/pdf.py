"""Reading a PDF: the chosen engine runs, and its page fragments are stitched into tables.

The engines (:mod:`extract.pdf_pdfium`, :mod:`extract.pdf_pdfplumber`,
:mod:`extract.pdf_camelot`) share their text helpers from the leaf :mod:`extract.pdf_text`,
so none of them imports this module back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from extract.errors import NoTableError
from extract.model import ExtractNote, RawCell, RawDocument, RawRow, RawTable
from extract.pdf_text import (
    collecting_running_lines,
    pages_without_text_note,
    pdf_errors,
    running_line_notes,
)

if TYPE_CHECKING:
    from extract.stitch import PdfReading


def with_running_notes(
    document: RawDocument, found: Sequence[tuple[str, tuple[int, ...]]]
) -> RawDocument:
    """The document with a note per running line found while it was read
    (:func:`running_line_notes`) after its own notes."""
    notes = running_line_notes(found)
    return dataclasses.replace(document, notes=document.notes + tuple(notes)) if notes else document


def read_pdf_document(path: Path, sha256: str, engine: str = "auto") -> RawDocument:
    """Extract a PDF with the chosen engine and stitch its page fragments into sector tables.

    ``auto`` and ``pdfium`` read the page with pypdfium2 and find the tables with
    pdfplumber's table code (:mod:`extract.pdf_pdfium`: the same cells as ``pdfplumber``,
    about three times faster); ``pdfplumber`` reads the page with pdfminer (lines for a
    ruled document, the grid read from the words' layout for a borderless one, see
    :mod:`extract.pdf_layout`); ``camelot`` uses camelot (lattice or stream, chosen the same
    way). The engine modules are imported here, on demand, because camelot is slow to
    import.
    """
    with collecting_running_lines() as running:
        if engine == "camelot":
            from extract import pdf_camelot

            reading = pdf_camelot.read_pdf(path)
        elif engine == "pdfplumber":
            from extract import pdf_pdfplumber

            reading = pdf_pdfplumber.read_pdf(path)
        else:
            from extract import pdf_pdfium

            reading = pdf_pdfium.read_pdf(path)
    return with_running_notes(reading_document(path, sha256, reading), running)


def reading_document(path: Path, sha256: str, reading: PdfReading) -> RawDocument:
    """What an engine read stitched into sector tables, as the document."""
    from extract.stitch import stitch

    tables, notes = stitch(reading.fragments)
    if reading.pages_without_text:
        notes.insert(0, pages_without_text_note(reading.pages_without_text))
    if not tables:
        tables, lines_note = label_line_tables(path)
        notes += [lines_note] if lines_note else []
    if not tables:
        raise NoTableError(
            path,
            f"no objective table found on its {reading.page_count} pages ({reading.extractor})",
        )
    return RawDocument(
        source_name=path.name,
        source_sha256=sha256,
        source_format="pdf",
        extractor=reading.extractor,
        page_count=reading.page_count,
        preamble=reading.preamble,
        tables=tuple(tables),
        notes=tuple(notes),
    )


#: Consecutive ``Label: value`` lines that make a table of a PDF with no table drawn.
MIN_LABEL_LINES = 3


def label_line_tables(path: Path) -> tuple[list[RawTable], ExtractNote | None]:
    """The tables of a PDF that draws none but prints ``Label: value`` lines (objective
    cards written as ``Codice obiettivo: 2.1.1`` lines, no rules): each run of at least
    :data:`MIN_LABEL_LINES` such lines is a table of two-cell rows (label, value), the
    other lines before it its heading. The lines are pdfium's page text (its inferred
    spaces included); a cell keeps its page and its line on the page, not a box. A note
    says how many lines were read so."""
    import pypdfium2

    from extract.text_lines import LABEL_LINE

    blocks: list[tuple[list[str], list[RawRow]]] = [([], [])]
    with pdf_errors(path):
        document = pypdfium2.PdfDocument(str(path))
        try:
            for number in range(1, len(document) + 1):
                textpage = document[number - 1].get_textpage()
                try:
                    text = textpage.get_text_range()
                finally:
                    textpage.close()
                for line_number, line in enumerate(text.splitlines(), start=1):
                    line = " ".join(line.split())
                    match = LABEL_LINE.match(line) if line else None
                    if match is None:
                        if blocks[-1][1]:
                            blocks.append(([], []))
                        blocks[-1][0].extend([line] if line else [])
                        continue
                    cells = tuple(
                        RawCell(match.group(name), column, number, line=line_number)
                        for column, name in enumerate(("label", "value"))
                    )
                    blocks[-1][1].append(RawRow(cells, (number,)))
        finally:
            document.close()
    kept, heading = [], []
    for lines, rows in blocks:
        heading += lines
        if len(rows) >= MIN_LABEL_LINES:
            kept.append(RawTable(" ".join(heading), tuple(rows), len(kept)))
            heading = []
        else:
            heading += [" ".join(row.texts) for row in rows]
    if not kept:
        return [], None
    count = sum(len(table.rows) for table in kept)
    note = ExtractNote(
        rule="label_lines_read",
        severity="info",
        message=f"no table drawn in the PDF; {count} 'Label: value' lines read as two-cell rows",
        page=kept[0].rows[0].page,
    )
    return kept, note
