"""The lock that keeps two runs from writing the same tables at once, and that a dead run
cannot hold.

The lock is an ``flock`` on ``<out>/.piao.lock``, whose content is the pid of the run that
holds it. The kernel releases an ``flock`` when the last descriptor of the open file goes
away, so a killed run releases it at once, unless processes it started still hold a copy
of the descriptor (worker processes created by ``fork`` inherit every descriptor). Three
defences, each enough on its own:

* the workers drop their copy first thing (:func:`drop_inherited_locks`, called by the
  worker initialiser), so only the run itself ever holds the lock;
* the workers die with their parent (:mod:`piao.workers`);
* a lock still held when the pid written in it is no longer running is stale: it is taken
  over (the old lock file is removed and a new one locked), and the run says so.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

LOCK_NAME = ".piao.lock"
TAKEOVER_NAME = ".piao.lock.takeover"
#: How long a lock whose run is dead may stay held (its workers are dying) before it is
#: taken over.
STALE_GRACE_SECONDS = 1.0

#: Descriptors of the lock files this process holds (closed by forked workers).
HELD: set[int] = set()


class LockBusyError(OSError):
    """Another live run holds the lock."""


def process_is_running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (a killed run not yet reaped)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # not Linux, or it just ended
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def recorded_pid(handle: IO[str]) -> int | None:
    """The pid written in the lock file, or None (empty: written by an older piao)."""
    handle.seek(0)
    text = handle.read(64).strip()
    return int(text) if text.isdigit() else None


def is_same_file(handle: IO[str], path: Path) -> bool:
    """Whether ``path`` still names the file open as ``handle`` (not removed or replaced)."""
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    opened = os.fstat(handle.fileno())
    return (on_disk.st_dev, on_disk.st_ino) == (opened.st_dev, opened.st_ino)


def try_flock(handle: IO[str]) -> bool:
    """Lock the open file without waiting; False when another process holds it."""
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def remove_stale_lock(path: Path, stale: os.stat_result) -> None:
    """Remove the lock file ``path`` if it is still the stale one (by inode), under a second
    lock so that two runs taking over at once cannot remove each other's new lock."""
    import fcntl

    with (path.parent / TAKEOVER_NAME).open("a") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        with contextlib.suppress(FileNotFoundError):
            now = path.stat()
            if (now.st_dev, now.st_ino) == (stale.st_dev, stale.st_ino):
                path.unlink()


def acquire(directory: Path, notice: Callable[[str], None]) -> IO[str]:
    """Open and lock ``directory/.piao.lock``, write our pid in it and return the handle.

    Raises :class:`LockBusyError` when a running process holds it. A lock held although the
    run written in it has ended is taken over after :data:`STALE_GRACE_SECONDS`, with a
    ``notice``.
    """
    path = directory / LOCK_NAME
    stale_since: float | None = None
    while True:
        handle = path.open("a+", encoding="ascii")  # not inherited by exec'd children
        if try_flock(handle):
            if not is_same_file(handle, path):  # taken over meanwhile: lock the new file
                handle.close()
                continue
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            HELD.add(handle.fileno())
            return handle
        pid = recorded_pid(handle)
        stale = os.fstat(handle.fileno())
        handle.close()
        if pid is None or process_is_running(pid):
            who = f" (pid {pid})" if pid else ""
            message = f"another piao run{who} is writing these tables"
            raise LockBusyError(errno.EBUSY, message, str(directory))
        stale_since = stale_since or time.monotonic()
        if time.monotonic() - stale_since < STALE_GRACE_SECONDS:
            time.sleep(0.05)  # its workers are dying with it
            continue
        remove_stale_lock(path, stale)
        notice(
            f"{directory}: took over the lock of piao run {pid}, which is no longer running "
            "(processes it left behind still held it)"
        )
        stale_since = None


def release(handle: IO[str]) -> None:
    HELD.discard(handle.fileno())
    handle.close()


@contextlib.contextmanager
def exclusive(
    out_dir: str | Path, notice: Callable[[str], None] = lambda _message: None
) -> Iterator[None]:
    """Hold the lock on ``out_dir`` so that two runs never write the same tables at once.

    A folder created only to hold the lock is removed again when nothing was written. Where
    ``fcntl`` does not exist (Windows) there is no lock.
    """
    directory = Path(out_dir)
    created = not directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    try:
        try:
            import fcntl  # noqa: F401
        except ImportError:  # pragma: no cover - Windows
            yield
            return
        handle = acquire(directory, notice)
        try:
            yield
        finally:
            release(handle)
    finally:
        if created and {p.name for p in directory.iterdir()} <= {LOCK_NAME, TAKEOVER_NAME}:
            for name in (LOCK_NAME, TAKEOVER_NAME):
                (directory / name).unlink(missing_ok=True)
            directory.rmdir()


def drop_inherited_locks() -> None:
    """In a forked worker: let go of the parent's lock descriptors, so that the lock is
    released the moment the parent ends. (``flock`` belongs to the open file, shared by
    every copy of the descriptor; ``os.close`` drops this copy only, unlike ``LOCK_UN``,
    which would unlock the parent too.) The numbers are pointed at /dev/null rather than
    closed, so that nothing else reuses them while the parent's file object names them."""
    if not HELD:
        return
    devnull = os.open(os.devnull, os.O_RDONLY)
    for fd in HELD:
        with contextlib.suppress(OSError):
            os.dup2(devnull, fd, inheritable=False)
    os.close(devnull)
    HELD.clear()
