"""``piao extract PATH... --out DIR``: attachments -> Parquet tables."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

import schema
from piao import metadata, pipeline

EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def period(text: str) -> pipeline.Period:
    try:
        return metadata.parse_period(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "extract",
        help="extract attachments (files or folders) into Parquet tables",
        description="Extract attachments into the tables of OUT (one .parquet per table). "
        "Rows of a document already in OUT are replaced; other documents' rows are kept. "
        "Files whose bytes and pipeline version are already in OUT are skipped. "
        "Exit status: 0 every file extracted or unchanged, 1 some file failed (one line "
        "each on stderr), 2 usage error, 130 interrupted.",
    )
    parser.add_argument("paths", nargs="+", type=Path, help="attachment files or folders")
    parser.add_argument("--out", type=Path, default=Path("data/clean"), help="output folder")
    parser.add_argument(
        "--engine",
        choices=["auto", "text", "pdfplumber", "camelot"],
        default="auto",
        help="extraction engine (auto: from the file's content)",
    )
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=pipeline.default_workers(),
        help="documents processed in parallel (default: the machine's cores, %(default)s)",
    )
    parser.add_argument(
        "--force", action="store_true", help="redo documents already extracted and unchanged"
    )
    parser.add_argument(
        "--ente", help="issuing body, for documents that do not name it (a sidecar file wins)"
    )
    parser.add_argument(
        "--period",
        type=period,
        help="plan period such as 2023-2025, for documents that do not print it "
        "(a sidecar file wins)",
    )
    parser.add_argument(
        "--ocr",
        choices=["auto", "never", "force"],
        default="auto",
        help="read scanned PDF pages by OCR (Tesseract): auto, the pages without a text "
        "layer; force, every page; never, none",
    )
    parser.set_defaults(run=run)


def summary_lines(result: pipeline.RunResult) -> list[str]:
    """One line per document written: row counts per table and quality findings."""
    lines = []
    for document in result.written:
        counts = {
            name: document.counts.get(name, 0)
            for name in schema.TABLES
            if name not in ("documents", "cells")
        }
        severities = document.severities
        lines.append(
            f"{document.source_name} [{document.doc_id}] "
            + ", ".join(f"{name} {count}" for name, count in counts.items())
            + " | quality: "
            + (", ".join(f"{n} {s}" for s, n in sorted(severities.items())) or "clean")
        )
    return lines


def totals_line(result: pipeline.RunResult) -> str:
    """``3 extracted, 1 skipped as unchanged, 2 failed`` (duplicates counted when any)."""
    unchanged = sum(reason == "unchanged" for reason in result.skipped.values())
    duplicates = len(result.skipped) - unchanged
    parts = [f"{len(result.written)} extracted", f"{unchanged} skipped as unchanged"]
    if duplicates:
        parts.append(f"{duplicates} skipped as duplicates")
    parts.append(f"{len(result.failed)} failed")
    return ", ".join(parts) + (" (interrupted)" if result.interrupted else "")


def run(args: argparse.Namespace) -> int:
    missing = [path for path in args.paths if not path.exists()]
    for path in missing:
        print(f"piao: {path}: no such file or folder", file=sys.stderr)
    inputs = pipeline.collect_inputs(path for path in args.paths if path.exists())
    if not inputs:
        print("piao: nothing to extract", file=sys.stderr)
        return EXIT_FAILED
    with tqdm(total=len(inputs), unit="doc", disable=None, file=sys.stderr) as bar:
        result = pipeline.run(
            inputs,
            args.out,
            engine=args.engine,
            workers=args.workers,
            force=args.force,
            defaults=metadata.Metadata(args.ente, args.period),
            progress=lambda _outcome: bar.update(),
            ocr=args.ocr,
        )
    for line in summary_lines(result):
        print(line)
    for path, reason in result.failed.items():
        print(f"piao: {path}: {reason}", file=sys.stderr)
    if result.written:
        print(f"wrote {len(schema.TABLES)} tables to {args.out}/")
    print(totals_line(result))
    if result.interrupted:
        print("piao: interrupted; documents not listed above were not written", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK if result.ok and not missing else EXIT_FAILED
