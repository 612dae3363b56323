"""A run killed or interrupted mid-way leaves the previous tables readable and whole.

Each test runs ``piao extract`` in a child process with a hook injected (a pause while
writing, a crash between two renames, a pause while extracting), kills or interrupts it at
that point, then checks the tables in the output folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

import schema
from piao import pipeline

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")

#: Child prelude: ``HOOK`` (set per test) is installed, then the CLI runs with ``ARGV``.
CHILD = """
import os, sys, time
from pathlib import Path
import pyarrow.parquet as pq
import extract, schema.io
from piao.cli import main

MARKER = Path(sys.argv[1])
{hook}
sys.exit(main(sys.argv[2:]))
"""

PAUSE_WHILE_WRITING = """
real_write = pq.write_table
def write_then_pause(table, where, *args, **kwargs):
    real_write(table, where, *args, **kwargs)
    MARKER.touch()
    time.sleep(60)
pq.write_table = write_then_pause
"""

CRASH_AFTER_FIRST_RENAME = """
real_replace = os.replace
def replace_then_crash(source, target):
    real_replace(source, target)
    os._exit(9)
schema.io.os.replace = replace_then_crash
"""

PAUSE_WHILE_EXTRACTING = """
real_read = extract.read_document
def read_slowly(path, *args, **kwargs):
    MARKER.touch()
    time.sleep(1)
    return real_read(path, *args, **kwargs)
extract.read_document = read_slowly
"""


def start_child(tmp_path: Path, hook: str, *argv: str) -> tuple[subprocess.Popen, Path]:
    marker = tmp_path / "marker"
    marker.unlink(missing_ok=True)
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(hook=textwrap.dedent(hook)))
    child = subprocess.Popen(
        [sys.executable, str(script), str(marker), "extract", *argv],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's job is
    )
    return child, marker


def wait_for(marker: Path, child: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if child.poll() is not None:
            raise AssertionError(f"child ended early: {child.communicate()}")
        if time.monotonic() > deadline:
            child.kill()
            raise AssertionError("child never reached the hook")
        time.sleep(0.05)


def snapshot(out: Path) -> dict[str, bytes]:
    """Every table file, by path under ``out`` (``objectives/ab/part-0.parquet``)."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.glob("*/*/*.parquet"))
    }


def assert_consistent(out: Path) -> None:
    """Every table readable as a plain Parquet folder, and every doc_id in a table is in
    ``documents`` (the folders themselves, not only through the loader)."""
    documents = set(pd.read_parquet(out / "documents").doc_id)
    for table in schema.TABLES.values():
        assert set(pd.read_parquet(out / table.name).doc_id) <= documents, table.name


def first_run(tmp_path: Path, variant) -> tuple[Path, Path]:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_bytes(variant(0))
    assert pipeline.run([folder], out).ok
    (folder / "b.txt").write_bytes(variant(1))
    return folder, out


def test_sigkill_while_writing_leaves_previous_tables(tmp_path, variant, tables_in):
    folder, out = first_run(tmp_path, variant)
    before = snapshot(out)
    child, marker = start_child(tmp_path, PAUSE_WHILE_WRITING, str(folder), "--out", str(out))
    wait_for(marker, child)
    child.kill()
    child.wait()

    assert snapshot(out) == before
    assert list(tables_in(out)["documents"].source_name) == ["a.txt"]
    assert list(out.glob(".piao-staging/.*.tmp"))  # the killed write's file, out of the way
    rerun = pipeline.run([folder], out)
    assert [d.source_name for d in rerun.written] == ["b.txt"]
    assert not list(out.glob(".piao-staging/*"))
    assert_consistent(out)


def test_crash_between_renames_is_repaired_by_the_next_run(tmp_path, variant):
    folder, out = first_run(tmp_path, variant)
    before = snapshot(out)
    child, _ = start_child(tmp_path, CRASH_AFTER_FIRST_RENAME, str(folder), "--out", str(out))
    assert child.wait(timeout=120) == 9
    after = snapshot(out)
    documents = [name for name in after if name.startswith("documents/")]
    assert {name: after[name] for name in documents} == {  # renamed last
        name: data for name, data in before.items() if name.startswith("documents/")
    }
    assert sum(after[name] != before.get(name) for name in after) == 1
    assert list(schema.read_pandas("documents", out).source_name) == ["a.txt"]
    assert len(schema.read_table("objectives", out)) == 48  # the loader hides b's rows

    rerun = pipeline.run([folder], out)  # the journal was whole: the write is finished
    assert any("finished a write cut short" in note for note in rerun.notes), rerun.notes
    assert rerun.written == []
    assert rerun.skipped == {folder / "a.txt": "unchanged", folder / "b.txt": "unchanged"}
    assert list(schema.read_pandas("documents", out).source_name) == ["a.txt", "b.txt"]
    assert_consistent(out)
    objectives = pd.read_parquet(out / "objectives")
    assert objectives.groupby("doc_id").size().tolist() == [48, 48]


def test_ctrl_c_exits_130_without_traceback(tmp_path, variant):
    folder, out = first_run(tmp_path, variant)
    for number in range(2, 6):
        (folder / f"c{number}.txt").write_bytes(variant(number))
    before = snapshot(out)
    argv = (str(folder), "--out", str(out), "--workers", "2")
    child, marker = start_child(tmp_path, PAUSE_WHILE_EXTRACTING, *argv)
    wait_for(marker, child)
    os.killpg(child.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
    stdout, stderr = child.communicate(timeout=60)

    assert child.returncode == 130
    assert "0 failed (interrupted)" in stdout.splitlines()[-1]
    assert "Traceback" not in stderr
    assert "interrupted" in stderr
    assert snapshot(out) == before
    assert_consistent(out)
