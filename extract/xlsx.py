"""Spreadsheet engine: XLSX (openpyxl) and ODS (odfpy), read from the sheets' own cells.

Each sheet is a grid of cells with row numbers and merged ranges; nothing is guessed from
positions on a page:

- a merged range's text sits at its top-left cell, the cells it covers are empty, so a row
  has one cell per sheet column (``RawCell.column`` 0 is column A), as many as the sheet's
  widest row (a column left empty at the end of some rows, such as a Note column, keeps
  every row of the sheet as wide as its header);
- a cell's text is what the spreadsheet shows: text with its line breaks, integers as
  integers, percentages as printed with the cell's decimals (``0.263158`` formatted
  ``0.0000%`` → ``26,3158%``, Italian decimal comma), dates as ``dd/mm/yyyy``; an ODS cell's
  displayed text is stored in the file and used as it is;
- blank rows cut a sheet into blocks. A block's leading rows holding one value (a title, a
  sector heading) are text; from its first row with two or more values on, the block is
  table rows, together with the one-value rows merged across columns directly above that
  row (a banner printed as the table's first row, above its header) and any row of one value
  further down (a sector heading merged across the table stays a row: the normaliser reads
  in-table headings, before or after the header). A block of one-value rows only is text,
  merged or not. The text since the previous table on the same sheet is the table's heading
  (for the first table only its last block; the text before that is the preamble), the
  sheet's name when there is none; a table block with no text since the previous table
  continues it.

Provenance: the sheet (``RawCell.sheet``), the row as the spreadsheet numbers it
(``source_row``) and the column; ``page`` is the sheet's 1-based position.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from extract.errors import NoTableError, UnsupportedFormatError
from extract.model import RawCell, RawDocument, RawRow, RawTable

ENGINES = {"xlsx": "openpyxl", "ods": "odfpy"}
_DECIMALS = re.compile(r"\.(0+)")


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One non-blank row of a sheet: its number (1-based, as the application shows it) and
    its cells' texts from column A on."""

    number: int
    texts: tuple[str, ...]
    spanning: bool = False
    """Its one value sits in a cell merged across two or more columns (a banner row)."""

    @property
    def values(self) -> int:
        return sum(1 for text in self.texts if text)


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    position: int
    rows: tuple[SheetRow, ...]


@dataclass(slots=True)
class _Table:
    heading: str
    rows: list[RawRow] = field(default_factory=list)


# cell values -> text ------------------------------------------------------------------------


def percent_text(value: float, number_format: str) -> str:
    """A fraction shown the way a percent format shows it, with an Italian decimal comma:
    ``0.263158`` with ``0.0000%`` → ``26,3158%``; ``1`` with ``0%`` → ``100%``."""
    match = _DECIMALS.search(number_format.split("%")[0])
    decimals = len(match.group(1)) if match else 0
    return f"{value * 100:.{decimals}f}".replace(".", ",") + "%"


