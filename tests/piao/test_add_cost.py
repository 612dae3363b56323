"""What ``piao extract`` reads of the folder after its write costs the same whatever the
folder holds: the documents index (one file), and the stale series only."""

from __future__ import annotations

from pathlib import Path

import pytest

import compare.refresh
import schema
import storage
import storage.store
import storage.write_check
from piao import pipeline
from piao.commands import extract as extract_command


def two_extracted(tmp_path: Path, variant) -> tuple[Path, Path]:
    """Three documents without ente written (``d0.txt`` to ``d2.txt``), the first two
    extracted and their history refreshed: the inputs' folder and the tables' folder."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for number in range(3):
        (inputs / f"d{number}.txt").write_bytes(variant(number))
    pipeline.run([inputs / "d0.txt", inputs / "d1.txt"], out)
    extract_command.history_lines(out)
    return inputs, out


@pytest.fixture
def folder(tmp_path: Path, variant) -> tuple[Path, pipeline.RunResult]:
    """Two documents without ente extracted, then a third added: the folder, the add."""
    inputs, out = two_extracted(tmp_path, variant)
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


def test_an_add_opens_no_table_file_but_the_documents_files_of_its_group(
    tmp_path, variant, monkeypatch
):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for number in (0, 1, 122):  # variants 0 and 122: two documents of group ab
        (inputs / f"d{number}.txt").write_bytes(variant(number))
    pipeline.run([inputs / "d0.txt", inputs / "d1.txt"], out)
    opened: list[Path] = []
    real_read, real_footer = storage.store.read_file, storage.store._footer_schema
    monkeypatch.setattr(
        storage.store, "read_file", lambda t, p, c=None: opened.append(p) or real_read(t, p, c)
    )
    monkeypatch.setattr(
        storage.write_check, "_footer_schema", lambda p: opened.append(p) or real_footer(p)
    )
    added = pipeline.run([inputs / "d122.txt"], out)
    assert added.ok and storage.store.group_of(added.written[0].doc_id) == "ab"
    ab = out / "documents" / "ab"  # before the write, d0's file; after it, its own too
    assert sorted(set(opened)) == sorted(ab.glob("part-*.parquet"))
    assert len(list(ab.glob("part-*.parquet"))) == 2 and len(list(out.glob("*/*/*.parquet"))) > 20


def test_stored_documents_of_a_run_are_those_of_its_doc_ids_and_source_paths(folder):
    out, added = folder
    every = pipeline.stored_documents(out)
    assert len(every) == 3
    d2 = added.written[0].doc_id
    d0 = next(doc_id for doc_id, done in every.items() if done.source_path.endswith("d0.txt"))
    picked = pipeline.stored_documents(out, [d2, "0" * 16], [every[d0].source_path])
    assert sorted(picked) == sorted([d2, d0])
    assert picked[d2] == every[d2]
    assert pipeline.stored_documents(out, [], []) == {}


def test_an_add_parses_each_index_file_once(tmp_path, variant, monkeypatch):
    from storage import index_cache, index_file

    inputs, out = two_extracted(tmp_path, variant)
    index_cache.forget()  # a new process: nothing held
    parsed: list[str] = []
    real = index_file.read
    counted = lambda path, *more: parsed.append(path.name) or real(path, *more)  # noqa: E731
    monkeypatch.setattr(index_file, "read", counted)
    monkeypatch.setattr(storage, "read_index_file", counted)  # the history's, via schema
    added = pipeline.run([inputs / "d2.txt"], out)
    lines = extract_command.history_lines(out, [added.written[0].doc_id])
    line = extract_command.missing_ente_line(out, added, had_documents=True)
    assert lines[-1] == f"lineage and changes: 3 series, 0 changes in {out}/changes"
    assert line is not None and line.startswith("3 documents without ente")
    assert sorted(parsed) == [".piao-documents.index", ".piao-history.index"]
