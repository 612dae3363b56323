"""``piao extract PATH... --data DIR``: attachments -> Parquet tables (``--out`` is an alias)."""

from __future__ import annotations

import argparse
import errno
import os
import shlex
import signal
import sys
import time
from collections import Counter
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import schema
import storage.store
from extract.names import escaped, printable
from normalize.hints import LayoutHintsError, with_layout
from piao import metadata, pipeline
from piao.allocator import use_system_allocator
from piao.collector import freeze_at_exit, one_document, tune_collector
from piao.commands.progress import Progress, elapsed
from piao.commands.words import plural, severity_counts
from piao.manifest import Manifest, ManifestError, manifests_in, merged, read_manifest
from piao.parallel import worker_processes

if TYPE_CHECKING:
    from compare.history_files import Mapper

EXIT_OK, EXIT_FAILED = 0, 1


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


def register(commands: argparse._SubParsersAction, summary: str) -> None:
    parser = commands.add_parser(
        "extract",
        help=summary,
        description="Extract attachments into the tables of DATA (one folder per table). "
        "Rows of a document already in DATA, or extracted before from the same path, are "
        "replaced; other documents' rows are kept. "
        "Files whose bytes, pipeline version and extraction settings (--engine, --ocr, "
        "layout hints) are already in DATA are skipped. "
        "Exit status: 0 every file extracted or unchanged, 1 some file failed (one line "
        "each on stderr), a document is doubtful under --strict, or the tables could not "
        "be written, 2 usage error, 130 "
        "interrupted (Ctrl-C), 143 terminated (SIGTERM).",
    )
    parser.add_argument("paths", nargs="*", type=Path, help="attachment files or folders")
    parser.add_argument(
        "--data",
        "--out",
        dest="data",
        type=Path,
        default=Path("data/clean"),
        help="tables folder to write (--out is the same option, kept for older scripts)",
    )
    parser.add_argument(
        "--engine",
        choices=["auto", "text", "pdfium", "pdfplumber", "camelot"],
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
        "--manifest",
        type=Path,
        help="CSV naming the ente and period of attachments (columns file,ente,period; "
        "file relative to the CSV's folder, or a bare file name); a manifest.csv in an input "
        "folder is read too; a sidecar file wins",
    )
    parser.add_argument(
        "--layout",
        type=Path,
        help="layout hints (TOML: heading aliases, sector-heading words, code patterns) for "
        "every attachment; a <attachment>.layout.toml beside a file is added to them",
    )
    parser.add_argument(
        "--keep-versions",
        action="store_true",
        help="keep the rows of an earlier version of a file (default: an edited file's rows "
        "replace those extracted before from the same path)",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="move corrupt table files aside and re-extract their documents from the sources "
        "listed in documents",
    )
    parser.add_argument(
        "--ocr",
        choices=["auto", "never", "force"],
        default="auto",
        help="read scanned PDF pages by OCR (Tesseract): auto, the pages without a text "
        "layer; force, every page; never, none",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail the run (exit 1) when a document is doubtful: its reading contradicts "
        "itself (documents.status; the summary ends with one line per doubtful document)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="one line per document (row counts, findings), per file skipped and per series "
        "of editions (default: lines only for failed and doubtful documents, then the totals)",
    )
    parser.add_argument(
        "--ocr-max-pages",
        type=positive_int,
        default=None,
        metavar="N",
        help="refuse a document with more than N pages to OCR (default 200, or "
        "PIAO_OCR_MAX_PAGES), before any is read",
    )
    parser.set_defaults(run=run)


def doubtful_lines(result: pipeline.RunResult) -> list[str]:
    """One line per doubtful document: the file, its first reason (and how many more) and
    the ``piao inspect`` command that shows how its tables were read."""
    lines = []
    for document in result.doubtful:
        reasons = document.status_reasons
        more = f" (+{len(reasons) - 1} more)" if len(reasons) > 1 else ""
        first = reasons[0] if reasons else "no reason recorded"
        lines.append(
            f"doubtful: {document.path}: {first}{more}; "
            f"see: piao inspect {shlex.quote(str(document.path))}"
        )
    return lines


