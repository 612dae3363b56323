"""Objective cards printed as layout text (``pdftotext -layout``): label lines, lists and
small tables whose columns are aligned with spaces.

Such a text has no TAB at all. When ``Label: value`` lines repeat from card to card
(``Settore:``, ``Finalità:``, ``Peso:`` on every card, as :mod:`extract.docx` asks of card
paragraphs) the text is read as one stream of rows, like the DOCX of the same cards:

* a label line is a row of two cells, label and value; a wrapped value (the line is about as
  wide as the text and the next line, with no blank line between, is plain text) is joined;
* a header line of two or more word groups separated by two or more spaces opens a
  fixed-width table: the columns start where the header's groups start, each body line's
  word groups go to the column they start in, a line filling the first column and another
  opens a row, any other line continues the cells above (:func:`fixed_width_rows`);
* a header line and the lines under it are a table only when a row fills two columns or a
  line is as wide as the header (:func:`is_table`); else they stay lines of text;
* a word group that runs into the next, empty column with a single space is cut where it is
  unambiguous (:func:`settle_overrun`): the first column where its text plus the continuation
  lines is exactly one of the names the card lists just above the table
  (:func:`cut_overrun`), each later column taking as many words as the other rows of the
  document's tables under the same header print there (:func:`pooled_word_counts`), each
  part starting inside its column; otherwise it is kept whole and a ``layout_cell_overrun``
  note says where;
* any other line (the card's title, a list heading, a listed name without its bullet) is a
  row of one cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

from extract.lazy_pattern import lazy_compile
from extract.model import ExtractNote, RawCell, RawRow
from extract.text_lines import LABEL_LINE, strip_markdown

#: Labels that must each be printed on two cards or more for a text to be read as cards
#: (the same floor as the DOCX card paragraphs).
MIN_REPEATED_LABELS = 3
#: A gap of this many blank lines is a page break (as :mod:`extract.text` infers pages).
PAGE_GAP_BLANK_LINES = 3
#: A label line at least this share of the text's widest line is wrapped when plain text
#: follows it directly.
WRAP_WIDTH_SHARE = 0.75
#: A header's word group longer than this is prose, not a column name.
MAX_HEADER_GROUP = 40

_GROUP = re.compile(r"\S+(?: \S+)*")
_BULLET = lazy_compile(r"^[\uf0b7\uf0a7\uf0d8\u2022\u25aa\u25cf\u25e6\u2023\u2043\u00b7\-–*]\s+")


class Group(NamedTuple):
    """A run of words separated by single spaces, and where it starts on its line."""

    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def word_groups(line: str) -> list[Group]:
    """The line's word groups (separated by two or more spaces), with their positions."""
    return [Group(match.start(), match.group()) for match in _GROUP.finditer(line)]


def label_of(line: str) -> tuple[str, str] | None:
    """(label, value) of a ``Label: value`` line (:data:`extract.text_lines.LABEL_LINE`)."""
    match = LABEL_LINE.match(line)
    return (match.group("label").strip(), match.group("value").strip()) if match else None


def repeated_labels(lines: Sequence[str]) -> int:
    """How many labels are printed on two lines or more."""
    counts: dict[str, int] = {}
    for line in lines:
        if found := label_of(line):
            key = " ".join(found[0].casefold().split())
            counts[key] = counts.get(key, 0) + 1
    return sum(count >= 2 for count in counts.values())


def is_header(line: str, following: str | None) -> bool:
    """A fixed-width table's header: two or more short word groups separated by two or
    more spaces, not a label line, followed directly by a non-blank line."""
    groups = word_groups(line)
    return (
        len(groups) >= 2
        and all(len(group.text) <= MAX_HEADER_GROUP for group in groups)
        and label_of(line) is None
        and following is not None
        and bool(following.strip())
    )


def unbulleted(text: str) -> str:
    """A list line without its bullet character."""
    return _BULLET.sub("", text.strip()).strip()


def column_of(start: int, starts: Sequence[int]) -> int:
    """The column a word group starting at ``start`` is in (a character of slack)."""
    return max((i for i, column in enumerate(starts) if column <= start + 1), default=0)


def line_cells(line: str, starts: Sequence[int]) -> list[list[Group]]:
    """The line's word groups, by column."""
    cells: list[list[Group]] = [[] for _ in starts]
    for group in word_groups(line):
        cells[column_of(group.start, starts)].append(group)
    return cells


