"""Text engine: attachments converted from PDF to text.

The format (as produced by common PDF/Word-to-text converters): markdown headings and bold
blocks for the page text, one table row per line with cells separated by TABs, HTML fragments
(``<b>``, ``<p>``) inside cells, and the table header rows repeated at the top of every page.

Pages are not marked in such text, so they are inferred: a block of table rows or of page text
that follows table rows after a blank line starts a new page (that is where the header rows
repeat), and so does a gap of three or more blank lines between blocks of page text.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple, overload

from extract.model import ExtractNote, RawCell, RawRow, RawTable
from extract.sections import carried_heading
from extract.text_cards import layout_card_rows
from extract.text_lines import LABEL_LINE, strip_markdown

ENGINE = "text"
PAGE_GAP_BLANK_LINES = 3

#: The ASCII line breaks of :meth:`str.splitlines` (CR LF kept together), in bytes.
_BYTE_LINE_BREAK = re.compile(rb"(\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e])")
#: UTF-16 without BOM: the share of zero bytes on one side of the first characters.
UTF16_SAMPLE_BYTES, UTF16_ZERO_SHARE = 4096, 0.4
#: The encodings a text attachment not in UTF-8 may be in (charset-normalizer's names).
LEGACY_ENCODINGS = ("cp1252", "latin_1", "iso8859_15", "mac_roman", "cp850")
LEGACY_NAMES = {"latin_1": "latin-1", "iso8859_15": "iso8859-15", "mac_roman": "mac-roman"}
#: Per rule, the decoding notes kept before one summary note.
MAX_NOTES_PER_RULE = 20
#: Cells kept of a table row; a longer row is not a PIAO table (and would cost memory).
MAX_CELLS_PER_ROW = 500


class _Line(NamedTuple):
    number: int
    page: int
    text: str

    @property
    def is_row(self) -> bool:
        return "\t" in self.text


def decode_text(data: bytes) -> tuple[str, list[ExtractNote]]:
    """Decode a text attachment, losing as little as possible and reporting what is lost.

    * UTF-16 (with a BOM, or recognised by its zero bytes) is read as UTF-16;
    * UTF-8 (with or without BOM) is read line by line: valid lines stay UTF-8, the bad
      bytes of a broken line become U+FFFD with a ``lost_character`` note at that line;
    * only when most lines holding non-ASCII bytes are not UTF-8 is the file in a legacy
      encoding: charset-normalizer names it (cp1252 for most Italian files), with an
      ``encoding_fallback`` note;
    * NUL characters are removed, with a ``nul_removed`` note per line.
    """
    utf16 = utf16_codec(data)
    if utf16 is not None:
        text, notes = decode_utf16(data, utf16)
    else:
        text, notes = decode_utf8_lines(data)
    text, nul_notes = remove_nuls(text)
    return text, notes + nul_notes


def utf16_codec(data: bytes) -> str | None:
    """``utf-16`` (BOM), ``utf-16-le`` / ``utf-16-be`` (no BOM: most characters of the start
    have a zero high byte, on one side only), or None for other text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:UTF16_SAMPLE_BYTES]
    pairs = len(head) // 2
    if pairs < 2:
        return None
    zero_even = head[0 : pairs * 2 : 2].count(0) / pairs
    zero_odd = head[1 : pairs * 2 : 2].count(0) / pairs
    if zero_odd >= UTF16_ZERO_SHARE and zero_even < 1 - UTF16_ZERO_SHARE:
        return "utf-16-le"
    if zero_even >= UTF16_ZERO_SHARE and zero_odd < 1 - UTF16_ZERO_SHARE:
        return "utf-16-be"
    return None


def decode_utf16(data: bytes, codec: str) -> tuple[str, list[ExtractNote]]:
    """UTF-16 text; undecodable units (an odd last byte, a lone surrogate) become U+FFFD."""
    text = data.decode(codec, errors="replace")
    notes = lost_character_notes(text, "not valid UTF-16")
    return text, notes


def split_byte_lines(data: bytes) -> list[bytes]:
    """The byte lines, each with its line break, cut where :meth:`str.splitlines` cuts the
    decoded text (the ASCII line breaks), so that line numbers agree with the text engine."""
    pieces = _BYTE_LINE_BREAK.split(data)
    lines = [pieces[i] + pieces[i + 1] for i in range(0, len(pieces) - 1, 2)]
    if pieces[-1]:
        lines.append(pieces[-1])
    return lines


