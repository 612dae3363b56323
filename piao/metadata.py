"""Ente and plan period given outside the document: a sidecar file or CLI options.

``<attachment>.meta.json`` beside an attachment (``{"ente": ..., "period": "2023-2025"}``)
wins over what the document prints, which wins over the CLI defaults.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import NamedTuple

import extract
from extract.lazy_pattern import lazy_compile
from normalize import plan_info
from normalize.ente import ente_key, organisation_ente
from normalize.quality import INFO, Finding

#: Metadata for ``plan.pdf`` is read from ``plan.pdf.meta.json`` beside it.
SIDECAR_SUFFIX = ".meta.json"
Period = tuple[dt.date, dt.date]
_PERIOD = lazy_compile(r"^\s*(\d{4})\s*[-/–]\s*(\d{4}|\d{2})\s*$")


class Metadata(NamedTuple):
    """Ente and plan period given outside the document (sidecar file or CLI options)."""

    ente: str | None = None
    period: Period | None = None
    #: Where ``ente`` came from: sidecar | manifest | p7m | text | option (None: no ente).
    ente_source: str | None = None


NO_METADATA = Metadata()


class MetadataError(extract.ExtractError):
    reason = "bad metadata"


def parse_period(text: str) -> Period:
    """``"2023-2025"`` (or ``2023/25``) -> (2023-01-01, 2025-12-31); raises ValueError."""
    match = _PERIOD.match(str(text))
    if not match:
        raise ValueError(f"plan period {text!r} is not like 2023-2025")
    first, last = int(match.group(1)), match.group(2)
    last_year = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
    if last_year < first:
        raise ValueError(f"plan period {text!r} ends before it starts")
    return dt.date(first, 1, 1), dt.date(last_year, 12, 31)


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> Metadata:
    """Metadata from ``<attachment>.meta.json`` (``{"ente": ..., "period": "2023-2025"}``),
    empty when there is none; raises :class:`MetadataError` naming the attachment."""
    sidecar = sidecar_path(path)
    if not sidecar.is_file():
        return Metadata()
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object")
        unknown = sorted(set(data) - {"ente", "period"})
        if unknown:
            raise ValueError(f"unknown keys {', '.join(unknown)} (expected ente, period)")
        ente = data.get("ente")
        if ente is not None and not (isinstance(ente, str) and ente.strip()):
            raise ValueError("ente must be a non-empty string")
        period = parse_period(data["period"]) if data.get("period") is not None else None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise MetadataError(path, f"bad metadata file {sidecar.name}: {error}") from error
    return Metadata(ente.strip() if ente else None, period, "sidecar" if ente else None)


def choose_metadata(
    raw: extract.RawDocument, sidecar: Metadata, defaults: Metadata
) -> tuple[Metadata, list[Finding]]:
    """Ente and period to store, with where the ente came from (``ente_source``).

    The ente is the sidecar's (or the manifest's, handed in as ``sidecar`` with
    ``ente_source`` "manifest"), else the signer's organisation of a ``.p7m`` when it names an
    administration, else the one the document prints (cover, headings), else the CLI
    default; the period is the sidecar's, the document's, then the default. Returns them
    with a ``metadata_override`` finding for each given value that replaced a different one
    printed in the document.
    """
    printed = plan_info(raw)
    printed_period = (
        (printed.period_start, printed.period_end)
        if printed.period_start and printed.period_end
        else None
    )
    signer = organisation_ente(raw.signer_organization)
    candidates = (
        (sidecar.ente, sidecar.ente_source or "sidecar"),
        (signer, "p7m"),
        (printed.ente, "text"),
        (defaults.ente, "option"),
    )
    ente, source = next(((e, s) for e, s in candidates if e), (None, None))
    chosen = Metadata(
        ente=ente,
        period=sidecar.period or printed_period or defaults.period,
        ente_source=source,
    )
    findings = []
    given = "the manifest" if sidecar.ente_source == "manifest" else "the sidecar metadata file"
    if sidecar.ente and printed.ente and ente_key(sidecar.ente) != ente_key(printed.ente):
        findings.append(override_finding("ente", printed.ente, sidecar.ente, given))
    if sidecar.period and printed_period and sidecar.period != printed_period:
        findings.append(
            override_finding(
                "period", format_period(printed_period), format_period(sidecar.period), given
            )
        )
    return chosen, findings


def format_period(period: Period) -> str:
    return f"{period[0].year}-{period[1].year}"


def override_finding(
    what: str, printed: str, given: str, source: str = "the sidecar metadata file"
) -> Finding:
    return Finding(
        "metadata_override",
        INFO,
        f"{what} from {source} ({given!r}) used instead of the document's ({printed!r})",
    )
