"""The lineage and changes refresh that recomputes only the stale series, a few documents
at a time, into files by group of series: each series' rows those of the whole rebuild,
whatever was added, replaced, removed or missed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import schema
from compare import history_files as files
from compare import refresh as flat
from compare.history import refresh_history
from compare.lineage import edition_key
from piao.parallel import worker_processes
from schema import DERIVED_TABLES, TABLES

ROOT = Path(__file__).resolve().parents[2]
T = ("changes", "lineage")


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


def by_series(rows: list[dict]) -> dict[str, list[dict]]:
    """series -> its rows, in stored order."""
    found: dict[str, list[dict]] = {}
    for row in rows:
        found.setdefault(row["series"], []).append(row)
    return found


def tables(out: Path) -> dict[str, dict[str, list[dict]]]:
    """table -> series -> its rows, as the loader reads them."""
    return {
        name: by_series(schema.read_table(DERIVED_TABLES[name], out).to_pylist())
        for name in ("lineage", "changes")
    }


def rebuilt(out: Path, tmp_path: Path) -> dict[str, dict[str, list[dict]]]:
    """The tables the whole rebuild (refresh_history) writes for a copy of ``out``."""
    copy = tmp_path / "whole"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(out, copy)
    refresh_history(copy)
    return tables(copy)


def history_files(out: Path) -> dict[str, tuple[int, int]]:
    """Every file of the history (groups and index) -> its inode and modification time."""
    paths = [*out.glob("lineage/*/*.parquet"), *out.glob("changes/*/*.parquet")]
    paths.append(out / files.index_path(out).name)
    return {
        path.relative_to(out).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in paths
    }


def store_again(out: Path, doc: str, change: dict[str, object]) -> None:
    """Store a document's rows again (as ``piao extract --force`` does), its documents row
    changed by ``change``."""
    records = {}
    for name, table in TABLES.items():
        arrow = schema.read_table(table, out)
        records[name] = [r for r in arrow.to_pylist() if r["doc_id"] == doc] if arrow else []
    records["documents"][0].update(change)
    schema.replace_documents(records, out)


def test_refresh_writes_what_the_whole_rebuild_writes(folder, tmp_path):
    done = flat.refresh(folder)
    assert tables(folder) == rebuilt(folder, tmp_path)
    assert (len(done.series), len(done.chained), done.recomputed) == (3, 3, 3)
    assert done.changes == sum(len(rows) for rows in tables(folder)["changes"].values()) > 0


def test_history_is_stored_in_files_by_group_of_series(folder):
    flat.refresh(folder)
    documents = schema.read_table("documents", folder).to_pylist()
    expected = {files.part_of(edition_key(d).group) for d in documents}
    assert {p.parent.name for p in folder.glob("lineage/*/part-00000000.parquet")} == expected
    for path in folder.glob("lineage/*/*.parquet"):
        names = pq.read_table(path, columns=["series"])["series"].to_pylist()
        assert names == sorted(names)  # series by series, in name order
    lineage = pd.read_parquet(folder / "lineage")  # a plain reader, the folder as it is
    assert len(lineage) == sum(len(rows) for rows in tables(folder)["lineage"].values()) > 0
    assert not (folder / "lineage.parquet").exists()
    assert files.read_index(folder).num_rows == 9


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
        flat,
        "read_editions",
        lambda out, ids, *more: read.append(set(ids)) or real(out, ids, *more),
    )
    touched = doc_id(folder, "Comune di Borgoverde", 2025)
    done = flat.refresh(folder, [touched])
    assert done.recomputed == 1
    assert read == [{doc_id(folder, "Comune di Borgoverde", year) for year in (2023, 2024, 2025)}]
    assert tables(folder) == rebuilt(folder, tmp_path)
    assert (done.series_count, done.changes) == (3, flat.refresh(folder).changes)


def test_a_refresh_rewrites_only_the_files_of_the_stale_group(folder):
    flat.refresh(folder)
    before = history_files(folder)
    touched = doc_id(folder, "Comune di Borgoverde", 2025)
    flat.refresh(folder, [touched])
    after = history_files(folder)
    changed = sorted(name for name in after if after[name] != before.get(name))
    documents = schema.read_table("documents", folder).to_pylist()
    part = files.part_of(edition_key(next(d for d in documents if d["doc_id"] == touched)).group)
    assert changed == [".piao-history.index", *(f"{t}/{part}/part-00000000.parquet" for t in T)]
    assert set(after) == set(before) and len(before) > 3  # the other groups' files as they were


def test_a_removed_document_recomputes_the_series_it_left(folder, tmp_path):
    flat.refresh(folder)
    gone = doc_id(folder, "Comune di Alfaterna", 2024)
    schema.replace_documents({}, folder, remove=[gone])
    done = flat.refresh(folder, [])
    assert done.recomputed == 1
    assert gone not in {r["doc_id"] for rows in tables(folder)["lineage"].values() for r in rows}
    assert sorted(len(one.keys) for one in done.chained) == [2, 3, 3]
    assert tables(folder) == rebuilt(folder, tmp_path)


def test_a_document_moved_to_another_series_recomputes_both(folder, tmp_path):
    """A re-extraction that reads another administration: the series it left and the one
    it joined are both recomputed, each decided from the stored keys."""
    flat.refresh(folder)
    moved = doc_id(folder, "Comune di Borgoverde", 2024)
    store_again(folder, moved, {"ente": "Comune di Alfaterna", "ente_key": "alfaterna"})
    done = flat.refresh(folder, [moved])
    assert done.recomputed == 2
    assert sorted(len(one.keys) for one in done.chained) == [2, 3, 4]
    assert tables(folder) == rebuilt(folder, tmp_path)


def test_a_document_the_index_does_not_list_recomputes_its_series(folder, tmp_path):
    """A document written by a run whose refresh did not happen (cut short)."""
    missed = doc_id(folder, "Comune di Castelmarino", 2023)
    records = {
        name: [r for r in schema.read_table(table, folder).to_pylist() if r["doc_id"] == missed]
        for name, table in TABLES.items()
    }
    schema.replace_documents({}, folder, remove=[missed])
    flat.refresh(folder)
    schema.replace_documents(records, folder)  # back, and no refresh
    done = flat.refresh(folder, [])
    assert done.recomputed == 1
    assert tables(folder) == rebuilt(folder, tmp_path)


def test_a_group_file_that_disagrees_with_the_index_recomputes_every_series(folder, tmp_path):
    flat.refresh(folder)
    touched = doc_id(folder, "Comune di Castelmarino", 2023)
    path = next(folder.glob("lineage/*/*.parquet"))
    for candidate in folder.glob("lineage/*/*.parquet"):
        if touched in pq.read_table(candidate)["doc_id"].to_pylist():
            path = candidate
    stored = pq.read_table(path)
    pq.write_table(stored.slice(1), path)  # a row lost by hand
    assert flat.refresh(folder, [touched]).recomputed == 3
    assert tables(folder) == rebuilt(folder, tmp_path)


def test_two_series_of_one_name_are_decided_over_the_whole_folder(folder, tmp_path):
    """A document stored without ente_key (an earlier version) is a series of its own whose
    name is also the other's: which one is suffixed depends on every series of the folder,
    so every series is recomputed."""
    flat.refresh(folder)
    older = doc_id(folder, "Comune di Borgoverde", 2023)
    store_again(folder, older, {"ente_key": None})
    done = flat.refresh(folder, [older])
    assert done.recomputed == 4
    assert len(tables(folder)["lineage"]) == 4
    assert tables(folder) == rebuilt(folder, tmp_path)


def test_nothing_stale_recomputes_nothing(folder):
    flat.refresh(folder)
    before = history_files(folder)
    assert flat.refresh(folder, []).recomputed == 0
    assert history_files(folder) == before


def test_the_single_files_of_the_earlier_layout_are_migrated(folder, tmp_path):
    """A folder whose lineage and changes are one file each (no index): the first refresh,
    even of one document, recomputes every series into groups and removes the files."""
    whole = refresh_history(folder)
    shutil.rmtree(folder / "lineage")
    shutil.rmtree(folder / "changes")
    files.index_path(folder).unlink()
    pq.write_table(flat.lineage_table(whole.lineage), folder / "lineage.parquet")
    pq.write_table(flat.changes_table(whole.changes), folder / "changes.parquet")
    assert schema.read_table(DERIVED_TABLES["lineage"], folder).num_rows == len(whole.lineage)
    done = flat.refresh(folder, [doc_id(folder, "Comune di Borgoverde", 2025)])
    assert done.recomputed == 3
    assert not (folder / "lineage.parquet").exists() and not (folder / "changes.parquet").exists()
    assert files.read_index(folder).num_rows == 9
    assert tables(folder) == rebuilt(folder, tmp_path)


def test_adds_replacements_and_removals_across_series_equal_the_whole_rebuild(folder, tmp_path):
    flat.refresh(folder)
    removed = doc_id(folder, "Comune di Alfaterna", 2023)
    moved = doc_id(folder, "Comune di Castelmarino", 2025)
    schema.replace_documents({}, folder, remove=[removed])
    store_again(folder, moved, {"ente": "Comune di Borgoverde", "ente_key": "borgoverde"})
    flat.refresh(folder, [moved])
    assert tables(folder) == rebuilt(folder, tmp_path)
    store_again(folder, moved, {"ente": "Comune di Castelmarino", "ente_key": "castelmarino"})
    done = flat.refresh(folder, [moved])
    assert done.recomputed == 2
    assert tables(folder) == rebuilt(folder, tmp_path)


def test_groups_are_built_and_staged_one_at_a_time(folder, monkeypatch):
    steps = []
    rows, stage = flat.part_rows, schema.stage_table
    monkeypatch.setattr(flat, "part_rows", lambda *a: steps.append("rows") or rows(*a))
    monkeypatch.setattr(schema, "stage_table", lambda *a: steps.append("stage") or stage(*a))
    flat.refresh(folder)
    parts = len(list(folder.glob("lineage/*/*.parquet")))
    assert parts > 1
    assert steps == ["rows", "stage", "stage"] * parts + ["stage"]  # then the index


def test_editions_are_held_a_chunk_at_a_time(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(flat, "CHUNK_DOCUMENTS", 2)
    read = []
    real = flat.read_editions
    monkeypatch.setattr(
        flat,
        "read_editions",
        lambda out, ids, *more: read.append(len(ids)) or real(out, ids, *more),
    )
    flat.refresh(folder)
    assert read == [3, 3, 3]  # a series is held whole, one at a time here
    assert tables(folder) == rebuilt(folder, tmp_path)


def test_a_folder_without_documents_writes_nothing(tmp_path):
    done = flat.refresh(tmp_path)
    assert (done.series, done.changes) == ([], 0)
    assert not (tmp_path / "lineage").exists()


def test_a_refresh_of_a_touched_document_imports_no_pyarrow_compute(folder):
    flat.refresh(folder)
    touched = doc_id(folder, "Comune di Borgoverde", 2025)
    code = (  # as piao extract runs it: pyarrow's probe for pandas answered without it
        "import sys; from piao.commands.extract import skip_pyarrow_pandas_probe; "
        "skip_pyarrow_pandas_probe(); from compare.refresh import refresh; "
        f"done = refresh({str(folder)!r}, [{touched!r}]); "
        "print(done.recomputed, 'pyarrow.compute' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.stdout.split() == ["1", "False"], run.stderr


def test_lineage_ids_and_rows_are_counted_as_the_whole_rebuild_counts(folder):
    done = flat.refresh(folder, count_lineage_ids=True)
    whole = refresh_history(folder)
    expected = {one.name: len({r["lineage_id"] for r in one.lineage}) for one in whole.series}
    assert {one.name: one.lineage_ids for one in done.series} == expected
    assert done.lineage == len(whole.lineage) == sum(map(len, tables(folder)["lineage"].values()))


def test_a_name_and_its_suffixed_form_collide():
    suffixed = "comune-di-borgoverde/allegato1-d27f85f7"
    assert flat.collides({"comune-di-borgoverde/allegato1"}, {suffixed})
    assert flat.collides({suffixed}, {"comune-di-borgoverde/allegato1", "x/piano"})
    assert not flat.collides({"comune-di-borgoverde/allegato2"}, {suffixed})


def test_a_history_write_cut_short_after_its_journal_is_finished_by_recovery(
    folder, tmp_path, monkeypatch
):
    """The group files and the index are renamed by one journaled write: a crash before
    the renames leaves the old history, and the next command's recovery the new one."""
    from storage import journal

    flat.refresh(folder)
    moved = doc_id(folder, "Comune di Borgoverde", 2024)
    store_again(folder, moved, {"ente": "Comune di Alfaterna", "ente_key": "alfaterna"})
    with monkeypatch.context() as patch:
        patch.setattr(journal, "replay", lambda steps: (_ for _ in ()).throw(OSError("cut")))
        with pytest.raises(OSError):
            flat.refresh(folder, [moved])
    assert journal.journal_path(folder).is_file()
    assert journal.recover(folder) == "finished a write cut short (5 files)"
    assert tables(folder) == rebuilt(folder, tmp_path)
    assert flat.refresh(folder, []).recomputed == 0


