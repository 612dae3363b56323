"""``piao extract PATH... --out DIR``: attachments -> Parquet tables."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import schema
from piao import pipeline

EXIT_OK, EXIT_FAILED = 0, 1


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "extract",
        help="extract attachments (files or folders) into Parquet tables",
        description="Extract attachments into the tables of OUT (one .parquet per table). "
        "Rows of a document already in OUT are replaced; other documents' rows are kept. "
        "Exit status: 0 all files extracted, 1 some file failed, 2 usage error.",
    )
    parser.add_argument("paths", nargs="+", type=Path, help="attachment files or folders")
    parser.add_argument("--out", type=Path, default=Path("data/clean"), help="output folder")
    parser.add_argument(
        "--engine",
        choices=["auto", "text", "pdfplumber", "camelot"],
        default="auto",
        help="extraction engine (auto: from the file's content)",
    )
    parser.set_defaults(run=run)


def summary_lines(result: pipeline.RunResult) -> list[str]:
    """One line per document written: row counts per table and quality findings."""
    lines = []
    for document in result.written:
        counts = {
            name: len(document.records.get(name, []))
            for name in schema.TABLES
            if name not in ("documents", "cells")
        }
        source = document.records["documents"][0]["source_name"]
        severities = Counter(str(f["severity"]) for f in document.records.get("quality", []))
        lines.append(
            f"{source} [{document.doc_id}] "
            + ", ".join(f"{name} {count}" for name, count in counts.items())
            + " | quality: "
            + (", ".join(f"{n} {s}" for s, n in sorted(severities.items())) or "clean")
        )
    return lines


def run(args: argparse.Namespace) -> int:
    missing = [path for path in args.paths if not path.exists()]
    for path in missing:
        print(f"piao: {path}: no such file or folder", file=sys.stderr)
    inputs = pipeline.collect_inputs(path for path in args.paths if path.exists())
    if not inputs:
        print("piao: nothing to extract", file=sys.stderr)
        return EXIT_FAILED
    result = pipeline.run(inputs, args.out, engine=args.engine)
    for line in summary_lines(result):
        print(line)
    for path, reason in result.failed.items():
        print(f"piao: {path}: {reason}", file=sys.stderr)
    if result.written:
        print(f"wrote {len(schema.TABLES)} tables to {args.out}/")
    return EXIT_OK if result.ok and not missing else EXIT_FAILED
