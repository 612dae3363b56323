"""Shared fixtures: the real document, extracted and normalised once per session."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from extract import RawDocument, read_document
from normalize import NormalizedDocument, normalize_document

ROOT = Path(__file__).resolve().parents[1]
REAL_DOCUMENT = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
FIXTURES = ROOT / "tests" / "fixtures"
FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def raw_document() -> RawDocument:
    return read_document(REAL_DOCUMENT)


@pytest.fixture(scope="session")
def normalized(raw_document: RawDocument) -> NormalizedDocument:
    return normalize_document(raw_document, extracted_at=FIXED_TIME, pipeline_version="test")


@pytest.fixture(scope="session")
def tables(normalized: NormalizedDocument) -> dict[str, pd.DataFrame]:
    """The normalised records of the real document as DataFrames, one per table."""
    return {name: pd.DataFrame(records) for name, records in normalized.records.items()}


def load_module(path: Path) -> ModuleType:
    """A committed script (fixture generator, expected values) loaded as a module."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def expected() -> ModuleType:
    """Expected values of the real document (tests/expected_portomaggiore.py)."""
    return load_module(Path(__file__).with_name("expected_portomaggiore.py"))


@pytest.fixture(scope="session")
def make_pdfs() -> ModuleType:
    """The fixture generator (tests/fixtures/make_pdfs.py), for its bad-PDF writers."""
    return load_module(FIXTURES / "make_pdfs.py")


@pytest.fixture(scope="session")
def make_p7m() -> ModuleType:
    """The signed-envelope generator (tests/fixtures/make_p7m.py)."""
    return load_module(FIXTURES / "make_p7m.py")


@pytest.fixture(scope="session")
def make_editions() -> ModuleType:
    """The editions generator (tests/fixtures/make_editions.py): 3 administrations x 3
    editions derived from the shipped document."""
    return load_module(FIXTURES / "make_editions.py")


@pytest.fixture(scope="session")
def editions_corpus(
    make_editions: ModuleType, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[dict]]:
    """The 9 editions extracted once per session: (tables folder, the generator's records).
    Do not modify the folder (copy it)."""
    from piao import pipeline

    raw = tmp_path_factory.mktemp("editions_raw")
    records = make_editions.write_corpus(raw)
    clean = tmp_path_factory.mktemp("editions_clean")
    result = pipeline.run([raw], clean)
    assert result.ok and len(result.written) == 9
    return clean, records


@pytest.fixture(scope="session")
def make_scan() -> ModuleType:
    """The scan generator (tests/fixtures/make_scan.py)."""
    return load_module(FIXTURES / "make_scan.py")
