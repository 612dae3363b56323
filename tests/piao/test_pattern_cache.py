"""Regular expressions compiled once per installation (piao.pattern_cache)."""

from __future__ import annotations

import marshal
import re
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from piao import pattern_cache
from piao.pattern_cache import PatternCache, read_patterns, write_patterns

PATTERNS = [
    (r"entro il (\d{1,2})[/.](\d{1,2})[/.](\d{4})", 0),
    (r"(?P<code>\d+(?:\.\d+){1,3})\s*[-–]\s*(?P<title>.+)", re.IGNORECASE),
    (r"""(?x) obiettivo \s+ (?:strategico|operativo)  # a comment""", 0),
    (rb"%PDF-(\d)\.(\d)", 0),
    (r"[àèéìòù]+", re.IGNORECASE | re.UNICODE),
]


def compiled_by(cache: PatternCache) -> list[re.Pattern]:
    return [cache.compile(text, int(flags)) for text, flags in PATTERNS]


def test_a_pattern_rebuilt_from_the_file_is_the_compilers(tmp_path, monkeypatch):
    first = PatternCache({})
    made = compiled_by(first)
    write_patterns(tmp_path / "p.marshal", first.known)
    monkeypatch.setattr(re._parser, "parse", lambda *a: pytest.fail("parsed again"))

    again = compiled_by(PatternCache(read_patterns(tmp_path / "p.marshal")))

    assert again == made  # a pattern object's equality compares its compiled code
    assert [p.groupindex for p in again] == [{}, {"code": 1, "title": 2}, {}, {}, {}]
    match = again[1].match("1.2.1 – Digitalizzazione")
    assert match is not None and match.group("code", "title") == ("1.2.1", "Digitalizzazione")
    assert again[0].search("entro il 31/06/2023").groups() == ("31", "06", "2023")


def test_a_process_keeps_the_patterns_it_compiled_and_those_it_rebuilt():
    cache = PatternCache({})
    compiled_by(cache)
    assert (cache.added, len(cache.known), len(cache.used)) == (5, 5, 5)
    rebuilt = PatternCache(dict(cache.known))
    compiled_by(rebuilt)
    assert (rebuilt.added, len(rebuilt.used)) == (0, 5)
    assert rebuilt.to_write() is None  # nothing new: the file is not written again


def test_a_file_of_another_interpreter_build_is_not_read(tmp_path):
    cache = PatternCache({})
    compiled_by(cache)
    header = list(pattern_cache.file_header())
    header[1] = "3.11.0 (another build)"
    payload = marshal.dumps(cache.known)
    written = (tuple(header), zlib.crc32(payload), payload)
    (tmp_path / "p.marshal").write_bytes(marshal.dumps(written))
    assert read_patterns(tmp_path / "p.marshal") == {}


def test_a_file_with_a_changed_byte_is_not_read(tmp_path):
    cache = PatternCache({})
    cache.compile("plan 2023", 0)
    write_patterns(tmp_path / "p.marshal", cache.known)
    assert list(read_patterns(tmp_path / "p.marshal")) == [("plan 2023", 0)]
    data = (tmp_path / "p.marshal").read_bytes()
    at = data.rindex(b"2023") + 3  # a byte of the payload: "plan 2023" becomes "plan 2024"
    (tmp_path / "p.marshal").write_bytes(data[:at] + b"4" + data[at + 1 :])
    assert read_patterns(tmp_path / "p.marshal") == {}


@pytest.mark.parametrize("content", [b"", b"\x00garbage", marshal.dumps([1, 2, 3])])
def test_a_damaged_or_missing_file_gives_no_pattern(tmp_path, content):
    (tmp_path / "p.marshal").write_bytes(content)
    assert read_patterns(tmp_path / "p.marshal") == {}
    assert read_patterns(tmp_path / "missing.marshal") == {}


def test_a_damaged_entry_is_compiled_again():
    cache = PatternCache({("a(b)c", 0): ("a(b)c", 32, [999999], 1, {}, (None, None))})
    assert cache.compile("a(b)c", 0) == re._compiler.compile("a(b)c", 0)
    assert cache.added == 1


def test_past_the_bound_only_the_patterns_this_process_used_are_written(monkeypatch):
    old = PatternCache({})
    old.compile("old-one", 0)
    old.compile("old-two", 0)
    cache = PatternCache(dict(old.known))
    cache.compile("new", 0)
    assert len(cache.to_write()) == 3
    monkeypatch.setattr(pattern_cache, "MAX_PATTERNS", 2)
    assert [text for text, _ in cache.to_write()] == ["new"]


def test_a_folder_that_cannot_be_written_is_left_alone(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    write_patterns(blocker / "p.marshal", {})  # no error
    assert blocker.read_text() == "not a folder"


def test_nothing_is_written_where_python_writes_no_bytecode(tmp_path, monkeypatch):
    cache = PatternCache({})
    cache.compile("x+y", 0)
    monkeypatch.setattr(pattern_cache, "_installed", cache)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    pattern_cache.save(tmp_path / "p.marshal")
    assert not (tmp_path / "p.marshal").exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    pattern_cache.save(tmp_path / "p.marshal")
    assert list(read_patterns(tmp_path / "p.marshal")) == [("x+y", 0)]


def test_the_file_lies_beside_the_bytecode_under_the_cache_prefix(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    path = pattern_cache.cache_path()
    assert path.is_relative_to(tmp_path)
    assert path.name == f"piao-patterns.{sys.implementation.cache_tag}.marshal"


#: A piao run that counts the patterns the regular-expression parser reads.
COUNTING_RUN = """
import re, sys
from piao.cli import main
parsed = []
parse = re._parser.parse
re._parser.parse = lambda text, *rest: parsed.append(text) or parse(text, *rest)
status = main(sys.argv[1:])
print(len(parsed))
sys.exit(status)
"""


def test_a_second_piao_run_parses_no_pattern_the_first_compiled(
    tmp_path, two_runs_counted: Callable[[str, Path], list[int]]
):
    counts = two_runs_counted(COUNTING_RUN, tmp_path)
    assert counts[0] > 100  # the date rules, the codes, the header words ...
    assert counts[1] == 0
    assert list((tmp_path / "bytecode").rglob("piao-patterns.*.marshal"))


def test_a_cache_compiles_by_re_s_own_compiler_when_another_is_installed(monkeypatch):
    installed = PatternCache({})
    monkeypatch.setattr(re._compiler, "compile", installed.compile)  # as piao.cli.main does
    cache = PatternCache({})
    assert cache.compile("in(stalled)", 0) == pattern_cache._COMPILE("in(stalled)", 0)
    assert (cache.added, installed.added) == (1, 0)


def test_a_pattern_compiled_to_be_shown_is_compiled_every_time(capsys):
    cache = PatternCache({})
    cache.compile("ab", int(re.DEBUG))
    cache.compile("ab", int(re.DEBUG))
    assert cache.added == 0
    assert capsys.readouterr().out.count("LITERAL 97") == 2  # re.DEBUG prints the parse
