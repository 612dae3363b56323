"""A batch's records: one :class:`Job` per input file, its :class:`Outcome`, and the
:class:`DocumentSummary` of a written document.

The pipeline (:mod:`piao.pipeline`) plans the jobs, runs them and writes what they made; a
worker packs its document (:mod:`piao.packed`) into an outcome. Both take these records from
here, so that the packing never imports the pipeline that calls it. Plain picklable records:
a job is sent to a worker process and its outcome sent back.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from normalize.status import DOUBTFUL, OK
from piao.metadata import NO_METADATA, Metadata, format_period

if TYPE_CHECKING:
    from normalize import NormalizedDocument, NormalizeSettings


def status_of(row: Mapping[str, object]) -> tuple[str, tuple[str, ...]]:
    """(status, English reasons) of a ``documents`` row (``ok`` when it has none)."""
    reasons = row.get("status_reasons") or ()
    return str(row.get("status") or OK), tuple(str(r) for r in reasons)  # type: ignore[union-attr]


def document_id(sha256: str, sidecar: Metadata = NO_METADATA) -> str:
    """A document's id: its bytes' SHA-256, and its sidecar metadata when it has one, so
    that two files with the same bytes but another ente or period are two documents."""
    if sidecar == NO_METADATA:
        return sha256[:16]
    period = format_period(sidecar.period) if sidecar.period else ""
    identity = f"{sha256}\n{sidecar.ente or ''}\n{period}"
    return hashlib.sha256(identity.encode()).hexdigest()[:16]


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
    replaces: tuple[str, ...] = ()
    #: documents.extraction_settings (:func:`piao.extraction_settings.settings_label`).
    extraction_settings: str | None = None

    @property
    def doc_id(self) -> str:
        return document_id(self.sha256, self.sidecar)


@dataclass(slots=True, repr=False, eq=False)
class Outcome:
    """What happened to one input file: written (with its records), skipped or failed."""

    index: int
    path: Path
    status: str
    reason: str = ""
    document: NormalizedDocument | None = None
    replaces: tuple[str, ...] = ()
    #: The job of a TO_STREAM outcome.
    job: Job | None = None
    #: A document already written (streamed): what was written; of a packed one
    #: (:mod:`piao.packed`), what it holds.
    summary: DocumentSummary | None = None
    #: A document packed by a worker: table -> its rows as an Arrow table (no records).
    tables: Mapping[str, object] | None = None


class DocumentSummary(NamedTuple):
    """A written document, without its records (a batch keeps only these in memory)."""

    path: Path
    doc_id: str
    source_name: str
    counts: dict[str, int]
    severities: dict[str, int]
    replaced: tuple[str, ...] = ()
    #: documents.status (ok | doubtful) and its English reasons (normalize.status).
    status: str = OK
    status_reasons: tuple[str, ...] = ()
    #: The document's administration (None: unknown, the document is never chained).
    ente: str | None = None

    @property
    def doubtful(self) -> bool:
        return self.status == DOUBTFUL

    @classmethod
    def of(
        cls, path: Path, document: NormalizedDocument, replaced: tuple[str, ...] = ()
    ) -> DocumentSummary:
        status, reasons = status_of(document.records["documents"][0])
        return cls(
            status=status,
            status_reasons=reasons,
            replaced=replaced,
            path=path,
            doc_id=document.doc_id,
            source_name=str(document.records["documents"][0]["source_name"]),
            counts={name: len(rows) for name, rows in document.records.items()},
            severities=dict(
                Counter(str(f["severity"]) for f in document.records.get("quality", []))
            ),
            ente=document.records["documents"][0]["ente"],
        )
