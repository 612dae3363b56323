"""The pipeline: document -> extract -> normalize -> schema, and nothing else.

A thin shell over the three stages; the CLI calls it, so do tests and notebooks.

A batch (:func:`run`) plans one :class:`Job` per input file, skips the files whose bytes,
sidecar metadata and pipeline version are already in the tables, processes the others
independently (in worker processes when ``workers > 1``) and writes their records in input
order, a chunk at a time, with :func:`schema.replace_documents` (atomic per write; the
documents a worker sends packed as Arrow tables, :mod:`piao.packed`, with
:func:`storage.store.replace_tables`). The library never prints: progress is reported
through a callback.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import itertools
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

import extract
import normalize
import schema
import storage
from extract.errors import NoTableError
from normalize import NormalizedDocument, NormalizeSettings
from normalize.document import Record, gathered, iter_records
from normalize.ente import ente_key, printed_attachment
from normalize.hints import with_layout
from normalize.quality import Finding
from normalize.status import DOUBTFUL
from piao import __version__, fingerprint
from piao.allocator import release_free_memory
from piao.extraction_settings import same_settings, settings_label
from piao.jobs import DocumentSummary, Job, Outcome, status_of
from piao.jobs import document_id as document_id  # named here too (a document's id)
from piao.manifest import EMPTY as NO_MANIFEST
from piao.manifest import Manifest, with_manifest
from piao.metadata import (
    NO_METADATA,
    Metadata,
    MetadataError,
    Period,
    choose_metadata,
    read_sidecar,
)
from piao.writing import writing
from schema.tables import stands_alone

if TYPE_CHECKING:
    from concurrent.futures import Future

    from piao.parallel import WorkerProcesses

SUPPORTED_SUFFIXES = (".txt", ".text", ".tsv", ".md", ".pdf", ".docx", ".xlsx", ".ods", ".p7m")
#: The stages whose code decides the rows (their source is part of the pipeline version).
STAGES = (extract, normalize, schema, storage)


def code_fingerprint(packages: Iterable[ModuleType] = STAGES) -> str:
    """Short hash of the stages' code, docstrings and comments left out
    (:mod:`piao.fingerprint`): rows written by other code are redone even when nobody
    remembered to bump the version number, and an edit of a comment redoes nothing."""
    return fingerprint.code_fingerprint(packages)


#: Stored with every document; a document extracted by another version is redone.
PIPELINE_VERSION = f"{__version__}+{code_fingerprint()}"
#: Documents written per write of the tables (bounds memory and the work lost to a crash).
FLUSH_EVERY = 50
#: A batch shared by workers is written in about this many writes at least: the parent
#: writes while the workers extract, and what is left to write once the last document is
#: extracted (the wait the workers cannot shorten) is about 1/WRITES_PER_POOLED_BATCH of it.
WRITES_PER_POOLED_BATCH = 8
#: An input file of this many bytes or more, when processed in this process, is written on
#: its own as it is read, a sector at a time (:func:`stream_document`: memory);
#: smaller ones are gathered and written ``flush_every`` at a time.
STREAM_MIN_BYTES = 2**20

WRITTEN, SKIPPED, FAILED = "written", "skipped", "failed"
#: An outcome not yet processed: its document is to be streamed by :func:`run` at its turn.
TO_STREAM = "to stream"


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
    read = read_parts(
        path,
        engine=engine,
        settings=settings,
        ente=ente,
        extracted_at=extracted_at,
        sidecar=sidecar,
        defaults=defaults,
        ocr=ocr,
    )
    document = gathered(read.doc_id, read.parts)
    document.table("quality").extend(read.finding_records(document.doc_id))
    if not document.records.get("objectives"):
        quality = document.records.get("quality", [])
        raise no_objectives(path, read.table_count, reports_no_header(quality))
    document.records, _ = schema.unique_keys(document.records)
    return document


class DocumentParts(NamedTuple):
    """An attachment read, its records to come a part at a time (:func:`read_parts`)."""

    doc_id: str
    source_name: str
    table_count: int
    #: What :func:`choose_metadata` found (quality findings, not yet records).
    metadata_findings: list[Finding]
    parts: Iterator[dict[str, list[Record]]]
    #: Ente, period and ente source chosen for the document (:func:`choose_metadata`).
    chosen: Metadata = NO_METADATA

    def finding_records(self, doc_id: str) -> list[Record]:
        """The quality rows of :attr:`metadata_findings`, with the document's identity."""
        part = {"quality": [finding.record(doc_id) for finding in self.metadata_findings]}
        return next(with_identity([part], self.chosen))["quality"]


