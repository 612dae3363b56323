"""One CLI grammar: ``--data`` names the tables folder in every command, changed extraction
settings re-extract, ``piao sql`` reads a query from stdin, counts take the right plural."""

from __future__ import annotations

from pathlib import Path

import schema
from piao import cli

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"


def objectives_in(data: Path) -> int:
    table = schema.read_table("objectives", data)
    return 0 if table is None else table.num_rows


def test_extract_writes_into_the_data_folder(tmp_path):
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path / "t")]) == 0
    assert objectives_in(tmp_path / "t") == 48


def test_extract_out_is_an_alias_of_data(tmp_path):
    assert cli.main(["extract", str(SHIPPED), "--out", str(tmp_path / "t")]) == 0
    assert objectives_in(tmp_path / "t") == 48


def documents_of(data: Path) -> list[dict]:
    table = schema.read_table("documents", data)
    assert table is not None
    return table.to_pylist()


def totals(output: str) -> str:
    """The counts of the closing line (before its findings and elapsed time)."""
    return output.splitlines()[-1].split("; ")[0]


def test_extract_stores_the_extraction_settings(tmp_path):
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path), "--engine", "text"]) == 0
    stored = documents_of(tmp_path)[0]["extraction_settings"]
    assert stored == "engine=text ocr=auto layout=none"


def test_another_engine_re_extracts_instead_of_skipping(tmp_path, capsys):
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path)]) == 0
    capsys.readouterr()
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path), "--engine", "text"]) == 0
    assert totals(capsys.readouterr().out) == "1 extracted, 0 skipped as unchanged, 0 failed"
    assert [row["extraction_settings"] for row in documents_of(tmp_path)] == [
        "engine=text ocr=auto layout=none"
    ]


def test_the_same_settings_skip_as_unchanged(tmp_path, capsys):
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path), "--ocr", "never"]) == 0
    capsys.readouterr()
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path), "--ocr", "never"]) == 0
    assert totals(capsys.readouterr().out) == "0 extracted, 1 skipped as unchanged, 0 failed"


def test_another_ocr_mode_re_extracts(tmp_path, capsys):
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path)]) == 0
    capsys.readouterr()
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path), "--ocr", "never"]) == 0
    assert totals(capsys.readouterr().out) == "1 extracted, 0 skipped as unchanged, 0 failed"


def test_an_edited_layout_hints_file_re_extracts(tmp_path, capsys):
    hints = tmp_path / "hints.toml"
    hints.write_text('[sectors]\nwords = ["SERVIZIO"]\n', encoding="utf-8")
    data = tmp_path / "t"
    arguments = ["extract", str(SHIPPED), "--data", str(data), "--layout", str(hints)]
    assert cli.main(arguments) == 0
    first = documents_of(data)[0]["extraction_settings"]
    hints.write_text('[sectors]\nwords = ["UFFICIO"]\n', encoding="utf-8")
    capsys.readouterr()
    assert cli.main(arguments) == 0
    assert totals(capsys.readouterr().out) == "1 extracted, 0 skipped as unchanged, 0 failed"
    second = documents_of(data)[0]["extraction_settings"]
    assert first.startswith("engine=auto ocr=auto layout=") and first != second
    assert "layout=none" not in first
