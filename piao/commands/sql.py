"""``piao sql [--data DIR] [QUERY | -q QUERY | < FILE]``: DuckDB views over the Parquet tables.

Without a query, writes ``DIR/piao.duckdb`` (one view per table) for the ``duckdb`` CLI or
any DuckDB client; with QUERY (an argument, ``-q/--query``, or the text piped on stdin when
stdin is not a terminal: ``piao sql < q.sql``), runs it and prints the result; ``--print``
shows the CREATE VIEW statements instead. A query runs confined (only queries, reading only
DIR: see :mod:`report.confined`) unless ``--unsafe``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import TextIO

import duckdb

import report
from piao.commands.words import plural
from report.confined import RefusedQuery, check_query, confine, one_line
from report.formulas import neutralised_row
from report.sql import derived_view_statements

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DOCUMENTS = "documents"  # the table whose rows commit a document's rows in the others
MAX_ROWS, MAX_WIDTH = 1000, 200  # table output; --csv prints every row in full


def register(commands: argparse._SubParsersAction, summary: str) -> None:
    parser = commands.add_parser(
        "sql",
        help=summary,
        description="With a query (QUERY, -q QUERY, or piped on stdin: `piao sql < q.sql`): "
        "run it on views named after the tables (objectives, items, dates, ...) and print "
        "the result. Without: write DATA/piao.duckdb holding those views, to open with "
        '`duckdb data/clean/piao.duckdb -c "select ..."`.',
    )
    parser.add_argument(
        "query",
        nargs="?",
        help="SQL to run (default: -q, else the text on stdin when it is not a terminal, "
        "else none: write the database file)",
    )
    parser.add_argument(
        "-q", "--query", dest="query_option", metavar="QUERY", help="SQL to run (as QUERY)"
    )
    parser.add_argument(
        "--data", type=Path, default=Path("data/clean"), help="tables folder (default: %(default)s)"
    )
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


def chosen_query(argument: str | None, option: str | None, stdin: TextIO) -> str | None:
    """The query to run: the argument, else ``-q``, else the text piped on ``stdin`` when it
    is not a terminal (``piao sql < q.sql``); None (write the database) when there is none,
    stdin cannot be read or holds only blanks."""
    if argument is not None or option is not None:
        return argument if argument is not None else option
    if stdin is None or stdin.closed or not stdin.readable() or stdin.isatty():
        return None
    text = stdin.read()
    return text if text.strip() else None


def run(args: argparse.Namespace) -> int:
    if args.query is not None and args.query_option is not None:
        print("piao: sql: give the query once (QUERY or -q)", file=sys.stderr)
        return EXIT_USAGE
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
    statements += derived_view_statements(args.data)
    if args.print:
        print("\n".join(statements))
        return EXIT_OK
    query = chosen_query(args.query, args.query_option, sys.stdin)
    if query is None:
        path = report.create_database(args.data, args.db)
        print(f"wrote {path} ({plural(len(statements), 'view')}); open it with: duckdb {path}")
        return EXIT_OK
    try:
        if not args.unsafe:
            check_query(query)
        with report.connect(args.data) as connection:
            if not args.unsafe:
                confine(connection, args.data)
            relation = connection.sql(query)
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
