"""What ``piao extract`` reads of the folder after its write costs the same whatever the
folder holds: the documents index (one file), and the stale series only."""

from __future__ import annotations

from pathlib import Path

import pytest

import compare.refresh
import schema
import storage.store
from piao import pipeline
from piao.commands import extract as extract_command


@pytest.fixture
def folder(tmp_path: Path, variant) -> tuple[Path, pipeline.RunResult]:
    """Two documents without ente extracted, then a third added: the folder, the add."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for number in range(3):
        (inputs / f"d{number}.txt").write_bytes(variant(number))
    pipeline.run([inputs / "d0.txt", inputs / "d1.txt"], out)
    extract_command.history_lines(out)
    return out, pipeline.run([inputs / "d2.txt"], out)


def no_table_read(*args, **kwargs):
    raise AssertionError("read every group file of a table")


def test_missing_ente_line_reads_the_index_only(folder, monkeypatch):
    out, added = folder
    monkeypatch.setattr(storage.store, "read_table", no_table_read)
    monkeypatch.setattr(schema, "read_table", no_table_read)
    line = extract_command.missing_ente_line(out, added, had_documents=True)
    assert line is not None and line.startswith("3 documents without ente")


def test_history_after_an_add_recomputes_the_added_series_only(folder, monkeypatch):
    out, added = folder
    read = []
    real = compare.refresh.read_editions
    monkeypatch.setattr(
        compare.refresh,
        "read_editions",
        lambda d, ids, *more: read.append(set(ids)) or real(d, ids, *more),
    )
    lines = extract_command.history_lines(out, [added.written[0].doc_id])
    assert read == [{added.written[0].doc_id}]
    assert lines == [f"lineage and changes: 3 series, 0 changes in {out}/changes"]
