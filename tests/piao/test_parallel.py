"""The pool that shares a command's side work (the history's files and groups) among
worker processes (piao/parallel.py): the results of ``map``, in order, run by
the workers only when there are enough jobs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import schema
from piao import parallel, workers
from piao.cli import main
from piao.commands import extract as extract_command
from piao.parallel import ordered_map, worker_processes
from piao.workers import worker_pool
from schema import DERIVED_TABLES

SHIPPED = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "raw"
    / "portomaggiore_piao_2023-2025_allegato1.txt"
)


def square_and_pid(number: int) -> tuple[int, int]:
    """The number squared and the process that computed it."""
    return number * number, os.getpid()


def fails_on_three(number: int) -> int:
    if number == 3:
        raise ValueError("three")
    return number


def test_enough_jobs_run_on_the_workers_and_come_back_in_order() -> None:
    with worker_processes(2, minimum=4) as processes:
        results = list(processes.map(square_and_pid, range(12)))
    assert [square for square, _ in results] == [n * n for n in range(12)]
    assert os.getpid() not in {pid for _, pid in results}


def test_fewer_jobs_than_the_minimum_run_in_this_process() -> None:
    with worker_processes(2, minimum=4) as processes:
        results = list(processes.map(square_and_pid, range(3)))
    assert results == [(0, os.getpid()), (1, os.getpid()), (4, os.getpid())]


def test_one_worker_runs_every_job_in_this_process() -> None:
    with worker_processes(1, minimum=1) as processes:
        results = list(processes.map(square_and_pid, range(40)))
    assert {pid for _, pid in results} == {os.getpid()}
    assert results[-1][0] == 39 * 39


def test_a_jobs_error_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="three"), worker_processes(2, minimum=2) as processes:
        list(processes.map(fails_on_three, range(8)))


def test_a_bounded_map_keeps_at_most_its_jobs_in_flight() -> None:
    submitted = []

    def items():
        for number in range(10):
            submitted.append(number)
            yield number

    pool = worker_pool(2)
    try:
        results = ordered_map(pool, square_and_pid, items(), in_flight=3)
        first = next(results)
        assert first[0] == 0 and len(submitted) == 3  # the first result given at the third
        assert [square for square, _ in results] == [n * n for n in range(1, 10)]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture
def pooled_jobs(monkeypatch) -> list[str]:
    """The names of the functions whose jobs go to a pool (:func:`ordered_map`), as
    :class:`WorkerProcesses` hands them over."""
    names: list[str] = []
    real = parallel.ordered_map

    def recorded(pool, function, items, in_flight):
        names.append(getattr(function, "func", function).__name__)  # a partial's function
        return real(pool, function, items, in_flight)

    monkeypatch.setattr(parallel, "ordered_map", recorded)
    return names


def test_a_batch_history_built_by_two_workers_is_the_one_built_here(
    editions_corpus, tmp_path, monkeypatch, pooled_jobs
) -> None:
    here, pooled = tmp_path / "here", tmp_path / "pooled"
    for out in (here, pooled):
        shutil.copytree(editions_corpus[0], out)
    expected = extract_command.history_lines(here)
    started = []
    real = workers.worker_pool
    monkeypatch.setattr(workers, "worker_pool", lambda count: started.append(count) or real(count))
    with worker_processes(2, minimum=2) as processes:  # the 9 editions' 3 groups too
        lines = extract_command.history_lines(pooled, None, processes.map)
    assert [line.replace(str(pooled), str(here)) for line in lines] == expected
    assert started == [2]  # one pool, for the files' digests and the groups
    assert pooled_jobs == ["readable_digests", "series_rows"]
    assert expected[-1].startswith("lineage and changes: 3 series")
    for name in ("lineage", "changes"):
        table = DERIVED_TABLES[name]
        assert schema.read_table(table, pooled).equals(schema.read_table(table, here))


def test_a_batch_and_its_history_share_one_pool(tmp_path, monkeypatch, pooled_jobs) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    text = SHIPPED.read_bytes()
    for number in range(9):  # 9 documents: 36 files of the compared tables to digest
        (raw / f"copy{number}.txt").write_bytes(text + b"\n" * (number + 1))
    started = []
    real = workers.worker_pool
    monkeypatch.setattr(workers, "worker_pool", lambda count: started.append(count) or real(count))
    out = tmp_path / "out"
    assert main(["extract", str(raw), "--out", str(out), "--workers", "2"]) == 0
    assert started == [2]  # forked once, at the batch's start
    assert pooled_jobs == ["readable_digests"]  # the history's digests on the batch's workers
    assert schema.read_table(DERIVED_TABLES["lineage"], out).num_rows == 9 * 48