def read_parts(
    path: Path,
    *,
    engine: str = "auto",
    settings: NormalizeSettings | Mapping[str, object] | None = None,
    ente: str | None = None,
    extracted_at: dt.datetime | None = None,
    sidecar: Metadata | None = None,
    defaults: Metadata | None = None,
    ocr: str = "auto",
    large: bool = False,
) -> DocumentParts:
    """Extract one attachment and start normalising it: the steps :func:`process_document`
    and :func:`stream_document` share (parameters as :func:`process_document`'s). ``large``:
    its text tables read when asked for and its sectors read twice rather than held
    (memory: :func:`normalize.document.iter_records`)."""
    settings = with_layout(settings, attachment=path)  # + <attachment>.layout.toml hints
    raw = extract.read_document(
        path,
        engine=engine,
        ocr=ocr,
        heading_words=settings.sector_heading_words,
        lazy=large,
        columns=settings.column_boundaries,
    )
    chosen, findings = choose_metadata(raw, sidecar or NO_METADATA, defaults or NO_METADATA)
    if ente:
        chosen = chosen._replace(ente=ente, ente_source="option")
    parts = iter_records(
        raw,
        settings,
        extracted_at=extracted_at or dt.datetime.now(dt.UTC),
        pipeline_version=PIPELINE_VERSION,
        ente=chosen.ente,
        period=chosen.period,
        reread=large,
    )
    kind = printed_attachment([raw.preamble, *(table.heading for table in raw.tables[:1])])
    parts = with_identity(parts, chosen, kind)
    return DocumentParts(raw.doc_id, raw.source_name, len(raw.tables), findings, parts, chosen)


def with_identity(
    parts: Iterable[dict[str, list[Record]]], chosen: Metadata, plan_kind: str | None = None
) -> Iterator[dict[str, list[Record]]]:
    """The parts with every row of a table that stands alone (:func:`schema.tables.stands_alone`)
    given the document's ente and plan_year, and the documents row its ente_source and
    ``plan_kind``: whose rows they are is read on the row itself, without a join."""
    plan_year = chosen.period[0].year if chosen.period else None
    for part in parts:
        for name, rows in part.items():
            table = schema.TABLES.get(name)
            if table is None:
                continue
            if name == "documents":
                for row in rows:
                    row["ente_source"] = chosen.ente_source if row["ente"] else None
                    row["ente_key"] = ente_key(row["ente"])
                    row["plan_kind"] = plan_kind
            elif stands_alone(table):
                for row in rows:
                    row["ente"] = chosen.ente
                    row["plan_year"] = plan_year
        yield part


def reports_no_header(quality: Iterable[Mapping[str, object]]) -> bool:
    """Whether quality rows say a table had no objective header row."""
    return any(row["rule"] == "header_not_found" for row in quality)


def no_objectives(path: Path, table_count: int, header_not_found: bool) -> NoTableError:
    """The error of a document whose tables hold no objective row."""
    why = "none has an objective header row" if header_not_found else "no objective rows"
    return NoTableError(
        path,
        f"no objective table found ({table_count} table{'s' * (table_count != 1)} read, {why})",
    )


def stream_document(job: Job, out_dir: str | Path) -> DocumentSummary:
    """Process one job and write its document into ``out_dir`` as it is read, a sector at a
    time (:class:`schema.DocumentStream`): the rows of :func:`process_document`, stamped
    (:func:`stamp_identity`) and stored as :func:`schema.replace_documents` would store
    them, with only one sector's records in memory (a large attachment: memory).

    Raises what :func:`process_document` raises (nothing is written then), and
    :class:`TablesNotWrittenError` when the tables cannot be written.
    """
    path = job.path
    read = read_parts(
        path,
        engine=job.engine,
        settings=job.settings,
        sidecar=job.sidecar,
        defaults=job.defaults,
        ocr=job.ocr,
        large=True,
    )
    doc_id, source = job.doc_id, source_key(path)
    metadata = {"quality": read.finding_records(doc_id)}
    header_not_found = False
    status: Mapping[str, object] = {}
    with tables_write():
        stream = schema.DocumentStream(out_dir, doc_id, remove=job.replaces)
    try:
        for part in itertools.chain(read.parts, [metadata]):
            stamp_records(part, doc_id, source, job.extraction_settings)
            header_not_found = header_not_found or reports_no_header(part.get("quality", []))
            status = next(iter(part.get("documents", [])), status)
            with tables_write():
                stream.add(part)
        if not stream.counts["objectives"]:
            raise no_objectives(path, read.table_count, header_not_found)
        with tables_write():
            counts = stream.commit()
    except BaseException:
        stream.abort()
        raise
    return DocumentSummary(
        path,
        doc_id,
        read.source_name,
        counts,
        dict(stream.severities),
        job.replaces,
        *status_of(status),
        read.chosen.ente,
    )