def opens_row(cells: Sequence[Sequence[Group]], starts: Sequence[int]) -> bool:
    """A body line opens a row when its first column is filled and so is another column,
    or its first column's text runs into the next column (a cell that overran)."""
    if not cells[0]:
        return False
    overran = len(starts) > 1 and cells[0][-1].end > starts[1]
    return overran or any(cells[1:])


def split_words(text: str) -> list[int]:
    """Positions of the single spaces in ``text`` (where it may be cut)."""
    return [index for index, char in enumerate(text) if char == " "]


def cut_overrun(text: str, continuation: str, names: Sequence[str]) -> tuple[str, str] | None:
    """Cut a first-column word group that ran into the next column: the one cut whose left
    part, with the continuation lines' text after it, is one of ``names`` (the names the
    card lists above the table). None when no cut or more than one fits."""
    wanted = {" ".join(name.split()).casefold() for name in names}
    cuts = [
        cut
        for cut in split_words(text)
        if " ".join(f"{text[:cut]} {continuation}".split()).casefold() in wanted
    ]
    if len(cuts) != 1:
        return None
    return text[: cuts[0]].strip(), text[cuts[0] :].strip()


# Built up in place and compared by identity only: no generated __eq__ nor __repr__
# (each is compiled when the class is made, at every start: start-up time).
@dataclass(slots=True, repr=False, eq=False)
class _Row:
    """A fixed-width row being read: its cells' texts, the lines they come from and the
    word group of its first line that ran into the empty columns after it (if any)."""

    texts: list[str]
    lines: list[int]
    overrun: Group | None = None
    overrun_column: int = 0


def append(texts: list[str], column: int, text: str) -> None:
    """Append ``text`` to a cell, one space between."""
    texts[column] = f"{texts[column]} {text}".strip()


def reached(group: Group, column: int, starts: Sequence[int]) -> int:
    """The last column a word group starting in ``column`` reaches."""
    return max(i for i, start in enumerate(starts) if i == column or start < group.end)


def parsed_rows(header: str, body: Sequence[tuple[int, str]]) -> tuple[list[int], list[_Row]]:
    """The columns' starts and the rows of a fixed-width table, overruns not settled yet."""
    starts = [group.start for group in word_groups(header)]
    rows: list[_Row] = []
    for number, line in body:
        cells = line_cells(line, starts)
        if not rows or opens_row(cells, starts):
            rows.append(_Row(["" for _ in starts], []))
        row = rows[-1]
        row.lines.append(number)
        for column, groups in enumerate(cells):
            for group in groups:
                last = reached(group, column, starts)
                free = not any(cells[column + 1 : last + 1])
                if last > column and free and row.overrun is None and len(row.lines) == 1:
                    row.overrun, row.overrun_column = group, column
                else:
                    append(row.texts, column, group.text)
    return starts, rows


def fixed_width_rows(
    header: str,
    body: Sequence[tuple[int, str]],
    names: Sequence[str],
    elsewhere: Sequence[set[int]] = (),
) -> tuple[list[tuple[int, list[str]]], list[tuple[int, str]]]:
    """The rows of a fixed-width table (see module doc) as (first line, cell texts), and
    (line, message) for each cell kept whole because it could not be cut unambiguously.
    ``elsewhere``: per column, the word counts of the cleanly cut cells of the document's
    tables under the same header (:func:`pooled_word_counts`: more rows to agree on)."""
    starts, rows = parsed_rows(header, body)
    counts = [
        single(word_counts(rows, column, starts) | (set(elsewhere[column]) if elsewhere else set()))
        for column in range(len(starts))
    ]
    problems: list[tuple[int, str]] = []
    for row in rows:
        if row.overrun is not None:
            problem = settle_overrun(row, starts, names, counts)
            if problem:
                problems.append((row.lines[0], problem))
    return [(row.lines[0], row.texts) for row in rows], problems


def single(counts: set[int]) -> int | None:
    """The one word count all agree on, None when they differ or there is none."""
    return next(iter(counts)) if len(counts) == 1 else None


def word_counts(rows: Sequence[_Row], column: int, starts: Sequence[int]) -> set[int]:
    """The numbers of words the rows cut cleanly in ``column`` (no overrun across it) have
    there."""
    return {
        len(row.texts[column].split())
        for row in rows
        if row.overrun is None
        or not row.overrun_column < column <= reached(row.overrun, row.overrun_column, starts)
    }


def header_word_counts(header: str, body: Sequence[tuple[int, str]]) -> list[set[int]]:
    """Per column, the word counts of a fixed-width table's cleanly cut cells."""
    starts, rows = parsed_rows(header, body)
    return [word_counts(rows, column, starts) for column in range(len(starts))]


