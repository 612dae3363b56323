"""The lineage and changes refresh that recomputes only the stale series, a few documents
at a time: the same tables as the whole rebuild, whatever was added, removed or missed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import schema
from compare import refresh as flat
from compare.history import refresh_history


@pytest.fixture
def folder(editions_corpus, tmp_path) -> Path:
    """A copy of the 9 extracted editions (3 administrations x 2023, 2024, 2025)."""
    out = tmp_path / "clean"
    shutil.copytree(editions_corpus[0], out)
    return out


def doc_id(out: Path, ente: str, year: int) -> str:
    """The doc_id of the edition of ``ente`` whose period starts in ``year``."""
    documents = schema.read_table("documents", out).to_pylist()
    return next(
        d["doc_id"] for d in documents if d["ente"] == ente and d["period_start"].year == year
    )


def tables(out: Path) -> dict[str, object]:
    return {name: pq.read_table(out / f"{name}.parquet") for name in ("lineage", "changes")}


def rebuilt(out: Path, tmp_path: Path) -> dict[str, object]:
    """The tables the whole rebuild (refresh_history) writes for a copy of ``out``."""
    copy = tmp_path / "whole"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(out, copy)
    refresh_history(copy)
    return tables(copy)


def test_refresh_writes_what_the_whole_rebuild_writes(folder, tmp_path):
    done = flat.refresh(folder)
    assert tables(folder) == rebuilt(folder, tmp_path)
    assert (len(done.series), len(done.chained), done.recomputed) == (3, 3, 3)
    assert done.changes == tables(folder)["changes"].num_rows > 0


def test_substantive_counts_are_those_of_the_whole_rebuild(folder, tmp_path):
    done = flat.refresh(folder)
    whole = refresh_history(folder)
    expected = {
        one.name: sum(1 for rows in one.changes for r in rows if not r.get("recomputed"))
        for one in whole.series
    }
    assert {one.name: one.changes for one in done.series} == expected
    assert all(count > 0 for count in expected.values())


def test_a_touched_document_recomputes_its_series_only(folder, tmp_path, monkeypatch):
    flat.refresh(folder)
    read = []
    real = flat.read_editions
    monkeypatch.setattr(
        flat, "read_editions", lambda out, ids: read.append(set(ids)) or real(out, ids)
    )
    touched = doc_id(folder, "Comune di Borgoverde", 2025)
    done = flat.refresh(folder, [touched])
    assert done.recomputed == 1
    assert read == [{doc_id(folder, "Comune di Borgoverde", year) for year in (2023, 2024, 2025)}]
    assert tables(folder) == rebuilt(folder, tmp_path)


def test_a_removed_document_recomputes_the_series_it_left(folder, tmp_path):
    flat.refresh(folder)
    gone = doc_id(folder, "Comune di Alfaterna", 2024)
    schema.replace_documents({}, folder, remove=[gone])
    done = flat.refresh(folder, [])
    assert done.recomputed == 1
    lineage = tables(folder)["lineage"]
    assert gone not in set(lineage["doc_id"].to_pylist())
    assert [len(one.keys) for one in done.series] == [2, 3, 3]
    assert tables(folder) == rebuilt(folder, tmp_path)


def test_a_document_no_lineage_row_names_recomputes_its_series(folder, tmp_path):
    flat.refresh(folder)
    missed = doc_id(folder, "Comune di Castelmarino", 2023)
    lineage = pq.read_table(folder / "lineage.parquet")
    pq.write_table(
        lineage.filter(pc.not_equal(lineage["doc_id"], missed)), folder / "lineage.parquet"
    )
    done = flat.refresh(folder, [])
    assert done.recomputed == 1
    assert tables(folder) == rebuilt(folder, tmp_path)


def test_nothing_stale_recomputes_nothing(folder):
    flat.refresh(folder)
    before = tables(folder)
    assert flat.refresh(folder, []).recomputed == 0
    assert tables(folder) == before


def test_editions_are_held_a_chunk_at_a_time(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(flat, "CHUNK_DOCUMENTS", 2)
    read = []
    real = flat.read_editions
    monkeypatch.setattr(
        flat, "read_editions", lambda out, ids: read.append(len(ids)) or real(out, ids)
    )
    flat.refresh(folder)
    assert read == [3, 3, 3]  # a series is held whole, one at a time here
    assert tables(folder) == rebuilt(folder, tmp_path)


def test_a_folder_without_documents_writes_nothing(tmp_path):
    done = flat.refresh(tmp_path)
    assert (done.series, done.changes) == ([], 0)
    assert not (tmp_path / "lineage.parquet").exists()


def test_stored_tables_without_a_schema_column_are_recomputed_whole(folder, tmp_path):
    flat.refresh(folder)
    lineage = pq.read_table(folder / "lineage.parquet")
    pq.write_table(lineage.drop_columns(["weight"]), folder / "lineage.parquet")
    assert flat.refresh(folder, []).recomputed == 3
    assert tables(folder) == rebuilt(folder, tmp_path)


def test_lineage_ids_and_rows_are_counted_as_the_whole_rebuild_counts(folder):
    done = flat.refresh(folder, count_lineage_ids=True)
    whole = refresh_history(folder)
    expected = {one.name: len({r["lineage_id"] for r in one.lineage}) for one in whole.series}
    assert {one.name: one.lineage_ids for one in done.series} == expected
    assert done.lineage == len(whole.lineage) == tables(folder)["lineage"].num_rows
