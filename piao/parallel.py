"""One command's worker processes, shared by its stages: the batch, then its history.

``piao extract`` reads a batch's documents on worker processes (:mod:`piao.pipeline`),
then brings the folder's history up to date: it digests every file of the compared tables
and builds each group's lineage and changes (a 60-document batch: 240 files and 57 groups,
about 1.2 s in one process). Those jobs are independent and their results are taken in
order, so a ``map`` run by the batch's workers, idle by then (:meth:`WorkerProcesses.map`),
gives the same tables in about half the time on two cores.

The same workers, not new ones: a process forked at the end of a batch starts with the
parent's memory as it is then (its resident pages count in its own size). With a pool
forked for the history alone, the largest worker of a 300-document batch reached 80 MiB;
the batch's workers, forked at its start when the parent was small, reach 65 MiB doing
the same work (the parent, 121-123 MiB either way, sets the batch's peak).

An add's history (a few files, one group) runs in the command's own process: a pool costs
more than such jobs, so none is started below :data:`POOL_MINIMUM` jobs (and the modules of
one, ``concurrent.futures``, are not imported).
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

JobT = TypeVar("JobT")
ResultT = TypeVar("ResultT")

#: Jobs below which a pool is not worth starting (forking its processes, sending the jobs):
#: :meth:`WorkerProcesses.map` runs fewer in this process.
POOL_MINIMUM = 32


def ordered_map(
    pool: ProcessPoolExecutor,
    function: Callable[[JobT], ResultT],
    items: Iterable[JobT],
    in_flight: int,
) -> Iterator[ResultT]:
    """``map(function, items)`` run by ``pool``, the results in the items' order, with at
    most ``in_flight`` jobs submitted and not yet given out (their results wait in this
    process's memory). Jobs not started when the caller stops reading are cancelled."""
    pending: deque[Future[ResultT]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(function, item))
            if len(pending) >= in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


class WorkerProcesses:
    """Up to ``workers`` processes that die with this one (:func:`piao.workers.worker_pool`),
    started when a stage first needs them and kept for the next ones; see the module doc."""

    def __init__(self, workers: int, minimum: int | None = None) -> None:
        """``minimum``: the jobs from which :meth:`map` uses the processes
        (:data:`POOL_MINIMUM` when None)."""
        self.workers = workers
        self.minimum = POOL_MINIMUM if minimum is None else minimum
        self._pool: ProcessPoolExecutor | None = None
        self._size = 0

    def pool(self, processes: int) -> ProcessPoolExecutor:
        """The pool, started with ``processes`` processes (at most ``workers``) when there
        is none yet."""
        if self._pool is None:
            from piao.workers import worker_pool  # a pool's only (start-up time)

            self._size = max(1, min(processes, self.workers))
            self._pool = worker_pool(self._size)
        return self._pool

    def map(self, function: Callable[[JobT], ResultT], items: Iterable[JobT]) -> Iterator[ResultT]:
        """``map(function, items)``: the same results in the same order, computed by the
        processes when there are :attr:`minimum` items or more and more than one worker,
        else here. Functions and items must pickle; at most
        :func:`piao.workers.jobs_in_flight` results wait to be read."""
        remaining = iter(items)
        head = list(islice(remaining, self.minimum))
        if self.workers <= 1 or len(head) < self.minimum:
            yield from map(function, chain(head, remaining))
            return
        from piao.workers import jobs_in_flight

        pool = self.pool(self.workers)
        yield from ordered_map(pool, function, chain(head, remaining), jobs_in_flight(self._size))

    def stop(self) -> None:
        """Kill the processes now and forget the pool (:func:`piao.workers.stop_workers`)."""
        if self._pool is not None:
            from piao.workers import stop_workers

            pool, self._pool = self._pool, None
            stop_workers(pool)

    def close(self) -> None:
        """Let the processes finish their jobs and end."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def worker_processes(workers: int, minimum: int | None = None) -> Iterator[WorkerProcesses]:
    """:class:`WorkerProcesses` for the block: closed when it ends, killed at once when it
    raises (an interrupt: what they do would be thrown away)."""
    processes = WorkerProcesses(workers, minimum)
    try:
        yield processes
    except BaseException:
        processes.stop()
        raise
    finally:
        processes.close()
