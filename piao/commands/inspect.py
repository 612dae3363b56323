"""``piao inspect FILE [--json] [--png DIR]``: what piao sees in an attachment's tables.

For a user whose layout is misread: the document's genre (grid, cards, ...), how sure piao
is of it and why; per table its pages, sector heading, header rows, the
header mapping (printed heading -> column, score, whether the data below confirmed it), the
columns left unmapped, rows read, objectives found and why a table was skipped, and the
status the document would get (``ok`` or ``doubtful`` with its reasons). Plain text
that fits a screen, ``--json`` for tools, ``--png DIR`` to see the cells read and the column
each went to drawn over the page images (PDF only).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import extract
from extract.pdf_columns import UsedGrid, recording_layouts
from normalize.genre import detect_genre
from normalize.genre_guess import OBJECTIVE_LIST
from normalize.hints import with_layout
from normalize.inspection import Report, cell_boxes, genre_report, inspect_document
from normalize.objective_list import listing_lines, listing_report
from normalize.sections import performance_view
from normalize.settings import NormalizeSettings
from piao.commands.words import plural


def register(commands: argparse._SubParsersAction, summary: str) -> None:
    parser = commands.add_parser(
        "inspect",
        help=summary,
        description="Show, per table, the header rows and how each printed heading was mapped "
        "(score, confirmed by the data below or not), unmapped columns, rows read, objectives "
        "found and why a table was skipped. Exit status: 0 read, 1 the file cannot be read.",
    )
    parser.add_argument("path", type=Path, help="attachment file")
    parser.add_argument(
        "--engine",
        choices=list(extract.ENGINES) if hasattr(extract, "ENGINES") else ["auto"],
        default="auto",
        help="extraction engine (auto: from the file's content)",
    )
    parser.add_argument("--layout", type=Path, help="layout hints file (TOML)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument(
        "--png", type=Path, metavar="DIR", help="draw the cells read over each PDF page, into DIR"
    )
    parser.set_defaults(run=run)


def _pages(pages: list[int]) -> str:
    if not pages:
        return "-"
    return str(pages[0]) if len(pages) == 1 else f"{pages[0]}-{pages[-1]}"


def _confirmed(value: object) -> str:
    return {True: "yes", False: "NO", None: "-"}[value]  # type: ignore[index]


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def mapping_signature(header: dict) -> tuple:
    """What a header maps (heading -> column), to print a mapping met before only once."""
    return tuple((c["index"], c["column"]) for c in header["columns"])


def table_lines(report: Report, seen: dict[tuple, int] | None = None) -> list[str]:
    """One table, in a few lines (see module doc); a header mapping already printed for an
    earlier table (in ``seen``) is named, not repeated, with only its unconfirmed columns."""
    seen = {} if seen is None else seen
    lines = [
        f"table {report['table']}  pages {_pages(report['pages'])}  "  # type: ignore[arg-type]
        f"sector {report['sector_code']}  {_short(str(report['heading']), 60)!r}"
    ]
    lines.append(
        f"  rows {report['rows']}: {report['header_rows']} header, {report['data_rows']} data, "
        f"{report['total_rows']} total; objectives {report['objectives']}"
        + (
            f" ({', '.join(str(c) for c in report['codes'][:8])}{'…' * (len(report['codes']) > 8)})"
            if report["codes"]
            else ""
        )  # type: ignore[index, arg-type]
    )
    for number, header in enumerate(report["headers"]):  # type: ignore[arg-type]
        rows = header["rows"]
        if rows:
            where = f"rows {rows[0]}-{rows[-1]}"
        elif header.get("carried"):
            where = "none printed: the header of the table before"
        else:
            where = "none printed: columns read by content"
        signature = mapping_signature(header)
        columns = header["columns"]
        if signature in seen and rows:
            where += f", same mapping as table {seen[signature]}"
            columns = [c for c in columns if c["content_confirmed"] is False]
        seen.setdefault(signature, report["table"])  # type: ignore[arg-type]
        lines.append(f"  header{' ' + str(number + 1) if number else ''}: {where}")
        for column in columns:
            lines.append(
                f"    {column['index']:>2} {_short(column['heading'] or '(no heading)', 38):<38} "
                f"-> {column['column']:<13} {column['score']:>5.0f} by {column['by']:<7} "
                f"confirmed {_confirmed(column['content_confirmed'])} ({column['content'] or '?'})"
            )
        for column in header["unmapped"]:
            lines.append(
                f"    {column['index']:>2} {_short(column['heading'], 38):<38} -> unmapped"
            )
    if report["unread_columns"]:
        lines.append(f"  data in unmapped columns: {report['unread_columns']}")
    if report["findings"]:
        lines.append(
            "  findings: " + ", ".join(f"{rule} {n}" for rule, n in report["findings"].items())  # type: ignore[attr-defined]
        )
    if report["skipped"]:
        lines.append(f"  SKIPPED: {report['skipped']}")
    return lines


def document_status(raw: extract.RawDocument, settings: object) -> dict[str, object]:
    """The status the document would get when extracted (documents.status, its English
    reasons and text coverage: :mod:`normalize.status`)."""
    from normalize import normalize_document

    row = normalize_document(raw, settings).records["documents"][0]  # type: ignore[arg-type]
    return {key: row[key] for key in ("status", "status_reasons", "text_coverage")}


def status_lines(status: dict[str, object]) -> list[str]:
    """``status ok`` (or ``doubtful``) with the text coverage, then one line per reason."""
    coverage = status["text_coverage"]
    shown = f", text coverage {coverage:.1%}" if isinstance(coverage, float) else ""
    reasons = status["status_reasons"] or []
    return [f"status {status['status']}{shown}"] + [f"  {reason}" for reason in reasons]  # type: ignore[union-attr]


def run(args: argparse.Namespace) -> int:
    try:
        settings = with_layout(None, args.layout, attachment=args.path)
        with recording_layouts() as grids:
            raw = extract.read_document(
                args.path,
                engine=args.engine,
                heading_words=settings.sector_heading_words,
                columns=settings.column_boundaries,
            )
    except extract.ExtractError as error:
        print(f"piao: {error}", file=sys.stderr)
        return 1
    view = performance_view(raw, None, settings.sector_heading_words)
    guess = detect_genre(view, settings)
    # an objective list + activity sheets is not read as grids: its own listing
    if guess.genre == OBJECTIVE_LIST and (
        listing := listing_report(view, NormalizeSettings.resolve(settings))
    ):
        if args.json:
            print(
                json.dumps(
                    {
                        "source": raw.source_name,
                        "extractor": raw.extractor,
                        "genre": genre_report(guess),
                        **listing,
                    },
                    ensure_ascii=False,
                    indent=1,
                )
            )
        else:
            tables = f"{plural(len(raw.tables), 'table')} ({raw.extractor})"
            print(f"{raw.source_name}: {plural(raw.page_count, 'page')}, {tables}")
            print(f"genre {guess.describe()}")
            print("\n".join(listing_lines(listing)))
        return 0
    reports, sectors = inspect_document(raw, settings, guess)
    status = document_status(raw, settings)
    if args.json:
        print(
            json.dumps(
                {
                    "source": raw.source_name,
                    "extractor": raw.extractor,
                    "genre": genre_report(guess),
                    "tables": reports,
                    **status,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        objectives = sum(int(report["objectives"]) for report in reports)  # type: ignore[call-overload]
        print(
            f"{raw.source_name}: {plural(raw.page_count, 'page')}, "
            f"{plural(len(reports), 'table')}, {plural(objectives, 'objective')} ({raw.extractor})"
        )
        print(f"genre {guess.describe()}")
        seen: dict[tuple, int] = {}
        for report in reports:
            print("\n".join(table_lines(report, seen)))
        print("\n".join(status_lines(status)))
    if args.png:
        return draw(args.path, raw, sectors, args.png, grids)
    return 0


def draw(
    path: Path,
    raw: extract.RawDocument,
    sectors: list,
    out_dir: Path,
    grids: Mapping[int, Sequence[UsedGrid]] | None = None,
) -> int:
    """Draw the cells read over the PDF's pages and the column boundaries of the borderless
    tables (``grids``, with their x: values for a layout hints file's ``[boundaries]``)
    (:func:`extract.draw.draw_boxes`)."""
    if raw.source_format != "pdf":
        print(f"piao: {path}: --png needs a PDF (this is {raw.source_format})", file=sys.stderr)
        return 1
    from extract.draw import draw_boxes

    try:
        written = draw_boxes(path, cell_boxes(sectors), out_dir, grids=grids)
    except extract.ExtractError as error:
        print(f"piao: {error}", file=sys.stderr)
        return 1
    print(f"wrote {plural(len(written), 'page image')} to {out_dir}/", file=sys.stderr)
    return 0
