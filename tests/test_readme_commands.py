"""Every shell command the README shows runs, as written, on a fresh copy of the repository
after ``make extract`` (the README's own first step).

The commands are read from the README's ```sh blocks, in order, and run one after the other
with bash in a temporary copy (so ``make format`` or ``> items.csv`` touch only the copy),
sharing its ``data/clean``. ``make`` gets ``-o .venv/.installed`` (the copy's ``.venv`` is a
link to this one, which must not be rebuilt). File names the README uses as examples are
provided in the copy (``PLACEHOLDERS``). A command that is not run is listed in ``NOT_RUN``
with the reason; the test fails on a README command it does not know how to treat only if
that command fails.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FIXTURES = ROOT / "tests" / "fixtures"
EDITION_2024 = FIXTURES / "portomaggiore_piao_2024-2026_allegato1.txt"
RULED_PDF = FIXTURES / "portomaggiore_ruled.pdf"
BORDERLESS_PDF = FIXTURES / "portomaggiore_borderless.pdf"
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "*.egg-info"
)

NOT_RUN = {
    "make test": "runs the whole suite, this test among it (CI runs it)",
    "make bench": "benchmarks take minutes and measure, not check (run by hand)",
    ".venv/bin/piao diff 3f2a9c01 77be0d4e --data data/clean": (
        "3f2a9c01 and 77be0d4e stand for doc_ids of the reader's own documents"
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


def load_fixture_module(name: str):
    """A committed fixture generator (tests/fixtures/<name>.py) as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, FIXTURES / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def provide_placeholders(copy: Path) -> None:
    """Files the README names as examples: real attachments of the right kind."""
    texts = load_fixture_module("make_editions").year_texts()
    attachments = copy / "path" / "to" / "attachments"
    attachments.mkdir(parents=True)
    for year in (2024, 2025):
        path = attachments / f"portomaggiore_piao_{year}-{year + 2}_allegato1.txt"
        path.write_text(texts[year], encoding="utf-8")
        meta = {"ente": "Comune di Portomaggiore", "period": f"{year}-{year + 2}"}
        Path(f"{path}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    (copy / "other" / "attachments").mkdir(parents=True)
    shutil.copy(EDITION_2024, copy / "other" / "attachments" / EDITION_2024.name)
    shutil.copy(RULED_PDF, copy / "allegato.pdf")
    shutil.copy(RULED_PDF, copy / "old.pdf")
    shutil.copy(BORDERLESS_PDF, copy / "new.pdf")
    signed = load_fixture_module("make_p7m").sign(RULED_PDF.read_bytes())
    (copy / "allegato.pdf.p7m").write_bytes(signed)
    load_fixture_module("make_scan").write_scan(copy / "scansione.pdf", pages=[1, 2])
    for year, text in texts.items():
        (copy / f"piao_{year}.txt").write_text(text, encoding="utf-8")


def runnable(command: str) -> str:
    """The command as run in the copy (``make`` never rebuilds the linked .venv)."""
    return re.sub(r"^make\b", "make -o .venv/.installed", command)


def test_readme_lists_the_commands_it_shows() -> None:
    commands = sh_commands(README.read_text(encoding="utf-8"))
    assert commands[:2] == ["make extract", "make test"]
    assert '.venv/bin/piao sql "select count(*) from objectives"' in commands
    assert not [c for c in commands if c.startswith("duckdb ")]  # no DuckDB CLI is installed
    assert set(NOT_RUN) <= set(commands), "NOT_RUN names a command the README no longer shows"


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("readme") / "piao"
    shutil.copytree(ROOT, target, ignore=IGNORED, symlinks=True)
    for generated in ("data/clean", "data/diff"):
        shutil.rmtree(target / generated, ignore_errors=True)
    (target / ".venv").symlink_to(ROOT / ".venv")
    provide_placeholders(target)
    return target


@pytest.mark.slow
def test_every_readme_command_runs(copy: Path) -> None:
    commands = sh_commands(README.read_text(encoding="utf-8"))
    failures, ran = [], []
    for command in commands:
        if command in NOT_RUN:
            continue
        result = subprocess.run(
            ["bash", "-c", runnable(command)],
            cwd=copy,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        ran.append(command)
        if result.returncode != 0:
            failures.append(f"{command}\n  exit {result.returncode}: {result.stderr[-800:]}")
    assert failures == []
    assert len(ran) + len(NOT_RUN) == len(commands)
    assert (copy / "data" / "clean" / "piao.duckdb").is_file()  # make sql
    assert (copy / "piao.xlsx").is_file() and (copy / "csv" / "objectives.csv").is_file()
    assert (copy / "items.csv").read_text(encoding="utf-8").startswith("doc_id,")


GUIDES = sorted(p for p in (ROOT / "docs").glob("*.md") if "```sh" in p.read_text("utf-8"))
"""The documents under docs/ that show commands: their ```sh blocks run as written, each
document in a fresh copy of the repository."""


@pytest.mark.parametrize("guide", GUIDES, ids=[guide.name for guide in GUIDES])
def test_every_command_of_the_docs_runs(guide: Path, tmp_path: Path) -> None:
    commands = sh_commands(guide.read_text(encoding="utf-8"))
    assert commands[0] == "make extract"  # each document starts from the README's first step
    target = tmp_path / "piao"
    shutil.copytree(ROOT, target, ignore=IGNORED, symlinks=True)
    for generated in ("data/clean", "data/diff"):
        shutil.rmtree(target / generated, ignore_errors=True)
    (target / ".venv").symlink_to(ROOT / ".venv")
    failures = []
    for command in commands:
        result = subprocess.run(
            ["bash", "-c", runnable(command)],
            cwd=target,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            failures.append(f"{command}\n  exit {result.returncode}: {result.stderr[-800:]}")
    assert failures == []


def test_the_italian_guide_covers_the_analysts_tasks() -> None:
    guide = (ROOT / "docs" / "guida.md").read_text(encoding="utf-8")
    for heading in ("## Estrarre", "## Confrontare le edizioni", "## Il rapporto", "## Excel"):
        assert heading in guide
    assert "## SQL" in guide
    commands = sh_commands(guide)
    assert ".venv/bin/piao export --data data/clean --format csv-excel --out excel/" in commands
