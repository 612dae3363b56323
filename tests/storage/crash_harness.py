"""Kill ``piao extract`` at chosen moments, rerun it, and compare plain reads.

Shared by tests/storage/test_crash.py (a few trials) and bench/bench_crash.py (many). A
trial copies a starting folder, runs ``piao extract`` in a subprocess that is killed
(SIGKILL) either by strace at the N-th rename, unlink or fsync it makes (a chosen write
step) or after a delay, checks the committed view right after the kill (no committed
document gone), reruns ``piao extract`` on the same inputs, and compares what pandas, a
DuckDB glob and polars read from every table folder with an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import itertools
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import polars

import schema
import storage
from storage.store import MAX_SMALL_FILES

ROOT = Path(__file__).resolve().parents[2]
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
#: Columns that differ between two runs of the same inputs (when the rows were made).
RUN_COLUMNS = ("extracted_at",)
#: The system calls strace may kill at (the write steps of a commit), and the highest N:
#: a run that adds two text documents makes ~14 renames, ~30 fsyncs and one unlink (the
#: journal's), so each N stops it mid-write. strace counts each thread's calls apart, and
#: the fsyncs are spread over the flushing threads (``storage.journal.fsync_files``): 1 to
#: 6 a thread, so an N up to 4 kills at the N-th flush of the first thread to make N.
WRITE_CALLS = {"rename": 12, "fsync": 4, "unlink": 1}


def text_variant(number: int, edited: bool = False) -> bytes:
    """The shipped document with ``number`` trailing blank lines (another SHA, same
    tables); ``edited``: one word changed too (a new version of the same file)."""
    data = TEXT_SOURCE.read_bytes()
    if edited:
        data = data.replace(b"Portomaggiore", b"Portomaggiora", 1)
    return data + b"\n" * number


def piao(*argv: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "piao", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@dataclass(frozen=True)
class Scenario:
    """A starting folder and the run to interrupt: ``add`` (half the documents stored,
    the run adds the rest), ``force`` (all stored, rewritten with ``--force``), ``edit``
    (all stored, then every file edited: each new version replaces the old one),
    ``merge`` (a group at its bound of small files, the run adds one more: see
    :func:`merge_scenario`)."""

    name: str
    inputs: Path
    start: Path
    reference: Path
    argv: tuple[str, ...]


def same_group_variants(count: int) -> list[int]:
    """``count`` numbers whose :func:`text_variant` documents fall in one group of the
    store (the first two hex characters of their SHA-256, their doc_id)."""
    seen: dict[str, list[int]] = {}
    for number in itertools.count():
        group = hashlib.sha256(text_variant(number)).hexdigest()[:2]
        seen.setdefault(group, []).append(number)
        if len(seen[group]) == count:
            return seen[group]
    raise AssertionError("unreachable")


def merge_scenario(work: Path) -> Scenario:
    """``merge``: a group holding MAX_SMALL_FILES small files (one document each, written
    by a run each), and a run that adds one more document to it: the write that makes the
    group's merge due, which merges in its own commit."""
    numbers = same_group_variants(MAX_SMALL_FILES + 1)
    inputs, start = work / "merge" / "in", work / "merge" / "start"
    inputs.mkdir(parents=True)
    for number in numbers[:-1]:
        (inputs / f"doc{number}.txt").write_bytes(text_variant(number))
        done = piao("extract", str(inputs), "--out", str(start), "--workers", "1")
        assert done.returncode == 0, done.stderr
    (inputs / f"doc{numbers[-1]}.txt").write_bytes(text_variant(numbers[-1]))
    argv = ("extract", str(inputs), "--workers", "1")
    reference = work / "merge" / "reference"
    shutil.copytree(start, reference)
    done = piao(*argv, "--out", str(reference))
    assert done.returncode == 0, done.stderr
    return Scenario("merge", inputs, start, reference, argv)


def make_scenarios(work: Path, documents: int = 4) -> list[Scenario]:
    """The four scenarios (three over ``documents`` text files, and ``merge``), with
    their uninterrupted runs."""
    scenarios = []
    for name in ("add", "force", "edit"):
        inputs, start = work / name / "in", work / name / "start"
        inputs.mkdir(parents=True)
        stored = documents // 2 if name == "add" else documents
        for number in range(stored):
            (inputs / f"doc{number}.txt").write_bytes(text_variant(number))
        done = piao("extract", str(inputs), "--out", str(start), "--workers", "1")
        assert done.returncode == 0, done.stderr
        for number in range(documents):
            (inputs / f"doc{number}.txt").write_bytes(text_variant(number, name == "edit"))
        argv = ("extract", str(inputs), "--workers", "1", *(["--force"] * (name == "force")))
        reference = work / name / "reference"
        shutil.copytree(start, reference)
        done = piao(*argv, "--out", str(reference))
        assert done.returncode == 0, done.stderr
        scenarios.append(Scenario(name, inputs, start, reference, argv))
    scenarios.append(merge_scenario(work))
    return scenarios


