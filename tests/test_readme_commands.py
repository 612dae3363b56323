"""Every shell command and Python example the README and ``docs/*.md`` show runs, as written,
on a fresh copy of the repository after ``make extract`` (the README's own first step).

Each page's commands are read from its ```sh blocks, in order, and run one after the other
with bash in a temporary copy of its own (so ``make format`` or ``> items.csv`` touch only the
copy), sharing the copy's ``data/clean``; its ```python blocks then run with the project's
Python in the same copy. ``make`` gets ``-o .venv/.installed`` (the copy's ``.venv`` is a link
to this one, which must not be rebuilt). The documentation uses only files of the repository
or files its own commands write, never a name standing for the reader's file: the few
commands that are not run are listed in ``NOT_RUN`` with the reason, and the OCR commands
(``NEEDS_OCR``) skip, saying so, when Tesseract's Italian model is absent.

The pages are also checked for what they promise: a README of at most 200 lines, links that
resolve, and no tracker issue numbers anywhere in the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "*.egg-info"
)

NOT_RUN = {
    "make test": "runs the whole suite, this test among it (CI runs it)",
    "make bench": "benchmarks take minutes and measure, not check (run by hand)",
    "make ocr-tools": "installs system packages with apt",
}

#: Commands that read a scan: they need Tesseract's Italian model (``make ocr-tools``).
NEEDS_OCR = ("piao extract scansione.pdf", "--ocr force")


def documents_in(copy: Path) -> int:
    """How many documents the copy's tables hold."""
    query = "select count(*) as n from documents"
    return int(run([".venv/bin/piao", "sql", "--csv", query], copy).stdout.split()[1])


#: What a page's commands leave in the copy, checked after they ran.
PROMISES = {
    "README.md": (
        lambda copy: documents_in(copy) == 2,  # the shipped plan and the 2024-2026 edition
        lambda copy: (copy / "rapporto" / "index.html").is_file(),
        lambda copy: (copy / "piao.xlsx").is_file(),
    ),
    "reference.md": (
        lambda copy: (copy / "data" / "clean" / "piao.duckdb").is_file(),  # make sql
        lambda copy: (copy / "csv" / "objectives.csv").is_file(),
        lambda copy: (copy / "items.csv").read_text(encoding="utf-8").startswith("doc_id,"),
        lambda copy: (copy / "data" / "diff" / "changes.html").is_file(),
    ),
}


def sh_commands(text: str) -> list[str]:
    """The commands of every ```sh block: continuation lines joined, comments dropped."""
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.M | re.S):
        joined = re.sub(r"\\\n\s*", " ", block)
        for line in joined.splitlines():
            command = re.sub(r"\s+#\s.*$", "", line).strip()
            if command and not command.startswith("#"):
                commands.append(" ".join(command.split()))
    return commands


def python_blocks(text: str) -> list[str]:
    """The source of every ```python block, as printed."""
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.M | re.S)


def ocr_available() -> bool:
    """True when Tesseract's Italian model can be used, as piao itself looks for it (Debian's
    tessdata included); CI (``PIAO_REQUIRE_OCR=1``) fails without it instead of warning."""
    from extract.ocr import ocr_available as usable

    if not usable() and os.environ.get("PIAO_REQUIRE_OCR") == "1":
        pytest.fail("PIAO_REQUIRE_OCR=1 but Tesseract's Italian model is absent")
    return usable()


def runnable(command: str) -> str:
    """The command as run in the copy (``make`` never rebuilds the linked .venv)."""
    return re.sub(r"^make\b", "make -o .venv/.installed", command)


