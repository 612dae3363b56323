"""The analyst's folder: 4 administrations x 3 editions with mixed file names and no sidecar
(ente printed for two, given by a manifest.csv for two), two attachments of an unknown
administration, a README and a picture (tests/fixtures/make_series.py). One `piao extract`
must give one series per administration, lineage and changes kept current, and never chain
a document without ente."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from piao.cli import main
from schema import DERIVED_TABLES, read_table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PLANTED = json.loads((FIXTURES / "edition_2024_changes.json").read_text(encoding="utf-8"))
ENTI = {"Comune di Alfaterna", "Comune di Borgoverde", "Comune di Castelmarino"}
ENTI |= {"Comune di Dorsolungo"}
#: Administrations whose editions keep every FIN objective (make_series removes n % 3).
UNTOUCHED = {"Comune di Alfaterna", "Comune di Dorsolungo"}
#: Objectives found under the same sector and code in an edition and the one before it.
PAIRED = 358


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[Path, list[dict], str, str]:
    """(tables folder, the generator's records, stdout, stderr) of one extract."""
    spec = importlib.util.spec_from_file_location("make_series", FIXTURES / "make_series.py")
    assert spec and spec.loader
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    folder = tmp_path_factory.mktemp("series")
    raw, clean = folder / "raw", folder / "clean"
    records = generator.write_corpus(raw)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["extract", str(raw), "--out", str(clean), "--workers", "1", "-v"]) == 0
    return clean, records, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def documents(run) -> dict[str, dict]:
    return {row["source_name"]: row for row in read_table("documents", run[0]).to_pylist()}


@pytest.fixture(scope="module")
def lineage(run) -> list[dict]:
    return read_table(DERIVED_TABLES["lineage"], run[0]).to_pylist()


@pytest.fixture(scope="module")
def changes(run) -> list[dict]:
    return read_table(DERIVED_TABLES["changes"], run[0]).to_pylist()


def test_ente_comes_from_the_text_or_the_manifest(run, documents) -> None:
    given = {Path(r["file"]).name: (r["ente"], r["given_by"]) for r in run[1]}
    assert {name: (d["ente"], d["ente_source"]) for name, d in documents.items()} == given
    assert len(documents) == 14


def test_each_administration_is_one_series_of_three_editions(lineage) -> None:
    series = {(r["ente"], r["series"], r["edition"]) for r in lineage if r["ente"]}
    by_ente = Counter(ente for ente, _series, _year in series)
    assert by_ente == dict.fromkeys(ENTI, 3)
    names = {r["series"] for r in lineage if r["ente"]}
    assert names == {
        "comune-di-alfaterna/allegato1",
        "comune-di-borgoverde/allegato1",
        "comune-di-castelmarino/allegato1",
        "comune-di-dorsolungo/allegato1",
    }


def test_lineage_pairs_every_objective_present_in_two_editions(lineage) -> None:
    by_doc: dict[str, set[tuple[str, str]]] = {}
    for row in lineage:
        by_doc.setdefault(row["doc_id"], set()).add((row["sector_code"], row["objective_code"]))
    paired = 0
    for row in lineage:
        previous = row["previous_doc_id"]
        here = (row["sector_code"], row["objective_code"])
        if previous is not None and here in by_doc[previous]:
            assert row["change"] in ("same", "modified"), row
            assert (row["previous_sector_code"], row["previous_objective_code"]) == here
            paired += 1
    assert paired == PAIRED


def test_no_document_without_ente_is_chained(lineage, changes, documents) -> None:
    unknown = {d["doc_id"] for d in documents.values() if d["ente"] is None}
    assert len(unknown) == 2
    rows = [r for r in lineage if r["doc_id"] in unknown]
    assert {r["edition_seq"] for r in rows} == {1}
    assert {r["previous_doc_id"] for r in rows} == {None}
    assert len({r["series"] for r in rows}) == 2
    assert not [r for r in changes if {r["old_doc_id"], r["new_doc_id"]} & unknown]


