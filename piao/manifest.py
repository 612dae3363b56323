"""A manifest: one CSV naming the ente and plan period of many attachments at once.

``manifest.csv`` (columns ``file,ente,period``; ``,`` or ``;`` separated, as Excel saves it)
beside the attachments, or given with ``piao extract --manifest FILE``, says whose each
attachment is when the attachment does not print it and has no sidecar ``.meta.json``::

    file,ente,period
    2024/obiettivi.pdf,Comune di Codigoro,2024-2026
    piano_mesola.pdf,Comune di Mesola,

``file`` is the attachment's path relative to the manifest's folder, or its bare file name
(which then must be unique among the manifest's rows). A sidecar wins over the manifest, which
wins over what the document prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from normalize.ente import display_name
from piao.metadata import Metadata, MetadataError, parse_period

#: The name of a manifest found in an input folder.
MANIFEST_NAME = "manifest.csv"
COLUMNS = ("file", "ente", "period")


class ManifestError(MetadataError):
    reason = "bad manifest"


class Manifest(NamedTuple):
    """The rows of one or more manifests, by attachment path (absolute) and by file name."""

    by_path: Mapping[str, Metadata]
    by_name: Mapping[str, Metadata]

    def lookup(self, path: Path) -> Metadata | None:
        """The row naming ``path`` (by its path, else by its file name), or None."""
        found = self.by_path.get(path.resolve().as_posix())
        return found if found is not None else self.by_name.get(path.name)

    def __len__(self) -> int:
        return len(self.by_path)


EMPTY = Manifest({}, {})


def _dialect(text: str) -> str:
    """``;`` when the header line holds it (Italian Excel), else ``,``."""
    header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    return ";" if header.count(";") > header.count(",") else ","


def read_manifest(path: Path) -> Manifest:
    """The rows of the manifest ``path``; raises :class:`ManifestError` naming the file and
    the line for a missing column, an empty file name, a bad period or a file named twice.
    ``csv`` is imported here: a run without a manifest never needs it (start-up time)."""
    import csv

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ManifestError(path, f"manifest {path}: cannot be read ({error})") from error
    reader = csv.DictReader(text.splitlines(), delimiter=_dialect(text))
    fields = [name.strip().lower() for name in reader.fieldnames or []]
    if "file" not in fields or not {"ente", "period"} & set(fields):
        raise ManifestError(path, f"manifest {path}: expected the columns file,ente,period")
    reader.fieldnames = fields
    by_path: dict[str, Metadata] = {}
    names: dict[str, list[Metadata]] = {}
    for line, row in enumerate(reader, start=2):
        name = (row.get("file") or "").strip()
        ente = (row.get("ente") or "").strip() or None
        period_text = (row.get("period") or "").strip()
        if not name:
            if ente or period_text:
                raise ManifestError(path, f"manifest {path}, line {line}: no file name")
            continue
        try:
            period = parse_period(period_text) if period_text else None
        except ValueError as error:
            raise ManifestError(path, f"manifest {path}, line {line}: {error}") from error
        ente = display_name(ente) if ente else None
        metadata = Metadata(ente, period, "manifest" if ente else None)
        key = (path.parent / name).resolve().as_posix()
        if key in by_path:
            raise ManifestError(path, f"manifest {path}, line {line}: {name} is named twice")
        by_path[key] = metadata
        names.setdefault(Path(name).name, []).append(metadata)
    by_name = {name: rows[0] for name, rows in names.items() if len(rows) == 1}
    return Manifest(by_path, by_name)


def merged(manifests: Iterable[Manifest]) -> Manifest:
    """Several manifests as one (a path named in two keeps the first one's row)."""
    by_path: dict[str, Metadata] = {}
    by_name: dict[str, Metadata] = {}
    for manifest in manifests:
        for key, value in manifest.by_path.items():
            by_path.setdefault(key, value)
        for key, value in manifest.by_name.items():
            by_name.setdefault(key, value)
    return Manifest(by_path, by_name)


def manifests_in(paths: Iterable[Path]) -> list[Path]:
    """The ``manifest.csv`` files of the input folders in ``paths`` (at their top)."""
    return [path / MANIFEST_NAME for path in paths if (path / MANIFEST_NAME).is_file()]


def with_manifest(sidecar: Metadata, row: Metadata | None) -> Metadata:
    """A sidecar's metadata completed by the manifest's row: the sidecar wins value by value."""
    if row is None:
        return sidecar
    return sidecar._replace(
        ente=sidecar.ente or row.ente,
        period=sidecar.period or row.period,
        ente_source=sidecar.ente_source if sidecar.ente else row.ente_source,
    )
