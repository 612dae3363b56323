"""File names as data (extract.names): control characters escaped, one line per name."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.errors import EmptyFileError
from extract.names import escaped, printable


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("piano 2024.pdf", "piano 2024.pdf"),
        ("città àèìòù.docx", "città àèìòù.docx"),
        ("a\nb.txt", "a\\nb.txt"),
        ("a\rb\tc.txt", "a\\rb\\tc.txt"),
        ("\x1b[31mrosso.pdf", "\\x1b[31mrosso.pdf"),
        ("x\u2028y\u202ez.pdf", "x\\u2028y\\u202ez.pdf"),
        ("back\\slash\n.txt", "back\\\\slash\\n.txt"),
        ("nbsp\xa0ok.txt", "nbsp\xa0ok.txt"),
    ],
)
def test_names_are_escaped_only_where_needed(name: str, shown: str) -> None:
    assert escaped(name) == shown
    assert "\n" not in escaped(name) and "\r" not in escaped(name)


def test_a_line_keeps_its_backslashes_and_loses_its_newlines() -> None:
    assert printable("same content as C:\\dati\\a.txt") == "same content as C:\\dati\\a.txt"
    assert printable("same content as a\nb.txt") == "same content as a\\nb.txt"


def test_an_extract_error_names_the_file_on_one_line() -> None:
    error = EmptyFileError(Path("/in/x\n1 extracted, 0 failed.txt"))
    assert str(error) == "/in/x\\n1 extracted, 0 failed.txt: the file is empty"
