"""`piao extract` on a folder of DOCX, XLSX, ODS and signed .p7m attachments."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import ModuleType

import schema
from piao.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"


def read_rows(out: Path, name: str) -> list[dict]:
    return schema.read_table(name, out).to_pylist()


def test_folder_of_office_and_signed_files(tmp_path: Path, make_p7m: ModuleType, capsys) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for suffix in ("docx", "xlsx", "ods"):
        shutil.copy(FIXTURES / f"portomaggiore.{suffix}", raw / f"allegato.{suffix}")
    (raw / "allegato.txt.p7m").write_bytes(make_p7m.sign(TEXT_SOURCE.read_bytes(), encoding="pem"))
    out = tmp_path / "clean"
    assert main(["extract", str(raw), "--out", str(out)]) == 0
    documents = {row["source_name"]: row for row in read_rows(out, "documents")}
    assert {name: row["source_format"] for name, row in documents.items()} == {
        "allegato.docx": "docx",
        "allegato.ods": "ods",
        "allegato.txt.p7m": "text+p7m",
        "allegato.xlsx": "xlsx",
    }
    assert documents["allegato.txt.p7m"]["signer_name"] == "ROSSI MARIO"
    assert documents["allegato.docx"]["signer_name"] is None
    assert len(read_rows(out, "objectives")) == 4 * 48
    cells = read_rows(out, "cells")
    by_doc = {row["doc_id"]: row for row in documents.values()}
    xlsx_cells = [c for c in cells if by_doc[c["doc_id"]]["source_format"] == "xlsx"]
    assert {c["sheet"] for c in xlsx_cells} == {"STAFF", "SAP", "FIN", "TEC"}
    assert all(c["source_row"] is not None and c["bbox"] is None for c in xlsx_cells)
    docx_cells = [c for c in cells if by_doc[c["doc_id"]]["source_format"] == "docx"]
    assert {c["source_table"] for c in docx_cells} == {1, 2, 3, 4, 5}
