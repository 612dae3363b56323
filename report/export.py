"""Every table as CSV files or as one Excel workbook, for people who work in a spreadsheet.

The workbook has one sheet per table: cells keep their types (numbers, dates, booleans;
lists as text), the header row is bold and frozen, filters are on and column widths fit the
content. Both are written aside and renamed into place: never half a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa

from report.formulas import neutralised

EXPORT_FORMATS = ("csv", "csv-excel", "xlsx")
EXCEL_MAX_ROWS = 1_048_576
MIN_WIDTH, MAX_WIDTH = 6, 60
DATE_FORMAT, TIMESTAMP_FORMAT = "DD/MM/YYYY", "DD/MM/YYYY HH:MM:SS"


def plain_value(value: object) -> object:
    """A cell value a spreadsheet understands: lists joined as '1, 2', time zones dropped
    (timestamps are UTC), everything else as it is."""
    if isinstance(value, list | tuple):
        return ", ".join("" if v is None else str(v) for v in value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temp path beside ``target``, renamed over it when the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def excel_value(value: object) -> object:
    """A cell value as an Italian Excel reads it from a CSV: decimal comma (26,3158), dates
    DD/MM/YYYY, timestamps DD/MM/YYYY HH:MM:SS, lists joined; the rest as it is."""
    value = plain_value(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value


#: Told the name of each table as its writing starts (the CLI's progress line).
Progress = Callable[[str], None]


def no_progress(_name: str) -> None:
    """The :data:`Progress` of a caller that shows none."""


def write_csv(
    tables: Mapping[str, pa.Table],
    folder: Path,
    *,
    excel: bool = False,
    progress: Progress = no_progress,
) -> list[Path]:
    """One ``<table>.csv`` (UTF-8, header row) per table in ``folder``.

    ``excel``: as an Italian Excel opens a CSV by a double click: UTF-8 with a byte order
    mark (else accents break), ``;`` between fields (``,`` is the decimal sign), decimal
    comma and dates DD/MM/YYYY (:func:`excel_value`). Text cells a spreadsheet would run as
    formulas are neutralised in both (:mod:`report.formulas`)."""
    if folder.suffix.lower() == ".xlsx" or folder.is_file():
        raise ValueError("--format csv writes a folder of CSV files, not a file")
    encoding, delimiter, convert = (
        ("utf-8-sig", ";", excel_value) if excel else ("utf-8", ",", plain_value)
    )
    written = []
    for name, table in tables.items():
        progress(name)
        target = folder / f"{name}.csv"
        with atomic_path(target) as temp, temp.open("w", encoding=encoding, newline="") as out:
            writer = csv.writer(out, delimiter=delimiter)
            writer.writerow(table.column_names)
            for row in table.to_pylist():
                writer.writerow(
                    [neutralised(convert(row[column])) for column in table.column_names]
                )
        written.append(target)
    return written


def _number_format(data_type: pa.DataType) -> str | None:
    if pa.types.is_timestamp(data_type):
        return TIMESTAMP_FORMAT
    if pa.types.is_date(data_type):
        return DATE_FORMAT
    return None


def _width(value: object, data_type: pa.DataType) -> int:
    if value is None:
        return 0
    if pa.types.is_date(data_type):
        return 10
    if pa.types.is_timestamp(data_type):
        return 19
    return max((len(part) for part in str(value).split("\n")), default=0)


def _sheet_rows(table: pa.Table) -> tuple[list[list[object]], list[int]]:
    """The table's rows as spreadsheet values, and the width each column needs."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    types = [table.schema.field(column).type for column in table.column_names]
    widths = [len(column) + 2 for column in table.column_names]
    rows = []
    for record in table.to_pylist():
        values = []
        for index, (column, data_type) in enumerate(zip(table.column_names, types, strict=True)):
            value = plain_value(record[column])
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            widths[index] = max(widths[index], _width(value, data_type))
            values.append(value)
        rows.append(values)
    return rows, widths


def write_xlsx(
    tables: Mapping[str, pa.Table], path: Path, progress: Progress = no_progress
) -> list[Path]:
    """The workbook ``path``: one sheet per table, typed cells, header frozen, filters on,
    widths fitted. Raises ValueError for a table longer than a sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if path.suffix.lower() != ".xlsx":
        raise ValueError("--format xlsx writes one workbook: give a file name ending in .xlsx")
    for name, table in tables.items():
        if table.num_rows + 1 > EXCEL_MAX_ROWS:
            raise ValueError(
                f"table {name} has {table.num_rows} rows, more than an Excel sheet holds "
                f"({EXCEL_MAX_ROWS - 1}); use --format csv"
            )
    workbook = Workbook(write_only=True)  # streamed: fast, small memory
    bold = Font(bold=True)
    for name, table in tables.items():
        progress(name)
        sheet = workbook.create_sheet(name[:31])
        rows, widths = _sheet_rows(table)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(
                max(width + 1, MIN_WIDTH), MAX_WIDTH
            )
        sheet.freeze_panes = "A2"
        last = get_column_letter(max(len(table.column_names), 1))
        sheet.auto_filter.ref = f"A1:{last}{table.num_rows + 1}"
        header = []
        for column in table.column_names:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        formats = [_number_format(table.schema.field(c).type) for c in table.column_names]
        special = [i for i, f in enumerate(formats) if f]
        for values in rows:
            out: list[object] = list(values)
            for index in special:
                if values[index] is not None:
                    cell = WriteOnlyCell(sheet, value=values[index])
                    cell.number_format = formats[index]
                    out[index] = cell
            for index, value in enumerate(values):
                if isinstance(value, str) and value.startswith("="):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"  # text, never a formula
                    out[index] = cell
            sheet.append(out)
    with atomic_path(path) as temp:
        workbook.save(temp)
    return [path]


def export(
    tables: Mapping[str, pa.Table], out: str | Path, fmt: str, progress: Progress = no_progress
) -> list[Path]:
    """Write ``tables`` as ``fmt`` (csv, csv-excel: a folder; xlsx: a workbook); returns
    the paths. ``progress`` is told each table's name as its writing starts."""
    if fmt in ("csv", "csv-excel"):
        return write_csv(tables, Path(out), excel=fmt == "csv-excel", progress=progress)
    if fmt == "xlsx":
        return write_xlsx(tables, Path(out), progress)
    raise ValueError(f"unknown export format {fmt!r}")
