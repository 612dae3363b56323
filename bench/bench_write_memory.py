"""The memory of a batch's writes alone, in the parent, by the number of documents written.

A batch's parent takes its workers' packed outcomes (:mod:`piao.packed`) and writes them,
50 at a time (:class:`piao.pipeline.InputOrderWriter`, with the merges of small files).
``pack`` runs the workers' part once for the first ``--count`` inputs of a folder (two
worker processes) and pickles each outcome into ``--cache``; ``replay`` writes the first
``--count`` of them, in this one process, into a new folder, and prints after each write
the RSS before it and the high-water mark during it (``/proc/self/status``, reset before
each write), then the anonymous mappings of 512 KiB or more resident at the end
(``/proc/self/smaps``: mimalloc's reserved region is the one of 1 GiB). Run ``replay``
under ``ARROW_DEFAULT_MEMORY_POOL=mimalloc`` and ``=system`` to compare Arrow C++'s default
pools (docs/storage.md, "The batch's memory").

    .venv/bin/python bench/bench_write_memory.py pack INPUTS --count 1400 --cache DIR
    ARROW_DEFAULT_MEMORY_POOL=system .venv/bin/python bench/bench_write_memory.py replay \\
        --count 1400 --cache DIR [--every 100]
"""

from __future__ import annotations

import argparse
import pickle
import re
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from piao import pipeline  # noqa: E402
from piao.allocator import use_system_allocator  # noqa: E402
from piao.pipeline import packed_job  # noqa: E402


def status_mib() -> tuple[int, int]:
    """This process's RSS and high-water mark, MiB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) >> 10, int(fields["VmHWM"].split()[0]) >> 10


def anonymous_mappings(min_kib: int = 512) -> list[str]:
    """The anonymous (and [heap]) mappings resident for ``min_kib`` or more: address range,
    size and resident KiB."""
    rows: list[list] = []
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            parts = line.split()
            low, high = (int(x, 16) for x in parts[0].split("-"))
            rows.append([parts[0], (high - low) >> 10, parts[5] if len(parts) > 5 else "", 0])
        elif line.startswith("Rss:") and rows:
            rows[-1][3] = int(line.split()[1])
    return [
        f"{span} size {size} KiB, resident {rss} KiB {name}"
        for span, size, name, rss in rows
        if rss >= min_kib and (not name or name.startswith("["))
    ]


def pack(inputs: Path, count: int, cache: Path) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    paths = pipeline.collect_inputs([inputs])[:count]
    with tempfile.TemporaryDirectory() as empty:
        jobs, _ = pipeline.plan_jobs(paths, empty, force=True)
    todo = [job for job in jobs if not (cache / f"{job.index:05d}.pkl").exists()]
    with ProcessPoolExecutor(2) as pool:
        for job, outcome in zip(todo, pool.map(packed_job, todo, chunksize=4), strict=True):
            (cache / f"{job.index:05d}.pkl").write_bytes(pickle.dumps(outcome, protocol=5))
    print(f"{len(todo)} outcomes packed into {cache}")


def replay(count: int, cache: Path, every: int) -> None:
    use_system_allocator()  # as piao extract does
    files = sorted(cache.glob("*.pkl"))[:count]
    flush = pipeline.InputOrderWriter.flush
    peaks: list[int] = []

    def measured_flush(writer: pipeline.InputOrderWriter) -> list[pipeline.Outcome]:
        before, _ = status_mib()
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM
        written = flush(writer)
        _, peak = status_mib()
        peaks.append(peak)
        if writer.next_index % every == 0 or writer.next_index == len(files):
            print(f"{writer.next_index} documents: RSS before the write {before} MiB, peak {peak}")
        return written

    pipeline.InputOrderWriter.flush = measured_flush  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as out:
        writer = pipeline.InputOrderWriter(out, len(files), pipeline.FLUSH_EVERY)
        for index, path in enumerate(files):
            outcome = pickle.loads(path.read_bytes())
            outcome.index = index
            writer.add(outcome)
        print(f"highest peak of a write: {max(peaks)} MiB after {len(files)} documents")
        print("\n".join(anonymous_mappings()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["pack", "replay"])
    parser.add_argument("inputs", nargs="?", type=Path, help="folder of inputs (pack)")
    parser.add_argument("--count", type=int, default=1400)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--every", type=int, default=100)
    args = parser.parse_args()
    if args.action == "pack":
        if args.inputs is None:
            parser.error("pack needs the folder of inputs")
        pack(args.inputs, args.count, args.cache)
    else:
        replay(args.count, args.cache, args.every)


if __name__ == "__main__":
    main()
