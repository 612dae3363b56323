"""Memory: the memory of a large text attachment is bounded by its size.

Each extraction runs as a fresh process; its peak RSS (``ru_maxrss``) above that of the same
command on the shipped 60 kB document (the interpreter, the imports and the libraries' code
pages: a cost that does not grow with the input) is compared with the input's size. The
input is the shipped document repeated with each copy's sector codes renamed (one large
document of many sectors, as ``bench/bench_memory.py --kinds distinct`` builds it).
Measured (bench/bench_memory.py): x48 the input before the records were made compact,
x24 after, about x8 since a large input is written as it is read, a sector at a time
(``pipeline.stream_document``); the bound fails the code before that change and leaves room
for allocator differences between machines.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
#: Peak memory above the shipped document's allowed per byte of input.
MAX_MULTIPLE = 16
INPUT_BYTES = 3 * 2**20

PEAK = """
import resource, sys
from piao.cli import main
try:
    main(["extract", sys.argv[1], "--out", sys.argv[2], "--workers", "1"])
except SystemExit:
    pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def large_distinct_text(path: Path, size: int) -> Path:
    """The shipped document repeated to ``size`` bytes, sector codes renamed per copy."""
    data = SHIPPED.read_bytes()
    codes = re.compile(rb"\b(STAFF|SAP|FIN|TEC)\b")
    with path.open("wb") as out:
        for index in range(max(1, size // len(data))):
            tag = f"{chr(ord('A') + index // 26)}{chr(ord('A') + index % 26)}".encode()
            out.write(codes.sub(rb"\1" + tag, data))
    return path


def peak_bytes(source: Path, out: Path) -> int:
    process = subprocess.run(
        [sys.executable, "-c", PEAK, str(source), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    assert "1 extracted" in process.stdout, process.stdout + process.stderr
    return int(process.stdout.strip().splitlines()[-1])


def test_large_text_attachment_peak_memory_is_a_bounded_multiple_of_its_size(tmp_path):
    source = large_distinct_text(tmp_path / "large.txt", INPUT_BYTES)
    small = peak_bytes(SHIPPED, tmp_path / "small")
    large = peak_bytes(source, tmp_path / "large")
    multiple = (large - small) / source.stat().st_size
    assert multiple <= MAX_MULTIPLE, f"peak x{multiple:.1f} the input"
