"""A batch keeps no finished document: memory independent of the batch's size."""

from __future__ import annotations

from piao import pipeline


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
