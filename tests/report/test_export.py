"""``piao export``: every table as CSV files or one Excel workbook (opened with openpyxl)."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

import schema
from piao.cli import main


@pytest.fixture(scope="module")
def data(editions_corpus, tmp_path_factory) -> Path:
    """The 9 editions with lineage and changes written."""
    clean = tmp_path_factory.mktemp("export") / "clean"
    shutil.copytree(editions_corpus[0], clean)
    assert main(["lineage", "--data", str(clean)]) == 0
    return clean


@pytest.fixture(scope="module")
def workbook(data, tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx") / "piao.xlsx"
    assert main(["export", "--data", str(data), "--format", "xlsx", "--out", str(out)]) == 0
    return load_workbook(out)


def test_xlsx_has_one_sheet_per_table(workbook) -> None:
    assert workbook.sheetnames == [*schema.TABLES, "lineage", "changes"]


def test_xlsx_sheets_hold_every_row_with_the_schema_header(workbook, data) -> None:
    for name in workbook.sheetnames:
        sheet = workbook[name]
        header = [cell.value for cell in sheet[1]]
        table = schema.TABLES.get(name) or schema.DERIVED_TABLES[name]
        assert header == table.column_names
        assert sheet.max_row == schema.read_table(table, data).num_rows + 1


def test_xlsx_cells_are_typed(workbook) -> None:
    objectives = workbook["objectives"]
    header = [cell.value for cell in objectives[1]]
    row = {name: cell for name, cell in zip(header, objectives[2], strict=True)}
    assert row["weight"].data_type == "n" and isinstance(row["weight"].value, int)
    assert isinstance(row["weighting_pct"].value, float)
    assert row["weighting_pct_derived"].data_type == "b"
    assert isinstance(row["source_pages"].value, str)  # lists as text: "3" or "3, 4"
    documents = workbook["documents"]
    header = [cell.value for cell in documents[1]]
    first = {name: cell for name, cell in zip(header, documents[2], strict=True)}
    assert isinstance(first["period_start"].value, dt.datetime)  # Excel dates
    assert first["period_start"].number_format == "DD/MM/YYYY"
    assert first["period_start"].value.year in (2023, 2024, 2025)
    assert isinstance(first["extracted_at"].value, dt.datetime)
    column = [c.value for c in objectives[1]].index("weight")
    weights = [row[column].value for row in objectives.iter_rows(min_row=2)]
    assert sum(weights) == 200 + 203 + 200 + 196 + 199 + 196 + 193 + 196 + 193


def test_xlsx_header_is_frozen_filtered_and_fitted(workbook) -> None:
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        assert sheet["A1"].font.bold
    objectives = workbook["objectives"]
    widths = {letter: objectives.column_dimensions[letter].width for letter in ("A", "C", "M")}
    assert widths["M"] == 60  # description: long texts, capped
    assert 16 <= widths["A"] <= 20  # doc_id: 16 characters


def test_csv_writes_one_file_per_table(data, tmp_path) -> None:
    out = tmp_path / "csv"
    assert main(["export", "--data", str(data), "--format", "csv", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{name}.csv" for name in [*schema.TABLES, "lineage", "changes"]
    )
    with (out / "objectives.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 48 + 48 + 47 + 47 + 47 + 46 + 46 + 46 + 45
    assert sum(int(r["weight"]) for r in rows) == 1776


def test_export_refuses_a_wrong_target_in_one_line(data, tmp_path, capsys) -> None:
    bad = tmp_path / "tables.csv"
    assert main(["export", "--data", str(data), "--format", "xlsx", "--out", str(bad)]) == 1
    assert "give a file name ending in .xlsx" in capsys.readouterr().err
    assert not bad.exists()
    assert (
        main(["export", "--data", str(tmp_path / "none"), "--format", "csv", "--out", str(bad)])
        == 1
    )
    assert "run `piao extract` first" in capsys.readouterr().err


def excel_reads(path: Path) -> list[dict[str, str]]:
    """A CSV read as a double-clicking Excel reads it: the encoding from the byte order
    mark (none: the local code page, cp1252), fields split at the list separator ';'."""
    raw = path.read_bytes()
    text = raw[3:].decode("utf-8") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("cp1252")
    return list(csv.DictReader(text.splitlines(), delimiter=";"))


def test_csv_for_excel_round_trips_accents_numbers_and_dates(data, tmp_path) -> None:
    out = tmp_path / "excel"
    args = ["export", "--data", str(data), "--format", "csv", "--excel", "--out", str(out)]
    assert main(args) == 0
    objectives = excel_reads(out / "objectives.csv")
    assert len(objectives) == 420
    titles = {r["title"] for r in objectives}
    assert "REALIZZAZIONE OBIETTIVI POLA, PIANO AZIONI POSITIVE, PIANO FORMAZIONE, " in str(titles)
    descriptions = " ".join(r["description"] for r in objectives)
    assert "dell'attività di prevenzione" in descriptions
    first = next(
        r
        for r in objectives
        if r["objective_code"] == "1.1.1"
        and r["ente"] == "Comune di Alfaterna"
        and r["plan_year"] == "2023"
    )
    assert first["weighting_pct"] == "26,3158"
    dates = excel_reads(out / "dates.csv")
    assert {"14/01/2023", "31/12/2023"} <= {r["date"] for r in dates}


def test_csv_excel_is_also_a_format(data, tmp_path) -> None:
    out = tmp_path / "excel"
    args = ["export", "--data", str(data), "--format", "csv-excel", "--out", str(out)]
    assert main(args) == 0
    assert (out / "documents.csv").read_bytes().startswith(b"\xef\xbb\xbfdoc_id;")


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_the_excel_csv_with_its_accents(data, tmp_path) -> None:
    out = tmp_path / "excel"
    assert main(["export", "--data", str(data), "--format", "csv-excel", "--out", str(out)]) == 0
    import subprocess

    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--infilter=CSV:59,34,76,1",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(out / "objectives.csv"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    sheet = load_workbook(tmp_path / "objectives.xlsx").active
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["doc_id", "sector_code", "objective_code"]
    texts = " ".join(str(cell.value) for row in sheet.iter_rows(min_row=2) for cell in row)
    assert "dell'attività di prevenzione" in texts
