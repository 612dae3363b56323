"""``piao compact [--data DIR]``: merge each group's small table files into full ones.

Every write of ``piao extract`` adds small files (one per table and group of documents) and
merges a group's small files once it holds a few; reading costs about 2 ms per file on top of
its bytes, so after a large batch ``compact`` merges every group into files of up to
:data:`storage.store.CHUNK_DOCUMENTS` documents and deletes what an interrupted run left. It
also migrates a folder of the earlier one-file-per-table layout. Safe to interrupt: the
tables read the same at every moment.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import storage
from piao.commands.words import plural
from piao.writing import notice_on_stderr, writing

EXIT_OK, EXIT_FAILED = 0, 1


def register(commands: argparse._SubParsersAction, summary: str) -> None:
    parser = commands.add_parser(
        "compact",
        help=summary,
        description="Merge the small table files that many runs of piao extract leave in DATA "
        "into full ones (faster reads), delete what an interrupted run left and migrate a "
        "folder of the earlier one-file-per-table layout. Safe to interrupt: the tables "
        "read the same at every moment.",
    )
    parser.add_argument("--data", type=Path, default=Path("data/clean"), help="tables folder")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not storage.store.table_files(args.data, storage.store.DOCUMENTS_TABLE):
        print(f"piao: {args.data}: no extracted tables (run `piao extract` first)", file=sys.stderr)
        return EXIT_FAILED
    with writing(args.data, notice=notice_on_stderr) as recovered:
        if recovered:
            notice_on_stderr(recovered)
        storage.remove_stale_temps(args.data)  # and the temps of earlier versions' writes
        errors = storage.validate_tables(args.data, full=True)  # every page, before merging
        if errors:
            raise errors[0]
        before, after = storage.store.compact(args.data)
    print(f"{args.data}: {plural(before, 'table file')} -> {after}")
    return EXIT_OK
