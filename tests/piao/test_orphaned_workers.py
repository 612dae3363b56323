"""Signals and workers: a parallel batch whose parent is killed must not leave workers holding
the lock on the output folder; the next run starts at once.

The child runs ``piao extract --workers 2`` with a hook that makes each worker write its pid
and then sleep (a long document); the test kills the parent only (not its process group,
as ``kill PID`` does from a shell), then checks the workers are gone and runs again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import schema
from piao import pipeline, runlock

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")

CHILD = """
import os, sys, time
from pathlib import Path
import extract
from piao.cli import main

PIDS = Path(sys.argv[1])
real_read = extract.read_document
def read_forever(path, *args, **kwargs):
    (PIDS / str(os.getpid())).touch()
    time.sleep(120)
    return real_read(path, *args, **kwargs)
extract.read_document = read_forever
sys.exit(main(sys.argv[2:]))
"""


def start_batch(tmp_path: Path, folder: Path, out: Path) -> tuple[subprocess.Popen, Path]:
    pids = tmp_path / "pids"
    pids.mkdir()
    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent(CHILD))
    argv = ["extract", str(folder), "--out", str(out), "--workers", "2"]
    child = subprocess.Popen(
        [sys.executable, str(script), str(pids), *argv],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    return child, pids


def wait_for_workers(pids: Path, child: subprocess.Popen, count: int = 2) -> list[int]:
    deadline = time.monotonic() + 90
    while len(list(pids.iterdir())) < count:
        if child.poll() is not None:
            raise AssertionError(f"child ended early: {child.communicate()}")
        if time.monotonic() > deadline:
            os.killpg(child.pid, signal.SIGKILL)
            raise AssertionError("the workers never started")
        time.sleep(0.05)
    return [int(path.name) for path in pids.iterdir()]


def gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while any(runlock.process_is_running(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def batch_folder(tmp_path: Path, variant, out: Path) -> Path:
    """Tables holding a.txt, and a folder with three more documents to extract."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(variant(0))
    assert pipeline.run([folder], out).ok
    for number in range(1, 4):
        (folder / f"b{number}.txt").write_bytes(variant(number))
    return folder