def plain_reads(out: Path) -> dict[str, dict[str, pd.DataFrame]]:
    """reader -> table -> rows, as pandas, a DuckDB glob and polars read the folders."""
    reads: dict[str, dict[str, pd.DataFrame]] = {"pandas": {}, "duckdb": {}, "polars": {}}
    for name in schema.TABLES:
        folder = out / name
        if not folder.is_dir() or not list(folder.glob("*/*.parquet")):
            for reader in reads:
                reads[reader][name] = pd.DataFrame()
            continue
        glob = (folder / "*" / "*.parquet").as_posix()
        reads["pandas"][name] = pd.read_parquet(folder)
        reads["duckdb"][name] = duckdb.sql(
            f"SELECT * FROM read_parquet('{glob}', union_by_name = true)"
        ).df()
        reads["polars"][name] = polars.read_parquet(glob).to_pandas()
    return reads


def canonical(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    """A table's rows as sorted tuples of text, the run-dependent columns left out."""
    if frame.empty:
        return []
    kept = frame[sorted(c for c in frame.columns if c not in RUN_COLUMNS)]
    return sorted(tuple(map(str, row)) for row in kept.itertuples(index=False))


def differences(out: Path, reference: Path) -> list[str]:
    """What plain readers see in ``out`` that differs from what the same reader sees in
    the ``reference`` folder (one line each)."""
    expected = plain_reads(reference)
    found = []
    for reader, tables in plain_reads(out).items():
        for name, frame in tables.items():
            rows, wanted = canonical(frame), canonical(expected[reader][name])
            if rows != wanted:
                found.append(f"{reader} {name}: {len(rows)} rows, expected {len(wanted)}")
    return found


def committed_ids(out: Path) -> set[str]:
    """The doc_ids the loader's committed view lists."""
    documents = storage.read_table("documents", out)
    return set() if documents is None else set(documents["doc_id"].to_pylist())


def sources(out: Path) -> set[str]:
    """The source paths of the committed view's documents."""
    documents = storage.read_table("documents", out)
    return set() if documents is None else set(documents["source_path"].to_pylist())


@dataclass
class Trial:
    scenario: str
    how: str
    killed: bool
    #: Documents committed before the run and missing from the committed view after the kill.
    vanished: int
    #: Differences between plain reads after the rerun and the uninterrupted run.
    differences: list[str]


def killed_run(scenario: Scenario, out: Path, how: str, rng: random.Random) -> tuple[bool, str]:
    """Run the scenario's command into ``out``, killed as ``how`` says (``strace`` at a
    random write step, or ``delay``); returns (killed, what was done)."""
    command = [sys.executable, "-m", "piao", *scenario.argv, "--out", str(out)]
    if how == "strace" and shutil.which("strace"):
        call = rng.choice(sorted(WRITE_CALLS))
        when = rng.randint(1, WRITE_CALLS[call])
        injected = f"inject={call}:signal=KILL:when={when}"
        command = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", f"trace={call}", "-e", injected]
        command += [sys.executable, "-m", "piao", *scenario.argv, "--out", str(out)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=300)
        return done.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL), f"{call} #{when}"
    delay = rng.uniform(0.3, 2.5)
    child = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        child.wait(timeout=delay)
        return False, f"{delay:.2f}s"
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        return True, f"{delay:.2f}s"


def run_trial(scenario: Scenario, work: Path, how: str, rng: random.Random) -> Trial:
    """One kill and rerun of a scenario in a fresh copy of its starting folder."""
    out = work / f"trial-{time.monotonic_ns()}"
    shutil.copytree(scenario.start, out)
    before_ids, before_sources = committed_ids(out), sources(out)
    killed, what = killed_run(scenario, out, how, rng)
    after_ids, after_sources = committed_ids(out), sources(out)
    if scenario.name == "edit":  # each file's old version may be replaced by its new one
        vanished = len(before_sources - after_sources)
    else:
        vanished = len(before_ids - after_ids)
    rerun = piao(*scenario.argv[:2], "--workers", "1", "--out", str(out))
    problems = [] if rerun.returncode == 0 else [f"rerun failed: {rerun.stderr.strip()}"]
    problems += differences(out, scenario.reference)
    shutil.rmtree(out, ignore_errors=True)
    return Trial(scenario.name, f"{how} {what}", killed, vanished, problems)
