"""``piao diff OLD NEW [--out DIR]``: what changed from one edition of a plan to the next.

OLD and NEW are attachments (any supported format, extracted on the fly) or doc_ids of
documents already in ``--data``. Writes ``changes.parquet`` to OUT and prints a summary;
``--format markdown|html`` also writes a report for people (in Italian).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import compare
import extract
import schema
from piao import pipeline

EXIT_OK, EXIT_FAILED = 0, 1
REPORT_SUFFIXES = {"markdown": ".md", "html": ".html"}


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "diff",
        help="compare two editions of a plan: objectives added, removed, renumbered, "
        "moved, modified",
        description="Compare two editions of a plan. OLD and NEW are attachments (extracted "
        "on the fly) or doc_ids (or unique doc_id prefixes) of documents in --data. Writes "
        "changes.parquet to OUT and prints a summary. Exit status: 0 compared (with or "
        "without changes), 1 an input could not be read, 2 usage error.",
    )
    parser.add_argument("old", help="older edition: attachment file or doc_id")
    parser.add_argument("new", help="newer edition: attachment file or doc_id")
    parser.add_argument("--out", type=Path, default=Path("data/diff"), help="output folder")
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("data/clean"),
        help="folder of extracted tables where doc_ids are looked up",
    )
    parser.add_argument(
        "--format",
        choices=["text", *compare.REPORT_FORMATS],
        default="text",
        help="also write a report for people: changes.md / changes.html in OUT",
    )
    parser.add_argument(
        "--threshold",
        type=percentage,
        default=compare.DEFAULT_THRESHOLD,
        help="similarity (0-100) from which objectives under another code or sector are "
        "paired (default %(default)s)",
    )
    parser.add_argument(
        "--engine",
        choices=["auto", "text", "pdfplumber", "camelot"],
        default="auto",
        help="extraction engine for attachment files",
    )
    parser.set_defaults(run=run)


def percentage(text: str) -> float:
    """A similarity between 0 and 100 (argparse type: ``500`` and ``nan`` are refused)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 100:  # also false for nan
        raise argparse.ArgumentTypeError(f"must be between 0 and 100, not {text}")
    return value


def load(argument: str, data_dir: Path, engine: str) -> compare.Edition:
    """An attachment file (extracted now) or a doc_id stored in ``data_dir``."""
    path = Path(argument)
    if path.is_file():
        document = pipeline.process_document(path, engine=engine)
        return compare.edition_from_records(document.records)
    doc_id = compare.resolve_doc_id(data_dir, argument)
    if doc_id is None:
        raise LookupError(f"{argument}: no such file, nor doc_id in {data_dir}/")
    return compare.load_edition(data_dir, doc_id)


def run(args: argparse.Namespace) -> int:
    try:
        old = load(args.old, args.data, args.engine)
        new = load(args.new, args.data, args.engine)
    except extract.ExtractError as error:
        print(f"piao: {error}", file=sys.stderr)
        return EXIT_FAILED
    except LookupError as error:
        print(f"piao: {error.args[0]}", file=sys.stderr)
        return EXIT_FAILED
    rows = compare.diff_editions(old, new, threshold=args.threshold)
    schema.write_tables_atomically({"changes": compare.changes_table(rows)}, args.out)
    for line in compare.summary_lines(rows, old.label, new.label):
        print(line)
    print(f"wrote {len(rows)} changes to {args.out / schema.DIFF_TABLES['changes'].file_name}")
    if args.format in REPORT_SUFFIXES:
        report = args.out / f"changes{REPORT_SUFFIXES[args.format]}"
        report.write_text(
            compare.render_report(rows, old.label, new.label, args.format), encoding="utf-8"
        )
        print(f"wrote report to {report}")
    return EXIT_OK
