"""What a document was extracted with, besides its bytes and piao's code: the engine, the
OCR mode and the layout hints. Stored with every document (``documents.extraction_settings``)
so that a run with another ``--engine``, ``--ocr`` or hints file re-extracts the documents
instead of skipping them as unchanged.

``--ocr-max-pages`` is not part of it: it only refuses a document, and a refused document is
never stored, so a later run with another limit reads it anyway.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from normalize import NormalizeSettings
from normalize.hints import LayoutHintsError, with_layout

#: How a folder written before the settings were stored reads: the defaults, so that a
#: default run over an old folder skips its documents as before.
DEFAULT_LABEL = "engine=auto ocr=auto layout=none"


def plain(value: object) -> object:
    """What JSON cannot write as it is: a mapping as a dict, a set sorted."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} in a settings digest")


def settings_digest(settings: NormalizeSettings) -> str:
    """A short hash of the normaliser's settings, stable across processes (sets and
    mappings in sorted order, not by Python's randomised hashing)."""
    fields = {field.name: getattr(settings, field.name) for field in dataclasses.fields(settings)}
    text = json.dumps(fields, sort_keys=True, default=plain)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def layout_label(
    settings: NormalizeSettings | Mapping[str, object] | None, attachment: Path
) -> str:
    """``none`` when the attachment is read with the default settings, else the hash of
    the settings its layout hints give (``--layout`` and its own ``.layout.toml``); an
    unreadable hints file gives ``unreadable`` (the document is then redone, and fails
    with the file's error)."""
    try:
        resolved = with_layout(settings, attachment=attachment)
    except (LayoutHintsError, OSError, ValueError):
        return "unreadable"
    return "none" if resolved == NormalizeSettings() else settings_digest(resolved)


def settings_label(
    engine: str,
    ocr: str,
    settings: NormalizeSettings | Mapping[str, object] | None,
    attachment: Path,
) -> str:
    """``engine=camelot ocr=auto layout=none``: what decides a document's rows besides its
    bytes and the code, as stored in ``documents.extraction_settings``."""
    return f"engine={engine} ocr={ocr} layout={layout_label(settings, attachment)}"


def same_settings(stored: str | None, wanted: str) -> bool:
    """Whether a document stored with ``stored`` settings (None: written before they were
    stored, read as :data:`DEFAULT_LABEL`) was extracted as ``wanted`` asks."""
    return (stored or DEFAULT_LABEL) == wanted
