"""The shipped document extracted once per session into a temporary tables folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from piao import pipeline

ROOT = Path(__file__).resolve().parents[2]
REAL_DOCUMENT = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"


@pytest.fixture(scope="session")
def clean_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh ``piao extract`` output of the shipped document (do not modify)."""
    out = tmp_path_factory.mktemp("clean")
    result = pipeline.run([REAL_DOCUMENT], out)
    assert result.ok and len(result.written) == 1
    return out
