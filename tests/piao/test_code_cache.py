"""The methods dataclasses generate, compiled once per installation (piao.code_cache)."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from piao import cache_file, code_cache
from piao.code_cache import CodeCache


def make_class() -> type:
    """A frozen dataclass with defaults, made afresh (the generated methods' source is
    the same every time)."""

    @dataclasses.dataclass(frozen=True, slots=True)
    class Objective:
        code: str
        weight: int = 1
        title: str | None = None

    return Objective


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> CodeCache:
    """A fresh cache as ``dataclasses``' exec, removed after the test."""
    cache = CodeCache({})
    monkeypatch.setattr(dataclasses, "exec", cache.exec, raising=False)
    return cache


def behaviour(cls: type) -> tuple[object, ...]:
    """What a dataclass's generated methods do, as comparable values."""
    first, second = cls("1.2.1", 3), cls("1.2.1", 3)
    try:
        first.weight = 4
        frozen = False
    except dataclasses.FrozenInstanceError:
        frozen = True
    return (
        repr(first),
        first == second,
        hash(first) == hash(second),
        frozen,
        cls.__init__.__annotations__,
        cls.__init__.__defaults__,
        cls.__init__.__code__.co_filename,
    )


def test_a_class_made_through_the_cache_behaves_as_one_made_without(
    installed: CodeCache, monkeypatch: pytest.MonkeyPatch
):
    cached = make_class()
    assert installed.added == 6  # __init__, __repr__, __eq__, __hash__, __setattr__, __delattr__
    monkeypatch.delattr(dataclasses, "exec")
    plain = make_class()
    assert behaviour(cached) == behaviour(plain)
    assert (
        behaviour(cached)[0] == "make_class.<locals>.Objective(code='1.2.1', weight=3, title=None)"
    )
    # the annotation's value (this module's text), not the name the generated code gives
    # it, which it would be if piao's ``from __future__ import annotations`` leaked in
    assert cached.__init__.__annotations__["weight"] == "int"


def test_the_same_source_is_compiled_once(installed: CodeCache):
    make_class()
    known = dict(installed.known)
    make_class()
    assert installed.added == 6
    assert all(installed.known[source] is code for source, code in known.items())


def test_code_read_from_the_file_runs_without_compiling(
    tmp_path: Path, installed: CodeCache, monkeypatch: pytest.MonkeyPatch
):
    make_class()
    cache_file.write_entries(tmp_path / "c.marshal", code_cache.file_header(), installed.known)
    again = CodeCache(cache_file.read_entries(tmp_path / "c.marshal", code_cache.file_header()))
    monkeypatch.setattr(dataclasses, "exec", again.exec, raising=False)
    monkeypatch.setattr(code_cache, "compiled", lambda source: pytest.fail("compiled again"))
    cls = make_class()
    assert again.added == 0 and len(again.used) == 6
    assert (
        repr(cls("4.1.2.1"))
        == "make_class.<locals>.Objective(code='4.1.2.1', weight=1, title=None)"
    )


def test_an_exec_without_globals_runs_in_its_callers_namespace():
    cache = CodeCache({})
    marker = "caller's"  # noqa: F841 (read by the executed code)
    seen: list[str] = []
    cache.exec("seen.append(marker)")
    assert seen == ["caller's"]


def test_anything_but_a_text_goes_to_the_builtin_exec():
    cache = CodeCache({})
    namespace: dict[str, object] = {}
    cache.exec(compile("answer = 42", "<string>", "exec"), namespace)
    assert namespace["answer"] == 42
    assert cache.added == 0


def test_a_file_of_another_interpreter_build_is_not_read(tmp_path: Path, installed: CodeCache):
    make_class()
    header = (*code_cache.file_header()[:2], b"\0\0\r\n")
    cache_file.write_entries(tmp_path / "c.marshal", header, installed.known)
    assert cache_file.read_entries(tmp_path / "c.marshal", code_cache.file_header()) == {}


def test_nothing_is_written_where_python_writes_no_bytecode(
    tmp_path: Path, installed: CodeCache, monkeypatch: pytest.MonkeyPatch
):
    make_class()
    monkeypatch.setattr(code_cache, "_installed", installed)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    code_cache.save(tmp_path / "c.marshal")
    assert not (tmp_path / "c.marshal").exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    code_cache.save(tmp_path / "c.marshal")
    written = cache_file.read_entries(tmp_path / "c.marshal", code_cache.file_header())
    assert len(written) == 6


#: A piao run that counts the dataclass methods compiled from source.
COUNTING_RUN = """
import sys
from piao import code_cache
from piao.cli import main
compiled = []
compile_source = code_cache.compiled
code_cache.compiled = lambda source: compiled.append(source) or compile_source(source)
status = main(sys.argv[1:])
print(len(compiled))
sys.exit(status)
"""


def test_a_second_piao_run_compiles_no_method_the_first_compiled(
    tmp_path: Path, two_runs_counted: Callable[[str, Path], list[int]]
):
    counts = two_runs_counted(COUNTING_RUN, tmp_path)
    assert counts[0] > 60  # about 30 dataclasses of the raw model, the jobs, the readings
    assert counts[1] == 0
    assert list((tmp_path / "bytecode").rglob("piao-dataclass-code.*.marshal"))