def is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_utf8_lines(data: bytes) -> tuple[str, list[ExtractNote]]:
    """UTF-8 line by line (see :func:`decode_text`), or the whole file in the legacy
    encoding charset-normalizer finds when most of its non-ASCII lines are not UTF-8."""
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        first_bad = error.start
    lines = split_byte_lines(data)
    non_ascii = [line for line in lines if not line.isascii()]
    broken = sum(not is_utf8(line) for line in non_ascii)
    if broken * 2 > len(non_ascii):
        return decode_legacy(data, first_bad)
    texts: list[str] = []
    notes: list[ExtractNote] = []
    number = 1  # the text line (1-based, as str.splitlines counts) this byte line starts
    for line in lines:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as error:
            text = line.decode("utf-8", errors="replace")
            notes.append(
                ExtractNote(
                    rule="lost_character",
                    severity="warning",
                    message=f"bytes not valid UTF-8 ({line[error.start : error.end]!r}) "
                    f"replaced by U+FFFD: {text.strip()[:60]!r}",
                    line=number,
                )
            )
        texts.append(text)
        number += len(text.splitlines())
    return "".join(texts), capped(notes)


def decode_legacy(data: bytes, first_bad: int) -> tuple[str, list[ExtractNote]]:
    """A file mostly not in UTF-8: decoded in the encoding charset-normalizer finds among
    the Western ones (cp1252 when it cannot tell), with an ``encoding_fallback`` note."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    encoding = best.encoding if best is not None else "cp1252"
    encoding = LEGACY_NAMES.get(encoding, encoding)
    text = data.decode(encoding, errors="replace")
    note = ExtractNote(
        rule="encoding_fallback",
        severity="warning",
        message=f"not valid UTF-8 (first bad byte at offset {first_bad}); read as {encoding}",
    )
    return text, [note, *lost_character_notes(text, f"not valid {encoding}")]


def lost_character_notes(text: str, why: str) -> list[ExtractNote]:
    """A ``lost_character`` note per line holding U+FFFD after decoding ``text``."""
    notes = [
        ExtractNote(
            rule="lost_character",
            severity="warning",
            message=f"bytes {why} replaced by U+FFFD: {line.strip()[:60]!r}",
            line=number,
        )
        for number, line in enumerate(text.splitlines(), start=1)
        if "\ufffd" in line
    ]
    return capped(notes)


def remove_nuls(text: str) -> tuple[str, list[ExtractNote]]:
    """The text without NUL characters (they end up in titles otherwise), one
    ``nul_removed`` note per line that held some."""
    if "\x00" not in text:
        return text, []
    notes = [
        ExtractNote(
            rule="nul_removed",
            severity="warning",
            message=f"{line.count(chr(0))} NUL character(s) removed: "
            f"{line.replace(chr(0), '').strip()[:60]!r}",
            line=number,
        )
        for number, line in enumerate(text.splitlines(), start=1)
        if "\x00" in line
    ]
    return text.replace("\x00", ""), capped(notes)


def capped(notes: list[ExtractNote], limit: int | None = None) -> list[ExtractNote]:
    """At most ``limit`` notes of a rule, then one saying how many more lines had it (a
    file of garbage must not bury the quality table)."""
    limit = MAX_NOTES_PER_RULE if limit is None else limit
    if len(notes) <= limit:
        return notes
    last = notes[limit - 1]
    summary = ExtractNote(
        rule=last.rule,
        severity=last.severity,
        message=f"and {len(notes) - limit} more lines like the ones above",
    )
    return [*notes[:limit], summary]


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
        for column, text in enumerate(line.text.split("\t", MAX_CELLS_PER_ROW)[:MAX_CELLS_PER_ROW])
    )
    return RawRow(cells=cells, pages=(line.page,), line=line.number)


def overlong_row_notes(lines: Iterable[_Line]) -> list[ExtractNote]:
    """A ``row_truncated`` note per line with more than :data:`MAX_CELLS_PER_ROW` cells
    (the rest of such a line is not read)."""
    notes = [
        ExtractNote(
            rule="row_truncated",
            severity="error",
            message=f"a row of {line.text.count(chr(9)) + 1} cells: only the first "
            f"{MAX_CELLS_PER_ROW} are read",
            page=line.page,
            line=line.number,
        )
        for line in lines
        if line.text.count("\t") >= MAX_CELLS_PER_ROW
    ]
    return capped(notes)


def heading_of(block: list[_Line], first_row_page: int) -> str:
    """The page text printed above a table: the block's lines on the table's first page
    (all of the block when none is on that page)."""
    same_page = [line for line in block if line.page == first_row_page] or block
    heading = " ".join(text for line in same_page if (text := strip_markdown(line.text)))
    before = " ".join(strip_markdown(line.text) for line in block if line.page != first_row_page)
    return carried_heading(heading, before) if before else heading


#: A table before its cells are read: its heading and its row lines.
TableLines = tuple[str, tuple[_Line, ...]]


def table_from_lines(table: TableLines, index: int) -> RawTable:
    """The table at position ``index`` of the document, its cells read from its row lines."""
    heading, lines = table
    return RawTable(heading=heading, rows=tuple(map(_row_from_line, lines)), index=index)


class LazyTables(Sequence[RawTable]):
    """A text's tables, each read from its lines when asked for and not kept: a large
    text's cells are never all in memory at once (memory), at the cost of
    reading a table again each time it is asked for."""

    def __init__(self, tables: Sequence[TableLines]) -> None:
        self._tables = tuple(tables)

    def __len__(self) -> int:
        return len(self._tables)

    @property
    def headings(self) -> list[str]:
        """The tables' headings, without reading their cells."""
        return [heading for heading, _lines in self._tables]

    @overload
    def __getitem__(self, index: int) -> RawTable: ...
    @overload
    def __getitem__(self, index: slice) -> list[RawTable]: ...
    def __getitem__(self, index: int | slice) -> RawTable | list[RawTable]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        position = range(len(self))[index]  # IndexError out of range, as a tuple
        return table_from_lines(self._tables[position], position)


