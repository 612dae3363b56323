"""A batch's parent hands pyarrow's freed memory back after each write: what its pool keeps
does not grow with the run."""

from __future__ import annotations

from piao import pipeline


def test_each_write_of_a_batch_releases_the_pools_free_memory(tmp_path, variant, monkeypatch):
    released = []
    monkeypatch.setattr(pipeline, "release_arrow_memory", lambda: released.append(True))
    for number in range(3):
        (tmp_path / f"d{number}.txt").write_bytes(variant(number))
    result = pipeline.run([tmp_path], tmp_path / "out", flush_every=2)
    assert len(result.written) == 3
    assert len(released) == 2  # two writes: 2 documents, then the last one
