"""``piao diff A B [C ...] [--ente X] [--out DIR]``: what changed from one edition of a plan
to the next, for two editions or a chain of them.

Each input is an attachment (any supported format, extracted on the fly) or the doc_id of a
document already in ``--data``; ``--ente X`` takes the editions of that administration from
``--data`` instead, ordered by year. Writes the changes of every consecutive pair to one
``changes.parquet`` in OUT (column ``edition``) and prints a summary; ``--format
markdown|html`` also writes a report for people (in Italian).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import compare
import extract
import schema
from piao import pipeline
from piao.commands.lookup import resolve_doc_id
from piao.commands.options import percentage
from piao.commands.words import plural

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
REPORT_SUFFIXES = {"markdown": ".md", "html": ".html"}


def register(commands: argparse._SubParsersAction, summary: str) -> None:
    parser = commands.add_parser(
        "diff",
        help=summary,
        description="Compare two editions of a plan, or a chain of them (A B C ...: each with "
        "the next). Inputs are attachments (extracted on the fly) or doc_ids (or unique "
        "doc_id prefixes) of documents in --data; --ente X takes that administration's "
        "editions from --data, ordered by year. Writes changes.parquet to OUT and prints a "
        "summary. Exit status: 0 compared (with or without changes), 1 an input could not be "
        "read, 2 usage error.",
    )
    parser.add_argument(
        "editions",
        nargs="*",
        metavar="EDITION",
        help="editions, oldest first: attachment files or doc_ids (at least two)",
    )
    parser.add_argument(
        "--ente",
        help="compare every edition of this administration stored in --data (documents.ente, "
        "or a part of it naming one administration; case and accents ignored)",
    )
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
        choices=["auto", "text", "pdfium", "pdfplumber", "camelot"],
        default="auto",
        help="extraction engine for attachment files",
    )
    parser.set_defaults(run=run)


def load(argument: str, data_dir: Path, engine: str) -> compare.Edition:
    """An attachment file (extracted now) or a doc_id stored in ``data_dir``."""
    path = Path(argument)
    if path.is_file():
        document = pipeline.process_document(path, engine=engine)
        return compare.edition_from_records(document.records)
    doc_id = resolve_doc_id(argument, compare.edition.stored_doc_ids(data_dir), data_dir)
    if doc_id is None:
        raise LookupError(f"{argument}: no such file, nor doc_id in {data_dir}/")
    return compare.load_edition(data_dir, doc_id)


def ente_chains(data_dir: Path, ente: str, threshold: float) -> list[compare.Series]:
    """The series (plans) of ``ente`` stored in ``data_dir``, each a chain of editions.

    ``ente`` is matched with case, accents and punctuation ignored: the administration
    named exactly so, else the only one whose name contains it ("alfaterna"); a part of
    several names is an error listing them."""
    wanted = compare.lineage.slug(ente)
    every = [one for one in compare.build_series(compare.load_editions(data_dir), threshold)]
    named = {one.ente for one in every if one.ente}
    exact = {name for name in named if compare.lineage.slug(name) == wanted}
    found = exact or {name for name in named if wanted in compare.lineage.slug(name)}
    if len(found) > 1:
        listed = ", ".join(sorted(found))
        raise LookupError(f"ente {ente!r} is ambiguous in {data_dir}/: {listed}")
    series = [one for one in every if one.ente in found]
    if not series:
        raise LookupError(f"no edition of ente {ente!r} in {data_dir}/")
    return series


Pairs = list[tuple[list[dict], str, str]]


def pairs_of(args: argparse.Namespace) -> Pairs:
    """(changes, old label, new label) of every consecutive pair asked for."""
    if args.ente:
        pairs: Pairs = []
        for series in ente_chains(args.data, args.ente, args.threshold):
            labels = [key.label for key in series.keys]
            for n, rows in enumerate(series.changes):
                named = [
                    row | {"ente": series.keys[n + 1].ente, "series": series.name} for row in rows
                ]
                pairs.append((named, labels[n], labels[n + 1]))
        return pairs
    editions = [load(argument, args.data, args.engine) for argument in args.editions]
    chained = compare.chain_changes(editions, args.threshold)
    labels = [edition_label(edition) for edition in editions]
    return [(rows, labels[n], labels[n + 1]) for n, rows in enumerate(chained)]


def edition_label(edition: compare.Edition) -> str:
    """How the report names an edition: its ente and year when known ("Comune di Codigoro
    2024"), else its file name."""
    key = compare.lineage.edition_key(edition.document | {"doc_id": edition.doc_id})
    return key.label if key.ente and key.year is not None else edition.label


def run(args: argparse.Namespace) -> int:
    if bool(args.ente) == bool(args.editions) or (args.editions and len(args.editions) < 2):
        print("piao: diff: give two or more EDITIONs, or --ente X", file=sys.stderr)
        return EXIT_USAGE
    try:
        pairs = pairs_of(args)
    except extract.ExtractError as error:
        print(f"piao: {error}", file=sys.stderr)
        return EXIT_FAILED
    except LookupError as error:
        print(f"piao: {error.args[0]}", file=sys.stderr)
        return EXIT_FAILED
    if not pairs:
        print(f"piao: only one edition of {args.ente!r} in {args.data}/", file=sys.stderr)
        return EXIT_FAILED
    rows = [row for pair_rows, _old, _new in pairs for row in pair_rows]
    schema.write_tables_atomically({"changes": compare.changes_table(rows)}, args.out)
    for pair_rows, old_label, new_label in pairs:
        for line in compare.summary_lines(pair_rows, old_label, new_label):
            print(line)
    target = args.out / schema.DIFF_TABLES["changes"].file_name
    print(f"wrote {plural(len(rows), 'change')} to {target}")
    if args.format in REPORT_SUFFIXES:
        report = args.out / f"changes{REPORT_SUFFIXES[args.format]}"
        from report.html import STYLE  # the report's look for the comparison page

        text = compare.render_chain_report(pairs, args.format, STYLE)
        report.write_text(text, encoding="utf-8")
        for other in REPORT_SUFFIXES.values():  # never leave a stale report of another format
            stale = args.out / f"changes{other}"
            if stale != report:
                stale.unlink(missing_ok=True)
        print(f"wrote report to {report}")
    return EXIT_OK
