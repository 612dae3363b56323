"""``piao check [--data DIR]``: read every table file in full and report what is wrong.

Each file is read whole with its pages' checksums verified and typed by the schema; then
the folder is checked as plain readers see it (storage.check). Prints one line per
problem and a closing line; exit status 0 when the folder is sound, 1 otherwise. Changes
nothing (``piao extract --rebuild`` moves corrupt files aside and re-extracts).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from piao.commands.words import plural

EXIT_OK, EXIT_FAILED = 0, 1


def register(commands: argparse._SubParsersAction, summary: str) -> None:
    parser = commands.add_parser(
        "check",
        help=summary,
        description="Read every table file of DATA in full (page checksums verified, typed by "
        "the schema), then check the folder as plain readers see it; one line per problem "
        "and a closing line. Changes nothing (piao extract --rebuild moves corrupt files "
        "aside and re-extracts). Exit status: 0 sound, 1 a problem found.",
    )
    parser.add_argument("--data", type=Path, default=Path("data/clean"), help="tables folder")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from storage.check import check_folder  # imported when run: start-up time

    if not (args.data / "documents").is_dir() and not (args.data / "documents.parquet").is_file():
        print(f"piao: {args.data}: no extracted tables (run `piao extract` first)", file=sys.stderr)
        return EXIT_FAILED
    report = check_folder(args.data)
    for error in report.corrupt:
        print(f"piao: {error}", file=sys.stderr)
    for problem in report.problems:
        print(f"piao: {problem}", file=sys.stderr)
    problems = len(report.corrupt) + len(report.problems)
    verdict = "sound" if report.ok else plural(problems, "problem")
    files, rows = plural(report.files, "table file"), plural(report.rows, "row")
    print(f"{args.data}: {files}, {rows} read: {verdict}")
    return EXIT_OK if report.ok else EXIT_FAILED
