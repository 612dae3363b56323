"""Findings: every repair and every doubt, with its location, as data."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """One row of the ``quality`` table."""

    rule: str
    severity: str
    message: str
    sector_code: str | None = None
    objective_code: str | None = None
    location: str = ""
    page: int | None = None
    line: int | None = None

    def record(self, doc_id: str) -> dict[str, object]:
        return {"doc_id": doc_id, **asdict(self)}


def describe_location(
    page: int | None,
    line: int | None = None,
    row: int | None = None,
    column: int | None = None,
    field: str | None = None,
) -> str:
    """Human-readable location, e.g. ``"p. 9, line 104, row 5, col 10 (weighting_pct)"``."""
    parts = []
    if page is not None:
        parts.append(f"p. {page}")
    if line is not None:
        parts.append(f"line {line}")
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"col {column}" + (f" ({field})" if field else ""))
    elif field:
        parts.append(field)
    return ", ".join(parts)
