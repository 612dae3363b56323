"""``piao check``: every page read and verified, the commit rule checked as plain readers see it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from piao.cli import main
from storage.check import check_folder
from storage.store import part_name, replace_documents


def clone(records, doc_id: str) -> dict[str, list[dict]]:
    return {name: [{**row, "doc_id": doc_id} for row in rows] for name, rows in records.items()}


@pytest.fixture
def out(normalized, tmp_path) -> Path:
    for doc_id in ("aa" + "0" * 14, "bb" + "0" * 14):
        replace_documents(clone(normalized.records, doc_id), tmp_path)
    return tmp_path


def flip_a_byte_in_a_page(path: Path) -> None:
    """Change one byte of a data page (the first third of the file: past the magic
    number, before the footer), as a bad disk sector would."""
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_sound_folder_is_reported_sound(out, normalized, capsys):
    report = check_folder(out)
    written = {name: len(rows) for name, rows in normalized.records.items() if rows}
    assert report.ok and report.files == 2 * len(written)
    assert {k: written[k] for k in ("objectives", "items", "dates", "quality")} == {
        "objectives": 48,
        "items": 136,
        "dates": 210,
        "quality": 34,
    }
    assert report.rows == 2 * sum(written.values())
    assert main(["check", "--data", str(out)]) == 0
    assert capsys.readouterr().out.endswith(": sound\n")


def test_a_flipped_byte_inside_a_page_is_found(out, capsys):
    broken = out / "cells" / "aa0" / part_name(1)
    flip_a_byte_in_a_page(broken)
    report = check_folder(out)
    assert [error.path for error in report.corrupt] == [broken]
    assert main(["check", "--data", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"piao: {broken}: corrupt table file (" in err


def test_compact_refuses_a_folder_with_a_flipped_byte(out, capsys):
    broken = out / "cells" / "bb0" / part_name(1)
    flip_a_byte_in_a_page(broken)
    before = broken.read_bytes()
    assert main(["compact", "--data", str(out)]) == 1
    assert f"piao: {broken}: corrupt table file (" in capsys.readouterr().err
    assert broken.read_bytes() == before


def test_rows_of_a_write_documents_does_not_list_are_reported(out):
    orphan = out / "objectives" / "aa" / part_name(9)
    shutil.copy(out / "objectives" / "aa" / part_name(1), orphan)
    assert check_folder(out).problems == [f"{orphan}: rows of a write that documents does not list"]


def test_a_folder_without_tables_is_one_line(tmp_path, capsys):
    assert main(["check", "--data", str(tmp_path)]) == 1
    assert "no extracted tables" in capsys.readouterr().err
