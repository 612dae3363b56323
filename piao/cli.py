"""``piao`` command line: parses arguments, calls the pipeline, turns errors into one line.

The library never prints; this module is the only place that talks to the terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import schema
from piao import __version__, pipeline

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="piao",
        description="Turn PIAO performance-objective attachments into Parquet tables.",
    )
    parser.add_argument("--version", action="version", version=f"piao {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser(
        "extract",
        help="extract attachments (files or folders) into Parquet tables",
        description="Extract attachments into the tables of OUT (one .parquet per table). "
        "Rows of a document already in OUT are replaced; other documents' rows are kept. "
        "Exit status: 0 all files extracted, 1 some file failed, 2 usage error.",
    )
    extract.add_argument("paths", nargs="+", type=Path, help="attachment files or folders")
    extract.add_argument("--out", type=Path, default=Path("data/clean"), help="output folder")
    extract.add_argument(
        "--engine",
        choices=["auto", "text", "pdfplumber", "camelot"],
        default="auto",
        help="extraction engine (auto: from the file's content)",
    )

    dictionary = commands.add_parser(
        "dictionary", help="print (or write) the data dictionary generated from the schemas"
    )
    dictionary.add_argument("--out", type=Path, help="write to this file instead of stdout")
    return parser


def _summary(result: pipeline.RunResult) -> list[str]:
    lines = []
    for document in result.written:
        counts = {name: len(rows) for name, rows in document.records.items() if name != "cells"}
        documents = document.records["documents"][0]
        severities = Counter(str(f["severity"]) for f in document.records.get("quality", []))
        lines.append(
            f"{documents['source_name']} [{document.doc_id}] "
            + ", ".join(f"{name} {count}" for name, count in counts.items())
            + " | quality: "
            + (", ".join(f"{n} {s}" for s, n in sorted(severities.items())) or "clean")
        )
    return lines


def _extract(args: argparse.Namespace) -> int:
    inputs = pipeline.collect_inputs(args.paths)
    missing = [path for path in args.paths if not path.exists()]
    for path in missing:
        print(f"piao: {path}: no such file or folder", file=sys.stderr)
    if not inputs:
        print("piao: nothing to extract", file=sys.stderr)
        return EXIT_FAILED
    result = pipeline.run(inputs, args.out, engine=args.engine)
    for line in _summary(result):
        print(line)
    for path, reason in result.failed.items():
        print(f"piao: {path}: {reason}", file=sys.stderr)
    if result.written:
        print(f"wrote {len(schema.TABLES)} tables to {args.out}/")
    return EXIT_OK if result.ok and not missing else EXIT_FAILED


def _dictionary(args: argparse.Namespace) -> int:
    text = schema.data_dictionary_markdown()
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "extract":
            return _extract(args)
        return _dictionary(args)
    except KeyboardInterrupt:
        print("piao: interrupted; tables left as they were", file=sys.stderr)
        return 130
    except OSError as error:
        print(f"piao: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
