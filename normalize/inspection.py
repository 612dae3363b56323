"""What the reader sees in each table of an attachment: for ``piao inspect``.

A user whose layout was misread needs to know, per table, which rows were taken as header,
which printed heading went to which column (with its score and whether the data below
confirmed it), which columns were left unmapped, how many rows were read and objectives found,
and why a table was skipped. :func:`inspect_document` returns that as plain JSON-ready
records; :func:`cell_boxes` gives the boxes to draw over the page images.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from extract.model import BBox, RawDocument, RawTable
from normalize.document import read_sector_tables
from normalize.genre_guess import GenreGuess
from normalize.headers import HeaderMapping
from normalize.sector_rows import SectorRows
from normalize.settings import NormalizeSettings

Report = dict[str, object]


def header_report(header: HeaderMapping) -> Report:
    """The header's rows, its column mapping and the headings no column took."""
    return {
        "rows": list(header.rows),
        "carried": header.carried,
        "columns": [
            {
                "index": match.index,
                "heading": match.heading,
                "column": match.name,
                "score": round(match.score, 1),
                "by": match.by,
                "content_confirmed": match.confirmed,
                "content": match.kind,
            }
            for match in header.columns
        ],
        "unmapped": [{"index": index, "heading": text} for index, text in header.unmapped],
    }


def row_kinds(sector: SectorRows, table: RawTable) -> Counter[str]:
    """How the table's rows were read: header, total, data (objective or continuation)."""
    by_row: dict[int, set[str]] = {}
    for (row, _), label in sector.cell_fields.items():
        by_row.setdefault(row, set()).add(label)
    kinds: Counter[str] = Counter()
    for row_index in range(len(table.rows)):
        labels = by_row.get(row_index, set())
        if "header" in labels:
            kinds["header"] += 1
        elif "total" in labels:
            kinds["total"] += 1
        elif labels:
            kinds["data"] += 1
        else:
            kinds["other"] += 1
    return kinds


def unread_columns(sector: SectorRows, table: RawTable) -> list[int]:
    """Columns holding text in data rows that no canonical column took."""
    data_rows = {
        row for (row, _), label in sector.cell_fields.items() if label not in ("header", "total")
    }
    unread = {
        cell.column
        for row_index in data_rows
        for cell in table.rows[row_index].cells
        if cell.text.strip() and (row_index, cell.column) not in sector.cell_fields
    }
    return sorted(unread)


def table_report(table: RawTable, sector: SectorRows) -> Report:
    """Everything ``piao inspect`` says about one table."""
    kinds = row_kinds(sector, table)
    return {
        "table": table.index,
        "pages": list(table.pages),
        "heading": table.heading,
        "sector_code": sector.code,
        "sector_name": sector.name,
        "headers": [header_report(header) for header in sector.headers],
        "unread_columns": unread_columns(sector, table),
        "rows": len(table.rows),
        "header_rows": kinds["header"],
        "data_rows": kinds["data"],
        "total_rows": kinds["total"],
        "objectives": len(sector.objectives),
        "codes": [row.codes[0].code if row.codes else None for row in sector.objectives],
        "skipped": sector.skipped,
        "findings": dict(sorted(Counter(finding.rule for finding in sector.findings).items())),
    }


def genre_report(guess: GenreGuess) -> Report:
    """The genre the document is read as, how sure, and the evidence seen."""
    return {"genre": guess.genre, "confidence": guess.confidence, "reasons": list(guess.reasons)}


def inspect_document(
    raw: RawDocument,
    settings: NormalizeSettings | Mapping[str, object] | None = None,
    guess: GenreGuess | None = None,
) -> tuple[list[Report], list[tuple[RawTable, SectorRows]]]:
    """Per sector table, what was read (see module doc); and the tables with their sectors,
    for :func:`cell_boxes`. Tables are split at in-table sector headings, as when extracting;
    they are read by the reader of the document's genre (``guess``, detected when None)."""
    tables, sectors = read_sector_tables(raw, NormalizeSettings.resolve(settings), guess)
    pairs = list(zip(tables, sectors, strict=True))
    return [table_report(table, sector) for table, sector in pairs], pairs


def cell_boxes(
    pairs: Sequence[tuple[RawTable, SectorRows]],
) -> list[tuple[int, BBox, str]]:
    """(page, bbox, label) of every cell with a box: the column it was mapped to
    (``header``, ``total``, or ``?`` for a cell no column took), prefixed by the table."""
    boxes: list[tuple[int, BBox, str]] = []
    for table, sector in pairs:
        for row_index, row in enumerate(table.rows):
            for cell in row.cells:
                if cell.bbox is None or not cell.text.strip():
                    continue
                label = sector.cell_fields.get((row_index, cell.column), "?")
                boxes.append((cell.page, cell.bbox, f"t{table.index} {label}"))
    return boxes
