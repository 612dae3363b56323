"""A command's side work shared among worker processes, when there is enough of it.

After a batch, ``piao extract`` brings the folder's history up to date: it digests every
file of the compared tables and builds each group's lineage and changes (a 60-document
batch: 240 files and 57 groups, about 1.2 s in one process while the workers that
extracted the batch sit idle). The jobs are independent and their results are taken in
order, so a ``map`` run by worker processes (:func:`pool_map`) gives the same tables in
about half the time on two cores. An add's history (a few files, one group) runs in this
process: a pool costs more than such jobs, so none is started (and the modules of one,
``concurrent.futures``, are not imported) below :data:`POOL_MINIMUM` jobs.
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
#: :func:`pool_map` runs fewer in this process.
POOL_MINIMUM = 32

#: A ``map``: a function applied to each of the items, the results in the items' order.
Mapper = Callable[[Callable[[JobT], ResultT], Iterable[JobT]], Iterator[ResultT]]


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


@contextlib.contextmanager
def pool_map(workers: int, minimum: int | None = None) -> Iterator[Mapper]:
    """A ``map`` that runs its jobs on ``workers`` processes that die with this one
    (:func:`piao.workers.worker_pool`), started at the first call given ``minimum`` jobs
    or more (:data:`POOL_MINIMUM` when None), shared by the later calls, and stopped when
    the block ends (killed at once when it raises); fewer jobs, or one worker, run in this
    process. Functions and jobs must pickle; the results are those of ``map``, in the
    same order, at most :func:`piao.workers.jobs_in_flight` of them waiting to be read."""
    pools: list[ProcessPoolExecutor] = []
    least = POOL_MINIMUM if minimum is None else minimum

    def mapped(function: Callable[[JobT], ResultT], items: Iterable[JobT]) -> Iterator[ResultT]:
        remaining = iter(items)
        head = list(islice(remaining, least))
        if workers <= 1 or len(head) < least:
            yield from map(function, chain(head, remaining))
            return
        from piao.workers import jobs_in_flight, worker_pool  # a pool's only (start-up time)

        if not pools:
            pools.append(worker_pool(workers))
        yield from ordered_map(pools[0], function, chain(head, remaining), jobs_in_flight(workers))

    try:
        yield mapped
    except BaseException:
        if pools:
            from piao.workers import stop_workers

            stop_workers(pools[0])
        raise
    finally:
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)