def test_a_series_of_one_edition_reads_its_documents_and_objectives_only(
    folder, tmp_path, monkeypatch
):
    """Its lineage rows name its objectives, and it has no pair to compare: its items and
    dates (the largest files) are not read."""
    alone = doc_id(folder, "Comune di Alfaterna", 2025)
    gone = [doc_id(folder, "Comune di Alfaterna", year) for year in (2023, 2024)]
    schema.replace_documents({}, folder, remove=gone)
    flat.refresh(folder)
    read = []
    real = flat.group_rows
    monkeypatch.setattr(
        flat, "group_rows", lambda *args: read.append(tuple(args[3])) or real(*args)
    )
    assert flat.refresh(folder, [alone]).recomputed == 1
    assert read == [("documents", "objectives")]
    assert tables(folder) == rebuilt(folder, tmp_path)


def test_groups_built_by_worker_processes_are_those_built_here(folder, tmp_path):
    here = tmp_path / "here"
    shutil.copytree(folder, here)
    flat.refresh(here)
    with worker_processes(2, minimum=1) as processes:
        done = flat.refresh(folder, mapper=processes.map)
    assert tables(folder) == tables(here)
    assert files.read_index(folder).equals(files.read_index(here))
    assert (done.series_count, done.recomputed) == (3, 3)


def test_group_rows_reads_only_the_files_of_the_writes_holding_the_documents(
    normalized, tmp_path, monkeypatch
):
    first, second = "aa" + "0" * 14, "aa" + "1" * 14
    for doc in (first, second):  # two writes into group aa
        records = {
            n: [{**r, "doc_id": doc} for r in rows] for n, rows in normalized.records.items()
        }
        schema.replace_documents(records, tmp_path)
    read: list[str] = []
    real = schema.read_file
    monkeypatch.setattr(
        schema,
        "read_file",
        lambda t, p, **k: read.append(p.relative_to(tmp_path).as_posix()) or real(t, p, **k),
    )
    rows = flat.group_rows(tmp_path, "aa", {second}, ("documents", "objectives"))
    assert {r["doc_id"] for r in rows["documents"]} == {second}
    assert len(rows["objectives"]) == len(normalized.records["objectives"]) == 48
    assert read == ["documents/aa/part-00000002.parquet", "objectives/aa/part-00000002.parquet"]
