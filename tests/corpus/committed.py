"""A corpus plan's committed text and expected tables, for the tests that check its
generator still writes them (``test_generator.py``, ``test_indicators_generator.py``,
``test_lists_generator.py``): edit a generator, rerun it, and the committed files follow."""

from __future__ import annotations

import json
from pathlib import Path

#: The corpus folder: one folder a plan, named by its slug.
CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


def committed_text_and_tables(slug: str) -> tuple[str, dict]:
    """The plan's committed ``<slug>/<slug>.txt`` and its ``<slug>/expected.json`` (parsed)."""
    folder = CORPUS / slug
    text = (folder / f"{slug}.txt").read_text(encoding="utf-8")
    return text, json.loads((folder / "expected.json").read_text(encoding="utf-8"))


def as_written(tables: dict) -> dict:
    """The expected tables as ``expected.json`` holds them once written and read back
    (tuples become lists), so a generator's tables compare with the committed file."""
    return json.loads(json.dumps(tables))
