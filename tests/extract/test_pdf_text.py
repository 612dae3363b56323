"""The PDF engines' shared text helpers (:mod:`extract.pdf_text`) are a leaf: no module of
``extract`` imports, even lazily inside a function, a module that imports it back; and
what they build is alike in every process."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXTRACT = ROOT / "extract"
ENGINES = {"extract.pdf_pdfium", "extract.pdf_pdfplumber", "extract.pdf_camelot"}


def extract_imports(path: Path) -> set[str]:
    """The ``extract`` modules a file imports anywhere in it (``from extract import pdf_x``
    and ``from extract.pdf_x import name`` alike)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "extract":
                found.update(f"extract.{alias.name}" for alias in node.names)
            elif node.module.startswith("extract."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("extract."))
    return found


def import_graph() -> dict[str, set[str]]:
    """Each module of ``extract`` (its package ``__init__`` aside) -> the modules it imports."""
    modules = {f"extract.{path.stem}": path for path in EXTRACT.glob("*.py")}
    modules.pop("extract.__init__")
    return {name: extract_imports(path) & modules.keys() for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import paths that lead from a module back to itself (depth-first)."""
    found: list[list[str]] = []

    def visit(path: list[str]) -> None:
        for following in sorted(graph[path[-1]]):
            if following == path[0]:
                found.append([*path, following])
            elif following not in path and following > path[0]:
                visit([*path, following])

    for start in sorted(graph):
        visit([start])
    return found


def test_extract_has_no_import_circle():
    assert circles(import_graph()) == []


def test_the_engines_take_their_helpers_from_the_leaf_not_from_the_reader():
    graph = import_graph()
    assert {engine for engine in ENGINES if "extract.pdf_text" in graph[engine]} == ENGINES
    assert {engine for engine in ENGINES if "extract.pdf" in graph[engine]} == set()
    assert graph["extract.pdf_text"] & (ENGINES | {"extract.pdf"}) == set()


def test_the_circle_finder_sees_a_lazy_import_back():
    graph = {"extract.pdf": {"extract.pdf_pdfium"}, "extract.pdf_pdfium": {"extract.pdf"}}
    assert circles(graph) == [["extract.pdf", "extract.pdf_pdfium", "extract.pdf"]]


def test_the_reader_and_its_helpers_import_no_pdf_library():
    """The PDF libraries load when a PDF is read, not when ``extract`` is imported (a text
    or office attachment never pays for them)."""
    code = (
        "import sys, extract, extract.pdf, extract.pdf_text;"
        "print(sorted({m.split('.')[0] for m in sys.modules}"
        " & {'pdfplumber', 'pdfminer', 'pypdfium2', 'camelot', 'numpy', 'pandas'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_heading_pattern_is_the_same_in_every_process():
    """Alternatives of one length come in one order whatever the hash seed (a set's order
    is not), so that every run compiles the same pattern."""
    show = "from extract.pdf_text import TABLE_HEADING_WORDS as W, heading_pattern as h; "
    show += "print(h(W).pattern)"
    patterns = {
        subprocess.run(
            [sys.executable, "-c", show],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert len(patterns) == 1
    assert patterns.pop().startswith(r"(?<![\w.])(?:UNITA'\s+ORGANIZZATIVA|UNITA\s+ORGANIZZATIVA|")
