"""The pipeline: document -> extract -> normalize -> schema, and nothing else.

A thin shell over the three stages; the CLI calls it, so do tests and notebooks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import extract
import schema
from normalize import NormalizedDocument, NormalizeSettings, normalize_document
from piao import __version__

SUPPORTED_SUFFIXES = (".txt", ".text", ".tsv", ".md", ".pdf")


@dataclass
class RunResult:
    """What a run did: documents written, and one reason per file that failed."""

    written: list[NormalizedDocument] = field(default_factory=list)
    failed: dict[Path, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed


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


def process_document(
    path: str | Path,
    *,
    engine: str = "auto",
    settings: NormalizeSettings | Mapping[str, object] | None = None,
    ente: str | None = None,
    extracted_at: dt.datetime | None = None,
) -> NormalizedDocument:
    """Extract and normalise one attachment (raises extract.ExtractError on bad input)."""
    raw = extract.read_document(path, engine=engine)
    return normalize_document(
        raw,
        settings,
        extracted_at=extracted_at or dt.datetime.now(dt.UTC),
        pipeline_version=__version__,
        ente=ente,
    )


def run(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    *,
    engine: str = "auto",
    settings: NormalizeSettings | Mapping[str, object] | None = None,
) -> RunResult:
    """Extract every attachment under ``paths`` into the tables in ``out_dir``.

    Each document is processed on its own: a bad file is reported in ``failed`` and does
    not stop the others. The tables are written once, atomically, at the end.
    """
    result = RunResult()
    for path in collect_inputs(paths):
        try:
            result.written.append(process_document(path, engine=engine, settings=settings))
        except extract.ExtractError as error:
            result.failed[path] = error.reason
    if result.written:
        schema.replace_documents(merge_records(result.written), out_dir)
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