def summary_lines(result: pipeline.RunResult) -> list[str]:
    """One line per document written (row counts per table and quality findings), then one
    per file skipped as unchanged, so that the summary names every file."""
    lines = []
    for document in result.written:
        counts = {
            name: document.counts.get(name, 0)
            for name in schema.TABLES
            if name not in ("documents", "cells")
        }
        severities = document.severities
        lines.append(
            f"{escaped(document.source_name)} [{document.doc_id}] "
            + ", ".join(f"{name} {count}" for name, count in counts.items())
            + " | quality: "
            + (severity_counts(severities) if any(severities.values()) else "clean")
            + (f" | replaced {', '.join(document.replaced)}" if document.replaced else "")
        )
    lines += [
        f"{escaped(path)}: skipped, unchanged"
        for path, why in result.skipped.items()
        if why == "unchanged"
    ]
    return lines


def totals_line(result: pipeline.RunResult) -> str:
    """``3 extracted, 1 skipped as unchanged, 2 failed`` (duplicates counted when any)."""
    unchanged = sum(reason == "unchanged" for reason in result.skipped.values())
    duplicates = len(result.skipped) - unchanged
    replaced = sum(bool(document.replaced) for document in result.written)
    parts = [
        f"{len(result.written)} extracted" + (f" ({replaced} replaced)" if replaced else ""),
        f"{unchanged} skipped as unchanged",
    ]
    if duplicates:
        parts.append(f"{duplicates} skipped as duplicates")
    parts.append(f"{len(result.failed)} failed")
    if result.doubtful:
        parts.append(f"{len(result.doubtful)} doubtful")
    if result.write_error:
        parts.append("stopped: the tables could not be written")
    return ", ".join(parts) + (" (interrupted)" if result.interrupted else "")


def read_manifests(given: Path | None, paths: Sequence[Path]) -> Manifest:
    """The manifest given with ``--manifest`` (it wins) and the ``manifest.csv`` of every
    input folder, as one; raises :class:`ManifestError` for an unreadable or bad one."""
    files = ([given] if given else []) + manifests_in(path for path in paths if path.is_dir())
    return merged(read_manifest(path) for path in dict.fromkeys(files))


def history_lines(
    out: Path, touched: Collection[str] | None = None, mapper: Mapper = map
) -> list[str]:
    """Bring the folder's lineage and changes up to date after a run that wrote the
    documents ``touched`` (:func:`compare.stamp.refresh_if_changed`: nothing rebuilt when
    the rows they come from are unchanged, else :func:`compare.refresh.refresh` of the
    series those documents are in, in memory that does not grow with the folder), under the
    folder's lock after recovery, and say what they hold: one line per series of two
    editions or more, then the totals. ``mapper`` reads the files and builds the groups
    (the builtin ``map``, or the batch's worker processes:
    :meth:`piao.parallel.WorkerProcesses.map`)."""
    import compare  # rapidfuzz only when there is work
    from compare.stamp import refresh_if_changed
    from piao.fingerprint import code_fingerprint
    from piao.writing import notice_on_stderr, writing

    code = code_fingerprint((compare,))
    with writing(out, notice=notice_on_stderr) as recovered:  # the run's lock is released
        if recovered:
            notice_on_stderr(recovered)
        history = refresh_if_changed(out, code=code, touched=touched, mapper=mapper)
    lines = [
        f"{one.ente}: {plural(len(one.editions), 'edition')} ({', '.join(one.editions)}), "
        f"{plural(one.changes, 'change')}"
        for one in history.chained
    ]
    lines.append(
        f"lineage and changes: {plural(history.series, 'series', 'series')}, "
        f"{plural(history.changes, 'change')} in {out}/changes"
    )
    return lines


def holds_documents(out: Path) -> bool:
    """Whether the tables folder holds documents already (a file-system look only: a new
    folder's run imports no table reader for it, start-up time)."""
    return (out / "documents").is_dir() or (out / "documents.parquet").is_file()


def chaining(result: pipeline.RunResult, had_documents: bool) -> bool:
    """Whether the run may have changed the folder's series: it wrote a document into a
    folder holding others, or two documents or more (a single document chains nothing, and
    its run imports no comparison library)."""
    return bool(result.written) and (had_documents or len(result.written) > 1)


def missing_ente_line(out: Path, result: pipeline.RunResult, had_documents: bool) -> str | None:
    """A line counting the folder's documents whose administration is unknown and saying
    how to give it, or None when every document has one (or there is none). The stored
    documents are counted from the index (:func:`storage.store.committed_documents`: one
    file, not every group's, and no dataset scan, which would import pyarrow.compute)."""
    if had_documents:
        documents = storage.store.committed_documents(out, build=False, columns=["ente"])
        missing = documents.column("ente").null_count if documents is not None else 0
    else:
        missing = sum(1 for document in result.written if document.ente is None)
    if not missing:
        return None
    return (
        f"{plural(missing, 'document')} without ente (never chained to other "
        "editions): name them in a manifest.csv (columns file,ente,period) beside the "
        "attachments, or pass --manifest FILE, and run piao extract again"
    )


def unusable_path(path: Path) -> str | None:
    """Why an input path cannot be read (``no such file or folder``, ``symbolic link
    loop``, ...), or None when it can."""
    try:
        path.stat()
    except OSError as error:
        if error.errno == errno.ENOENT:
            return "no such file or folder"
        if error.errno == errno.ELOOP:
            return "symbolic link loop"
        return (error.strerror or str(error)).lower()
    return None


def unusable_output(out: Path) -> str | None:
    """Why ``--data`` cannot hold the tables (it names a file), or None."""
    if out.exists() and not out.is_dir():
        return f"{out}: --data must name a folder, and this is a file"
    return None


def run_findings(result: pipeline.RunResult) -> dict[str, int]:
    """Quality findings by severity of the documents the run extracted."""
    found: Counter[str] = Counter()
    for document in result.written:
        found.update(document.severities)
    return dict(found)


def closing_line(result: pipeline.RunResult, seconds: float) -> str:
    """The run in one line: :func:`totals_line`, the findings of the documents extracted by
    severity (when any was) and the elapsed time:
    ``3 extracted, 0 skipped as unchanged, 0 failed; findings: 2 errors, 31 info; 4.2 s``."""
    parts = [totals_line(result)]
    if result.written:
        parts.append(f"findings: {severity_counts(run_findings(result))}")
    return "; ".join([*parts, elapsed(seconds)])


#: Files named in the note on files that are not attachments (the rest are counted).
NAMED_SKIPPED = 10


def not_attachments_line(paths: Sequence[Path], every: bool = False) -> str:
    """One note for the files of the input folders that are not attachments (README,
    CSV, images), naming them (the first :data:`NAMED_SKIPPED` unless ``every``)."""
    named = paths if every else paths[:NAMED_SKIPPED]
    more = len(paths) - len(named)
    names = ", ".join(escaped(path) for path in named) + (f" and {more} more" if more else "")
    files = plural(len(paths), "file")
    verb = "is" if len(paths) == 1 else "are"
    return f"skipped {files} that {verb} not an attachment: {names}"