# a batch ----------------------------------------------------------------------------------


# Built up in place and compared by identity only: no generated __eq__ nor __repr__
# (each is compiled when the class is made, at every start: start-up time).
@dataclass(repr=False, eq=False)
class RunResult:
    """What a run did: documents written, files skipped (with why), and one reason per file
    that failed. ``interrupted``: the run was stopped (Ctrl-C) before every file was done."""

    written: list[DocumentSummary] = field(default_factory=list)
    skipped: dict[Path, str] = field(default_factory=dict)
    failed: dict[Path, str] = field(default_factory=dict)
    interrupted: bool = False
    #: The signal that stopped the run (SIGINT for Ctrl-C, SIGTERM), when ``interrupted``.
    stopped_by: int | None = None
    #: Why the tables could not be written (disk full...): the run stopped there.
    write_error: str | None = None
    #: Things the run did on its own that the user should hear of (a stale lock taken over).
    notices: list[str] = field(default_factory=list)
    #: What the run did to the folder itself (migrated layout, files moved aside), one line each.
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted and not self.write_error

    #: Files skipped as unchanged whose stored reading is doubtful.
    unchanged_doubtful: list[DocumentSummary] = field(default_factory=list)

    @property
    def doubtful(self) -> list[DocumentSummary]:
        """The documents whose reading contradicts itself (``status`` doubtful): written
        now, or skipped as unchanged with a doubtful reading stored."""
        written = [document for document in self.written if document.doubtful]
        return written + self.unchanged_doubtful


#: Files in an input folder that are never attachments, skipped with a note: a folder's
#: README, its manifest, spreadsheets of notes in CSV, pictures.
NOT_ATTACHMENT_NAMES = ("readme", "leggimi", "manifest.csv")
NOT_ATTACHMENT_SUFFIXES = (".csv", ".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp")
#: Files that go with an attachment (sidecar metadata, layout hints): skipped without a note.
COMPANION_SUFFIXES = (".meta.json", ".layout.toml")


def not_an_attachment(path: Path) -> bool:
    """Whether a file found in an input folder is no attachment (README.md, manifest.csv,
    a picture, a CSV of notes): it is skipped, with a note, rather than failing the run."""
    name = path.name.lower()
    return (
        name.startswith(NOT_ATTACHMENT_NAMES[:2])
        or name == NOT_ATTACHMENT_NAMES[2]
        or path.suffix.lower() in NOT_ATTACHMENT_SUFFIXES
    )


def folder_files(path: Path) -> list[Path]:
    """The visible files under a folder, sorted."""
    return [
        child
        for child in sorted(path.rglob("*"))
        if child.is_file() and not child.name.startswith(".")
    ]


def collect_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, plus the supported files inside folders (sorted: runs are deterministic).

    Hidden files, files whose name does not end in a supported suffix and files that are no
    attachment (:func:`not_an_attachment`) are skipped inside folders; a file named
    explicitly is always taken.
    """
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                child
                for child in folder_files(path)
                if child.suffix.lower() in SUPPORTED_SUFFIXES and not not_an_attachment(child)
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def skipped_in_folders(paths: Iterable[str | Path]) -> list[Path]:
    """The files inside the input folders that :func:`collect_inputs` leaves out and that
    are not an attachment's companions (sidecar, layout hints): each gets a note."""
    skipped = []
    for path in map(Path, paths):
        if path.is_dir():
            skipped.extend(
                child
                for child in folder_files(path)
                if (child.suffix.lower() not in SUPPORTED_SUFFIXES or not_an_attachment(child))
                and not child.name.lower().endswith(COMPANION_SUFFIXES)
            )
    return skipped


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class StoredDocument(NamedTuple):
    """What the tables already hold for one document."""

    pipeline_version: str | None
    ente: str | None
    period: Period | None
    source_path: str | None = None
    doc_id: str = ""
    #: documents.status and its English reasons (None for tables written before it).
    status: str | None = None
    status_reasons: tuple[str, ...] = ()
    #: documents.extraction_settings (None for tables written before it).
    extraction_settings: str | None = None


#: The columns of ``documents`` that :class:`StoredDocument` is made of.
STORED_COLUMNS = [
    "doc_id",
    "pipeline_version",
    "ente",
    "period_start",
    "period_end",
    "source_path",
    "status",
    "status_reasons",
    "extraction_settings",
]