def number_text(value: float) -> str:
    """A number as a spreadsheet shows it by default: ``19`` for 19.0, ``2,5`` for 2.5."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.15g}".replace(".", ",")


def value_text(value: object, number_format: str = "General") -> str:
    """A cell's value as the text the spreadsheet shows (see module doc)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VERO" if value else "FALSO"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float):
        if "%" in (number_format or ""):
            return percent_text(float(value), number_format)
        return number_text(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def trimmed(texts: list[str]) -> tuple[str, ...]:
    """The row's texts without trailing empty cells."""
    while texts and not texts[-1]:
        texts.pop()
    return tuple(texts)


# XLSX ---------------------------------------------------------------------------------------


def xlsx_sheets(path: Path, data: bytes) -> Iterator[Sheet]:
    """The sheets of an XLSX workbook (cached values of formulas, merged cells empty)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises KeyError, BadZipFile, InvalidFileException...
        raise UnsupportedFormatError(
            path, f"an XLSX workbook that cannot be opened, damaged or incomplete ({cause(error)})"
        ) from error
    for position, sheet in enumerate(book.worksheets, start=1):
        spans = {
            (merged.min_row, merged.min_col)
            for merged in sheet.merged_cells.ranges
            if merged.max_col > merged.min_col
        }
        rows = []
        for cells in sheet.iter_rows():
            texts = trimmed([value_text(cell.value, cell.number_format) for cell in cells])
            if texts:
                filled = [cell for cell, text in zip(cells, texts, strict=False) if text]
                spanning = len(filled) == 1 and (filled[0].row, filled[0].column) in spans
                rows.append(SheetRow(cells[0].row, texts, spanning))
        yield Sheet(sheet.title, position, padded(rows))


def padded(rows: list[SheetRow]) -> tuple[SheetRow, ...]:
    """The sheet's rows, each as wide as the widest (one cell per sheet column in use)."""
    width = max((len(row.texts) for row in rows), default=0)
    return tuple(replace(row, texts=row.texts + ("",) * (width - len(row.texts))) for row in rows)


def cause(error: BaseException) -> str:
    """``KeyError: <first line>``: a library error in a few words, for a one-line message."""
    detail = str(error).strip().splitlines()[0][:100] if str(error).strip() else ""
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__


# ODS ----------------------------------------------------------------------------------------


def ods_cell_text(cell) -> str:
    """The text an ODS cell displays (stored in the file): its paragraphs on separate lines,
    line breaks, tabs and repeated spaces kept."""
    from odf import teletype
    from odf.namespaces import TEXTNS

    paragraphs = [
        teletype.extractText(node)
        for node in cell.childNodes
        if node.qname in ((TEXTNS, "p"), (TEXTNS, "h"))
    ]
    return "\n".join(paragraphs).strip()


def ods_sheets(path: Path, data: bytes) -> Iterator[Sheet]:
    """The sheets of an ODS workbook; repeated blank rows and cells are not expanded."""
    from odf.namespaces import TABLENS
    from odf.opendocument import load
    from odf.table import Table, TableRow

    try:
        document = load(io.BytesIO(data))
        tables = document.spreadsheet.getElementsByType(Table)
    except Exception as error:  # odfpy raises XML, ZIP and attribute errors
        raise UnsupportedFormatError(
            path, f"an ODS workbook that cannot be opened, damaged or incomplete ({cause(error)})"
        ) from error
    repeat_rows = (TABLENS, "number-rows-repeated")
    repeat_columns = (TABLENS, "number-columns-repeated")
    spanned_columns = (TABLENS, "number-columns-spanned")
    for position, table in enumerate(tables, start=1):
        rows, number = [], 0
        for row in table.getElementsByType(TableRow):
            repeated = int(row.attributes.get(repeat_rows, 1))
            texts: list[str] = []
            spans: list[bool] = []
            for cell in row.childNodes:
                if cell.qname[0] != TABLENS or cell.qname[1] not in (
                    "table-cell",
                    "covered-table-cell",
                ):
                    continue
                text = ods_cell_text(cell) if cell.qname[1] == "table-cell" else ""
                count = int(cell.attributes.get(repeat_columns, 1))
                texts += [text] * (count if text else min(count, 1024))
                if text:
                    spans.append(int(cell.attributes.get(spanned_columns, 1)) > 1)
            texts_t = trimmed(texts)
            if texts_t:
                spanning = spans == [True]
                for offset in range(min(repeated, 1024)):
                    rows.append(SheetRow(number + 1 + offset, texts_t, spanning))
            number += repeated
        yield Sheet(str(table.getAttribute("name")), position, padded(rows))


# sheets -> tables ---------------------------------------------------------------------------


def blocks(sheet: Sheet) -> Iterator[list[SheetRow]]:
    """Runs of consecutive non-blank rows (a blank row, or a gap in numbering, ends one)."""
    block: list[SheetRow] = []
    for row in sheet.rows:
        if block and row.number != block[-1].number + 1:
            yield block
            block = []
        block.append(row)
    if block:
        yield block


def split_block(block: list[SheetRow]) -> tuple[list[str], list[SheetRow]]:
    """A block's leading one-value rows (text: titles, headings) and its table rows: from the
    first row with two or more values on, with the rows merged across columns just above it
    (banners printed as the table's first rows)."""
    first = next((index for index, row in enumerate(block) if row.values >= 2), None)
    if first is None:
        return [text for r in block for text in r.texts if text], []
    while first > 0 and block[first - 1].spanning:
        first -= 1
    return [text for r in block[:first] for text in r.texts if text], block[first:]


def raw_row(sheet: Sheet, row: SheetRow) -> RawRow:
    return RawRow(
        cells=tuple(
            RawCell(
                text=text,
                column=column,
                page=sheet.position,
                source_row=row.number,
                sheet=sheet.name,
            )
            for column, text in enumerate(row.texts)
        ),
        pages=(sheet.position,),
    )


def sheet_tables(sheet: Sheet, first: bool) -> tuple[list[str], list[_Table]]:
    """The tables of one sheet (see module doc) and, when ``first`` (no table read yet in the
    workbook), the preamble text before its first table (all its text if it has none)."""
    tables: list[_Table] = []
    text_blocks: list[list[str]] = []
    preamble: list[str] = []
    for block in blocks(sheet):
        lines, rows = split_block(block)
        if lines:
            text_blocks.append(lines)
        if not rows:
            continue
        if tables and not text_blocks:
            tables[-1].rows += [raw_row(sheet, row) for row in rows]
            continue
        if first and not tables:
            heading_lines = text_blocks[-1] if text_blocks else []
            preamble = [line for block_lines in text_blocks[:-1] for line in block_lines]
        else:
            heading_lines = [line for block_lines in text_blocks for line in block_lines]
        heading = " ".join(heading_lines) or sheet.name
        tables.append(_Table(heading, [raw_row(sheet, row) for row in rows]))
        text_blocks = []
    if first and not tables:
        preamble = [line for b in text_blocks for line in b]
    return preamble, tables


def read_spreadsheet(path: Path, data: bytes, sha256: str, kind: str) -> RawDocument:
    """Read the tables of an XLSX or ODS workbook (see module doc)."""
    sheets = list(xlsx_sheets(path, data) if kind == "xlsx" else ods_sheets(path, data))
    preamble: list[str] = []
    tables: list[_Table] = []
    for sheet in sheets:
        text, found = sheet_tables(sheet, first=not tables)
        if not tables:
            preamble += text
        tables += found
    if not tables:
        raise NoTableError(
            path,
            f"no table in the {kind.upper()} workbook ({len(sheets)} sheets, none with rows "
            "of two or more values)",
        )
    return RawDocument(
        source_name=path.name,
        source_sha256=sha256,
        source_format=kind,
        extractor=ENGINES[kind],
        page_count=len(sheets),
        preamble="\n".join(preamble),
        tables=tuple(
            RawTable(heading=table.heading, rows=tuple(table.rows), index=index)
            for index, table in enumerate(tables)
        ),
    )