def fresh_copy(target: Path) -> Path:
    """A copy of the repository without generated tables, its ``.venv`` linked to this one."""
    shutil.copytree(ROOT, target, ignore=IGNORED, symlinks=True)
    for generated in ("data/clean", "data/diff"):
        shutil.rmtree(target / generated, ignore_errors=True)
    (target / ".venv").symlink_to(ROOT / ".venv")
    return target


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """One command in the copy, its output captured; stdin is empty (``piao sql`` reads a
    query from a stdin that is not a terminal)."""
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_readme_lists_the_commands_it_shows() -> None:
    commands = sh_commands(README.read_text(encoding="utf-8"))
    assert commands[:2] == ["make extract", "make test"]
    assert any(c.startswith(".venv/bin/piao sql ") for c in commands)
    assert any(c.startswith(".venv/bin/piao report ") for c in commands)
    assert "import pandas as pd" in python_blocks(README.read_text(encoding="utf-8"))[0]
    every = {c for page in PAGES for c in sh_commands(page.read_text(encoding="utf-8"))}
    assert not [c for c in every if c.startswith("duckdb ")]  # no DuckDB CLI is installed
    assert set(NOT_RUN) <= every, "NOT_RUN names a command no page shows any more"


def test_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200
    assert "docs/img/report.png" in "\n".join(lines)
    assert (ROOT / "docs" / "img" / "report.png").stat().st_size < 200_000


def anchors(page: Path) -> set[str]:
    """The anchors a Markdown renderer gives the page's headings (GitHub's rule)."""
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.M | re.S)
    headings = re.findall(r"^#+ (.+)$", text, flags=re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_resolve(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    missing = []
    for target, anchor in re.findall(r"\]\(([^)#\s]*)(?:#([^)\s]*))?\)", text):
        if re.match(r"[a-z]+://", target):
            continue
        path = (page.parent / target) if target else page
        if not path.exists() or (anchor and path.suffix == ".md" and anchor not in anchors(path)):
            missing.append(f"{target}#{anchor}")
    assert missing == []


def test_the_repository_names_no_tracker_issue() -> None:
    """The code and docs speak of the project, never of tracker issue numbers."""
    files = run(["git", "ls-files"], ROOT).stdout.split()
    pattern = re.compile(r"(?<![A-Za-z])[Ii]ssues?[\s_]+#?[0-9]+|(?:^|\s)#[0-9]{1,4}(?=$|[\s.,:)])")
    found = []
    for name in files:
        path = ROOT / name
        if path.suffix not in {".py", ".md", ".toml", ".json", ".txt", ".ipynb", ".cfg"}:
            continue
        if name.startswith("data/") or ("corpus/" in name and path.suffix == ".json"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line) and "UAX #14" not in line:
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == []


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_documented_command_runs(page: Path, tmp_path: Path) -> None:
    text = page.read_text(encoding="utf-8")
    commands, blocks = sh_commands(text), python_blocks(text)
    if not commands and not blocks:
        pytest.skip(f"{page.name} shows no command")
    copy = fresh_copy(tmp_path / "piao")
    if page != README:  # every page but the README starts where the README's first step ends
        assert run(["bash", "-c", runnable("make extract")], copy).returncode == 0
    ocr = ocr_available()
    failures, ran, skipped = [], [], []
    for command in commands:
        if command in NOT_RUN or (not ocr and any(k in command for k in NEEDS_OCR)):
            skipped.append(command)
            continue
        result = run(["bash", "-c", runnable(command)], copy)
        ran.append(command)
        if result.returncode != 0:
            failures.append(f"{command}\n  exit {result.returncode}: {result.stderr[-800:]}")
    for block in blocks:
        result = run([str(copy / ".venv" / "bin" / "python"), "-c", block], copy)
        if result.returncode != 0:
            failures.append(f"{block}\n  exit {result.returncode}: {result.stderr[-800:]}")
    assert failures == []
    assert len(ran) + len(skipped) == len(commands)
    assert not [c for c in skipped if c not in NOT_RUN and ocr]
    for command in skipped:
        if command not in NOT_RUN:
            warnings.warn(f"not run, Tesseract's Italian model is absent: {command}", stacklevel=1)
    assert [c for c in PROMISES.get(page.name, ()) if not c(copy)] == []
