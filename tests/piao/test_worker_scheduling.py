"""Worker scheduling: a parallel batch must not end with one worker on a long PDF and the
others idle, so the pool gets the costliest job of each window first; the tables keep
input order whatever the submission order."""

from __future__ import annotations

from pathlib import Path

from piao import pipeline
from piao.workers import estimated_cost, submission_order

ROOT = Path(__file__).resolve().parents[2]
RULED = ROOT / "tests" / "fixtures" / "portomaggiore_ruled.pdf"


def test_pdf_costs_more_than_text_of_the_same_size(tmp_path):
    text = tmp_path / "a.txt"
    text.write_bytes(b"x" * RULED.stat().st_size)
    assert estimated_cost(RULED) == 10 * estimated_cost(text)
    assert estimated_cost(tmp_path / "missing.txt") == 0.0


def test_the_long_jobs_of_each_window_go_first_the_others_in_input_order(tmp_path):
    paths = []
    for index, size in enumerate([10, 200, 12, 11, 90, 9]):
        path = tmp_path / f"{index}.txt"
        path.write_bytes(b"x" * size)
        paths.append(path)
    jobs = list(range(6))
    assert submission_order(jobs, paths, window=3) == [1, 0, 2, 4, 3, 5]
    assert submission_order(jobs, paths, window=10) == [1, 4, 0, 2, 3, 5]
    assert submission_order(jobs[:3], paths[:3], window=10) == [1, 0, 2]


def test_a_pdf_last_in_the_batch_is_started_first_and_written_last(tmp_path, variant, tables_in):
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(3):
        (folder / f"a{number}.txt").write_bytes(variant(number))
    (folder / "z.pdf").write_bytes(RULED.read_bytes())
    inputs = pipeline.collect_inputs([folder])
    assert submission_order(inputs, inputs, window=50)[0].name == "z.pdf"
    result = pipeline.run([folder], tmp_path / "out", workers=2)
    assert result.ok
    names = ["a0.txt", "a1.txt", "a2.txt", "z.pdf"]
    assert [d.source_name for d in result.written] == names
    # stored by doc_id group (schema/io.py), so only the set is checked against the folder
    assert sorted(tables_in(tmp_path / "out")["documents"].source_name) == names


def test_a_pooled_batch_is_written_in_eight_writes_or_more_one_process_in_fifties():
    assert pipeline.pooled_flush_every(20, workers=2) == 3
    assert pipeline.pooled_flush_every(5, workers=2) == 1
    assert pipeline.pooled_flush_every(1000, workers=2) == 50
    assert pipeline.pooled_flush_every(20, workers=2, flush_every=2) == 2
    assert pipeline.pooled_flush_every(20, workers=1) == 50


def test_a_small_pooled_batch_writes_each_document_once_those_before_it_are(
    tmp_path, variant, monkeypatch
):
    """The writer of a 4-document pooled batch writes as soon as one document is ready in
    input order (not 50 at a time, i.e. all 4 after the last extraction); documents that
    become ready together are written together, and every one exactly once."""
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(4):
        (folder / f"a{number}.txt").write_bytes(variant(number))
    writes: list[tuple[int, int]] = []
    real_flush = pipeline.InputOrderWriter.flush

    def counted_flush(writer: pipeline.InputOrderWriter) -> list[pipeline.Outcome]:
        written = real_flush(writer)
        writes.append((writer.flush_every, len(written)))
        return written

    monkeypatch.setattr(pipeline.InputOrderWriter, "flush", counted_flush)
    result = pipeline.run([folder], tmp_path / "out", workers=2)
    assert len(result.written) == 4
    assert {every for every, _ in writes} == {1}
    assert sum(count for _, count in writes) == 4
