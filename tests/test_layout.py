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