def header_key(header: str) -> tuple[str, ...]:
    """A table header's column names, to know the tables printed under the same header."""
    return tuple(" ".join(group.text.casefold().split()) for group in word_groups(header))


def words_of(group: Group) -> list[Group]:
    """The words of a word group, each with where it starts on the line."""
    return [
        Group(group.start + match.start(), match.group())
        for match in re.finditer(r"\S+", group.text)
    ]


def from_the_right(
    words: Sequence[Group], starts: Sequence[int], counts: Sequence[int | None]
) -> list[str] | None:
    """``words`` shared among the columns starting at ``starts``: each column after the
    first takes, from the right, as many words as the other rows print there, and its
    first word must start inside it; the first column takes the rest. None when a count
    is unknown, a column would be left empty or a word would sit left of its column."""
    taken: list[str] = []
    rest = list(words)
    for start, count in zip(reversed(starts[1:]), reversed(counts[1:]), strict=True):
        if count is None or not 0 < count < len(rest) or rest[-count].start < start - 1:
            return None
        taken.insert(0, " ".join(word.text for word in rest[-count:]))
        rest = rest[:-count]
    return [" ".join(word.text for word in rest), *taken]


def settle_overrun(
    row: _Row, starts: Sequence[int], names: Sequence[str], counts: Sequence[int | None]
) -> str | None:
    """Put a word group that ran into the empty columns after its own into its columns
    (see module doc); the message when it cannot be done unambiguously (it is kept whole)."""
    group, column = row.overrun, row.overrun_column
    assert group is not None
    last = reached(group, column, starts)
    words = words_of(group)
    continuation = row.texts[column]
    span = list(starts[column : last + 1])
    shares: list[str] | None = None
    if column == 0 and names:
        named = cut_overrun(group.text, continuation, names)
        kept = len(named[0].split()) if named else 0
        spill = from_the_right(words[kept:], span[1:], [None, *counts[column + 2 : last + 1]])
        if named and spill and words[kept].start >= span[1] - 1:
            shares = [named[0], *spill]
    else:
        shares = from_the_right(words, span, counts[column : last + 1])
    if shares is None:
        row.texts[column] = f"{group.text} {continuation}".strip()
        return f"{group.text!r} runs into the next column and cannot be cut unambiguously"
    shares[0] = f"{shares[0]} {continuation}".strip()
    for offset, text in enumerate(shares):
        row.texts[column + offset] = text
    return None


def numbered_lines(lines: Sequence[str]) -> list[tuple[int, int, str]]:
    """(line number, page, text) of the non-blank lines; a gap of
    :data:`PAGE_GAP_BLANK_LINES` blank lines or more starts a page."""
    numbered: list[tuple[int, int, str]] = []
    page, blanks = 1, 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            blanks += 1
            continue
        if numbered and blanks >= PAGE_GAP_BLANK_LINES:
            page += 1
        numbered.append((number, page, line.rstrip()))
        blanks = 0
    return numbered


def indent(line: str) -> int:
    """Where the line's text starts."""
    return len(line) - len(line.lstrip())


def hangs(label_line: str, following: str) -> bool:
    """``following`` starts under the label line's value, right of its label (a value printed
    in a column of its own and wrapped there)."""
    match = LABEL_LINE.match(label_line)
    return (
        match is not None
        and indent(following) > indent(label_line)
        and abs(indent(following) - match.start("value")) <= 1
    )


def wraps(line: str, following: str, width: int, label_line: str) -> bool:
    """A label line's value goes on in ``following`` (printed right under ``line``, the label
    line or its last continuation): ``following`` is plain text (no label, list heading,
    bullet or table header) and either ``line`` is about as wide as the text or
    ``following`` starts under the value (:func:`hangs`)."""
    plain = (
        label_of(following) is None
        and not following.rstrip().endswith(":")
        and unbulleted(following) == following.strip()
        and len(word_groups(following)) == 1
    )
    wide = len(line.rstrip()) >= WRAP_WIDTH_SHARE * width
    return plain and (wide or hangs(label_line, following))


def row_of(texts: Sequence[str], number: int, page: int) -> RawRow:
    """A row of cells on one line."""
    cells = tuple(
        RawCell(text=text, column=column, page=page, line=number)
        for column, text in enumerate(texts)
    )
    return RawRow(cells=cells, pages=(page,), line=number)


