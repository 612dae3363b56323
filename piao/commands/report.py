"""``piao report [--data DIR] [--out FILE.html] [--doc DOC_ID]``: one HTML page per document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import report

EXIT_OK, EXIT_FAILED = 0, 1


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "report",
        help="write a self-contained HTML report (charts, searchable objectives, quality)",
        description="Write one self-contained HTML page per document in DATA: the plan at a "
        "glance, charts, a searchable table of objectives and the quality findings. With "
        "several documents the pages are named FILE-<doc_id>.html.",
    )
    parser.add_argument("--data", type=Path, default=Path("data/clean"), help="tables folder")
    parser.add_argument("--out", type=Path, help="HTML file to write (default: DATA/report.html)")
    parser.add_argument("--doc", action="append", help="only this doc_id (repeatable)")
    parser.set_defaults(run=run)


def output_paths(out: Path, doc_ids: list[str]) -> dict[str, Path]:
    """``out`` for a single document, ``<stem>-<doc_id><suffix>`` beside it for several."""
    if len(doc_ids) == 1:
        return {doc_ids[0]: out}
    return {doc_id: out.with_name(f"{out.stem}-{doc_id}{out.suffix}") for doc_id in doc_ids}


def run(args: argparse.Namespace) -> int:
    tables = report.load_tables(args.data)
    doc_ids = report.document_ids(tables)
    if not doc_ids:
        print(f"piao: {args.data}: no extracted tables (run `piao extract` first)", file=sys.stderr)
        return EXIT_FAILED
    if args.doc:
        unknown = [doc for doc in args.doc if doc not in doc_ids]
        for doc in unknown:
            print(f"piao: no document {doc} in {args.data}", file=sys.stderr)
        if unknown:
            return EXIT_FAILED
        doc_ids = [doc for doc in doc_ids if doc in args.doc]
    out = args.out or args.data / "report.html"
    for doc_id, path in output_paths(out, doc_ids).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report.render_html(report.for_document(tables, doc_id)), encoding="utf-8")
        print(f"wrote {path}")
    return EXIT_OK