def group_lines(lines: Iterable[_Line]) -> tuple[str, list[TableLines]]:
    """Split numbered lines into the preamble (page text before the first table) and tables,
    each as its heading and row lines (cells not read yet: :func:`table_from_lines`).

    A table begins at the first row after a block of page text; its heading is that text.
    Rows separated only by blank lines (a page break) stay in the same table.
    """
    preamble: list[_Line] = []
    tables: list[TableLines] = []
    block: list[_Line] = []
    rows: list[_Line] = []
    heading = ""

    def close_table() -> None:
        if rows:
            tables.append((heading, tuple(rows)))

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
        rows.append(line)
    close_table()
    first_page = tables[0][1][0].page if tables else None
    before_tables = [line for line in preamble if line.page != first_page] or preamble
    return "\n".join(t for line in before_tables if (t := strip_markdown(line.text))), tables


def replacement_char_notes(
    tables: Iterable[RawTable], known_lines: frozenset[int] = frozenset()
) -> list[ExtractNote]:
    """One note per cell holding U+FFFD: a character lost by an earlier conversion (cells
    on ``known_lines``, whose bytes decoding already reported, are left out)."""
    notes = [
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
        if "\ufffd" in cell.text and cell.line not in known_lines
    ]
    return capped(notes)


def label_lines_as_rows(lines: list[str]) -> tuple[list[str], ExtractNote | None]:
    """A text with no table at all (objective cards written as ``Codice obiettivo: 2.1.1``
    lines): each ``Label: value`` line becomes a row of two cells, label and value, so that
    the normaliser reads the cards; the other lines stay page text. A note says how many."""
    rows = [LABEL_LINE.sub(r"\g<label>\t\g<value>", line) for line in lines]
    count = sum(1 for before, after in zip(lines, rows, strict=True) if before != after)
    if not count:
        return lines, None
    note = ExtractNote(
        rule="label_lines_read",
        severity="info",
        message=f"no table in the text; {count} 'Label: value' lines read as two-cell rows",
    )
    return rows, note


def read_text(
    data: bytes, *, lazy: bool = False
) -> tuple[str, Sequence[RawTable], int, list[ExtractNote]]:
    """Parse a text attachment: (preamble, tables, page count, notes). ``lazy``: the tables
    as :class:`LazyTables` (a large text: each table's cells read when it is asked for)."""
    text, notes = decode_text(data)
    raw_lines = text.splitlines()
    if cards := layout_card_rows(raw_lines):
        preamble, rows, card_notes = cards
        page_count = rows[-1].pages[-1] if rows else 0
        table = RawTable(heading=preamble, rows=tuple(rows), index=0)
        decoded_lines = frozenset(note.line for note in notes if note.line is not None)
        lost = replacement_char_notes([table], decoded_lines)
        return preamble, [table], page_count, notes + card_notes + lost
    if not any("\t" in line for line in raw_lines):
        raw_lines, note = label_lines_as_rows(raw_lines)
        notes += [note] if note else []
    lines = list(paginate(raw_lines))
    del raw_lines
    del text  # the lines hold it now (memory: a text attachment may be large)
    preamble, grouped = group_lines(lines)
    page_count = lines[-1].page if lines else 0
    notes += overlong_row_notes(lines)
    del lines  # the tables' row lines are kept, the page text is not
    tables: Sequence[RawTable] = (
        LazyTables(grouped)
        if lazy
        else [table_from_lines(table, index) for index, table in enumerate(grouped)]
    )
    decoded = frozenset(note.line for note in notes if note.line is not None)
    lost = (  # only tables whose lines hold U+FFFD can have a cell holding it
        tables[index]
        for index, (_heading, rows) in enumerate(grouped)
        if any("\ufffd" in line.text for line in rows)
    )
    return preamble, tables, page_count, notes + replacement_char_notes(lost, decoded)
