"""The PDF libraries' seldom-used imports deferred to first use (piao.deferred_imports,
installed by the CLI): checked in fresh interpreters, since the test session has imported
pdfminer already."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pdfminer
import pytest

from piao.deferred_imports import StandIn, is_submodule

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "portomaggiore_ruled.pdf"

#: Reads the ruled fixture with the default engine, then prints which modules are loaded.
READ = f"""
import json, sys
from piao import deferred_imports
deferred_imports.defer()
import extract
document = extract.read_document({str(FIXTURE)!r})
print(json.dumps({{
    "tables": len(document.tables),
    "metadata": "importlib.metadata" in sys.modules,
    "charset": "charset_normalizer.api" in sys.modules,
    "cryptography": "cryptography.hazmat.bindings._rust" in sys.modules,
}}))
"""

#: Reads the ruled fixture and an encrypted copy (argv[1]) after ``defer()``: whether their
#: rows are the same, and whether cryptography's AES was loaded for it.
ENCRYPTED = f"""
import json, sys
from piao import deferred_imports
deferred_imports.defer()
import extract
plain = extract.read_document({str(FIXTURE)!r})
encrypted = extract.read_document(sys.argv[1])
print(json.dumps({{
    "tables": len(encrypted.tables),
    "same rows": [t.rows for t in encrypted.tables] == [t.rows for t in plain.tables],
    "cryptography": "cryptography.hazmat.bindings._rust" in sys.modules,
}}))
"""

#: The package attributes and a text decoded by charset_normalizer, after ``defer()``
#: (deferred) or without it (as imported by the libraries alone).
USE = """
import json, sys
if sys.argv[1] == "deferred":
    from piao import deferred_imports
    deferred_imports.defer()
    from extract import pdf_pdfium
import pdfminer
from pdfminer.utils import make_compat_str
print(json.dumps([pdfminer.__version__, make_compat_str(bytes.fromhex(sys.argv[2]))]))
"""


def fresh(code: str, *argv: str) -> object:
    """The JSON a fresh interpreter running ``code`` prints last."""
    done = subprocess.run(
        [sys.executable, "-c", code, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_reading_a_pdf_loads_neither_deferred_module() -> None:
    found = fresh(READ)
    assert found == {"tables": 4, "metadata": False, "charset": False, "cryptography": False}


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_an_aes_encrypted_pdf_is_decrypted_through_the_stand_ins(
    tmp_path: Path, make_pdfs: ModuleType, algorithm: str
) -> None:
    path = tmp_path / "aes.pdf"
    make_pdfs.write_aes_encrypted_copy(FIXTURE, path, algorithm)
    found = fresh(ENCRYPTED, str(path))
    assert found == {"tables": 4, "same rows": True, "cryptography": True}


def test_a_stand_in_runs_its_module_once_then_answers_as_the_real_object() -> None:
    module = ModuleType("module_not_run")
    runs: list[str] = []

    def run() -> None:
        if not runs:
            runs.append("ran")
            module.scale = lambda value: value * 2
            module.scale.factor = 2  # type: ignore[attr-defined]

    scale = StandIn(module, "scale", run)
    assert repr(scale) == "<stand-in for module_not_run.scale>"
    assert runs == []
    assert scale(21) == 42
    assert scale.factor == 2
    assert runs == ["ran"]


def test_deferred_modules_answer_as_imported_ones() -> None:
    latin = "Attività è già più".encode("latin-1").hex()
    deferred = fresh(USE, "deferred", latin)
    assert deferred == fresh(USE, "plain", latin)
    assert deferred[0] == pdfminer.__version__


def test_a_submodule_lookup_does_not_run_the_package() -> None:
    assert is_submodule(pdfminer, "settings")
    assert is_submodule(pdfminer, "pdfdocument")
    assert not is_submodule(pdfminer, "__version__")
    assert not is_submodule(pdfminer, "no_such_module")
