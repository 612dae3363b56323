"""A large input written as it is read (``pipeline.stream_document``) gives the rows the
in-memory path gives, in the same order (memory)."""

from __future__ import annotations

from pathlib import Path

import pytest

import schema
from piao import pipeline

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
#: Columns that differ between two runs whatever the path (the time of extraction).
RUN_COLUMNS = ("extracted_at",)


def tables_of(out: Path) -> dict[str, list[dict]]:
    tables = {}
    for name in schema.TABLES:
        arrow = schema.read_table(name, out)
        rows = arrow.to_pylist() if arrow is not None else []
        tables[name] = [{k: v for k, v in row.items() if k not in RUN_COLUMNS} for row in rows]
    return tables


def run_both(source: Path, tmp_path: Path, monkeypatch) -> tuple[dict, dict]:
    monkeypatch.setattr(pipeline, "STREAM_MIN_BYTES", 2**40)
    gathered = pipeline.run([source], tmp_path / "gathered", workers=1)
    monkeypatch.setattr(pipeline, "STREAM_MIN_BYTES", 0)
    streamed = pipeline.run([source], tmp_path / "streamed", workers=1)
    assert gathered.ok and streamed.ok
    assert [d.counts for d in streamed.written] == [d.counts for d in gathered.written]
    assert [d.severities for d in streamed.written] == [d.severities for d in gathered.written]
    return tables_of(tmp_path / "gathered"), tables_of(tmp_path / "streamed")


def test_streamed_shipped_document_has_the_rows_of_the_gathered_one(tmp_path, monkeypatch):
    gathered, streamed = run_both(SHIPPED, tmp_path, monkeypatch)
    assert len(streamed["objectives"]) == 48
    assert streamed == gathered


def test_streamed_repeated_document_renames_duplicate_keys_as_gathered(tmp_path, monkeypatch):
    source = tmp_path / "twice.txt"
    source.write_bytes(SHIPPED.read_bytes() * 2)
    gathered, streamed = run_both(source, tmp_path, monkeypatch)
    codes = [(row["sector_code"], row["objective_code"]) for row in streamed["objectives"]]
    assert len(codes) == 96 and len(set(codes)) == 96
    duplicates = [row for row in streamed["quality"] if row["rule"] == "duplicate_key"]
    assert duplicates and streamed["quality"][-len(duplicates) :] == duplicates
    assert streamed == gathered


def test_streamed_document_without_objectives_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "STREAM_MIN_BYTES", 0)
    source = tmp_path / "prose.txt"
    source.write_text("Relazione\n\nnessuna tabella qui\n")
    result = pipeline.run([source], tmp_path / "out", workers=1)
    assert result.failed and not result.written
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file() and p.suffix != ".lock"]


def test_interrupted_stream_leaves_no_temp_file_and_the_tables_as_they_were(tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = pipeline.run([SHIPPED], out, workers=1)
    assert first.ok
    before = tables_of(out)
    monkeypatch.setattr(pipeline, "STREAM_MIN_BYTES", 0)
    calls = []

    def stop_at_third_part(self, records):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_add(self, records)

    real_add = schema.DocumentStream.add
    monkeypatch.setattr(schema.DocumentStream, "add", stop_at_third_part)
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SHIPPED.read_bytes() + b"\n")
    result = pipeline.run([copy], out, workers=1)
    assert result.interrupted
    assert not list(out.rglob("*.tmp"))
    assert tables_of(out) == before


@pytest.mark.parametrize("kind", ["objectives", "cells"])
def test_streamed_keys_rename_and_drop_as_unique_keys_does(kind):
    table = schema.TABLES[kind]
    rows = [{"doc_id": "d", "sector_code": "S", "objective_code": "1", "table_index": 0,
             "row_index": 0, "column_index": 0}] * 3  # fmt: skip
    keys = schema.io.StreamedKeys(table)
    kept, findings = keys.unique(rows[:1])
    more, more_findings = keys.unique(rows[1:])
    expected, expected_findings = schema.io._unique_rows(table, rows)
    assert [dict(r) for r in kept + more] == [dict(r) for r in expected]
    assert findings + more_findings == expected_findings


