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
