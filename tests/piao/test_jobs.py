"""A batch's records (piao.jobs): a job's document id, a written document's summary."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

from piao import jobs, pipeline
from piao.metadata import NO_METADATA, Metadata

SHA = "ab" * 32


def test_a_document_without_sidecar_is_named_by_its_bytes():
    assert jobs.document_id(SHA) == "ab" * 8


def test_another_ente_for_the_same_bytes_is_another_document():
    first = jobs.document_id(SHA, Metadata(ente="Comune di Prova"))
    second = jobs.document_id(SHA, Metadata(ente="Comune di Altro"))
    assert len(first) == 16 and first != second and first != jobs.document_id(SHA)


def test_a_period_in_the_sidecar_changes_the_id():
    period = (dt.date(2025, 1, 1), dt.date(2027, 12, 31))
    assert jobs.document_id(SHA, Metadata(ente="Comune di Prova", period=period)) != (
        jobs.document_id(SHA, Metadata(ente="Comune di Prova"))
    )


def test_status_of_a_row_without_status_is_ok_with_no_reasons():
    assert jobs.status_of({}) == ("ok", ())
    row = {"status": "doubtful", "status_reasons": ["rows_without_code: 2 rows"]}
    assert jobs.status_of(row) == ("doubtful", ("rows_without_code: 2 rows",))


def test_a_job_travels_to_a_worker_with_its_id():
    job = jobs.Job(3, Path("d.txt"), SHA, NO_METADATA, NO_METADATA, replaces=("old",))
    sent = pickle.loads(pickle.dumps(job))
    assert sent == job and sent.doc_id == "ab" * 8


def test_a_doubtful_summary_says_so():
    summary = jobs.DocumentSummary(Path("d.txt"), "id", "d.txt", {}, {}, (), "doubtful")
    assert summary.doubtful and not summary._replace(status="ok").doubtful


def test_the_pipeline_names_the_same_records():
    assert (pipeline.Job, pipeline.Outcome, pipeline.DocumentSummary) == (
        jobs.Job,
        jobs.Outcome,
        jobs.DocumentSummary,
    )
    assert pipeline.document_id is jobs.document_id