def test_streamed_edited_file_replaces_its_earlier_document(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "STREAM_MIN_BYTES", 0)
    source, out = tmp_path / "a.txt", tmp_path / "out"
    source.write_bytes(SHIPPED.read_bytes())
    first = pipeline.run([source], out, workers=1)
    source.write_bytes(SHIPPED.read_bytes() + b"\n")
    second = pipeline.run([source], out, workers=1)
    assert second.ok and second.written[0].replaced == (first.written[0].doc_id,)
    objectives = schema.read_table("objectives", out)
    assert objectives.num_rows == 48
    assert set(objectives["doc_id"].to_pylist()) == {second.written[0].doc_id}


def test_large_input_of_a_parallel_batch_is_streamed_in_input_order(tmp_path, monkeypatch):
    """With workers, a large input is not gathered whole in a worker: it is streamed in the
    parent at its turn, and the tables hold the rows of a one-worker gathered run, in the
    same order."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shipped = SHIPPED.read_bytes()
    (raw / "a.txt").write_bytes(shipped)
    (raw / "b.txt").write_bytes(shipped * 2)
    (raw / "c.txt").write_bytes(shipped.replace(b"STAFF", b"STAFX"))
    monkeypatch.setattr(pipeline, "STREAM_MIN_BYTES", 2**40)
    gathered = pipeline.run([raw], tmp_path / "gathered", workers=1)
    streamed_jobs = []
    stream_job = pipeline.stream_job
    monkeypatch.setattr(
        pipeline,
        "stream_job",
        lambda job, out: streamed_jobs.append(job.path.name) or stream_job(job, out),
    )
    monkeypatch.setattr(pipeline, "STREAM_MIN_BYTES", len(shipped) + 1)
    parallel = pipeline.run([raw], tmp_path / "parallel", workers=2)
    assert gathered.ok and parallel.ok
    assert streamed_jobs == ["b.txt"]
    assert [d.path.name for d in parallel.written] == ["a.txt", "b.txt", "c.txt"]
    assert [d.counts for d in parallel.written] == [d.counts for d in gathered.written]
    assert [d.counts["objectives"] for d in parallel.written] == [48, 96, 48]
    assert tables_of(tmp_path / "parallel") == tables_of(tmp_path / "gathered")


def test_a_rename_skips_a_key_the_document_prints_in_both_paths():
    """A repeated 1.1 is not renamed 1.1~2 when the plan itself prints 1.1~2 before it: both
    key checks (the gathered and the streamed) go on to 1.1~3."""
    table = schema.TABLES["objectives"]
    rows = [
        {"doc_id": "d", "sector_code": "S", "objective_code": code}
        for code in ("1.1", "1.1~2", "1.1")
    ]
    gathered, _ = schema.io._unique_rows(table, rows)
    streamed, findings = schema.io.StreamedKeys(table).unique(rows)
    assert [r["objective_code"] for r in gathered] == ["1.1", "1.1~2", "1.1~3"]
    assert [r["objective_code"] for r in streamed] == ["1.1", "1.1~2", "1.1~3"]
    assert [f["message"].rsplit("; ", 1)[1] for f in findings] == ["kept as objective_code '1.1~3'"]


def test_one_key_rule_whatever_the_input_size():
    """A row whose own key repeats a key an earlier rename made is renamed in turn, in a
    gathered write as in a streamed one: the stored keys do not depend on the input's size."""
    table = schema.TABLES["objectives"]
    rows = [
        {"doc_id": "d", "sector_code": "S", "objective_code": code}
        for code in ("1.1", "1.1", "1.1~2")
    ]
    gathered, gathered_findings = schema.io._unique_rows(table, rows)
    streamed, findings = schema.io.StreamedKeys(table).unique(rows)
    assert [r["objective_code"] for r in gathered] == ["1.1", "1.1~2", "1.1~2~2"]
    assert [dict(r) for r in streamed] == [dict(r) for r in gathered]
    assert findings == gathered_findings
