"""Text engine: attachments converted from PDF to text.

The format (as produced by common PDF/Word-to-text converters): markdown headings and bold
blocks for the page text, one table row per line with cells separated by TABs, HTML fragments
(``<b>``, ``<p>``) inside cells, and the table header rows repeated at the top of every page.

Pages are not marked in such text, so they are inferred: a block of table rows or of page text
that follows table rows after a blank line starts a new page (that is where the header rows
repeat), and so does a gap of three or more blank lines between blocks of page text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from extract.model import ExtractNote, RawCell, RawRow, RawTable

ENGINE = "text"
PAGE_GAP_BLANK_LINES = 3

_MARKDOWN_DECORATION = re.compile(r"^\s*#{1,6}\s*|\*\*|__")


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    page: int
    text: str

    @property
    def is_row(self) -> bool:
        return "\t" in self.text


def decode_text(data: bytes) -> tuple[str, list[ExtractNote]]:
    """Decode UTF-8 (with or without BOM); fall back to cp1252, then latin-1, with a note."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        position = error.start
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        note = ExtractNote(
            rule="encoding_fallback",
            severity="warning",
            message=f"not valid UTF-8 (first bad byte at offset {position}); read as {encoding}",
        )
        return text, [note]
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover


def strip_markdown(line: str) -> str:
    """Page-text line without markdown heading/bold markers and trailing hard breaks."""
    return _MARKDOWN_DECORATION.sub("", line).strip()


def paginate(lines: Iterable[str]) -> Iterator[_Line]:
    """Number the non-blank lines and infer the page each one is on (see module doc)."""
    page, blank_run, previous_was_row = 1, 0, False
    seen_content = False
    for number, raw in enumerate(lines, start=1):
        text = raw.rstrip("\r\n")
        if not text.strip():
            blank_run += 1
            continue
        is_row = "\t" in text
        if (
            seen_content
            and blank_run
            and (previous_was_row or (not is_row and blank_run >= PAGE_GAP_BLANK_LINES))
        ):
            page += 1
        yield _Line(number, page, text)
        seen_content, previous_was_row, blank_run = True, is_row, 0


def _row_from_line(line: _Line) -> RawRow:
    cells = tuple(
        RawCell(text=text, column=column, page=line.page, line=line.number)
        for column, text in enumerate(line.text.split("\t"))
    )
    return RawRow(cells=cells, pages=(line.page,), line=line.number)


def heading_of(block: list[_Line], first_row_page: int) -> str:
    """The page text printed above a table: the block's lines on the table's first page
    (all of the block when none is on that page)."""
    same_page = [line for line in block if line.page == first_row_page] or block
    return " ".join(text for line in same_page if (text := strip_markdown(line.text)))


def group_tables(lines: Iterable[_Line]) -> tuple[str, list[RawTable]]:
    """Split numbered lines into the preamble (page text before the first table) and tables.

    A table begins at the first row after a block of page text; its heading is that text.
    Rows separated only by blank lines (a page break) stay in the same table.
    """
    preamble: list[_Line] = []
    tables: list[RawTable] = []
    block: list[_Line] = []
    rows: list[RawRow] = []
    heading = ""

    def close_table() -> None:
        if rows:
            tables.append(RawTable(heading=heading, rows=tuple(rows), index=len(tables)))

    for line in lines:
        if not line.is_row:
            if not tables and not rows:
                preamble.append(line)
            block.append(line)
            continue
        if block or not rows:
            close_table()
            heading = heading_of(block, line.page)
            block, rows = [], []
        rows.append(_row_from_line(line))
    close_table()
    first_page = tables[0].pages[0] if tables else None
    before_tables = [line for line in preamble if line.page != first_page] or preamble
    return "\n".join(t for line in before_tables if (t := strip_markdown(line.text))), tables


def replacement_char_notes(tables: Iterable[RawTable]) -> list[ExtractNote]:
    """One note per cell holding U+FFFD: a character lost by an earlier conversion."""
    return [
        ExtractNote(
            rule="lost_character",
            severity="warning",
            message=f"column {cell.column} holds U+FFFD (a character lost in conversion): "
            f"{cell.text[max(0, cell.text.find(chr(0xFFFD)) - 30) :][:60]!r}",
            page=cell.page,
            line=cell.line,
        )
        for table in tables
        for row in table.rows
        for cell in row.cells
        if "\ufffd" in cell.text
    ]


def read_text(data: bytes) -> tuple[str, list[RawTable], int, list[ExtractNote]]:
    """Parse a text attachment: (preamble, tables, page count, notes)."""
    text, notes = decode_text(data)
    lines = list(paginate(text.splitlines()))
    preamble, tables = group_tables(lines)
    page_count = lines[-1].page if lines else 0
    return preamble, tables, page_count, notes + replacement_char_notes(tables)
