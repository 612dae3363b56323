"""The layout is the architecture: each stage imports only the stages before it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"extract", "normalize", "schema", "storage", "compare", "report", "piao"}
ALLOWED = {
    "extract": set(),
    "schema": set(),
    "storage": {"schema"},
    "normalize": {"extract", "schema"},
    "compare": {"schema"},
    "report": {"schema"},
}


def imported_packages(package: str) -> dict[str, set[str]]:
    """Our top-level packages imported by each module of ``package`` (module -> packages)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = (names & OURS) - {package}
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_stage_imports_only_earlier_stages(package):
    offending = {
        module: sorted(names - ALLOWED[package])
        for module, names in imported_packages(package).items()
        if names - ALLOWED[package]
    }
    assert offending == {}


def test_importing_schema_does_not_import_the_store():
    """``schema`` reaches the store's names only when they are used (storage builds on
    schema): a fresh interpreter that imports schema has no storage module loaded."""
    code = "import sys, schema; print(sorted(m for m in sys.modules if m.startswith('storage')))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_storage_names_stay_reachable_from_schema():
    import schema
    import storage

    assert schema.read_table is storage.read_table
    assert schema.io.CHUNK_DOCUMENTS == storage.store.CHUNK_DOCUMENTS


def module_name(path: Path) -> str:
    """The dotted name of one of our source files (``normalize/genre.py`` -> ``normalize.genre``,
    a package's ``__init__.py`` -> the package)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(tree: ast.AST, modules: set[str]) -> set[str]:
    """Our modules a source file imports, wherever the import stands (a function's body, an
    ``if TYPE_CHECKING:`` block): ``from normalize import genre`` names the module
    ``normalize.genre``, ``from normalize.genre import detect_genre`` the module itself."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in modules else node.module)
    return found & modules


def import_graph(packages: set[str] = OURS) -> dict[str, set[str]]:
    """Module -> our modules it imports, for every source file of ``packages``."""
    paths = [
        path for package in sorted(packages) for path in sorted((ROOT / package).rglob("*.py"))
    ]
    modules = {module_name(path) for path in paths}
    return {
        module_name(path): imported_modules(
            ast.parse(path.read_text(encoding="utf-8")), modules - {module_name(path)}
        )
        for path in paths
    }


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import one another, directly or around a circle (the
    strongly connected components of more than one module), each sorted."""
    reach = {module: set(targets) for module, targets in graph.items()}
    changed = True
    while changed:  # transitive closure: the graph is a few hundred modules
        changed = False
        for targets in reach.values():
            further = set().union(*(reach.get(target, set()) for target in targets)) - targets
            if further:
                targets |= further
                changed = True
    circles = {
        tuple(sorted(m for m in reach[module] if module in reach.get(m, set())))
        for module in reach
        if module in reach[module]
    }
    return sorted(list(circle) for circle in circles)


def test_import_circles_are_found_also_through_a_function_level_import():
    graph = {"a.high": {"a.low"}, "a.low": {"a.leaf", "a.high"}, "a.leaf": set()}
    assert import_circles(graph) == [["a.high", "a.low"]]
    graph["a.low"] = {"a.leaf"}
    assert import_circles(graph) == []


def test_no_two_modules_of_ours_import_each_other():
    """Data flows one way inside a stage too: names two modules share live in a leaf both
    import (the genres and their guess, the sector rows, a batch's jobs), never in one of
    them."""
    assert import_circles(import_graph()) == []