def table_body(numbered: Sequence[tuple[int, int, str]], index: int) -> list[tuple[int, str]]:
    """(line number, text) of the lines from ``index`` on printed right under each other,
    up to a blank line or a label line: the body of a fixed-width table whose header is the
    line before ``index``."""
    body: list[tuple[int, str]] = []
    last = numbered[index - 1][0]
    for number, _page, text in numbered[index:]:
        if number != last + 1 or label_of(text):
            break
        body.append((number, text))
        last = number
    return body


def is_table(
    header: str, body: Sequence[tuple[int, str]], rows: Sequence[tuple[int, list[str]]]
) -> bool:
    """A header line and the lines under it are a table when a row fills two columns or a
    line is as wide as the header (a row whose cells ran together); else they are prose
    that happens to print two spaces."""
    filled = any(sum(bool(cell) for cell in texts) >= 2 for _line, texts in rows)
    end = len(header.rstrip())
    return filled or any(len(line.rstrip()) >= end for _number, line in body)


def pooled_word_counts(
    numbered: Sequence[tuple[int, int, str]], adjacent: dict[int, str]
) -> dict[tuple[str, ...], list[set[int]]]:
    """Per table header printed in the text, per column, the word counts of the cleanly cut
    cells of all the tables under it (a one-row table's cell is cut by the others')."""
    pooled: dict[tuple[str, ...], list[set[int]]] = {}
    for index, (number, _page, text) in enumerate(numbered):
        if not is_header(text, adjacent.get(number)):
            continue
        body = table_body(numbered, index + 1)
        if not body:
            continue
        counts = header_word_counts(text, body)
        known = pooled.setdefault(header_key(text), [set() for _ in counts])
        for column, found in enumerate(counts):
            known[column] |= found
    return pooled


def layout_card_rows(lines: Sequence[str]) -> tuple[str, list[RawRow], list[ExtractNote]] | None:
    """Objective cards printed as layout text (see module doc): (the text before the first
    card, the cards' rows, notes); None when fewer than :data:`MIN_REPEATED_LABELS` labels
    repeat or a line holds a TAB (a text of TAB-separated tables)."""
    if any("\t" in line for line in lines) or repeated_labels(lines) < MIN_REPEATED_LABELS:
        return None
    numbered = numbered_lines(lines)
    first = next(i for i, (_n, _p, text) in enumerate(numbered) if label_of(text))
    start = max(first - 1, 0)
    preamble = "\n".join(strip_markdown(text) for _n, _p, text in numbered[:start])
    width = max(len(text) for _n, _p, text in numbered)
    adjacent = {
        number: following
        for (number, _p, _t), (after, _q, following) in pairwise(numbered)
        if after == number + 1
    }
    rows: list[RawRow] = []
    notes: list[ExtractNote] = []
    listed: list[str] = []
    pooled = pooled_word_counts(numbered, adjacent)
    index = start
    while index < len(numbered):
        number, page, text = numbered[index]
        index += 1
        if found := label_of(text):
            label, value = found
            while (
                index < len(numbered)
                and adjacent.get(numbered[index - 1][0]) is not None
                and wraps(numbered[index - 1][2], numbered[index][2], width, text)
            ):
                value = f"{value} {numbered[index][2].strip()}"
                index += 1
            rows.append(row_of([label, value], number, page))
            listed = []
            continue
        body = table_body(numbered, index) if is_header(text, adjacent.get(number)) else []
        table_rows, problems = (
            fixed_width_rows(text, body, listed, pooled.get(header_key(text), ()))
            if body
            else ([], [])
        )
        if is_table(text, body, table_rows):
            index += len(body)
            rows.append(row_of([group.text for group in word_groups(text)], number, page))
            rows += [row_of(texts, first_line, page) for first_line, texts in table_rows]
            notes += [
                ExtractNote(
                    rule="layout_cell_overrun",
                    severity="warning",
                    message=f"a cell of the table printed as aligned text: {message}",
                    page=page,
                    line=line,
                )
                for line, message in problems
            ]
            listed = []
            continue
        plain = unbulleted(strip_markdown(text))
        rows.append(row_of([plain], number, page))
        if not plain.endswith(":"):
            listed.append(plain)
    labelled = sum(1 for row in rows if len(row.cells) == 2)
    read = ExtractNote(
        rule="label_lines_read",
        severity="info",
        message=f"no table in the text; {labelled} 'Label: value' lines read as two-cell "
        f"rows, the other lines of the cards as rows in their place",
    )
    return preamble, rows, [read, *notes]
