"""Office files (DOCX, XLSX, ODS: ZIP containers) checked before anything is inflated.

A 3 MB XLSX whose sheet inflates to 2 GiB of XML would take minutes and gigabytes of memory
in the XML parsers. So before a member is read, the sizes its ZIP directory declares are
checked against :data:`LIMITS`: each member's uncompressed size, the total, the ratio of a
large member's uncompressed to compressed size, and the number of members. Declared sizes
are enough: Python's ``zipfile`` (which openpyxl, python-docx and odfpy read through) never
returns more bytes than a member declares, and fails on a member whose content disagrees.

The limits are far above real attachments (a PIAO spreadsheet or document inflates to under
1 MB) and keep a run under about 600 MB: measured, a sheet or document part of 15 MiB of
XML took 281 MiB (XLSX), 311 MiB (DOCX) and 522 MiB (ODS) peak RSS and 40-70 s, one of
60 MiB 0.8-1 GB.
Each can be raised with its environment variable (:data:`VARIABLES`). A refused file fails
alone with one line naming the member and its size.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from extract.errors import ExtractError

MIB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    """What an Office file may inflate to (sizes in MiB)."""

    member_mib: int = 16
    total_mib: int = 32
    ratio: int = 100
    members: int = 10_000


#: The limits enforced unless overridden (docs/limits.md states them).
LIMITS = ZipLimits()
#: The environment variable that overrides each limit (a whole number).
VARIABLES = {
    "member_mib": "PIAO_ZIP_MAX_MEMBER_MIB",
    "total_mib": "PIAO_ZIP_MAX_TOTAL_MIB",
    "ratio": "PIAO_ZIP_MAX_RATIO",
    "members": "PIAO_ZIP_MAX_MEMBERS",
}
#: The ratio is checked only for members inflating to more than this (small XML parts
#: of repeated markup compress a thousandfold and are harmless).
RATIO_FROM_BYTES = 1 * MIB


class ZipBombError(ExtractError):
    reason = "an Office file that would inflate beyond the limits"


def limits_from(environ: Mapping[str, str]) -> ZipLimits:
    """:data:`LIMITS`, with each limit whose variable is set to a positive whole number
    taken from ``environ`` instead."""
    values = {}
    for field, variable in VARIABLES.items():
        text = environ.get(variable, "").strip()
        if text.isdigit() and int(text) > 0:
            values[field] = int(text)
    return ZipLimits(**{**LIMITS.__dict__, **values})


def size_text(size: int) -> str:
    """A byte count for people: ``1.5 GiB``, ``3.0 MiB``, ``512 bytes``."""
    for unit, factor in (("GiB", 1024 * MIB), ("MiB", MIB), ("KiB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} bytes"


def excess(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> str | None:
    """Why the members ``infos`` (as the ZIP directory declares them) exceed ``limits``, in
    a few words naming the member and its size; None when they do not."""
    if len(infos) > limits.members:
        return f"{len(infos)} members (limit {limits.members}; {VARIABLES['members']})"
    total = 0
    for info in infos:
        if info.file_size > limits.member_mib * MIB:
            return (
                f"member {info.filename} inflates to {size_text(info.file_size)} "
                f"(limit {limits.member_mib} MiB; {VARIABLES['member_mib']})"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FROM_BYTES and ratio > limits.ratio:
            return (
                f"member {info.filename} inflates {size_text(info.compress_size)} to "
                f"{size_text(info.file_size)} ({ratio:.0f}x; limit {limits.ratio}x; "
                f"{VARIABLES['ratio']})"
            )
        total += info.file_size
        if total > limits.total_mib * MIB:
            return (
                f"members inflate to {size_text(total)} or more, up to {info.filename} "
                f"(limit {limits.total_mib} MiB; {VARIABLES['total_mib']})"
            )
    return None


def check_zip(path: Path, data: bytes, environ: Mapping[str, str] = os.environ) -> None:
    """Raise :class:`ZipBombError` (one line) when the ZIP container ``data`` (read from
    ``path``) declares members beyond the limits; a file that is no valid ZIP passes (its
    reader says what is wrong with it)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    why = excess(infos, limits_from(environ))
    if why is not None:
        raise ZipBombError(path, f"refused, it would inflate beyond the limits: {why}")
