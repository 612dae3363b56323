"""Worker processes that die with the run that started them.

A batch processes documents in a :class:`~concurrent.futures.ProcessPoolExecutor`. If the
run itself is killed (``kill -9``, an OOM kill, a closed terminal), its workers must not
live on: they would keep working for nobody (and, before :mod:`piao.runlock` made them drop
it, hold the lock on the output folder). Each worker, when it starts:

* drops its copy of the parent's lock descriptor;
* ignores SIGINT and SIGTERM: stopping is the parent's decision (it kills its workers when
  it is interrupted or terminated, see :func:`stop_workers`);
* asks Linux to SIGKILL it when its parent ends (``prctl(PR_SET_PDEATHSIG)``), and elsewhere
  watches its parent pid from a thread (the parent gone, the worker is re-parented).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from piao import runlock

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WATCHDOG_SECONDS = 0.5
#: How long a stopped pool's manager thread is waited for (it ends once its workers are dead).
MANAGER_JOIN_SECONDS = 10.0
#: A PDF costs about this many times a text file of the same size to extract (measured on
#: the fixtures: 65 kB ruled PDF ~4 s, 60 kB text ~0.35 s).
PDF_COST_FACTOR = 10
#: A job estimated to cost this many times its window's median is started first.
LONG_JOB_FACTOR = 3

JobT = TypeVar("JobT")


def ask_kernel_to_kill_on_parent_exit() -> bool:
    """``prctl(PR_SET_PDEATHSIG, SIGKILL)`` on Linux; False where it is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def watch_parent(parent: int, every: float = WATCHDOG_SECONDS) -> threading.Thread:
    """A daemon thread that ends this process as soon as its parent is no longer ``parent``."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    thread = threading.Thread(target=watch, name="piao-parent-watchdog", daemon=True)
    thread.start()
    return thread


def init_worker(parent: int) -> None:
    """Pool initialiser (see the module doc)."""
    runlock.drop_inherited_locks()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ask_kernel_to_kill_on_parent_exit()
    if os.getppid() != parent:  # the parent died before the kernel was asked
        os._exit(1)
    watch_parent(parent)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that die with this one."""
    return ProcessPoolExecutor(
        max_workers=workers, initializer=init_worker, initargs=(os.getpid(),)
    )


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's processes now (the run was interrupted: what they are doing would be
    thrown away) and cancel what they had not started.

    The pool's manager thread is then joined: left running, it closes its wake-up pipe while
    the interpreter's exit hook (``concurrent.futures.process._python_exit``) writes to it,
    a race that prints "OSError: Bad file descriptor" from ``threading._shutdown``."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.kill()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.join(timeout=5)
    if manager is not None and manager.is_alive():
        manager.join(timeout=MANAGER_JOIN_SECONDS)


def estimated_cost(path: Path) -> float:
    """How long a file should take to extract, relative to others: its size, times
    :data:`PDF_COST_FACTOR` for a PDF (decided by content, as extraction does)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
        size = path.stat().st_size
    except OSError:
        return 0.0
    return size * (PDF_COST_FACTOR if b"%PDF-" in head else 1)


def submission_order(jobs: Sequence[JobT], paths: Sequence[Path], window: int) -> list[JobT]:
    """The jobs in the order to hand them to the pool: within each window of ``window``
    consecutive jobs, the long ones first (:data:`LONG_JOB_FACTOR` times the window's median
    cost or more: a PDF among text files), costliest first, then the others in input order.

    A batch whose last job is a long PDF otherwise ends with one worker busy and the others
    idle. The others keep input order because the writer writes in input order: sorted by
    size, the window's first input would be done last and the whole window written after it,
    the parent idle until then. Reordering within windows keeps the results that wait to be
    written few (the writer's memory)."""
    ordered: list[JobT] = []
    for start in range(0, len(jobs), max(1, window)):
        chunk = list(range(start, min(start + window, len(jobs))))
        costs = {index: estimated_cost(paths[index]) for index in chunk}
        typical = statistics.median(costs.values())
        long = {
            index
            for index in chunk
            if costs[index] > 0 and costs[index] >= LONG_JOB_FACTOR * typical
        }
        ordered.extend(jobs[index] for index in sorted(long, key=lambda i: (-costs[i], i)))
        ordered.extend(jobs[index] for index in chunk if index not in long)
    return ordered


#: Jobs a pool holds per worker besides the one it runs: queued for it, or finished and not
#: yet taken by the writer (see :func:`jobs_in_flight`).
QUEUED_PER_WORKER = 4


def jobs_in_flight(workers: int, queued_per_worker: int = QUEUED_PER_WORKER) -> int:
    """How many jobs a batch keeps submitted to a pool of ``workers`` processes and not yet
    given out to the writer: each worker's running job and ``queued_per_worker`` more.

    A finished job's outcome (a document's every table, ~0.4 MB for a 60 kB text) waits in
    the parent until it is given out, and while the parent writes it gives none out: the
    longer a write, the more finished outcomes wait. A write takes longer as the folder
    grows (its index, its merges), so a bound of a write's documents or more (the earlier
    one: 50 + workers) was reached by large batches only: a 900-document batch held 7-11
    finished outcomes after its first writes and 37-41 after its last ones, its parent
    15 MiB higher. A bound per worker is reached by small and large batches alike, and
    keeps each worker a few jobs ahead of the writer (docs/storage.md, "Measured")."""
    return max(1, workers) * (1 + max(0, queued_per_worker))