def snapshot(out: Path) -> dict[str, bytes]:
    """Every table file, by path under ``out`` (``objectives/ab/part-0.parquet``)."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.glob("*/*/*.parquet"))
    }


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killed_batch_parent_leaves_no_worker_and_no_lock(tmp_path, variant, how):
    out = tmp_path / "out"
    folder = batch_folder(tmp_path, variant, out)
    before = snapshot(out)
    child, pids = start_batch(tmp_path, folder, out)
    worker_pids = wait_for_workers(pids, child)

    os.kill(child.pid, how)  # the parent only, as `kill PID` does
    try:
        stdout, stderr = child.communicate(timeout=60)  # orphans would keep the pipes open
        assert gone_within(worker_pids, 5), "workers outlived their parent"
    finally:
        for pid in worker_pids:  # never leave orphans behind, even when the test fails
            if runlock.process_is_running(pid):
                os.kill(pid, signal.SIGKILL)
    assert snapshot(out) == before  # tables as they were
    if how == signal.SIGTERM:
        assert child.returncode == 143
        assert "Traceback" not in stderr
        assert "terminated" in stderr
        assert stdout.splitlines()[-1].split("; ")[0] == (
            "0 extracted, 1 skipped as unchanged, 0 failed (interrupted)"
        )
    else:
        assert child.returncode == -signal.SIGKILL
    rerun = pipeline.run([folder], out)  # at once: no "another piao run"
    assert rerun.ok
    assert sorted(d.source_name for d in rerun.written) == ["b1.txt", "b2.txt", "b3.txt"]
    assert rerun.notices == []  # nobody held the lock: nothing to take over
    objectives = schema.read_pandas("objectives", out)
    assert objectives.groupby("doc_id").size().tolist() == [48] * 4


def list_lock_descriptors(job: pipeline.Job) -> pipeline.Outcome:
    """Stands in for process_job in a worker: what its descriptors point at."""
    targets = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            targets.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            continue
    return pipeline.Outcome(job.index, job.path, pipeline.FAILED, "\n".join(targets))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_workers_do_not_inherit_the_lock_descriptor(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "process_job", list_lock_descriptors)
    jobs = [
        pipeline.Job(index, tmp_path / f"{index}.txt", "0" * 64, pipeline.NO_METADATA, None)
        for index in range(2)
    ]
    with runlock.exclusive(tmp_path):
        lock = str((tmp_path / runlock.LOCK_NAME).resolve())
        assert len(runlock.HELD) == 1
        outcomes = list(pipeline.iter_outcomes(jobs, workers=2))
    assert len(outcomes) == 2
    for outcome in outcomes:
        assert outcome.reason  # the worker did list its descriptors
        assert lock not in outcome.reason.splitlines()


def hold_lock_in_another_process(out: Path, recorded_pid: int) -> subprocess.Popen:
    """A process that holds the flock of ``out/.piao.lock``, in which ``recorded_pid`` is
    written: an orphaned worker of a dead run (or a live run, when the pid is alive)."""
    code = textwrap.dedent(
        f"""
        import fcntl, sys, time
        handle = open({str(out / runlock.LOCK_NAME)!r}, "a+")
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0); handle.truncate(); handle.write("{recorded_pid}\\n"); handle.flush()
        print("locked", flush=True)
        time.sleep(120)
        """
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_lock_of_a_dead_run_is_taken_over_and_said_so(tmp_path, variant):
    out = tmp_path / "out"
    out.mkdir()
    source = tmp_path / "a.txt"
    source.write_bytes(variant(0))
    pid = dead_pid()
    holder = hold_lock_in_another_process(out, pid)
    try:
        result = pipeline.run([source], out)
    finally:
        holder.kill()
        holder.wait()
    assert result.ok
    assert [d.source_name for d in result.written] == ["a.txt"]
    assert result.notices == [
        f"{out}: took over the lock of piao run {pid}, which is no longer running "
        "(processes it left behind still held it)"
    ]


def test_lock_of_a_live_run_is_refused_naming_its_pid(tmp_path, variant):
    out = tmp_path / "out"
    out.mkdir()
    source = tmp_path / "a.txt"
    source.write_bytes(variant(0))
    holder = hold_lock_in_another_process(out, os.getpid())  # a pid that is running
    try:
        with pytest.raises(runlock.LockBusyError) as caught:
            pipeline.run([source], out)
    finally:
        holder.kill()
        holder.wait()
    assert caught.value.strerror == f"another piao run (pid {os.getpid()}) is writing these tables"
    assert schema.read_table("documents", out) is None


def test_lock_file_records_the_running_pid(tmp_path):
    with runlock.exclusive(tmp_path):
        assert (tmp_path / runlock.LOCK_NAME).read_text() == f"{os.getpid()}\n"


def test_worker_watchdog_ends_a_worker_whose_parent_changed():
    """The watchdog (used where PR_SET_PDEATHSIG does not exist) ends the process as soon
    as its parent is not the one it started under."""
    code = textwrap.dedent(
        """
        import time
        from piao import workers
        workers.watch_parent(parent=-1, every=0.01)  # never our parent: ends at once
        time.sleep(30)
        """
    )
    started = time.monotonic()
    process = subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=60)
    assert process.returncode == 1
    assert time.monotonic() - started < 20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux only")
def test_parent_death_signal_is_set_on_linux():
    """Read back with PR_GET_PDEATHSIG, in a child (not to set it on the test process)."""
    code = textwrap.dedent(
        """
        import ctypes, signal
        from piao import workers
        assert workers.ask_kernel_to_kill_on_parent_exit()
        value = ctypes.c_int()
        ctypes.CDLL(None).prctl(2, ctypes.byref(value), 0, 0, 0)  # PR_GET_PDEATHSIG
        print(value.value)
        """
    )
    process = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert process.stdout.strip() == str(int(signal.SIGKILL)), process.stderr
