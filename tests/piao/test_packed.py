"""A batch's documents packed by the workers: typed Arrow tables and their summary."""

from __future__ import annotations

import pickle

import pytest

import schema
import storage.store
from piao import pipeline
from piao.packed import merged_tables, pack


@pytest.fixture
def jobs(tmp_path, variant) -> list[pipeline.Job]:
    paths = []
    for number in range(2):
        path = tmp_path / f"d{number}.txt"
        path.write_bytes(variant(number))
        paths.append(path)
    planned, _ = pipeline.plan_jobs(paths, tmp_path / "out")
    return planned


def test_a_packed_document_holds_its_tables_and_summary_not_its_records(jobs):
    outcome = pipeline.process_job(jobs[0])
    packed = pack(outcome)
    assert packed.document is None and packed.status == pipeline.WRITTEN
    rows = {name: table.num_rows for name, table in packed.tables.items()}
    assert {k: rows[k] for k in ("objectives", "items", "dates", "quality")} == {
        "objectives": 48,
        "items": 136,
        "dates": 210,
        "quality": 34,
    }
    assert packed.summary.doc_id == jobs[0].doc_id
    assert packed.summary.counts["objectives"] == 48
    assert packed.summary.severities == {"error": 2, "warning": 29, "info": 3}
    assert pickle.loads(pickle.dumps(packed)).tables["dates"].num_rows == 210


def test_a_failed_outcome_is_sent_as_it_is(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    (job,), _ = pipeline.plan_jobs([empty], tmp_path / "out")
    outcome = pipeline.packed_job(job)
    assert outcome.status == pipeline.FAILED and outcome.tables is None


def test_packed_and_record_outcomes_merge_in_their_order(jobs):
    first, second = pack(pipeline.process_job(jobs[0])), pipeline.process_job(jobs[1])
    merged = merged_tables([first, second])
    assert merged["objectives"].num_rows == 96
    assert merged["documents"]["doc_id"].to_pylist() == [jobs[0].doc_id, jobs[1].doc_id]


def test_the_writer_stores_packed_documents_without_typing_rows_again(jobs, tmp_path, monkeypatch):
    outcomes = [pack(pipeline.process_job(job)) for job in jobs]

    def no_row_work(*args, **kwargs):
        raise AssertionError("the parent typed or checked rows one by one")

    monkeypatch.setattr(storage.store, "to_arrow", no_row_work)
    monkeypatch.setattr(storage.store, "unique_keys", no_row_work)
    writer = pipeline.InputOrderWriter(tmp_path / "out", total=2)
    written = [o for outcome in outcomes for o in writer.add(outcome)]
    assert [o.summary.doc_id for o in written] == [job.doc_id for job in jobs]
    monkeypatch.undo()
    objectives = schema.read_table("objectives", tmp_path / "out")
    assert objectives.num_rows == 96


def test_a_file_of_one_packed_document_is_the_worker_s_bytes(jobs, tmp_path):
    outcomes = [pack(pipeline.process_job(job)) for job in jobs]
    writer = pipeline.InputOrderWriter(tmp_path / "out", total=2)
    for outcome in outcomes:
        writer.add(outcome)
    first = jobs[0].doc_id
    assert storage.store.group_of(first) != storage.store.group_of(jobs[1].doc_id)
    (path,) = (tmp_path / "out" / "objectives" / storage.store.group_of(first)).iterdir()
    assert path.read_bytes() == outcomes[0].tables.parquet["objectives"]
    assert storage.store.read_file(schema.TABLES["objectives"], path).num_rows == 48