def stored_documents(
    out_dir: str | Path,
    doc_ids: Iterable[str] | None = None,
    source_paths: Iterable[str] | None = None,
) -> dict[str, StoredDocument]:
    """Documents already in ``out_dir``, by doc_id (empty when there are none); when
    ``doc_ids`` or ``source_paths`` is given, only those with one of these doc_ids or
    source paths: the rows are picked on the index's columns
    (:func:`storage.store.matching_rows`), and only they become Python objects, so a run
    of a few files costs the same whatever the folder holds."""
    stored = storage.store.committed_documents(out_dir, columns=STORED_COLUMNS)  # one file
    if stored is None:
        return {}
    if doc_ids is not None or source_paths is not None:
        rows = storage.store.matching_rows(stored["doc_id"], doc_ids or ())
        rows += storage.store.matching_rows(stored["source_path"], source_paths or ())
        stored = storage.store.rows_at(stored, sorted(set(rows)))
    return {
        str(row["doc_id"]): StoredDocument(
            row["pipeline_version"],
            row["ente"],
            (row["period_start"], row["period_end"])
            if row["period_start"] and row["period_end"]
            else None,
            row["source_path"],
            str(row["doc_id"]),
            row.get("status"),
            tuple(row.get("status_reasons") or ()),
            row.get("extraction_settings"),
        )
        for row in stored.to_pylist()
    }


def source_key(path: Path) -> str:
    """How a source path is stored and compared: absolute, symlinks resolved."""
    return path.resolve().as_posix()


def stamp_identity(document: NormalizedDocument, job: Job) -> NormalizedDocument:
    """Give the document its id (bytes and sidecar metadata), its source path and its
    extraction settings."""
    stamp_records(document.records, job.doc_id, source_key(job.path), job.extraction_settings)
    document.doc_id = job.doc_id
    return document


def stamp_records(
    records: Mapping[str, Iterable[MutableMapping[str, object]]],
    doc_id: str,
    source_path: str,
    extraction_settings: str | None = None,
) -> None:
    """Set every row's doc_id, and the documents row's source path and extraction settings."""
    for rows in records.values():
        for row in rows:
            row["doc_id"] = doc_id
    for row in records.get("documents", []):
        row["source_path"] = source_path
        row["extraction_settings"] = extraction_settings


def is_unchanged(job: Job, stored: Mapping[str, StoredDocument]) -> bool:
    """Whether the tables already hold this file as this job would write it: same bytes
    and metadata, same pipeline version, from the same path (or from a path that still
    exists: the file is a copy, not a rename), with the same extraction settings (engine,
    OCR, layout hints), and the CLI defaults still apply."""
    done = stored.get(job.doc_id)
    if done is None or done.pipeline_version != PIPELINE_VERSION:
        return False
    if job.extraction_settings and not same_settings(
        done.extraction_settings, job.extraction_settings
    ):
        return False
    if done.source_path != source_key(job.path) and not (
        done.source_path and Path(done.source_path).exists()
    ):
        return False  # renamed: redo, to store its new name
    if job.defaults.ente and done.ente is None:
        return False
    return not (job.defaults.period and done.period is None)


def replaced_documents(
    job: Job, stored: Mapping[str, StoredDocument], keep_versions: bool
) -> tuple[str, ...]:
    """doc_ids of earlier versions of the job's file (same source path, other content),
    which its rows replace unless ``keep_versions``."""
    if keep_versions:
        return ()
    path = source_key(job.path)
    return tuple(
        sorted(
            doc_id
            for doc_id, done in stored.items()
            if done.source_path == path and doc_id != job.doc_id
        )
    )


def plan_jobs(
    inputs: Sequence[Path],
    out_dir: str | Path,
    *,
    force: bool = False,
    defaults: Metadata = NO_METADATA,
    engine: str = "auto",
    settings: NormalizeSettings | Mapping[str, object] | None = None,
    keep_versions: bool = False,
    redo: Iterable[Path] = (),
    ocr: str = "auto",
    manifest: Manifest = NO_MANIFEST,
) -> tuple[list[Job], list[Outcome]]:
    """Jobs for the files to process, and the outcomes already known (unchanged, same
    content and metadata as an earlier input, unreadable, bad sidecar). Files in ``redo``
    are processed even when unchanged."""
    redo = {source_key(path) for path in redo}
    jobs: list[Job] = []
    known: list[Outcome] = []
    first_with: dict[str, Path] = {}
    read: list[Job] = []
    for index, path in enumerate(inputs):
        try:
            sha256 = file_sha256(path)
            sidecar = with_manifest(read_sidecar(path), manifest.lookup(path))
        except OSError as error:
            known.append(Outcome(index, path, FAILED, f"cannot be read ({error.strerror})"))
            continue
        except MetadataError as error:
            known.append(Outcome(index, path, FAILED, error.reason))
            continue
        label = settings_label(engine, ocr, settings, path)
        read.append(Job(index, path, sha256, sidecar, defaults, engine, settings, ocr, (), label))
    stored = stored_documents(
        out_dir, [job.doc_id for job in read], [source_key(job.path) for job in read]
    )
    for job in read:
        index, path = job.index, job.path
        job = dataclasses.replace(job, replaces=replaced_documents(job, stored, keep_versions))
        if job.doc_id in first_with:
            reason = f"same content as {first_with[job.doc_id]}"
            known.append(Outcome(index, path, SKIPPED, reason))
        elif not force and source_key(path) not in redo and is_unchanged(job, stored):
            known.append(unchanged_outcome(job, stored[job.doc_id]))
        else:
            jobs.append(job)
        first_with.setdefault(job.doc_id, path)
    return jobs, known


