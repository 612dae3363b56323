"""The commit journal: a write decided before a crash is finished, one not decided dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from schema.tables import TABLES
from storage import journal
from storage.store import read_table, replace_documents


def staged(out: Path, name: str, rows: list[int]) -> Path:
    path = journal.staging_dir(out) / name
    pq.write_table(pa.table({"x": rows}), path)
    return path


def test_recover_finishes_a_decided_write(tmp_path):
    old = tmp_path / "objectives" / "ab" / "part-00000001.parquet"
    old.parent.mkdir(parents=True)
    pq.write_table(pa.table({"x": [1]}), old)
    new = tmp_path / "objectives" / "ab" / "part-00000002.parquet"
    steps = [(new, staged(tmp_path, ".new.tmp", [2])), (old, None)]
    journal.journal_path(tmp_path).write_text(journal.encode(tmp_path, steps))

    assert journal.recover(tmp_path) == "finished a write cut short (2 files)"
    assert pq.read_table(tmp_path / "objectives").to_pydict() == {"x": [2]}
    assert not journal.journal_path(tmp_path).exists()
    assert list((tmp_path / journal.STAGING).glob("*")) == []


def test_recover_skips_the_renames_already_done(tmp_path):
    target = tmp_path / "documents" / "ab" / "part-00000001.parquet"
    target.parent.mkdir(parents=True)
    pq.write_table(pa.table({"x": [7]}), target)  # renamed before the crash
    steps = [(target, journal.staging_dir(tmp_path) / ".gone.tmp")]
    journal.journal_path(tmp_path).write_text(journal.encode(tmp_path, steps))
    journal.recover(tmp_path)
    assert pq.read_table(target).to_pydict() == {"x": [7]}


def test_a_journal_cut_short_is_not_a_decision(tmp_path):
    target = tmp_path / "objectives" / "ab" / "part-00000001.parquet"
    steps = [(target, staged(tmp_path, ".new.tmp", [2]))]
    text = journal.encode(tmp_path, steps)
    journal.journal_path(tmp_path).write_text(text[: len(text) - 8])

    assert journal.recover(tmp_path) == (
        "removed the files of a write cut short before it was decided"
    )
    assert not target.exists()
    assert not journal.journal_path(tmp_path).exists()
    assert list((tmp_path / journal.STAGING).glob("*")) == []


def test_a_journal_without_its_end_mark_is_not_a_decision(tmp_path):
    journal.journal_path(tmp_path).write_text(json.dumps({"steps": [["documents/x", None]]}))
    assert journal.decode(tmp_path, journal.journal_path(tmp_path).read_text()) is None


def test_recover_with_nothing_to_do_says_nothing(tmp_path):
    assert journal.recover(tmp_path) is None


def test_a_write_leaves_no_journal_and_nothing_staged(normalized, tmp_path):
    replace_documents(normalized.records, tmp_path)
    assert not journal.journal_path(tmp_path).exists()
    assert list((tmp_path / journal.STAGING).glob("*")) == []
    assert read_table("objectives", tmp_path).num_rows == 48


def test_a_replaced_document_is_never_absent_from_the_committed_view(normalized, tmp_path):
    """The renames of a replacement put the new documents entry before the old one is
    rewritten: replayed one step at a time, every prefix lists the document."""
    replace_documents(normalized.records, tmp_path)
    seen: list[set[str]] = []
    real_replay = journal.replay

    def step_by_step(steps):
        for number in range(1, len(steps) + 1):
            real_replay(steps[number - 1 : number])
            documents = read_table("documents", tmp_path)
            seen.append(set(documents["doc_id"].to_pylist()))

    journal.replay = step_by_step
    try:
        replace_documents(normalized.records, tmp_path)
    finally:
        journal.replay = real_replay
    assert len(seen) == len(TABLES) * 2 + 1  # each table: new file, old one removed; index
    assert all(ids == {normalized.doc_id} for ids in seen)


def test_every_staged_file_is_flushed_before_the_journal_decides_the_write(tmp_path, monkeypatch):
    out = tmp_path / "out"
    staging = journal.staging_dir(out)
    steps = []
    for number in range(5):
        staged = staging / f"part{number}.tmp"
        staged.write_bytes(b"x")
        steps.append((out / "objectives" / f"part{number}.parquet", staged))
    events: list[str] = []
    real_fsync = journal.fsync_file

    def recorded(path: Path) -> None:
        events.append(path.name)
        real_fsync(path)

    real_open = open

    def opened(path, *args, **kwargs):
        if Path(path).name == journal.JOURNAL:
            events.append("journal")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(journal, "fsync_file", recorded)
    monkeypatch.setattr("builtins.open", opened)
    journal.commit(out, steps)
    before_journal = events[: events.index("journal")]
    assert sorted(before_journal) == [f"part{number}.tmp" for number in range(5)]
    assert sorted(path.name for path in (out / "objectives").iterdir()) == [
        f"part{number}.parquet" for number in range(5)
    ]


def test_a_failed_flush_stops_the_write_before_it_is_decided(tmp_path, monkeypatch):
    out = tmp_path / "out"
    staging = journal.staging_dir(out)
    steps = [(out / f"t{n}.parquet", staging / f"t{n}.tmp") for n in range(3)]
    for _, staged in steps:
        staged.write_bytes(b"x")

    def failing(path: Path) -> None:
        if path.name == "t1.tmp":
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(journal, "fsync_file", failing)
    with pytest.raises(OSError, match="Input/output error"):
        journal.commit(out, steps)
    assert not journal.journal_path(out).exists()
    assert not any(out.glob("t*.parquet"))
