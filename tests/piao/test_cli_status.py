"""``piao extract`` on a doubtful document: the summary's closing lines and ``--strict``."""

from __future__ import annotations

from pathlib import Path

import schema
from piao.cli import main

ROOT = Path(__file__).resolve().parents[2]
ALTOPIANO = ROOT / "tests" / "fixtures" / "corpus" / "altopiano" / "altopiano.txt"
SHIPPED = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"


def misread_copy(folder: Path) -> Path:
    """A corpus plan whose first totale row says 20 while its weights make 12: the weights
    miss the total the sector itself prints, a sign of a misread layout."""
    text = ALTOPIANO.read_text(encoding="utf-8")
    assert "TOTALE SETTORE AG\t\t\t\t\t\t\t\t12\t" in text
    path = folder / "altopiano_totale.txt"
    path.write_text(
        text.replace(
            "TOTALE SETTORE AG\t\t\t\t\t\t\t\t12\t", "TOTALE SETTORE AG\t\t\t\t\t\t\t\t20\t"
        )
    )
    return path


def test_summary_ends_with_one_line_per_doubtful_document(tmp_path: Path, capsys):
    path = misread_copy(tmp_path)
    assert main(["extract", str(path), str(SHIPPED), "--out", str(tmp_path / "out")]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-2].split("; ")[0] == "2 extracted, 0 skipped as unchanged, 0 failed, 1 doubtful"
    assert lines[-1] == (
        f"doubtful: {path}: weights_miss_declared_total: weights sum to 12, the totale row "
        f"says 20 (sector AG, totale); see: piao inspect {path}"
    )


def test_status_is_stored_with_the_document(tmp_path: Path):
    path = misread_copy(tmp_path)
    out = tmp_path / "out"
    assert main(["extract", str(path), str(SHIPPED), "--out", str(out)]) == 0
    table = schema.read_table("documents", out)
    assert table is not None
    rows = {row["source_name"]: row for row in table.to_pylist()}
    assert rows[SHIPPED.name]["status"] == "ok"
    doubtful = rows[path.name]
    assert doubtful["status"] == "doubtful"
    assert doubtful["status_reasons_it"] == [
        "weights_miss_declared_total: i pesi sommano a 12, la riga del totale dice 20 "
        "(settore AG, totale)"
    ]
    quality = schema.read_table("quality", out)
    assert quality is not None
    doubts = [row for row in quality.to_pylist() if row["rule"] == "doubtful_reading"]
    assert [(row["sector_code"], row["location"]) for row in doubts] == [("AG", "totale")]
    assert doubts[0]["message_it"] == doubtful["status_reasons_it"][0]


def test_strict_fails_the_run_on_a_doubtful_document(tmp_path: Path):
    path = misread_copy(tmp_path)
    assert main(["extract", str(path), "--out", str(tmp_path / "out"), "--strict"]) == 1


def test_strict_passes_a_run_of_ok_documents(tmp_path: Path, capsys):
    assert main(["extract", str(SHIPPED), "--out", str(tmp_path / "out"), "--strict"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].split("; ")[0] == (
        "1 extracted, 0 skipped as unchanged, 0 failed"
    )


def test_a_streamed_document_reports_its_status(tmp_path: Path, monkeypatch, capsys):
    from piao import pipeline

    monkeypatch.setattr(pipeline, "STREAM_MIN_BYTES", 0)
    path = misread_copy(tmp_path)
    assert main(["extract", str(path), "--out", str(tmp_path / "out"), "--strict"]) == 1
    assert (
        capsys.readouterr()
        .out.strip()
        .splitlines()[-1]
        .startswith(f"doubtful: {path}: weights_miss_declared_total")
    )


def test_a_rerun_skipping_a_doubtful_document_still_names_it(tmp_path: Path, capsys):
    path = misread_copy(tmp_path)
    out = tmp_path / "out"
    assert main(["extract", str(path), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["extract", str(path), "--out", str(out), "--strict"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-2].split("; ")[0] == "0 extracted, 1 skipped as unchanged, 0 failed, 1 doubtful"
    assert lines[-1].startswith(f"doubtful: {path}: weights_miss_declared_total")


def test_inspect_shows_the_status_and_its_reasons(tmp_path: Path, capsys):
    path = misread_copy(tmp_path)
    assert main(["inspect", str(path)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-2].startswith("status doubtful, text coverage ")
    assert lines[-1] == (
        "  weights_miss_declared_total: weights sum to 12, the totale row says 20 "
        "(sector AG, totale)"
    )


def test_inspect_json_carries_the_status(capsys):
    import json

    assert main(["inspect", str(SHIPPED), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["status"], shown["status_reasons"]) == ("ok", [])
    assert shown["text_coverage"] >= 0.99
