"""``piao sql [--data DIR] [QUERY]``: DuckDB views over the Parquet tables.

Without QUERY, writes ``DIR/piao.duckdb`` (one view per table) for the ``duckdb`` CLI or any
DuckDB client; with QUERY, runs it and prints the result; ``--print`` shows the CREATE VIEW
statements instead. A QUERY runs confined (only queries, reading only DIR: see
:mod:`report.confined`) unless ``--unsafe``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import duckdb

import report
from report.confined import RefusedQuery, check_query, confine, one_line
from report.formulas import neutralised_row

EXIT_OK, EXIT_FAILED = 0, 1
DOCUMENTS = "documents"  # the table whose rows commit a document's rows in the others
MAX_ROWS, MAX_WIDTH = 1000, 200  # table output; --csv prints every row in full


def register(commands: argparse._SubParsersAction, summary: str) -> None:
    parser = commands.add_parser(
        "sql",
        help=summary,
        description="With QUERY: run it on views named after the tables (objectives, items, "
        "dates, ...) and print the result. Without: write DATA/piao.duckdb holding those "
        'views, to open with `duckdb data/clean/piao.duckdb -c "select ..."`.',
    )
    parser.add_argument("query", nargs="?", help="SQL to run (else: write the database file)")
    parser.add_argument("--data", type=Path, default=Path("data/clean"), help="tables folder")
    parser.add_argument("--db", type=Path, help="database file (default: DATA/piao.duckdb)")
    parser.add_argument(
        "--csv",
        action="store_true",
        help="print the result as CSV (text cells starting with = + - @ get a leading ')",
    )
    parser.add_argument(
        "--print", action="store_true", help="print the CREATE VIEW statements and exit"
    )
    parser.add_argument(
        "--unsafe",
        action="store_true",
        help="run any SQL (COPY, ATTACH, INSTALL, files outside DATA); by default only "
        "queries run, reading only the tables folder",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    statements = report.view_statements(args.data)
    if not statements:
        print(f"piao: {args.data}: no extracted tables (run `piao extract` first)", file=sys.stderr)
        return EXIT_FAILED
    if not any(
        statement.startswith(f'CREATE OR REPLACE VIEW "{DOCUMENTS}"') for statement in statements
    ):
        print(
            f"piao: {args.data}: no document committed yet (a first run stopped early?): "
            "run `piao extract` again",
            file=sys.stderr,
        )
        return EXIT_FAILED
    if args.print:
        print("\n".join(statements))
        return EXIT_OK
    if args.query is None:
        path = report.create_database(args.data, args.db)
        print(f"wrote {path} ({len(statements)} views); open it with: duckdb {path}")
        return EXIT_OK
    try:
        if not args.unsafe:
            check_query(args.query)
        with report.connect(args.data) as connection:
            if not args.unsafe:
                confine(connection, args.data)
            relation = connection.sql(args.query)
            if relation is None:  # a statement without result (SET, CREATE ...)
                print("ok")
            elif args.csv:
                writer = csv.writer(sys.stdout, lineterminator="\n")
                writer.writerow(relation.columns)
                writer.writerows(neutralised_row(row) for row in relation.fetchall())
            else:
                relation.show(max_rows=MAX_ROWS, max_width=MAX_WIDTH)
    except (duckdb.Error, RefusedQuery) as error:
        print(f"piao: sql: {one_line(error)}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK
