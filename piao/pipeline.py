"""The pipeline: document -> extract -> normalize -> schema, and nothing else.

A thin shell over the three stages; the CLI calls it, so do tests and notebooks.

A batch (:func:`run`) plans one :class:`Job` per input file, skips the files whose bytes and
pipeline version are already in the tables, processes the others independently (in worker
processes when ``workers > 1``) and writes their records in input order, a chunk at a time,
with :func:`schema.replace_documents` (atomic per write). The library never prints: progress
is reported through a callback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import itertools
import os
import signal
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import IO

import pyarrow.parquet as pq

import extract
import normalize
import schema
from extract.errors import NoTableError
from normalize import NormalizedDocument, NormalizeSettings, normalize_document
from piao import __version__
from piao.metadata import (
    NO_METADATA,
    Metadata,
    MetadataError,
    Period,
    choose_metadata,
    read_sidecar,
)

SUPPORTED_SUFFIXES = (".txt", ".text", ".tsv", ".md", ".pdf", ".docx", ".xlsx", ".ods", ".p7m")
#: The stages whose code decides the rows (their source is part of the pipeline version).
STAGES = (extract, normalize, schema)


def code_fingerprint(packages: Iterable[ModuleType] = STAGES) -> str:
    """Short hash of the stages' source files: rows written by other code are redone even
    when nobody remembered to bump the version number."""
    digest = hashlib.sha256()
    for package in packages:
        root = Path(str(package.__file__)).parent
        for path in sorted(root.rglob("*.py")):
            digest.update(path.relative_to(root.parent).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


#: Stored with every document; a document extracted by another version is redone.
PIPELINE_VERSION = f"{__version__}+{code_fingerprint()}"
#: Documents written per write of the tables (bounds memory and the work lost to a crash).
FLUSH_EVERY = 50
LOCK_NAME = ".piao.lock"

WRITTEN, SKIPPED, FAILED = "written", "skipped", "failed"


# one document -----------------------------------------------------------------------------


def process_document(
    path: str | Path,
    *,
    engine: str = "auto",
    settings: NormalizeSettings | Mapping[str, object] | None = None,
    ente: str | None = None,
    extracted_at: dt.datetime | None = None,
    sidecar: Metadata | None = None,
    defaults: Metadata | None = None,
    ocr: str = "auto",
) -> NormalizedDocument:
    """Extract and normalise one attachment (raises extract.ExtractError on bad input).

    ``ente`` forces the issuing body; otherwise :func:`choose_metadata` picks ente and
    period from ``sidecar``, the document and ``defaults``. A document in which no objective
    could be read raises :class:`extract.errors.NoTableError` rather than giving empty tables.
    """
    path = Path(path)
    raw = extract.read_document(path, engine=engine, ocr=ocr)
    chosen, findings = choose_metadata(raw, sidecar or NO_METADATA, defaults or NO_METADATA)
    document = normalize_document(
        raw,
        settings,
        extracted_at=extracted_at or dt.datetime.now(dt.UTC),
        pipeline_version=PIPELINE_VERSION,
        ente=ente or chosen.ente,
        period=chosen.period,
    )
    document.table("quality").extend(finding.record(document.doc_id) for finding in findings)
    require_objectives(document, path, len(raw.tables))
    return document


def require_objectives(document: NormalizedDocument, path: Path, table_count: int) -> None:
    """Raise :class:`NoTableError` when the tables read hold no objective row."""
    if document.records.get("objectives"):
        return
    rules = {str(finding["rule"]) for finding in document.records.get("quality", [])}
    why = "none has an objective header row" if "header_not_found" in rules else "no objective rows"
    raise NoTableError(
        path,
        f"no objective table found ({table_count} table{'s' * (table_count != 1)} read, {why})",
    )


# a batch ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Job:
    """One input file to process, with everything a worker process needs (picklable)."""

    index: int
    path: Path
    sha256: str
    sidecar: Metadata
    defaults: Metadata
    engine: str = "auto"
    settings: NormalizeSettings | Mapping[str, object] | None = None
    ocr: str = "auto"


@dataclass(slots=True)
class Outcome:
    """What happened to one input file: written (with its records), skipped or failed."""

    index: int
    path: Path
    status: str
    reason: str = ""
    document: NormalizedDocument | None = None


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """A written document, without its records (a batch keeps only these in memory)."""

    path: Path
    doc_id: str
    source_name: str
    counts: dict[str, int]
    severities: dict[str, int]

    @classmethod
    def of(cls, path: Path, document: NormalizedDocument) -> DocumentSummary:
        return cls(
            path=path,
            doc_id=document.doc_id,
            source_name=str(document.records["documents"][0]["source_name"]),
            counts={name: len(rows) for name, rows in document.records.items()},
            severities=dict(
                Counter(str(f["severity"]) for f in document.records.get("quality", []))
            ),
        )


@dataclass
class RunResult:
    """What a run did: documents written, files skipped (with why), and one reason per file
    that failed. ``interrupted``: the run was stopped (Ctrl-C) before every file was done."""

    written: list[DocumentSummary] = field(default_factory=list)
    skipped: dict[Path, str] = field(default_factory=dict)
    failed: dict[Path, str] = field(default_factory=dict)
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted


def collect_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, plus the supported files inside folders (sorted: runs are deterministic).

    Hidden files and files whose name does not end in a supported suffix are skipped inside
    folders; a file named explicitly is always taken.
    """
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                child
                for child in sorted(path.rglob("*"))
                if child.is_file()
                and not child.name.startswith(".")
                and child.suffix.lower() in SUPPORTED_SUFFIXES
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """What the tables already hold for one source (by SHA-256)."""

    pipeline_version: str | None
    ente: str | None
    period: Period | None


def stored_documents(out_dir: str | Path) -> dict[str, StoredDocument]:
    """Documents already in ``out_dir``, by source SHA-256 (empty when there are none, or
    when the tables were written by an incompatible schema and will be replaced)."""
    table = schema.TABLES["documents"]
    path = Path(out_dir) / table.file_name
    if not path.exists():
        return {}
    try:
        if pq.read_schema(path) != table.schema:
            return {}
        stored = pq.read_table(path).to_pylist()
    except (OSError, ValueError):
        return {}
    return {
        str(row["source_sha256"]): StoredDocument(
            row["pipeline_version"],
            row["ente"],
            (row["period_start"], row["period_end"])
            if row["period_start"] and row["period_end"]
            else None,
        )
        for row in stored
    }


def is_unchanged(job: Job, stored: Mapping[str, StoredDocument]) -> bool:
    """Whether the tables already hold this file as this job would write it: same bytes,
    same pipeline version, and the metadata given outside the document still applies."""
    done = stored.get(job.sha256)
    if done is None or done.pipeline_version != PIPELINE_VERSION:
        return False
    if job.sidecar.ente and done.ente != job.sidecar.ente:
        return False
    if job.sidecar.period and done.period != job.sidecar.period:
        return False
    if job.defaults.ente and done.ente is None:
        return False
    return not (job.defaults.period and done.period is None)


def plan_jobs(
    inputs: Sequence[Path],
    out_dir: str | Path,
    *,
    force: bool = False,
    defaults: Metadata = NO_METADATA,
    engine: str = "auto",
    settings: NormalizeSettings | Mapping[str, object] | None = None,
    ocr: str = "auto",
) -> tuple[list[Job], list[Outcome]]:
    """Jobs for the files to process, and the outcomes already known (unchanged, same
    content as an earlier input, unreadable, bad sidecar)."""
    stored = {} if force else stored_documents(out_dir)
    jobs: list[Job] = []
    known: list[Outcome] = []
    first_with: dict[str, Path] = {}
    for index, path in enumerate(inputs):
        try:
            sha256 = file_sha256(path)
            sidecar = read_sidecar(path)
        except OSError as error:
            known.append(Outcome(index, path, FAILED, f"cannot be read ({error.strerror})"))
            continue
        except MetadataError as error:
            known.append(Outcome(index, path, FAILED, error.reason))
            continue
        job = Job(index, path, sha256, sidecar, defaults, engine, settings, ocr)
        if sha256 in first_with:
            known.append(Outcome(index, path, SKIPPED, f"same content as {first_with[sha256]}"))
        elif is_unchanged(job, stored):
            known.append(Outcome(index, path, SKIPPED, "unchanged"))
        else:
            jobs.append(job)
        first_with.setdefault(sha256, path)
    return jobs, known


def process_job(job: Job) -> Outcome:
    """Run one job; every failure becomes a failed outcome with a one-line reason."""
    try:
        document = process_document(
            job.path,
            engine=job.engine,
            settings=job.settings,
            sidecar=job.sidecar,
            defaults=job.defaults,
            ocr=job.ocr,
        )
    except extract.ExtractError as error:
        return Outcome(job.index, job.path, FAILED, error.reason)
    except Exception as error:  # a bug on one odd file must not cost the others
        detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
        reason = f"unexpected error ({type(error).__name__}: {detail}); please report it"
        return Outcome(job.index, job.path, FAILED, reason)
    return Outcome(job.index, job.path, WRITTEN, document=document)


def _ignore_interrupts() -> None:
    """Worker initialiser: Ctrl-C is the parent's to handle (no traceback per worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _outcome_of(future: Future[Outcome], job: Job) -> Outcome:
    try:
        return future.result()
    except Exception as error:  # the worker process died (e.g. a crash in a PDF library)
        return Outcome(job.index, job.path, FAILED, f"worker process failed ({error})")


def iter_outcomes(jobs: Sequence[Job], workers: int = 1) -> Iterator[Outcome]:
    """Outcomes of the jobs as they complete: in this process when ``workers <= 1`` (in
    order), else in a pool of ``workers`` processes (in completion order)."""
    if workers <= 1 or len(jobs) <= 1:
        yield from map(process_job, jobs)
        return
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_ignore_interrupts)
    try:
        futures = {pool.submit(process_job, job): job for job in jobs}
        for future in as_completed(futures):
            yield _outcome_of(future, futures[future])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class InputOrderWriter:
    """Writes written outcomes in input order, ``flush_every`` documents at a time.

    Outcomes arrive in any order; the run of consecutive inputs that are all done is
    written as soon as it holds ``flush_every`` documents, so the tables' rows come in the
    same order whatever the number of workers.
    """

    def __init__(self, out_dir: str | Path, total: int, flush_every: int = FLUSH_EVERY) -> None:
        self.out_dir = out_dir
        self.total = total
        self.flush_every = max(1, flush_every)
        self.arrived: dict[int, Outcome] = {}
        self.next_index = 0
        self.ready: list[Outcome] = []

    def add(self, outcome: Outcome) -> list[Outcome]:
        """Take an outcome; returns the outcomes whose documents were just written."""
        self.arrived[outcome.index] = outcome
        while self.next_index in self.arrived:
            done = self.arrived.pop(self.next_index)
            if done.document is not None:
                self.ready.append(done)
            self.next_index += 1
        if len(self.ready) >= self.flush_every or (self.next_index == self.total and self.ready):
            return self.flush()
        return []

    def flush(self) -> list[Outcome]:
        written, self.ready = self.ready, []
        if written:
            schema.replace_documents(
                merge_records(o.document for o in written if o.document), self.out_dir
            )
        return written


@contextlib.contextmanager
def exclusive(out_dir: str | Path) -> Iterator[None]:
    """Hold a lock on ``out_dir`` so that two runs never write the same tables at once.

    A folder created only to hold the lock is removed again when nothing was written.
    """
    directory = Path(out_dir)
    created = not directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    lock = directory / LOCK_NAME
    try:
        with lock.open("a") as handle:
            take_lock(handle, directory)
            yield
    finally:
        if created and [p.name for p in directory.iterdir()] == [LOCK_NAME]:
            lock.unlink(missing_ok=True)
            directory.rmdir()


def take_lock(handle: IO[str], directory: Path) -> None:
    """Lock the open lock file (released when it is closed); raise OSError when another
    run holds it. No-op where ``fcntl`` does not exist (Windows)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        message = "another piao run is writing these tables"
        raise OSError(errno.EBUSY, message, str(directory)) from None


def default_workers() -> int:
    """The machine's cores available to this process."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    *,
    engine: str = "auto",
    settings: NormalizeSettings | Mapping[str, object] | None = None,
    workers: int = 1,
    force: bool = False,
    defaults: Metadata = NO_METADATA,
    flush_every: int = FLUSH_EVERY,
    progress: Callable[[Outcome], None] | None = None,
    ocr: str = "auto",
) -> RunResult:
    """Extract every attachment under ``paths`` into the tables in ``out_dir``.

    Each document is processed on its own: a bad file is reported in ``failed`` and does
    not stop the others. Files already extracted (same bytes, same pipeline version) are
    skipped unless ``force``. The tables are written atomically, ``flush_every`` documents
    at a time, in input order. ``progress`` is called once per input file as it is done.
    Ctrl-C stops the run: documents written before it are kept, the tables stay whole, and
    the result has ``interrupted`` set.
    """
    inputs = collect_inputs(paths)
    result = RunResult()

    def record(outcome: Outcome) -> None:
        if outcome.status == SKIPPED:
            result.skipped[outcome.path] = outcome.reason
        elif outcome.status == FAILED:
            result.failed[outcome.path] = outcome.reason
        if progress is not None:
            progress(outcome)

    with exclusive(out_dir):
        schema.remove_stale_temps(out_dir)
        jobs, known = plan_jobs(
            inputs,
            out_dir,
            force=force,
            defaults=defaults,
            engine=engine,
            settings=settings,
            ocr=ocr,
        )
        writer = InputOrderWriter(out_dir, len(inputs), flush_every)
        try:
            for outcome in itertools.chain(known, iter_outcomes(jobs, workers)):
                record(outcome)
                for written in writer.add(outcome):
                    assert written.document is not None
                    result.written.append(DocumentSummary.of(written.path, written.document))
        except KeyboardInterrupt:
            result.interrupted = True
    order = {path: index for index, path in enumerate(inputs)}
    result.skipped = dict(sorted(result.skipped.items(), key=lambda item: order[item[0]]))
    result.failed = dict(sorted(result.failed.items(), key=lambda item: order[item[0]]))
    return result


def merge_records(documents: Iterable[NormalizedDocument]) -> dict[str, list[dict[str, object]]]:
    """Records of several documents, table by table, in document order."""
    merged: dict[str, list[dict[str, object]]] = {name: [] for name in schema.TABLES}
    for document in documents:
        for name, records in document.records.items():
            merged[name].extend(records)
    return merged


def iter_findings(documents: Iterable[NormalizedDocument]) -> Iterator[dict[str, object]]:
    for document in documents:
        yield from document.records.get("quality", [])