def unchanged_outcome(job: Job, done: StoredDocument) -> Outcome:
    """A file skipped as unchanged; when its stored reading is doubtful, its summary says
    so (a re-run must not hide a doubtful document, nor pass ``--strict`` with it)."""
    outcome = Outcome(job.index, job.path, SKIPPED, "unchanged")
    if done.status == DOUBTFUL:
        outcome.summary = DocumentSummary(
            job.path, job.doc_id, job.path.name, {}, {}, (), DOUBTFUL, done.status_reasons
        )
    return outcome


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
    except Exception as error:  # a bug on one odd file must not cost the others
        return failed_outcome(job, error)
    document = stamp_identity(document, job)
    return Outcome(job.index, job.path, WRITTEN, document=document, replaces=job.replaces)


def packed_job(job: Job) -> Outcome:
    """What a worker runs: the job (:func:`process_job`), its document packed
    (:func:`piao.packed.pack`): workers send their documents as Arrow tables."""
    from piao.packed import pack  # a pool's only (start-up time)

    outcome = process_job(job)  # looked up at call time (tests replace it)
    return pack(outcome) if isinstance(outcome, Outcome) else outcome


def failed_outcome(job: Job, error: Exception) -> Outcome:
    """A job's failure as a one-line reason (an ExtractError's, or an unexpected error's)."""
    if isinstance(error, extract.ExtractError):
        return Outcome(job.index, job.path, FAILED, error.reason)
    detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
    reason = f"unexpected error ({type(error).__name__}: {detail}); please report it"
    return Outcome(job.index, job.path, FAILED, reason)


def stream_job(job: Job, out_dir: str | Path) -> Outcome:
    """:func:`stream_document`, a failure of the document (not of the write) a failed
    outcome as :func:`process_job` makes it."""
    try:
        summary = stream_document(job, out_dir)
    except TablesNotWrittenError:
        raise
    except Exception as error:  # a bug on one odd file must not cost the others
        return failed_outcome(job, error)
    return Outcome(job.index, job.path, WRITTEN, replaces=job.replaces, summary=summary)


def is_large(job: Job) -> bool:
    """Whether the job's input is to be streamed (:data:`STREAM_MIN_BYTES` or more)."""
    try:
        return job.path.stat().st_size >= STREAM_MIN_BYTES
    except OSError:
        return False  # process_job says why


def _outcome_of(future: Future[Outcome], job: Job) -> Outcome:
    try:
        return future.result()
    except Exception as error:  # the worker process died (e.g. a crash in a PDF library)
        return Outcome(job.index, job.path, FAILED, f"worker process failed ({error})")