def test_changes_hold_every_planted_change_of_every_administration(changes) -> None:
    for ente in ENTI:
        mine = [r for r in changes if r["ente"] == ente]
        y2024 = [r for r in mine if r["edition"] == 2024]
        whole = ente in UNTOUCHED  # else its FIN sector shrank: FIN percentages differ
        assert len(y2024) == 64 or not whole
        for planted in PLANTED["planted"]:
            if planted["field"] == "weighting_pct" and not whole:
                continue
            assert any(
                all(r[k] == planted[k] for k in ("change", "level", "sector_code", "field"))
                and r["objective_code"] == planted["objective_code"]
                for r in y2024
            ), (ente, planted)
        y2025 = [r for r in mine if r["edition"] == 2025]
        assert [(r["objective_code"]) for r in y2025 if r["change"] == "removed"] == ["9.3.2.10"]
        weight = [(r["objective_code"], r["old_value"], r["new_value"]) for r in y2025]
        assert ("12.1.1.1", "5", "6") in weight


def test_the_run_ends_with_the_documents_without_ente_and_notes_the_clutter(run) -> None:
    _clean, _records, out, err = run
    assert out.splitlines()[-1].split("; ")[0] == "14 extracted, 0 skipped as unchanged, 0 failed"
    before_last = out.splitlines()[-2]
    assert before_last.startswith("2 documents without ente") and "manifest.csv" in before_last
    note = next(line for line in err.splitlines() if line.startswith("piao: skipped"))
    assert note.startswith("piao: skipped 3 files that are not an attachment: ")
    for name in ("README.md", "copertina.png", "manifest.csv"):
        assert name in note
    assert "Comune di Dorsolungo: 3 editions (2023, 2024, 2025)" in out


@pytest.fixture(scope="module")
def site(run, tmp_path_factory) -> Path:
    """The report folder of the run's tables."""
    out = tmp_path_factory.mktemp("site") / "report"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["report", "--data", str(run[0]), "--out", str(out)]) == 0
    return out


def test_the_ente_page_lists_every_modified_objective_with_what_changed(site, lineage) -> None:
    for ente in ENTI:
        slug = ente.lower().replace(" ", "-")
        page = (site / f"ente-{slug}.html").read_text(encoding="utf-8")
        modified = [r for r in lineage if r["ente"] == ente and r["change"] == "modified"]
        assert len(modified) >= 8
        for row in modified:
            code = f"<span class='codice'>{row['sector_code']} {row['objective_code']}</span>"
            assert code in page, (ente, row["objective_code"])
        assert "Modificati nell'edizione 2024" in page
        assert "peso 3 → 5" in page  # STAFF 1.3.1, planted in 2024
        assert "peso 5 → 6" in page  # SAP 12.1.1.1, in 2025
        assert "scadenza a) 30/04/2023 → 30/06/2023 (+61 giorni)" in page


def test_the_diff_of_an_ente_by_part_of_its_name_lists_substantive_changes_first(
    run, tmp_path
) -> None:
    out = tmp_path / "diff"
    args = ["diff", "--ente", "dorsolungo", "--data", str(run[0]), "--out", str(out)]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main([*args, "--format", "markdown"]) == 0
    report = (out / "changes.md").read_text(encoding="utf-8")
    assert report.startswith(
        "# Confronto tra 3 edizioni: Comune di Dorsolungo 2023 → Comune di Dorsolungo 2025"
    )
    for pair in report.split("\n## ")[2:]:
        headings = [line for line in pair.splitlines() if line.startswith("### ")]
        assert headings[-1] == "### Ponderazioni solo ricalcolate", headings
        assert len(headings) > 2


def test_a_part_of_several_names_is_an_error_listing_them(run, tmp_path, capsys) -> None:
    args = ["diff", "--ente", "comune", "--data", str(run[0]), "--out", str(tmp_path)]
    assert main(args) == 1
    assert "ambiguous" in capsys.readouterr().err


def test_the_index_tells_apart_the_documents_of_unknown_administrations(site) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Ente non indicato (ignoto_2023.txt)" in index
    assert "Ente non indicato (ignoto_2024.txt)" in index
    assert index.count('class="modifiche"') == 4 * 2  # editions 2024 and 2025 of each ente
