"""How the commands word counts: ``1 edition``, ``8 views``, ``2 errors, 31 info``."""

from __future__ import annotations

from collections.abc import Mapping

#: Quality severities, gravest first (quality.severity), with their plural.
SEVERITIES = {"error": "errors", "warning": "warnings", "info": "info"}


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 edition``, ``2 editions`` (``many`` for irregular plurals: ``series``)."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def severity_counts(severities: Mapping[str, int]) -> str:
    """Findings by severity, gravest first: ``2 errors, 31 info`` (``none`` when there is
    none; a severity piao does not know comes last)."""
    known = [name for name in SEVERITIES if severities.get(name)]
    other = sorted(name for name, count in severities.items() if count and name not in SEVERITIES)
    parts = [plural(severities[name], name, SEVERITIES.get(name)) for name in known + other]
    return ", ".join(parts) or "none"
