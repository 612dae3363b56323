"""DOCX engine: tables read from the document's own cell structure (python-docx).

A Word document says what a PDF only draws: which cells a row has, which cells are merged and
where a line breaks inside a cell. So nothing is guessed from positions here:

- each ``w:tbl`` is read row by row on its layout grid: a cell merged horizontally
  (``gridSpan``) or vertically (``vMerge``) appears once, at its first grid position, and the
  positions it covers are empty cells, so every row has one cell per grid column;
- a cell's paragraphs and line breaks are kept as newlines;
- the heading of a table is the text of the paragraphs before it (those on the table's page,
  as the text engine does), the preamble the text before the first table's page;
- a table that follows another with nothing but empty paragraphs or page breaks between them
  (a table cut by hand at a page break, header repeated) continues the same table.

A DOCX has no pages until it is laid out: the page of a cell is counted by the document's
explicit page breaks (``w:br w:type="page"``, ``pageBreakBefore``, section breaks), and its
provenance is the table, row and grid column (``RawCell.source_table`` / ``source_row`` /
``column``) instead of a box.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import NoTableError, UnsupportedFormatError
from extract.model import RawCell, RawDocument, RawRow, RawTable
from extract.sections import carried_heading

ENGINE = "python-docx"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(slots=True)
class _Paragraph:
    text: str
    page: int


@dataclass(slots=True)
class _Table:
    heading: str
    rows: list[RawRow] = field(default_factory=list)


def open_docx(path: Path, data: bytes):
    """The python-docx ``Document``; a file it cannot open is one line naming why."""
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises KeyError, BadZipFile, lxml errors, ...
        raise UnsupportedFormatError(
            path, f"a DOCX document that cannot be opened, damaged or incomplete ({cause(error)})"
        ) from error


def cause(error: BaseException) -> str:
    """``KeyError: <first line>``: a library error in a few words, for a one-line message."""
    detail = str(error).strip().splitlines()[0][:100] if str(error).strip() else ""
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__


def page_breaks_before(paragraph) -> int:
    """Explicit page breaks a paragraph starts with (``pageBreakBefore``)."""
    properties = paragraph.find(f"{_W}pPr")
    if properties is None:
        return 0
    flag = properties.find(f"{_W}pageBreakBefore")
    if flag is None:
        return 0
    return 0 if flag.get(f"{_W}val") in ("0", "false", "off") else 1


def page_breaks_inside(paragraph) -> int:
    """Explicit page breaks in a paragraph's runs, plus a section break that ends it."""
    breaks = sum(1 for br in paragraph.iter(f"{_W}br") if br.get(f"{_W}type") == "page")
    properties = paragraph.find(f"{_W}pPr")
    if properties is not None and properties.find(f"{_W}sectPr") is not None:
        breaks += 1
    return breaks


def paragraph_text(paragraph, parent) -> str:
    """A body paragraph's text (line breaks as newlines), stripped."""
    from docx.text.paragraph import Paragraph

    return Paragraph(paragraph, parent).text.strip()


def cell_text(tc, parent) -> str:
    """A cell's text: its paragraphs (and line breaks inside them) on separate lines."""
    from docx.table import _Cell

    return _Cell(tc, parent).text.strip()


def grid_rows(tbl, parent) -> Iterator[list[str]]:
    """A table's rows on its layout grid: one text per grid column, a merged cell's text at
    its first position and empty texts at the positions it covers (right of it for
    ``gridSpan``, below it for ``vMerge``)."""
    width = len(tbl.tblGrid.gridCol_lst) if tbl.tblGrid is not None else 0
    for tr in tbl.tr_lst:
        texts = [""] * tr.grid_before
        for tc in tr.tc_lst:
            continued = tc.vMerge == "continue"
            texts.append("" if continued else cell_text(tc, parent))
            texts += [""] * (tc.grid_span - 1)
        texts += [""] * (width - len(texts))
        yield texts


def raw_rows(tbl, parent, table_number: int, page: int) -> list[RawRow]:
    """The rows of one ``w:tbl`` with their provenance (table, row, grid column)."""
    return [
        RawRow(
            cells=tuple(
                RawCell(
                    text=text,
                    column=column,
                    page=page,
                    source_table=table_number,
                    source_row=row_number,
                )
                for column, text in enumerate(texts)
            ),
            pages=(page,),
        )
        for row_number, texts in enumerate(grid_rows(tbl, parent), start=1)
    ]


def on_page(paragraphs: list[_Paragraph], page: int) -> list[_Paragraph]:
    """The paragraphs on ``page``, or all of them when none is (as the text engine does)."""
    return [p for p in paragraphs if p.page == page] or paragraphs


