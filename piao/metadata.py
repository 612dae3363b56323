"""Ente and plan period given outside the document: a sidecar file or CLI options.

``<attachment>.meta.json`` beside an attachment (``{"ente": ..., "period": "2023-2025"}``)
wins over what the document prints, which wins over the CLI defaults.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import extract
from normalize import plan_info
from normalize.quality import INFO, Finding

#: Metadata for ``plan.pdf`` is read from ``plan.pdf.meta.json`` beside it.
SIDECAR_SUFFIX = ".meta.json"
Period = tuple[dt.date, dt.date]
_PERIOD = re.compile(r"^\s*(\d{4})\s*[-/–]\s*(\d{4}|\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class Metadata:
    """Ente and plan period given outside the document (sidecar file or CLI options)."""

    ente: str | None = None
    period: Period | None = None


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
    return Metadata(ente.strip() if ente else None, period)


def choose_metadata(
    raw: extract.RawDocument, sidecar: Metadata, defaults: Metadata
) -> tuple[Metadata, list[Finding]]:
    """Ente and period to store: the sidecar wins, then the document, then the CLI defaults.

    Returns them with an ``metadata_override`` finding for each sidecar value that replaced
    a different one printed in the document.
    """
    printed = plan_info(raw)
    printed_period = (
        (printed.period_start, printed.period_end)
        if printed.period_start and printed.period_end
        else None
    )
    chosen = Metadata(
        ente=sidecar.ente or printed.ente or defaults.ente,
        period=sidecar.period or printed_period or defaults.period,
    )
    findings = []
    if sidecar.ente and printed.ente and sidecar.ente != printed.ente:
        findings.append(override_finding("ente", printed.ente, sidecar.ente))
    if sidecar.period and printed_period and sidecar.period != printed_period:
        findings.append(
            override_finding("period", format_period(printed_period), format_period(sidecar.period))
        )
    return chosen, findings


def format_period(period: Period) -> str:
    return f"{period[0].year}-{period[1].year}"


def override_finding(what: str, printed: str, given: str) -> Finding:
    return Finding(
        "metadata_override",
        INFO,
        f"{what} from the sidecar metadata file ({given!r}) used instead of the "
        f"document's ({printed!r})",
    )