class _PandasNotImported:
    """An import hook under which ``import pandas`` fails at once (``find_spec`` is all
    ``sys.meta_path`` asks of it: no ``importlib.abc`` base, start-up time)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas":
            raise ModuleNotFoundError("not imported by piao extract", name=name)


def skip_pyarrow_pandas_probe() -> None:
    """Spare ``piao extract`` the import of pandas (0.4 s of CPU, a third of a small
    document's run: start-up time), which extraction never uses.

    pyarrow imports pandas the first time it converts Python objects (``pa.array``), only
    to check whether they are pandas objects. Here that first probe finds no pandas, so the
    later conversions do not look for it either; pandas itself stays importable, and
    pyarrow's pandas functions (``to_pandas``) import it when called. Nothing is done when
    pandas is already imported (a notebook, the test suite): the probe is then free.
    """
    if "pandas" in sys.modules:
        return
    import pyarrow as pa

    hook = _PandasNotImported()
    sys.meta_path.insert(0, hook)
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(hook)


def print_result(result: pipeline.RunResult, out: Path, verbose: bool) -> None:
    """What a run did: its notices and notes, the files skipped (listed when ``verbose`` or
    interrupted: an interrupted run lists what it wrote) and failed, a write that failed,
    and where the tables are."""
    for notice in result.notices:
        print(f"piao: {printable(notice)}", file=sys.stderr)
    for note in result.notes:
        print(f"piao: {printable(note)}", file=sys.stderr)
    every = verbose or result.interrupted
    for line in summary_lines(result) if every else ():
        print(line)
    for path, reason in result.skipped.items() if every else ():
        if reason != "unchanged":
            print(f"piao: {escaped(path)}: skipped, {printable(reason)}", file=sys.stderr)
    for path, reason in result.failed.items():
        print(f"piao: {escaped(path)}: {printable(reason)}", file=sys.stderr)
    if result.write_error:
        print(f"piao: {result.write_error}", file=sys.stderr)
    if result.written:
        print(f"wrote {len(schema.TABLES)} tables to {out}/")


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    skip_pyarrow_pandas_probe()
    use_system_allocator()  # a lower peak for a batch (piao.allocator)
    tune_collector()  # fewer garbage collector passes (piao.collector)
    freeze_at_exit()  # and none over what is left when the process ends
    if args.ocr_max_pages is not None:  # read by extract.ocr, in this process and its workers
        os.environ["PIAO_OCR_MAX_PAGES"] = str(args.ocr_max_pages)
    if problem := unusable_output(args.data):
        print(f"piao: {problem}", file=sys.stderr)
        return EXIT_FAILED
    problems = {path: why for path in args.paths if (why := unusable_path(path))}
    for path, why in problems.items():
        print(f"piao: {escaped(path)}: {why}", file=sys.stderr)
    try:
        settings = with_layout(None, args.layout) if args.layout else None
    except LayoutHintsError as error:
        print(f"piao: {error}", file=sys.stderr)
        return EXIT_FAILED
    readable = [path for path in args.paths if path not in problems]
    try:
        manifest = read_manifests(args.manifest, readable)
    except ManifestError as error:
        print(f"piao: {error}", file=sys.stderr)
        return EXIT_FAILED
    if skipped := pipeline.skipped_in_folders(readable):
        print(f"piao: {not_attachments_line(skipped, args.verbose)}", file=sys.stderr)
    inputs = pipeline.collect_inputs(readable)
    if not inputs and not args.rebuild:
        print("piao: nothing to extract", file=sys.stderr)
        return EXIT_FAILED
    if len(inputs) == 1:
        one_document()  # no young collection passes over a single document (piao.collector)
    had_documents = holds_documents(args.data)
    with worker_processes(args.workers) as shared:  # the batch's, then its history's
        with Progress(len(inputs)) as bar:
            result = pipeline.run(
                inputs,
                args.data,
                engine=args.engine,
                workers=args.workers,
                force=args.force,
                settings=settings,
                defaults=metadata.Metadata(args.ente, args.period),
                progress=lambda outcome: bar.step(escaped(outcome.path.name)),
                keep_versions=args.keep_versions,
                rebuild=args.rebuild,
                ocr=args.ocr,
                manifest=manifest,
                shared=shared,
            )
        print_result(result, args.data, args.verbose)
        if chaining(result, had_documents) and not result.interrupted and not result.write_error:
            written = [document.doc_id for document in result.written]
            lines = history_lines(args.data, written, shared.map)
            for line in lines if args.verbose else lines[-1:]:
                print(line)
    if line := missing_ente_line(args.data, result, had_documents):
        print(line)
    print(closing_line(result, time.monotonic() - started))
    for line in doubtful_lines(result):
        print(line)
    if result.interrupted:
        how = "terminated" if result.stopped_by == signal.SIGTERM else "interrupted"
        print(f"piao: {how}; documents not listed above were not written", file=sys.stderr)
        return 128 + (result.stopped_by or signal.SIGINT)
    if args.strict and result.doubtful:
        return EXIT_FAILED
    return EXIT_OK if result.ok and not problems else EXIT_FAILED
