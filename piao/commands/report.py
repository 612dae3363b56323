"""``piao report [--data DIR] [--out DIR | FILE.html] [--doc DOC_ID]``: the HTML report.

``--out FILE.html``: one self-contained page per document (``FILE-<doc_id>.html`` beside it
for several). ``--out DIR`` (or no ``--out`` with several documents: ``DATA/report/``): a
report folder, ``DIR/index.html`` (administrations x editions) with one page per
administration (its plans over the years) and one page per document.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

import compare
import report
from compare.history import series_changes
from piao.commands.lookup import AmbiguousName, resolve_doc_id
from piao.commands.options import percentage
from piao.commands.progress import Progress, elapsed
from piao.commands.words import plural
from report.export import atomic_path

EXIT_OK, EXIT_FAILED = 0, 1


def register(commands: argparse._SubParsersAction, summary: str) -> None:
    parser = commands.add_parser(
        "report",
        help=summary,
        description="Write self-contained HTML pages (charts, sortable and filterable "
        "objectives, quality findings in Italian). --out FILE.html: one page per document "
        "(FILE-<doc_id>.html for several). --out DIR: DIR/index.html (administrations x "
        "editions), one page per administration with its plans over the years, one page "
        "per document. Default: DATA/report.html for one document, DATA/report/ for several.",
    )
    parser.add_argument("--data", type=Path, default=Path("data/clean"), help="tables folder")
    parser.add_argument(
        "--out", type=Path, help="FILE.html (pages) or folder (index + pages); see above"
    )
    parser.add_argument(
        "--doc",
        action="append",
        help="only this doc_id, or its first characters naming one document (repeatable; "
        "default: every document)",
    )
    parser.add_argument(
        "--threshold",
        type=percentage,
        default=compare.DEFAULT_THRESHOLD,
        help="similarity (0-100) from which objectives of consecutive editions under another "
        "code or sector are paired (default %(default)s)",
    )
    parser.set_defaults(run=run)


def output_paths(out: Path, doc_ids: list[str]) -> dict[str, Path]:
    """``out`` for a single document, ``<stem>-<doc_id><suffix>`` beside it for several."""
    if len(doc_ids) == 1:
        return {doc_ids[0]: out}
    return {doc_id: out.with_name(f"{out.stem}-{doc_id}{out.suffix}") for doc_id in doc_ids}


def write_page(path: Path, text: str) -> None:
    with atomic_path(path) as temp:
        temp.write_text(text, encoding="utf-8")


def editions_and_lineage(
    data: Path, threshold: float
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The editions frame (doc_id, ente, series, attachment, edition, edition_seq), the
    lineage rows and the changes of the documents in ``data``, computed now (nothing is
    written)."""
    series = compare.build_series(compare.load_editions(data), threshold)
    editions = pd.DataFrame(
        [
            {
                "doc_id": key.doc_id,
                "ente": key.ente,
                "series": key.series,
                "attachment": key.attachment,
                "edition": key.year,
                "edition_seq": seq,
                "source_name": key.source_name,
            }
            for one in series
            for seq, key in enumerate(one.keys, start=1)
        ],
        columns=[
            "doc_id",
            "ente",
            "series",
            "attachment",
            "edition",
            "edition_seq",
            "source_name",
        ],
    )
    lineage = compare.lineage_table(compare.lineage_rows(series)).to_pandas()
    changes = compare.changes_table(series_changes(series)).to_pandas()
    return editions, lineage, changes


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    with Progress(0) as bar:  # on a terminal: the stage, then the page being rendered
        bar.step("reading the tables", advance=False)
        return write_report(args, bar, started)


def write_report(args: argparse.Namespace, bar: Progress, started: float) -> int:
    """:func:`run`, telling ``bar`` each stage and page."""
    tables = report.load_tables(args.data)
    doc_ids = report.document_ids(tables)
    if not doc_ids:
        print(f"piao: {args.data}: no extracted tables (run `piao extract` first)", file=sys.stderr)
        return EXIT_FAILED
    if args.doc:
        try:
            chosen = {doc: resolve_doc_id(doc, doc_ids, args.data) for doc in args.doc}
        except AmbiguousName as error:
            bar.close()
            print(f"piao: {error}", file=sys.stderr)
            return EXIT_FAILED
        unknown = [doc for doc, found in chosen.items() if found is None]
        bar.close()
        for doc in unknown:
            print(f"piao: no document {doc} in {args.data}", file=sys.stderr)
        if unknown:
            return EXIT_FAILED
        doc_ids = [doc for doc in doc_ids if doc in chosen.values()]
    out = args.out
    if out is None:
        out = args.data / ("report.html" if len(doc_ids) == 1 else "report")
    if out.suffix.lower() in (".html", ".htm"):
        paths = output_paths(out, doc_ids)
        bar.total = len(paths)
        for doc_id, path in paths.items():
            bar.step(path.name)
            write_page(path, report.render_html(report.for_document(tables, doc_id)))
        bar.close()
        for path in paths.values():
            print(f"wrote {path}")
        return EXIT_OK
    bar.step("pairing the editions", advance=False)
    editions, lineage, changes = editions_and_lineage(args.data, args.threshold)
    editions = editions[editions["doc_id"].isin(doc_ids)]

    def rendering(name: str, total: int) -> None:
        bar.total = total
        bar.step(name)

    pages = report.site_pages(tables, editions, lineage, changes=changes, progress=rendering)
    bar.step("writing the pages", advance=False)
    for name, text in pages.items():
        write_page(out / name, text)
    bar.close()
    took = elapsed(time.monotonic() - started)
    print(f"wrote {out / report.INDEX} and {plural(len(pages) - 1, 'page')}; {took}")
    return EXIT_OK
