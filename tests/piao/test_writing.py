"""Recovery first in every command that writes: a write a crash cut short (its journal
decided, its renames not done) is finished before the command's own write."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

import compare.refresh
import schema
import storage.store
from piao import pipeline
from piao.cli import main
from piao.commands import extract as extract_command
from piao.commands import lineage as lineage_command
from piao.writing import writing
from storage import journal


class Crash(Exception):
    """The simulated crash: raised where the renames of a decided write would start."""


def committed(out: Path) -> set[str]:
    """The doc_ids of the committed view (the loader's commit rule)."""
    return set(schema.read_table("documents", out)["doc_id"].to_pylist())


def lineage_doc_ids(out: Path) -> set[str]:
    """The doc_ids of the lineage table the refresh wrote."""
    return set(pq.read_table(out / "lineage", columns=["doc_id"])["doc_id"].to_pylist())


@pytest.fixture
def crashed(tmp_path: Path, variant) -> tuple[Path, str]:
    """A folder of two documents and a third whose write was decided (journal whole,
    files staged) and then cut short before any rename; returns it and that doc_id."""
    out, folder = tmp_path / "out", tmp_path / "in"
    folder.mkdir()
    for number in range(3):
        (folder / f"d{number}.txt").write_bytes(variant(number))
    pipeline.run([folder / "d0.txt", folder / "d1.txt"], out)
    job, _ = pipeline.plan_jobs([folder / "d2.txt"], out)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(journal, "replay", lambda steps: (_ for _ in ()).throw(Crash()))
        with pytest.raises(Crash):
            pipeline.run([folder / "d2.txt"], out)
    assert journal.journal_path(out).is_file()
    assert job[0].doc_id not in committed(out)
    return out, job[0].doc_id


def spy(patch: pytest.MonkeyPatch, owner: object, name: str, out: Path) -> list[bool]:
    """Wrap ``owner.name`` (a command's own write) to record, at each call, whether the
    crashed write's journal was still there."""
    real = getattr(owner, name)
    seen: list[bool] = []

    def wrapper(*args, **kwargs):
        seen.append(journal.journal_path(out).exists())
        return real(*args, **kwargs)

    patch.setattr(owner, name, wrapper)
    return seen


def test_writing_finishes_the_crashed_write_and_says_so(crashed):
    out, doc_id = crashed
    with writing(out) as recovered:
        assert not journal.journal_path(out).exists()
        assert doc_id in committed(out)
    assert recovered == f"{out}: finished a write cut short (9 files)"


def test_writing_with_nothing_to_recover_yields_none(tmp_path):
    with writing(tmp_path) as recovered:
        assert recovered is None


def test_extract_recovers_before_it_plans_its_jobs(crashed, monkeypatch, variant, capsys):
    out, doc_id = crashed
    seen = spy(monkeypatch, pipeline, "plan_jobs", out)
    new = out.parent / "in" / "d9.txt"
    new.write_bytes(variant(9))
    assert main(["extract", str(new), "--out", str(out), "--workers", "1"]) == 0
    assert seen == [False]
    assert doc_id in committed(out)
    assert len(committed(out)) == 4
    assert "finished a write cut short (9 files)" in capsys.readouterr().err


def test_extract_history_refresh_recovers_before_it_writes(crashed, monkeypatch):
    out, doc_id = crashed
    seen = spy(monkeypatch, compare.refresh, "refresh", out)
    lines = extract_command.history_lines(out)
    assert seen == [False]
    assert lines[-1].startswith("lineage and changes: 3 series, ")
    assert doc_id in lineage_doc_ids(out)


def test_lineage_recovers_before_it_writes(crashed, monkeypatch, capsys):
    out, doc_id = crashed
    seen = spy(monkeypatch, lineage_command, "refresh", out)
    assert main(["lineage", "--data", str(out)]) == 0
    assert seen == [False]
    assert doc_id in lineage_doc_ids(out)
    assert "finished a write cut short (9 files)" in capsys.readouterr().err


def test_compact_recovers_before_it_merges(crashed, monkeypatch, capsys):
    out, doc_id = crashed
    seen = spy(monkeypatch, storage.store, "compact", out)
    assert main(["compact", "--data", str(out)]) == 0
    assert seen == [False]
    assert committed(out) >= {doc_id}
    assert len(committed(out)) == 3
    assert "finished a write cut short (9 files)" in capsys.readouterr().err
