"""A batch keeps no finished document: memory independent of the batch's size."""

from __future__ import annotations

from piao import pipeline, workers


def test_a_pooled_batch_holds_no_outcome_it_has_given_out(tmp_path, variant):
    """A finished future holds its outcome (every record of its document) while it is
    referenced: the batch drops each one as it gives its outcome out."""
    for number in range(3):
        (tmp_path / f"d{number}.txt").write_bytes(variant(number))
    jobs, _ = pipeline.plan_jobs(pipeline.collect_inputs([tmp_path]), tmp_path / "out")
    outcomes = pipeline.iter_outcomes(jobs, workers=2)
    held = []
    for outcome in outcomes:
        assert outcome.status == pipeline.WRITTEN
        held.append(len(outcomes.gi_frame.f_locals["futures"]))
    assert held == [2, 1, 0]


def test_a_pooled_batch_submits_a_bounded_number_of_jobs(tmp_path, variant, monkeypatch):
    """Jobs are submitted as outcomes are given out, at most
    :func:`piao.workers.jobs_in_flight` at a time (here made 3), whatever the window: a
    writer slower than the workers never holds more documents than that."""
    monkeypatch.setattr(workers, "jobs_in_flight", lambda processes: processes + 1)
    for number in range(6):
        (tmp_path / f"d{number}.txt").write_bytes(variant(number))
    jobs, _ = pipeline.plan_jobs(pipeline.collect_inputs([tmp_path]), tmp_path / "out")
    outcomes = pipeline.iter_outcomes(jobs, workers=2, window=50)
    held = [len(outcomes.gi_frame.f_locals["futures"]) for _ in outcomes]
    assert max(held) == 3 and len(held) == 6


def test_the_jobs_in_flight_are_a_few_per_worker_whatever_the_batch():
    """Each worker's running job and four more: 10 for two workers, the same for a batch
    of 300 documents or 3,000 (the argument is the pool's size alone)."""
    assert workers.jobs_in_flight(2) == 10
    assert workers.jobs_in_flight(1) == 5
    assert workers.jobs_in_flight(4, queued_per_worker=0) == 4
