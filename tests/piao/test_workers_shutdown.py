"""A stopped worker pool leaves nothing on stderr at exit, however the exit races with the
pool's manager thread (``piao.workers.stop_workers``): the parent of a batch killed by
SIGTERM once printed a traceback from ``threading._shutdown`` ("Bad file descriptor")."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Starts a pool of two workers busy with long tasks, stops it as an interrupted run does,
#: and exits at once (the exit hook then races with the manager thread).
CHILD = """
import sys, time
from piao.workers import stop_workers, worker_pool
pool = worker_pool(2)
futures = [pool.submit(time.sleep, 30) for _ in range(4)]
while len(pool._processes or {}) < 2:
    time.sleep(0.01)
time.sleep(0.1)
stop_workers(pool)
sys.exit(143)
"""
#: Runs of the child, and how many at once (with as many busy processes as load).
RUNS, AT_ONCE = 60, 2  # without the fix, about 1 run in 10 failed when idle
TIME_BOUND = 120.0


def busy_processes(count: int) -> list[subprocess.Popen]:
    """``count`` processes spinning a CPU each (load, as on a shared CI machine)."""
    spin = "import time\nend = time.monotonic() + 300\nwhile time.monotonic() < end: pass"
    return [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(count)]


@pytest.mark.slow
def test_stopped_pool_exits_without_a_traceback_under_load(tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    load = busy_processes(1)
    started = time.monotonic()
    failures: list[str] = []
    try:
        for _ in range(RUNS // AT_ONCE):
            children = [
                subprocess.Popen(
                    [sys.executable, str(script)],
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(AT_ONCE)
            ]
            for child in children:
                _, stderr = child.communicate(timeout=60)
                if child.returncode != 143 or stderr:
                    failures.append(f"exit {child.returncode}: {stderr[-500:]}")
            assert time.monotonic() - started < TIME_BOUND, "too slow to repeat under load"
    finally:
        for process in load:
            process.kill()
            process.wait()
    assert failures == []


def test_stop_workers_returns_once_the_manager_thread_has_ended() -> None:
    """The cause, checked directly: when ``stop_workers`` returns, the pool's manager thread
    (which closes the wake-up pipe the exit hook writes to) has ended."""
    from piao.workers import stop_workers, worker_pool

    pool = worker_pool(2)
    futures = [pool.submit(time.sleep, 30) for _ in range(4)]
    deadline = time.monotonic() + 30
    while len(pool._processes or {}) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    manager = pool._executor_manager_thread
    assert manager is not None and manager.is_alive()
    stop_workers(pool)
    assert not manager.is_alive()
    assert all(future.cancelled() or future.done() for future in futures)