#: Labels a card printed as paragraphs repeats (``Finalità:``, ``Peso:`` on every card)
#: for its paragraphs to be read as rows: this many labels, each printed twice or more.
MIN_REPEATED_LABELS = 3


def paragraph_cells(text: str, page: int, line: int) -> tuple[RawCell, ...]:
    """A body paragraph as a row's cells: ``Label: value`` as two cells (as the text engine
    reads label lines), any other paragraph as one."""
    from extract.text_lines import LABEL_LINE

    match = LABEL_LINE.match(text)
    texts = [match.group("label"), match.group("value")] if match else [text]
    return tuple(
        RawCell(text=value.strip(), column=column, page=page, line=line)
        for column, value in enumerate(texts)
    )


def labelled_paragraph_rows(document) -> tuple[str, list[RawRow]] | None:
    """Objective cards printed as paragraphs with bold labels (``Obiettivo n. 4 – …``,
    ``Finalità: …``, ``Peso: 15 punti``) and small tables between them: (heading, rows) of
    one table holding every paragraph from the first card's title on as a row (see
    :func:`paragraph_cells`) and every table's rows in their place, so that the card reader
    reads them as one stream; None when no label repeats on :data:`MIN_REPEATED_LABELS`
    cards (a document of tables and prose)."""
    from extract.text_lines import LABEL_LINE

    body = document.element.body
    page, table_number, line = 1, 0, 0
    items: list[tuple[str, int, int] | list[RawRow]] = []
    labels: dict[str, int] = {}
    for element in body.iterchildren():
        if element.tag == f"{_W}p":
            page += page_breaks_before(element)
            text = paragraph_text(element, document)
            if text:
                line += 1
                items.append((text, page, line))
                if match := LABEL_LINE.match(text):
                    key = " ".join(match.group("label").casefold().split())
                    labels[key] = labels.get(key, 0) + 1
            page += page_breaks_inside(element)
        elif element.tag == f"{_W}tbl":
            table_number += 1
            items.append(raw_rows(element, document, table_number, page))
    if sum(count >= 2 for count in labels.values()) < MIN_REPEATED_LABELS:
        return None
    first = next(
        index
        for index, item in enumerate(items)
        if isinstance(item, tuple) and LABEL_LINE.match(item[0])
    )
    start = max(first - 1, 0)
    heading = "\n".join(item[0] for item in items[:start] if isinstance(item, tuple))
    rows: list[RawRow] = []
    for item in items[start:]:
        if isinstance(item, tuple):
            text, on, number = item
            rows.append(RawRow(cells=paragraph_cells(text, on, number), pages=(on,), line=number))
        else:
            rows.extend(item)
    return heading, rows


def read_docx(path: Path, data: bytes, sha256: str) -> RawDocument:
    """Read the tables of a DOCX document (see module doc)."""
    document = open_docx(path, data)
    body = document.element.body
    page, table_number = 1, 0
    tables: list[_Table] = []
    pending: list[_Paragraph] = []
    preamble: list[_Paragraph] = []
    paragraph_count = 0
    for element in body.iterchildren():
        if element.tag == f"{_W}p":
            page += page_breaks_before(element)
            text = paragraph_text(element, document)
            if text:
                pending.append(_Paragraph(text, page))
                paragraph_count += 1
            page += page_breaks_inside(element)
        elif element.tag == f"{_W}tbl":
            table_number += 1
            rows = raw_rows(element, document, table_number, page)
            if not rows:
                continue
            if tables and not pending:
                tables[-1].rows.extend(rows)
                continue
            if not tables:
                preamble = [p for p in pending if p.page != page] or pending
            heading = carried_heading(
                " ".join(p.text for p in on_page(pending, page)),
                " ".join(p.text for p in pending if p.page != page),
            )
            tables.append(_Table(heading=heading, rows=rows))
            pending = []
    cards = labelled_paragraph_rows(document)
    if cards is not None:
        heading, rows = cards
        tables = [_Table(heading=heading, rows=rows)]
    if not tables:
        raise NoTableError(
            path, f"no table in the DOCX document ({paragraph_count} paragraphs of text)"
        )
    return RawDocument(
        source_name=path.name,
        source_sha256=sha256,
        source_format="docx",
        extractor=ENGINE,
        page_count=page,
        preamble="\n".join(p.text for p in preamble),
        tables=tuple(
            RawTable(heading=table.heading, rows=tuple(table.rows), index=index)
            for index, table in enumerate(tables)
        ),
    )
