"""``piao diff`` end to end: files or stored doc_ids in, changes.parquet and a report out."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

import schema
from piao.cli import main
from schema import DIFF_TABLES

ROOT = Path(__file__).resolve().parents[2]
OLD = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
NEW = ROOT / "tests" / "fixtures" / "portomaggiore_piao_2024-2026_allegato1.txt"


def test_diff_files_writes_changes_and_markdown_report(tmp_path, capsys):
    out = tmp_path / "diff"
    assert main(["diff", str(OLD), str(NEW), "--out", str(out), "--format", "markdown"]) == 0
    table = pq.read_table(out / "changes.parquet")
    assert table.schema == DIFF_TABLES["changes"].schema
    assert table.num_rows == 64
    printed = capsys.readouterr().out
    assert "renumbered SAP 12.1.3.1 -> SAP 12.1.3.2 (score 100)" in printed
    assert "moved      FIN 1.5.3 -> TEC 1.5.3" in printed
    report = (out / "changes.md").read_text(encoding="utf-8")
    for heading in (
        "## Riepilogo",
        "## Obiettivi aggiunti",
        "## Obiettivi rimossi",
        "## Obiettivi rinumerati",
        "## Obiettivi spostati",
        "## Pesi e ponderazioni",
        "## Date e scadenze cambiate",
    ):
        assert heading in report
    # modified: substantive changes only; the 15 other TEC objectives only had their
    # ponderazione recomputed because weights moved ("Solo ponderazione ricalcolata")
    assert "| TEC | 1 | 1 | 0 | 1 | 2 | 15 |" in report
    assert "| Totale | 2 | 2 | 1 | 1 | 7 | 39 |" in report
    assert "modified 7, recomputed 39" in printed
    # both sides with the same decimals; a weight change is substantive, the ponderazioni
    # only recomputed are folded into one line per sector after every substantive change
    assert "| 3 → 5 | 15,7895 → 23,8095 | ricalcolata |" in report
    assert "| invariato | 4,17 → 3,90 |" not in report
    folded = report.index("## Ponderazioni solo ricalcolate")
    assert folded > report.index("## Date e scadenze cambiate")
    assert folded > report.index("## Pesi e ponderazioni")
    assert "| TEC | 17 |" in report[folded:] and "| SAP | 15 |" in report[folded:]
    rows = table.to_pylist()
    recomputed = [r for r in rows if r["recomputed"]]
    assert len(recomputed) == 46  # every changed ponderazione: all equal weight / total
    assert {r["field"] for r in recomputed} == {"weighting_pct"}
    assert sum(r["field"] == "weighting_pct" for r in rows) == 46
    assert "posticipata di 61 giorni" in report


def test_diff_stored_doc_ids_and_html(tmp_path, capsys):
    data = tmp_path / "clean"
    assert main(["extract", str(OLD), str(NEW), "--out", str(data)]) == 0
    documents = schema.read_table("documents", data).to_pylist()
    doc_ids = {row["source_name"]: row["doc_id"] for row in documents}
    old_id, new_id = doc_ids[OLD.name], doc_ids[NEW.name]
    out = tmp_path / "diff"
    args = ["diff", old_id[:8], new_id, "--data", str(data), "--out", str(out)]
    assert main([*args, "--format", "html"]) == 0
    assert pq.read_table(out / "changes.parquet").num_rows == 64
    html = (out / "changes.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Rinumerati" in html


def test_diff_against_itself_reports_nothing(tmp_path, capsys):
    assert main(["diff", str(OLD), str(OLD), "--out", str(tmp_path)]) == 0
    assert "no changes" in capsys.readouterr().out
    assert pq.read_table(tmp_path / "changes.parquet").num_rows == 0


def test_unknown_input_fails_with_one_line(tmp_path, capsys):
    assert main(["diff", "nope", str(OLD), "--data", str(tmp_path)]) == 1
    assert "nope: no such file, nor doc_id" in capsys.readouterr().err
