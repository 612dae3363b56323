"""``piao export [--data DIR] --format csv|xlsx --out DIR|FILE``: every table, for people who
work in a spreadsheet.

CSV: one ``<table>.csv`` per table in the folder OUT (``--format csv-excel``, or ``csv
--excel``: for an Italian Excel: BOM, ``;``, decimal comma, DD/MM/YYYY). XLSX: one
workbook OUT with one sheet per table (typed cells, header frozen, filters on, column
widths fitted).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import report
from piao.commands.progress import Progress, elapsed
from piao.commands.words import plural

EXIT_OK, EXIT_FAILED = 0, 1


def register(commands: argparse._SubParsersAction, summary: str) -> None:
    parser = commands.add_parser(
        "export",
        help=summary,
        description="Write every table of DATA (and lineage when written) as one "
        "CSV file per table in the folder OUT (--format csv) or as the Excel workbook OUT, "
        "one sheet per table (--format xlsx).",
    )
    parser.add_argument("--data", type=Path, default=Path("data/clean"), help="tables folder")
    parser.add_argument(
        "--format",
        choices=report.EXPORT_FORMATS,
        required=True,
        help="csv: one UTF-8 CSV per table (comma-separated); csv-excel: the same as an "
        "Italian Excel opens it by a double click (BOM, ';', decimal comma, DD/MM/YYYY); "
        "xlsx: one workbook",
    )
    parser.add_argument(
        "--excel",
        action="store_true",
        help="with --format csv: write the CSV files for an Italian Excel (as csv-excel)",
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="folder (csv) or .xlsx file (xlsx) to write"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    with Progress(0) as bar:  # on a terminal: the stage, then the table being written
        bar.step("reading the tables", advance=False)
        tables = report.export_tables(args.data)
        if not tables:
            bar.close()
            print(
                f"piao: {args.data}: no extracted tables (run `piao extract` first)",
                file=sys.stderr,
            )
            return EXIT_FAILED
        bar.total = len(tables)
        try:
            fmt = "csv-excel" if args.excel and args.format == "csv" else args.format
            written = report.export(tables, args.out, fmt, progress=bar.step)
        except ValueError as error:
            bar.close()
            print(f"piao: {args.out}: {error}", file=sys.stderr)
            return EXIT_FAILED
    rows = sum(len(frame) for frame in tables.values())
    counts = f"{plural(len(tables), 'table')} ({plural(rows, 'row')})"
    took = elapsed(time.monotonic() - started)
    print(f"wrote {counts} to {', '.join(map(str, written))}; {took}")
    return EXIT_OK
