"""The history stamp: ``lineage`` and ``changes`` rebuilt only when the rows they are built
from changed (compare/stamp.py, refresh_if_changed), on a copy of the 9
extracted editions (tests/fixtures/make_editions.py)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from compare import stamp
from compare.stamp import refresh_if_changed
from piao.parallel import worker_processes
from schema import DERIVED_TABLES, TABLES, read_table, replace_documents


@pytest.fixture
def data(editions_corpus, tmp_path) -> Path:
    """A copy of the extracted editions, its history refreshed once (the stamp written)."""
    clean = tmp_path / "clean"
    shutil.copytree(editions_corpus[0], clean)
    refresh_if_changed(clean, code="c1")
    return clean


def rewrite(
    data: Path, doc_id: str, change: dict[str, object] | None = None, table: str = "objectives"
) -> None:
    """Store a document's rows again (new files, as ``piao extract --force`` does), its
    first row of ``table`` changed by ``change``."""
    records = {}
    for name, schema_table in TABLES.items():
        arrow = read_table(schema_table, data)
        rows = [r for r in arrow.to_pylist() if r["doc_id"] == doc_id] if arrow else []
        records[name] = rows
    if change:
        records[table][0].update(change)
    replace_documents(records, data)


def identity(data: Path) -> list[list[int] | None]:
    return list(stamp.output_files(data).values())


def first_doc(data: Path) -> str:
    return str(read_table("documents", data)["doc_id"][0].as_py())


def test_first_refresh_counts_the_series_and_writes_the_stamp(data) -> None:
    summary = refresh_if_changed(data, code="c1")
    assert (summary.series, summary.changes) == (3, 291)
    assert read_table(DERIVED_TABLES["changes"], data).num_rows == 291
    assert [one.editions for one in summary.chained] == [["2023", "2024", "2025"]] * 3
    assert (data / stamp.STAMP_NAME).is_file()
    assert len(stamp.read_stamp(data).digests) == 4 * 9


def test_rows_stored_again_unchanged_rebuild_nothing(data) -> None:
    before, summary = identity(data), refresh_if_changed(data, code="c1")
    rewrite(data, first_doc(data))
    assert refresh_if_changed(data, code="c1") == summary
    assert identity(data) == before


def test_a_changed_row_rebuilds(data) -> None:
    before = identity(data)
    rewrite(data, first_doc(data), {"title": "Un obiettivo riscritto da capo"})
    refresh_if_changed(data, code="c1")
    assert identity(data) != before


def test_a_removed_document_rebuilds(data) -> None:
    before = refresh_if_changed(data, code="c1")
    replace_documents({}, data, remove=[first_doc(data)])
    after = refresh_if_changed(data, code="c1")
    assert after.series == before.series
    assert sum(len(one.editions) for one in after.chained) < sum(
        len(one.editions) for one in before.chained
    )


def test_other_code_or_threshold_rebuilds(data) -> None:
    before = identity(data)
    refresh_if_changed(data, code="c2")
    assert identity(data) != before
    middle = identity(data)
    refresh_if_changed(data, 70.0, code="c2")
    assert identity(data) != middle


def test_history_rewritten_since_rebuilds(data) -> None:
    shutil.rmtree(data / "lineage")
    refresh_if_changed(data, code="c1")
    assert len(list((data / "lineage").glob("*/part-00000000.parquet"))) == 3


def test_a_document_in_two_files_of_one_table_cannot_be_vouched_for(data) -> None:
    files = stamp.compared_files(data)
    objectives = next(name for name in files if name.startswith("objectives/"))
    copy = data / Path(objectives).with_name("part-99999999.parquet")
    shutil.copyfile(data / objectives, copy)
    assert stamp.current_digests(data, stamp.compared_files(data), stamp.read_stamp(data)) is None


def test_a_new_extraction_time_alone_rebuilds_nothing(data) -> None:
    before = identity(data)
    later = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    rewrite(data, first_doc(data), {"extracted_at": later}, table="documents")
    refresh_if_changed(data, code="c1")
    assert identity(data) == before
    assert read_table("documents", data)["extracted_at"].to_pylist().count(later) == 1


def test_only_the_files_written_since_are_read(data, monkeypatch) -> None:
    read: list[str] = []
    digests = stamp.file_digests

    def counted(folder: Path, relative: str) -> dict[str, str]:
        read.append(relative.split("/")[0])
        return digests(folder, relative)

    monkeypatch.setattr(stamp, "file_digests", counted)
    shutil.rmtree(data / "lineage")  # a rebuild, its inputs unchanged: nothing read
    refresh_if_changed(data, code="c1")
    assert read == []
    rewrite(data, first_doc(data))
    refresh_if_changed(data, code="c1")
    assert sorted(read) == ["dates", "documents", "items", "objectives"]


def test_a_run_that_wrote_some_documents_refreshes_their_series_and_keeps_no_stamp(data) -> None:
    """An add or a re-extraction of a few documents into a larger folder: the stamp would
    stat and digest every file (a cost growing with the folder), so the run refreshes the
    series it touched and drops the stamp."""
    whole, before = refresh_if_changed(data, code="c1"), identity(data)
    doc_id = first_doc(data)
    rewrite(data, doc_id, {"title": "Un obiettivo riscritto da capo"})
    summary = refresh_if_changed(data, code="c1", touched=[doc_id])
    assert not (data / stamp.STAMP_NAME).exists()
    assert (summary.series, [one.editions for one in summary.chained]) == (
        whole.series,
        [one.editions for one in whole.chained],
    )
    whole_copy = data.parent / "whole"
    shutil.copytree(data, whole_copy)
    refresh_if_changed(whole_copy, code="other")  # every series recomputed
    for name in ("lineage", "changes"):
        assert (
            read_table(DERIVED_TABLES[name], data).to_pylist()
            == read_table(DERIVED_TABLES[name], whole_copy).to_pylist()
        )
    assert identity(data) != before


def test_a_run_that_wrote_every_document_keeps_the_stamp(data) -> None:
    every = read_table("documents", data).column("doc_id").to_pylist()
    refresh_if_changed(data, code="c1", touched=every)
    assert len(stamp.read_stamp(data).digests) == 4 * 9


def test_a_document_s_rows_digest_alike_wherever_they_sit_in_a_file() -> None:
    """Its rows sliced out of a larger table, or joined from two runs of it, digest as the
    same rows written alone; one value changed digests otherwise."""
    import pyarrow as pa

    alone = pa.table({"doc_id": ["b", "b", "b"], "code": ["1.1", None, "1.3"]})
    mixed = pa.table({"doc_id": ["a", "b", "b", "a", "b"], "code": ["9", "1.1", None, "8", "1.3"]})
    rows = stamp.rows_by_document(mixed)
    assert sorted(rows) == ["a", "b"]
    assert rows["b"].num_rows == 3 and rows["a"].column("code").to_pylist() == ["9", "8"]
    assert stamp.rows_digest(rows["b"]) == stamp.rows_digest(alone)  # two runs joined
    after_a = pa.table({"doc_id": ["a", "b", "b", "b"], "code": ["9", "1.1", None, "1.3"]})
    sliced = stamp.rows_by_document(after_a)["b"]  # one run, from offset 1
    assert stamp.rows_digest(sliced) == stamp.rows_digest(alone)
    changed = alone.set_column(1, "code", pa.array(["1.1", None, "1.4"]))
    assert stamp.rows_digest(changed) != stamp.rows_digest(alone)


def test_digests_read_by_worker_processes_are_those_read_here(data) -> None:
    compared = stamp.compared_files(data)
    with worker_processes(2, minimum=1) as processes:
        pooled = stamp.current_digests(data, compared, None, processes.map)
    assert pooled == stamp.current_digests(data, compared, None)
    assert pooled is not None and len(pooled) >= 9 * 4  # 9 editions, 4 compared tables
