"""Patterns compiled on first use (extract.lazy_pattern)."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path

from extract import lazy_pattern
from extract.lazy_pattern import LazyPattern, lazy_compile

ROOT = Path(__file__).resolve().parents[2]


def counting_compiles(monkeypatch) -> list[str]:
    """The patterns ``re.compile`` is asked for from now on, as the module calls it."""
    asked: list[str] = []
    real = re.compile

    def compile_(pattern, flags=0):
        asked.append(pattern)
        return real(pattern, flags)

    monkeypatch.setattr(lazy_pattern.re, "compile", compile_)
    return asked


def test_nothing_is_compiled_before_the_first_use(monkeypatch):
    asked = counting_compiles(monkeypatch)
    pattern = lazy_compile(r"(\d+)-(\d+)")
    assert asked == []
    assert pattern.search("pagine 12-14").groups() == ("12", "14")
    assert asked == [r"(\d+)-(\d+)"]


def test_the_pattern_is_compiled_once_whatever_is_used(monkeypatch):
    asked = counting_compiles(monkeypatch)
    pattern = lazy_compile("entro", re.IGNORECASE)
    assert pattern.sub("fino al", "ENTRO il 30") == "fino al il 30"
    assert [m.start() for m in pattern.finditer("entro, Entro")] == [0, 7]
    assert pattern.flags & re.IGNORECASE
    assert pattern.search("ENTRO") is not None
    assert asked == ["entro"]


def test_it_answers_as_the_compiled_pattern():
    text = "2.1 Obiettivi; 2.2 Indicatori"
    lazy, compiled = lazy_compile(r"(?P<n>\d\.\d) (\w+)"), re.compile(r"(?P<n>\d\.\d) (\w+)")
    assert (
        lazy.findall(text)
        == compiled.findall(text)
        == [("2.1", "Obiettivi"), ("2.2", "Indicatori")]
    )
    assert lazy.pattern == compiled.pattern
    assert lazy.groupindex == {"n": 1}
    assert lazy.match(text).re is lazy.search(text).re


def test_copying_or_probing_private_names_compiles_nothing(monkeypatch):
    asked = counting_compiles(monkeypatch)
    pattern = lazy_compile("a+")
    assert isinstance(copy.copy(pattern), LazyPattern)
    assert not hasattr(pattern, "_compiled")
    assert asked == []
    assert repr(pattern) == "lazy_compile('a+', 0)"


def test_the_extract_commands_imports_compile_no_lazy_pattern():
    """The lazy patterns of the extractor and the normaliser (sections, objective lists,
    cards, administration names...) are compiled by a document that needs them, not by
    the imports of ``piao extract``."""
    code = (
        "import gc; import piao.commands.extract, extract.pdf_pdfium;"
        "from extract.lazy_pattern import LazyPattern;"
        "lazy = [o for o in gc.get_objects() if isinstance(o, LazyPattern)];"
        "print(len(lazy), sum('_compiled' in o.__dict__ for o in lazy))"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    count, compiled = map(int, run.stdout.split())
    assert count >= 20, run.stderr
    assert compiled == 0
