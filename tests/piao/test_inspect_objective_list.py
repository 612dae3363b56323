"""``piao inspect`` on an objective list + activity sheets: the genre and what it read."""

from __future__ import annotations

import json
from pathlib import Path

from piao.cli import main

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


def test_inspect_names_the_objective_list_genre_and_its_weights(capsys):
    assert main(["inspect", str(CORPUS / "valle_rio" / "valle_rio.txt")]) == 0
    out = capsys.readouterr().out
    assert "genre objective_list (confidence 0.95)" in out
    assert "list: 0:X, 1:20, 2:25, 3:15, 4:30, 5:10 (totale 100)" in out
    assert "sheets 5, activities 11" in out


def test_inspect_json_gives_the_genre_per_sector(capsys):
    assert main(["inspect", "--json", str(CORPUS / "colle_alto" / "colle_alto.writer.docx")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["genre"]["genre"] == "objective_list"
    assert [(s["sector_code"], s["sheets"], s["activities"]) for s in report["sectors"]] == [
        ("AMM", 4, 10),
        ("TEC", 3, 6),
    ]
