"""Where the store used to live: its names now come from :mod:`storage.store`.

Kept so that code written against ``schema.io`` (notebooks, scripts) goes on working; new
code imports :mod:`storage`. The names are looked up when first used, so importing
``schema`` never imports the store (``storage`` builds on ``schema``, not the reverse).
"""

from __future__ import annotations

import importlib


def __getattr__(name: str) -> object:
    """A name of :mod:`storage.store`, looked up on first use."""
    return getattr(importlib.import_module("storage.store"), name)
