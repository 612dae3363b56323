"""Shared fixtures: the real document, extracted and normalised once per session."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import os
import shutil
from dataclasses import dataclass
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


@pytest.fixture(scope="session")
def make_hostile() -> ModuleType:
    """The hostile-input generator (tests/fixtures/make_hostile.py)."""
    return load_module(FIXTURES / "make_hostile.py")


#: Runs ``piao`` with its arguments, then prints its peak RSS (bytes) and the seconds
#: main() took; its memory is capped by the caller (RLIMIT_DATA).
#: The child's peak is its own address space's high-water mark (VmHWM), not ru_maxrss:
#: Linux keeps ru_maxrss across exec, so a child forked from a large pytest process would
#: report the parent's size.
CAPPED_CHILD = """
import sys, time
from piao.cli import main
started = time.monotonic()
status = main(sys.argv[1:])
took = time.monotonic() - started
with open("/proc/self/status") as proc:
    peak = next(int(line.split()[1]) for line in proc if line.startswith("VmHWM:"))
print(peak * 1024, took, status)
"""


@dataclass(frozen=True)
class CappedRun:
    """What a memory-capped ``piao`` run printed, and its peak RSS and duration."""

    status: int
    stdout: str
    stderr: str
    peak_bytes: int
    seconds: float


def run_capped(args: list[str], cap_bytes: int, timeout: float, **environ: str) -> CappedRun:
    """``piao *args`` in a fresh process whose data segment (heap and anonymous maps) is
    capped at ``cap_bytes`` and which is killed after ``timeout`` seconds (the test then
    fails with ``subprocess.TimeoutExpired``)."""
    import resource
    import subprocess
    import sys

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_DATA, (cap_bytes, cap_bytes))

    process = subprocess.run(
        [sys.executable, "-c", CAPPED_CHILD, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=cap,
        env={**os.environ, **environ},
        check=False,
    )
    lines = process.stdout.splitlines()
    peak, seconds, status = lines[-1].split() if lines else ("0", "0", str(process.returncode))
    return CappedRun(int(status), "\n".join(lines[:-1]), process.stderr, int(peak), float(seconds))


@pytest.fixture(scope="session")
def capped_run():
    """:func:`run_capped`: a memory-capped, time-bounded ``piao`` run in a fresh process."""
    return run_capped


# optional system tools ----------------------------------------------------------------------


@dataclass(frozen=True)
class OptionalTool:
    """A system tool some tests need (marked ``@pytest.mark.<marker>``): without it they skip
    with its reason, unless ``variable`` is ``1`` (CI), which turns the skip into a failure."""

    marker: str
    what: str
    install: str
    variable: str
    present: object  # () -> bool


@functools.cache
def tesseract_present() -> bool:
    """Tesseract's Italian model can be used (extract.ocr.ocr_available), checked once."""
    from extract.ocr import ocr_available

    return ocr_available()


@functools.cache
def chromium_present() -> bool:
    """A headless Chromium is on the PATH (Debian's ``chromium``), checked once."""
    return bool(shutil.which("chromium") or shutil.which("chromium-browser"))


OPTIONAL_TOOLS = (
    OptionalTool("ocr", "Tesseract's Italian model", "make ocr-tools", "PIAO_REQUIRE_OCR",
                 tesseract_present),
    OptionalTool("browser", "headless Chromium", "make browser", "PIAO_REQUIRE_BROWSER",
                 chromium_present),
)  # fmt: skip


def missing_tool_outcome(tool: OptionalTool, environ: dict[str, str]) -> tuple[str, str]:
    """What a test marked for ``tool`` does when the tool is absent: ("fail" | "skip", why)."""
    if environ.get(tool.variable) == "1":
        return "fail", f"{tool.what} is missing and {tool.variable}=1 requires it ({tool.install})"
    return "skip", f"{tool.what} is missing ({tool.install}; {tool.variable}=1 makes this fail)"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip (or, with the tool's variable set, fail) a test whose optional tool is absent,
    before its fixtures run (they would need the tool too)."""
    for tool in OPTIONAL_TOOLS:
        if item.get_closest_marker(tool.marker) is None or tool.present():
            continue
        outcome, why = missing_tool_outcome(tool, dict(os.environ))
        if outcome == "fail":
            pytest.fail(why, pytrace=False)
        pytest.skip(why)


def skipped_line(counts: dict[str, int]) -> str:
    """The one summary line of the tests skipped for want of an optional tool ("" if none)."""
    parts = [
        f"{counts[tool.marker]} {tool.marker} tests ({tool.what} missing: {tool.install}, "
        f"or {tool.variable}=1 to fail instead)"
        for tool in OPTIONAL_TOOLS
        if counts.get(tool.marker)
    ]
    return f"skipped for want of a system tool: {'; '.join(parts)}" if parts else ""


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """End the run with one line saying which tool-dependent tests were skipped and how to
    run them."""
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        for tool in OPTIONAL_TOOLS:
            if tool.marker in getattr(report, "keywords", {}):
                counts[tool.marker] = counts.get(tool.marker, 0) + 1
    line = skipped_line(counts)
    if line:
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def chromium() -> str:
    """The headless browser (the ``browser`` marker skips its tests when it is missing)."""
    import shutil

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found is not None
    return found
