"""``piao lineage [--data DIR]``: each objective's ``lineage_id`` across the editions of a plan.

Groups the documents of DIR into editions (ente, attachment, first year of the period),
pairs the objectives of consecutive editions as ``piao diff`` does and writes
the folders ``DIR/lineage`` with ``DIR/changes`` (every consecutive pair of every
series; one file per group of series, see docs/storage.md). ``piao extract`` keeps both
current; this command rebuilds them (another ``--threshold``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import compare
import schema
from compare.refresh import refresh
from piao.commands.options import percentage
from piao.commands.words import plural
from piao.writing import notice_on_stderr, writing

EXIT_OK, EXIT_FAILED = 0, 1


def register(commands: argparse._SubParsersAction, summary: str) -> None:
    parser = commands.add_parser(
        "lineage",
        help=summary,
        description="Group the documents of DATA into editions of a plan (ente, attachment, "
        "year), pair the objectives of consecutive editions as `piao diff` does and write "
        "the folder DATA/lineage (a lineage_id per objective and edition) and "
        "DATA/changes (every change between consecutive editions); piao extract "
        "keeps both current, this command rebuilds them.",
    )
    parser.add_argument("--data", type=Path, default=Path("data/clean"), help="tables folder")
    parser.add_argument(
        "--threshold",
        type=percentage,
        default=compare.DEFAULT_THRESHOLD,
        help="similarity (0-100) from which objectives under another code or sector are "
        "paired (default %(default)s)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not holds_documents(args.data):
        print(f"piao: {args.data}: no extracted tables (run `piao extract` first)", file=sys.stderr)
        return EXIT_FAILED
    with writing(args.data, notice=notice_on_stderr) as recovered:
        if recovered:
            notice_on_stderr(recovered)
        # every series recomputed, a few documents' editions held at a time (folder size)
        history = refresh(args.data, None, args.threshold, count_lineage_ids=True)
    if not history.series:
        print(f"piao: {args.data}: no extracted tables (run `piao extract` first)", file=sys.stderr)
        return EXIT_FAILED
    for one in history.series:
        years = ", ".join(key.label for key in one.keys)
        ids = one.lineage_ids
        print(f"{one.name}: {plural(len(one.keys), 'edition')} ({years}); {plural(ids, 'lineage')}")
    target = args.data / schema.DERIVED_TABLES["lineage"].folder_name
    print(f"wrote {plural(history.lineage, 'row')} to {target}")
    changes = args.data / schema.DERIVED_TABLES["changes"].folder_name
    print(f"wrote {plural(history.changes, 'change')} to {changes}")
    return EXIT_OK


def holds_documents(data: Path) -> bool:
    """Whether the folder holds extracted tables (a file-system look: nothing is read)."""
    return (data / "documents").is_dir() or (data / "documents.parquet").is_file()
