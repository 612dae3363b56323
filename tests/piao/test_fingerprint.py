"""The pipeline version's fingerprint: what the code does, not how its text reads."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from piao import fingerprint

CODE = '''"""A stage."""


def weight(x):
    """Twice x."""
    return 2 * x  # doubled
'''


def fingerprint_of(tmp_path: Path, source: str) -> str:
    package = tmp_path / "stage"
    package.mkdir(exist_ok=True)
    (package / "__init__.py").write_text(source)
    return fingerprint.code_fingerprint(
        [types.SimpleNamespace(__file__=str(package / "__init__.py"))]
    )


def test_comments_docstrings_and_layout_do_not_change_it(tmp_path):
    before = fingerprint_of(tmp_path, CODE)
    edited = CODE.replace("# doubled", "# times two").replace('"""Twice x."""', '"""2x."""')
    assert fingerprint_of(tmp_path, edited) == before
    assert fingerprint_of(tmp_path, edited.replace("2 * x", "2*x")) == before


def test_a_change_of_the_code_changes_it(tmp_path):
    before = fingerprint_of(tmp_path, CODE)
    assert fingerprint_of(tmp_path, CODE.replace("2 * x", "3 * x")) != before


def test_unchanged_files_are_not_parsed_again(tmp_path, monkeypatch):
    before = fingerprint_of(tmp_path, CODE)

    def no_parsing(source):
        raise AssertionError("parsed again")

    monkeypatch.setattr(fingerprint, "syntax_digest", no_parsing)
    assert fingerprint_of(tmp_path, CODE) == before


def test_a_file_that_does_not_parse_counts_as_its_bytes():
    assert fingerprint.syntax_digest(b"def (") != fingerprint.syntax_digest(b"def ((")


@pytest.mark.parametrize("owner", ["class C:\n    '''doc'''\n", "def f():\n    '''doc'''\n"])
def test_a_body_that_is_only_a_docstring_is_an_empty_body(owner):
    assert fingerprint.syntax_digest(owner.encode()) == fingerprint.syntax_digest(
        owner.replace("'''doc'''", "pass").encode()
    )
