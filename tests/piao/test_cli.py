"""The CLI end to end on the shipped document."""

from __future__ import annotations

from pathlib import Path

import schema
from piao.cli import main

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"


def read_rows(out: Path, name: str) -> list[dict]:
    table = schema.read_table(name, out)
    assert table is not None, name
    return table.to_pylist()


def test_extract_writes_every_table(tmp_path: Path, capsys):
    assert main(["extract", str(RAW), "--out", str(tmp_path), "-v"]) == 0
    output = capsys.readouterr().out
    assert "objectives 48" in output
    assert len(read_rows(tmp_path, "objectives")) == 48
    assert len(read_rows(tmp_path, "sectors")) == 4
    doc_id = read_rows(tmp_path, "documents")[0]["doc_id"]
    assert {p.relative_to(tmp_path).as_posix() for p in tmp_path.glob("*/*/*.parquet")} == {
        f"{name}/{doc_id[:2]}/part-00000001.parquet"
        for name in ("documents", "sectors", "objectives", "items", "dates", "quality", "targets")
    } | {f"cells/{doc_id[:3]}/part-00000001.parquet"}


def test_second_run_gives_identical_rows(tmp_path: Path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["extract", str(RAW), "--out", str(first)]) == 0
    assert main(["extract", str(RAW), "--out", str(second)]) == 0
    for name in ("sectors", "objectives", "items", "dates", "quality", "cells"):
        assert read_rows(first, name) == read_rows(second, name), name
    strip = [
        {k: v for k, v in row.items() if k != "extracted_at"}
        for row in read_rows(first, "documents")
    ]
    assert strip == [
        {k: v for k, v in row.items() if k != "extracted_at"}
        for row in read_rows(second, "documents")
    ]


def test_missing_path_is_one_line_and_non_zero(tmp_path: Path, capsys):
    assert main(["extract", str(tmp_path / "nope.txt"), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == f"piao: {tmp_path / 'nope.txt'}: no such file or folder"


def test_bad_file_is_reported_and_nothing_written(tmp_path: Path, capsys):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    assert main(["extract", str(bad), "--out", str(out)]) == 1
    assert capsys.readouterr().err.strip() == f"piao: {bad}: the file is empty"
    assert not out.exists()


def test_dictionary_command_prints_every_table(capsys):
    assert main(["dictionary"]) == 0
    text = capsys.readouterr().out
    for name in ("documents", "sectors", "objectives", "items", "dates", "quality", "cells"):
        assert f"## `{name}`" in text