def pooled_flush_every(documents: int, workers: int, flush_every: int = FLUSH_EVERY) -> int:
    """Documents per write when ``workers`` processes extract ``documents``: at most
    ``flush_every``, and small enough for :data:`WRITES_PER_POOLED_BATCH` writes, so that a
    batch of fewer than ``flush_every`` documents is not written all at once after its last
    extraction (the parent idle meanwhile). Without workers, ``flush_every``: the process
    cannot write and extract at once, and fewer writes cost less."""
    if workers <= 1:
        return flush_every
    return max(1, min(flush_every, -(-documents // WRITES_PER_POOLED_BATCH)))


def iter_outcomes(
    jobs: Sequence[Job],
    workers: int = 1,
    window: int = FLUSH_EVERY,
    shared: WorkerProcesses | None = None,
) -> Iterator[Outcome]:
    """Outcomes of the jobs as they complete: in this process when ``workers <= 1`` (in
    order), else in a pool of ``workers`` processes (in completion order, the costliest job
    of each ``window`` first) that die with this one and are killed at once when the run is
    interrupted or terminated. The pool is ``shared``'s when given (left running for the
    command's next stage), else one of its own. A large input (:func:`is_large`) is never
    processed here nor in a worker: it comes as a TO_STREAM outcome, for
    :class:`InputOrderWriter` to stream in this process at its turn (a worker would hold it
    whole: memory)."""
    large = [is_large(job) for job in jobs]
    pooled = [job for job, is_big in zip(jobs, large, strict=True) if not is_big]
    if workers <= 1 or len(pooled) <= 1:
        for job, is_big in zip(jobs, large, strict=True):
            yield Outcome(job.index, job.path, TO_STREAM, job=job) if is_big else process_job(job)
        return
    from concurrent.futures import FIRST_COMPLETED, wait  # a pool's only (start-up time)

    from piao.workers import jobs_in_flight, stop_workers, submission_order, worker_pool

    processes = min(workers, len(pooled))
    pool = worker_pool(processes) if shared is None else shared.pool(processes)
    try:
        ordered = iter(submission_order(pooled, [job.path for job in pooled], window))
        futures: dict[Future[Outcome], Job] = {}
        in_flight = jobs_in_flight(processes)  # not the window: the parent's memory

        def submit_more() -> None:
            """Keep ``in_flight`` jobs submitted, no more: a finished job's outcome (its
            document's every record) waits in memory until it is given out, so jobs sent
            all at once let a writer slower than the workers hold the whole batch
            (:func:`piao.workers.jobs_in_flight`)."""
            while len(futures) < in_flight:
                job = next(ordered, None)
                if job is None:
                    return
                futures[pool.submit(packed_job, job)] = job

        submit_more()
        for job, is_big in zip(jobs, large, strict=True):
            if is_big:  # streamed while the workers go on with the others
                yield Outcome(job.index, job.path, TO_STREAM, job=job)
        while futures:
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            for future in done:
                # popped: a finished future holds its outcome for as long as it is
                # referenced, which kept ~0.5 MB per document of a batch
                outcome = _outcome_of(future, futures.pop(future))
                submit_more()
                yield outcome
    except BaseException:
        if shared is None:
            stop_workers(pool)
        else:
            shared.stop()
        raise
    finally:
        if shared is None:
            pool.shutdown(wait=True, cancel_futures=True)


class InputOrderWriter:
    """Writes written outcomes in input order, ``flush_every`` documents at a time.

    Outcomes arrive in any order; the run of consecutive inputs that are all done is
    written as soon as it holds ``flush_every`` documents, so the tables' rows come in the
    same order whatever the number of workers. A TO_STREAM outcome is streamed into the
    tables at its turn (:func:`stream_job`), once the documents before it are written.
    """

    def __init__(self, out_dir: str | Path, total: int, flush_every: int = FLUSH_EVERY) -> None:
        self.out_dir = out_dir
        self.total = total
        self.flush_every = max(1, flush_every)
        self.arrived: dict[int, Outcome] = {}
        self.next_index = 0
        self.ready: list[Outcome] = []

    def add(self, outcome: Outcome) -> list[Outcome]:
        """Take an outcome; returns the outcomes whose documents were just written, and
        those of the documents streamed (written, with their ``summary``, or failed)."""
        self.arrived[outcome.index] = outcome
        written: list[Outcome] = []
        while self.next_index in self.arrived:
            done = self.arrived.pop(self.next_index)
            self.next_index += 1
            if done.status == TO_STREAM:
                assert done.job is not None
                written.extend(self.flush())
                written.append(stream_job(done.job, self.out_dir))
            elif done.document is not None or done.tables is not None:
                self.ready.append(done)
        if len(self.ready) >= self.flush_every or (self.next_index == self.total and self.ready):
            written.extend(self.flush())
        return written

    def flush(self) -> list[Outcome]:
        written, self.ready = self.ready, []
        if any(outcome.tables is not None for outcome in written):
            from piao.packed import encoded_parts, merged_tables

            storage.store.replace_tables(
                merged_tables(written),
                self.out_dir,
                remove=[doc_id for outcome in written for doc_id in outcome.replaces],
                encoded=encoded_parts(written),
            )
        elif written:
            schema.replace_documents(
                merge_records(o.document for o in written if o.document),
                self.out_dir,
                remove=[doc_id for outcome in written for doc_id in outcome.replaces],
            )
        if written:
            release_free_memory()  # what the write freed, back to the system (piao.allocator)
        return written


class TablesNotWrittenError(OSError):
    """A write of the tables failed (disk full, read-only folder): the run cannot go on."""


@contextlib.contextmanager
def tables_write() -> Iterator[None]:
    """A write of the tables: an OSError in it becomes TablesNotWrittenError."""
    try:
        yield
    except OSError as error:
        raise TablesNotWrittenError(error.errno, error.strerror, error.filename) from error


def write_in_order(writer: InputOrderWriter, outcome: Outcome) -> list[Outcome]:
    """``writer.add(outcome)``, an OSError while writing turned into TablesNotWrittenError."""
    with tables_write():
        return writer.add(outcome)


def stop_signal(stop: KeyboardInterrupt) -> int:
    """The signal behind an interruption: SIGTERM raises KeyboardInterrupt(SIGTERM) (see
    :mod:`piao.cli`), Ctrl-C a bare KeyboardInterrupt."""
    first = stop.args[0] if stop.args else None
    return first if isinstance(first, int) else int(signal.SIGINT)


def write_error_message(out_dir: str | Path, error: OSError) -> str:
    """One line for a write that failed (disk full, read-only folder): the folder and the
    system's reason, never the empty file name pyarrow's errors carry."""
    cause = error.__cause__ if isinstance(error.__cause__, OSError) else error
    reason = os.strerror(cause.errno) if cause.errno else (cause.strerror or str(cause))
    where = error.filename or out_dir
    return f"{where}: cannot write the tables ({reason}); the tables are as they were"


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
    keep_versions: bool = False,
    rebuild: bool = False,
    ocr: str = "auto",
    manifest: Manifest = NO_MANIFEST,
    shared: WorkerProcesses | None = None,
) -> RunResult:
    """Extract every attachment under ``paths`` into the tables in ``out_dir``.

    Each document is processed on its own: a bad file is reported in ``failed`` and does
    not stop the others. Files already extracted (same bytes, same pipeline version) are
    skipped unless ``force``. The tables are written atomically, ``flush_every`` documents
    at a time (fewer with workers: :func:`pooled_flush_every`), in input order.
    ``progress`` is called once per input file as it is done. Ctrl-C stops the run:
    documents written before it are kept, the tables stay whole, and the result has
    ``interrupted`` set.

    A file's rows replace those of the document earlier extracted from the same path unless
    ``keep_versions``. A corrupt table file raises :class:`schema.CorruptTableError`, unless
    ``rebuild``: then it is moved aside and its documents re-extracted from their sources
    (see :func:`prepare_folder`). ``shared``: the command's worker processes, kept for its
    next stage (:mod:`piao.parallel`); else the run starts and ends its own.
    """
    result = RunResult()

    def record(outcome: Outcome) -> None:
        if outcome.status == SKIPPED:
            result.skipped[outcome.path] = outcome.reason
            if outcome.summary is not None and outcome.summary.doubtful:
                result.unchanged_doubtful.append(outcome.summary)
        elif outcome.status == FAILED:
            result.failed[outcome.path] = outcome.reason
        if progress is not None:
            progress(outcome)

    with writing(out_dir, notice=result.notices.append) as recovered:
        if recovered:
            result.notes.append(recovered)
        redo = prepare_folder(out_dir, rebuild=rebuild, notes=result.notes)
        inputs = list(dict.fromkeys([*collect_inputs(paths), *redo]))
        jobs, known = plan_jobs(
            inputs,
            out_dir,
            force=force,
            defaults=defaults,
            engine=engine,
            settings=settings,
            keep_versions=keep_versions,
            redo=redo,
            ocr=ocr,
            manifest=manifest,
        )
        if not rebuild:
            check_touched_groups(out_dir, inputs, jobs)
        per_write = pooled_flush_every(len(jobs), workers, flush_every)
        writer = InputOrderWriter(out_dir, len(inputs), per_write)
        try:
            for outcome in itertools.chain(
                known, iter_outcomes(jobs, workers, flush_every, shared)
            ):
                if outcome.status != TO_STREAM:
                    record(outcome)
                for written in write_in_order(writer, outcome):
                    if written.document is not None:
                        result.written.append(
                            DocumentSummary.of(written.path, written.document, written.replaces)
                        )
                        continue
                    if written.tables is not None and written.summary is not None:
                        result.written.append(written.summary)  # packed by a worker
                        continue
                    record(written)  # streamed at its turn
                    if written.summary is not None:
                        result.written.append(written.summary)
        except KeyboardInterrupt as stop:
            result.interrupted = True
            result.stopped_by = stop_signal(stop)
        except TablesNotWrittenError as error:
            result.write_error = write_error_message(out_dir, error)
    order = {path: index for index, path in enumerate(inputs)}
    result.skipped = dict(sorted(result.skipped.items(), key=lambda item: order[item[0]]))
    result.failed = dict(sorted(result.failed.items(), key=lambda item: order[item[0]]))
    return result


def prepare_folder(out_dir: str | Path, *, rebuild: bool, notes: list[str]) -> list[Path]:
    """Make ``out_dir`` ready for a write (under the lock); returns the sources to redo.

    Tables in the earlier one-file layout are migrated, once (a note says so). Table files
    are validated: a corrupt one raises :class:`schema.CorruptTableError` (one line naming it
    and the way out), unless ``rebuild``: then each is moved into ``.corrupt/``, and every
    document whose rows it held is re-extracted from its source (returned), or, when the
    source is gone, removed from every table (a note names it).
    """
    if not rebuild:  # the files a run reads are checked by check_touched_groups
        migrate_with_note(out_dir, notes)
        return []
    errors = schema.validate_tables(out_dir, full=True)
    saved = saved_documents(out_dir)  # before move_aside forgets the index
    affected = documents_in_files([error.path for error in errors], out_dir)
    for error in errors:
        target = schema.move_aside(error.path)
        notes.append(f"moved corrupt {error.path} ({error.detail}) to {target}")
        restored = storage.store.restore_documents_file(error.path, saved)
        if restored:
            count = f"{restored} document{'s' * (restored != 1)}"
            notes.append(f"restored {error.path} from the index ({count})")
    migrate_with_note(out_dir, notes)
    redo = []
    for doc_id, (name, source) in sorted(affected.items()):
        if source and Path(source).is_file():
            redo.append(Path(source))
        else:  # nothing deleted: rows that cannot be re-extracted are kept
            notes.append(
                f"lost rows of document {doc_id} ({name or 'unknown source'}): those in the "
                f"corrupt file; its source {source or '(not recorded)'} cannot be read, so its "
                "other rows are kept as they are"
            )
    return redo


def saved_documents(out_dir: str | Path):  # -> pyarrow.Table | None
    """The committed documents as the index holds them (None when it cannot be read)."""
    try:
        return storage.store.committed_documents(out_dir, build=False)
    except OSError:
        return None


def check_touched_groups(out_dir: str | Path, inputs: Sequence[Path], jobs: Sequence[Job]) -> None:
    """Raise :class:`schema.CorruptTableError` for the first unreadable file among those
    the run's writes will read or replace (:func:`storage.write_check.files_a_write_reads`:
    the ``documents`` files of the groups it writes to, the files holding the documents it
    replaces or re-extracts, the small files a merge after it reads). A plain add reads
    none of the other tables' files, so its cost does not grow with the folder, and a
    corrupt file it never opens does not stop it; ``piao check`` reads every file.
    ``inputs``: the run's files (a file skipped as unchanged is not read)."""
    from storage.write_check import validate_write

    written = [job.doc_id for job in jobs]
    errors = validate_write(out_dir, written, {*written, *(d for j in jobs for d in j.replaces)})
    if errors:
        raise errors[0]


def migrate_with_note(out_dir: str | Path, notes: list[str]) -> None:
    """Move tables of the one-file-per-table layout into group folders, saying so."""
    if storage.store.is_legacy(out_dir):
        moved = schema.migrate_legacy(out_dir)
        notes.append(
            f"migrated {out_dir} to one folder per table ({moved} document{'s' * (moved != 1)}; "
            f"objectives.parquet -> objectives/<group>/part-<write>.parquet)"
        )


def documents_in_files(
    paths: Sequence[Path], out_dir: str | Path
) -> dict[str, tuple[str | None, str | None]]:
    """doc_id -> (source_name, source_path) of the documents whose rows some table files
    hold: the documents of their group (every document for a legacy single file). A
    document known only from another table (its documents file is among ``paths``) has no
    recorded source."""
    known: dict[str, tuple[str | None, str | None]] = {}
    for table in schema.TABLES.values():
        for file in storage.store.table_files(out_dir, table):
            if file in paths:
                continue
            try:
                rows = storage.store.read_file(
                    table, file, ["doc_id", "source_name", "source_path"]
                )
            except schema.CorruptTableError:
                continue
            for row in rows.to_pylist():
                entry = (row.get("source_name"), row.get("source_path"))
                if known.get(str(row["doc_id"]), (None, None)) == (None, None):
                    known[str(row["doc_id"])] = entry
    affected = {}
    for path in paths:
        table = path.parent.parent.name
        legacy = path.parent == Path(out_dir)
        for doc_id, entry in known.items():
            if legacy or storage.store.group_of(doc_id, table) == path.parent.name:
                affected[doc_id] = entry
    return affected


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
