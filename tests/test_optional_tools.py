"""The suite passes anywhere: tests that need Tesseract or Chromium skip without them, unless
their variable (set by CI) turns the skip into a failure; the run ends with one line saying
what was skipped and how to run it (tests/conftest.py)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("root_conftest", ROOT / "tests" / "conftest.py")
assert _SPEC and _SPEC.loader
conftest = sys.modules.setdefault("root_conftest", importlib.util.module_from_spec(_SPEC))
_SPEC.loader.exec_module(conftest)
OCR = next(tool for tool in conftest.OPTIONAL_TOOLS if tool.marker == "ocr")

#: A conftest that takes the suite's hooks from tests/conftest.py (loaded by path).
SHIM = f"""
import importlib.util
import sys
path = {str(ROOT / "tests" / "conftest.py")!r}
spec = importlib.util.spec_from_file_location("root_conftest", path)
module = importlib.util.module_from_spec(spec)
sys.modules["root_conftest"] = module
spec.loader.exec_module(module)
pytest_runtest_setup = module.pytest_runtest_setup
pytest_terminal_summary = module.pytest_terminal_summary
"""
MARKED = """
import pytest

@pytest.mark.ocr
def test_needs_ocr():
    pass
"""


def test_a_missing_tool_skips_with_its_install_command() -> None:
    assert conftest.missing_tool_outcome(OCR, {}) == (
        "skip",
        "Tesseract's Italian model is missing (make ocr-tools; PIAO_REQUIRE_OCR=1 makes this fail)",
    )


def test_the_tool_variable_turns_the_skip_into_a_failure() -> None:
    assert conftest.missing_tool_outcome(OCR, {"PIAO_REQUIRE_OCR": "1"}) == (
        "fail",
        "Tesseract's Italian model is missing and PIAO_REQUIRE_OCR=1 requires it (make ocr-tools)",
    )


def test_the_summary_line_counts_skips_per_tool() -> None:
    assert conftest.skipped_line({}) == ""
    assert conftest.skipped_line({"ocr": 6, "browser": 2}) == (
        "skipped for want of a system tool: 6 ocr tests (Tesseract's Italian model missing: "
        "make ocr-tools, or PIAO_REQUIRE_OCR=1 to fail instead); 2 browser tests (headless "
        "Chromium missing: make browser, or PIAO_REQUIRE_BROWSER=1 to fail instead)"
    )


def run_marked(folder: Path, **environ: str) -> subprocess.CompletedProcess[str]:
    """pytest on one test marked ``ocr``, with the suite's hooks and Tesseract's model hidden
    (``TESSDATA_PREFIX`` names a folder without it)."""
    (folder / "conftest.py").write_text(textwrap.dedent(SHIM))
    (folder / "test_marked.py").write_text(MARKED)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore"]
    env = {"TESSDATA_PREFIX": str(folder), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [*command, "--rootdir", str(folder), str(folder)],
        capture_output=True, text=True, cwd=folder, env={**env, **environ}, check=False,
    )  # fmt: skip


def test_a_marked_test_skips_and_the_run_ends_saying_so(tmp_path: Path) -> None:
    result = run_marked(tmp_path)
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "skipped for want of a system tool: 1 ocr tests" in result.stdout


def test_a_marked_test_fails_when_its_tool_is_required(tmp_path: Path) -> None:
    result = run_marked(tmp_path, PIAO_REQUIRE_OCR="1")
    assert result.returncode == 1, result.stdout
    assert "PIAO_REQUIRE_OCR=1 requires it" in result.stdout
