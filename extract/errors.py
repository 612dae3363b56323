"""Errors an engine raises when a file cannot be extracted; each names the file and why."""

from __future__ import annotations

from pathlib import Path

from extract.names import escaped, printable


class ExtractError(Exception):
    """A file that cannot be extracted. ``str(error)`` is one line: ``<file>: <reason>``."""

    reason = "cannot be extracted"

    def __init__(self, path: str | Path, reason: str | None = None) -> None:
        self.path = Path(path)
        self.reason = reason or self.reason
        super().__init__(f"{escaped(self.path)}: {printable(self.reason)}")


class EmptyFileError(ExtractError):
    reason = "the file is empty"


class UnsupportedFormatError(ExtractError):
    reason = "unsupported file format"


class NoTableError(ExtractError):
    reason = "no objective table found"


class EncryptedPDFError(ExtractError):
    reason = "the PDF is encrypted"


class CorruptPDFError(ExtractError):
    reason = "the PDF is truncated or corrupt"


class ImageOnlyPDFError(ExtractError):
    reason = "the PDF has no text layer (scanned images only)"
