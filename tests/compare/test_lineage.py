"""Editions over years: lineage ids across 3 editions of 3 administrations, and the chained
diff (``piao diff A B C``, ``piao diff --ente``), on the folder made by
tests/fixtures/make_editions.py (derived from the shipped document)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from compare.lineage import attachment_of, group_editions, slug
from piao.cli import main
from schema import DERIVED_TABLES, DIFF_TABLES, TABLES, read_table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PLANTED = json.loads((FIXTURES / "edition_2024_changes.json").read_text(encoding="utf-8"))
SERIES = "comune-di-alfaterna/allegato1"


@pytest.fixture(scope="module")
def data(editions_corpus, tmp_path_factory) -> Path:
    """A copy of the extracted editions with lineage and changes written by `piao lineage`."""
    clean = tmp_path_factory.mktemp("lineage") / "clean"
    shutil.copytree(editions_corpus[0], clean)
    assert main(["lineage", "--data", str(clean)]) == 0
    return clean


@pytest.fixture(scope="module")
def lineage(data) -> list[dict]:
    table = read_table(DERIVED_TABLES["lineage"], data)  # the loader, whatever the layout
    assert table.schema == DERIVED_TABLES["lineage"].schema
    return table.to_pylist()


def rows_of(lineage, ente: str, edition: int) -> dict[tuple[str, str], dict]:
    return {
        (r["sector_code"], r["objective_code"]): r
        for r in lineage
        if r["ente"] == ente and r["edition"] == edition
    }


def test_editions_are_grouped_by_ente_and_attachment_and_ordered_by_year() -> None:
    documents = [
        {
            "doc_id": "c",
            "ente": "COMUNE DI FORLI' (FC)",
            "ente_key": "forli",
            "source_name": "obiettivi_performance.pdf",
            "plan_kind": "allegato1",
            "period_start": __import__("datetime").date(2025, 1, 1),
        },
        {
            "doc_id": "a",
            "ente": "Comune di Forlì",
            "ente_key": "forli",
            "source_name": "f_2023_allegato2.pdf",
            "plan_kind": "allegato1",
            "period_start": __import__("datetime").date(2023, 1, 1),
        },
        {
            "doc_id": "b",
            "ente": "Comune di Forlì",
            "ente_key": "forli",
            "source_name": "f_2023_allegato1.pdf",
            "plan_title": "Allegato 2 al PIAO 2023-2025",
            "period_start": __import__("datetime").date(2023, 1, 1),
        },
    ]
    series = group_editions(documents)
    assert list(series) == ["comune-di-forli/allegato1", "comune-di-forli/allegato2"]
    assert [k.doc_id for k in series["comune-di-forli/allegato1"]] == ["a", "c"]
    assert [k.year for k in series["comune-di-forli/allegato1"]] == [2023, 2025]
    assert slug("Unione dei Comuni Valli & Delizie") == "unione-dei-comuni-valli-delizie"
    assert attachment_of({"source_name": "piao.pdf", "plan_title": "Allegato B al PIAO"}) == (
        "allegatob"
    )


def test_file_names_never_name_the_series() -> None:
    assert attachment_of({"source_name": "x_allegato1.pdf", "plan_title": "Piano 2023"}) is None


def test_documents_without_ente_are_never_chained() -> None:
    documents = [
        {"doc_id": doc_id, "ente": None, "source_name": "allegato1.pdf", "plan_kind": "allegato1"}
        | {"period_start": __import__("datetime").date(year, 1, 1)}
        for doc_id, year in (("d1", 2024), ("d2", 2025))
    ]
    series = group_editions(documents)
    assert list(series) == ["ente-non-indicato/d1", "ente-non-indicato/d2"]
    assert all(len(keys) == 1 for keys in series.values())


def test_every_objective_of_every_edition_has_one_lineage_row(lineage, editions_corpus) -> None:
    assert len(lineage) == 420  # 3 x (48 + 48 + 47) - FIN removals (0, 1, 2) x 3 editions
    keys = {(r["doc_id"], r["sector_code"], r["objective_code"]) for r in lineage}
    assert len(keys) == len(lineage)
    assert {r["series"] for r in lineage} == {
        "comune-di-alfaterna/allegato1",
        "comune-di-borgoverde/allegato1",
        "comune-di-castelmarino/allegato1",
    }
    assert {(r["edition"], r["edition_seq"]) for r in lineage} == {(2023, 1), (2024, 2), (2025, 3)}


def test_first_edition_starts_every_lineage(lineage) -> None:
    first = rows_of(lineage, "Comune di Alfaterna", 2023)
    assert len(first) == 48
    assert all(r["change"] is None and r["previous_doc_id"] is None for r in first.values())
    assert first[("SAP", "12.1.3.1")]["lineage_id"] == f"{SERIES}/2023/SAP/12.1.3.1"


def test_renumbered_and_moved_objectives_keep_their_lineage(lineage) -> None:
    y2024 = rows_of(lineage, "Comune di Alfaterna", 2024)
    y2025 = rows_of(lineage, "Comune di Alfaterna", 2025)
    renumbered = y2024[("SAP", "12.1.3.2")]
    assert renumbered["change"] == "renumbered"
    assert renumbered["lineage_id"] == f"{SERIES}/2023/SAP/12.1.3.1"
    assert (renumbered["previous_sector_code"], renumbered["previous_objective_code"]) == (
        "SAP",
        "12.1.3.1",
    )
    assert renumbered["match_score"] == 100
    moved = y2024[("TEC", "1.5.3")]
    assert moved["change"] == "moved" and moved["lineage_id"] == f"{SERIES}/2023/FIN/1.5.3"
    # one more edition on: same ids, now unchanged
    assert y2025[("SAP", "12.1.3.2")]["lineage_id"] == f"{SERIES}/2023/SAP/12.1.3.1"
    assert y2025[("SAP", "12.1.3.2")]["change"] == "same"
    assert y2025[("TEC", "1.5.3")]["lineage_id"] == f"{SERIES}/2023/FIN/1.5.3"


def test_added_objectives_start_a_lineage_in_their_edition(lineage) -> None:
    y2024 = rows_of(lineage, "Comune di Alfaterna", 2024)
    added = {key: r["lineage_id"] for key, r in y2024.items() if r["change"] == "added"}
    planted = {
        (p["sector_code"], p["objective_code"])
        for p in PLANTED["planted"]
        if p["change"] == "added"
    }
    assert set(added) == planted == {("FIN", "1.5.4"), ("TEC", "9.3.2.12")}
    assert added[("TEC", "9.3.2.12")] == f"{SERIES}/2024/TEC/9.3.2.12"
    ids = {r["lineage_id"] for r in lineage if r["series"] == SERIES}
    assert len(ids) == 50  # 48 from 2023 + 2 added in 2024; removals end a lineage


def test_modified_means_a_substantive_change(lineage) -> None:
    y2024 = rows_of(lineage, "Comune di Alfaterna", 2024)
    modified = {key for key, r in y2024.items() if r["change"] == "modified"}
    planted = {
        (p["sector_code"], p["objective_code"])
        for p in PLANTED["planted"]
        if p["change"] == "modified" and p["field"] != "weighting_pct"
    }
    assert modified == planted
    # 2025: one SAP weight raised, every SAP ponderazione recomputed: only that one modified
    y2025 = rows_of(lineage, "Comune di Alfaterna", 2025)
    assert {k for k, r in y2025.items() if r["change"] == "modified"} == {("SAP", "12.1.1.1")}
    assert y2025[("SAP", "12.1.1.1")]["weight"] == y2024[("SAP", "12.1.1.1")]["weight"] + 1
    assert ("TEC", "9.3.2.10") not in y2025


def test_chained_diff_by_ente_writes_every_consecutive_pair(data, tmp_path, capsys) -> None:
    out = tmp_path / "diff"
    args = ["diff", "--ente", "comune di alfaterna", "--data", str(data), "--out", str(out)]
    assert main([*args, "--format", "html"]) == 0
    table = pq.read_table(out / "changes.parquet")
    assert table.schema == DIFF_TABLES["changes"].schema
    rows = table.to_pylist()
    by_edition = {year: [r for r in rows if r["edition"] == year] for year in (2024, 2025)}
    assert len(rows) == len(by_edition[2024]) + len(by_edition[2025])
    assert {(r["ente"], r["series"]) for r in rows} == {("Comune di Alfaterna", SERIES)}
    assert len(by_edition[2024]) == len(PLANTED["planted"]) == 64
    later = by_edition[2025]
    assert [(r["sector_code"], r["objective_code"]) for r in later if r["change"] == "removed"] == [
        ("TEC", "9.3.2.10")
    ]
    weight = [r for r in later if r["field"] == "weight"]
    assert [(r["objective_code"], r["old_value"], r["new_value"]) for r in weight] == [
        ("12.1.1.1", "5", "6")
    ]
    pct = [r for r in later if r["field"] == "weighting_pct"]
    assert len(pct) == 15 + 17 and all(r["recomputed"] for r in pct)  # every SAP, TEC left
    printed = capsys.readouterr().out
    assert "Comune di Alfaterna 2024 -> Comune di Alfaterna 2025" in printed
    assert "removed 1, renumbered 0, moved 0, modified 1, recomputed 31" in printed
    html = (out / "changes.html").read_text(encoding="utf-8")
    assert (
        "<title>Confronto tra 3 edizioni: Comune di Alfaterna 2023 → Comune di Alfaterna 2025"
        in html
    )
    assert "Comune di Alfaterna 2023 → Comune di Alfaterna 2024" in html


def test_chained_diff_of_files_equals_the_chain_by_ente(data, editions_corpus, tmp_path) -> None:
    raw_names = [r["file"] for r in editions_corpus[1] if r["ente"] == "Comune di Alfaterna"]
    documents = read_table(TABLES["documents"], data).to_pylist()
    doc_ids = [next(d["doc_id"] for d in documents if d["source_name"] == n) for n in raw_names]
    out = tmp_path / "chain"
    assert main(["diff", *doc_ids, "--data", str(data), "--out", str(out)]) == 0
    chain = pq.read_table(out / "changes.parquet").to_pylist()
    assert [r["edition"] for r in chain].count(2025) == 34
    assert {(r["old_doc_id"], r["new_doc_id"]) for r in chain} == {
        (doc_ids[0], doc_ids[1]),
        (doc_ids[1], doc_ids[2]),
    }


def test_diff_needs_two_editions_or_an_ente(data, capsys) -> None:
    assert main(["diff", "--data", str(data)]) == 2
    assert "give two or more EDITIONs, or --ente X" in capsys.readouterr().err
    assert main(["diff", "--ente", "Comune di Nessunluogo", "--data", str(data)]) == 1
    assert "no edition of ente 'Comune di Nessunluogo'" in capsys.readouterr().err
