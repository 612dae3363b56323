"""PDF engines: speed, where the time goes, peak memory, ratio to bare pdfplumber.

Run: ``.venv/bin/python bench/bench_pdf.py [PDF ...] [--runs 3]`` (default: the ruled and
the borderless fixture; ``make bench`` runs it). For each PDF and engine it prints:

- pages/second of the extraction end to end (``read_document``, best of ``--runs``);
- the split of that time between the libraries (PDF parsing and reading the table cells)
  and our own extraction code (page layout, stitching, provenance), then the time of the
  normaliser (``normalize_document``) on the extracted document;
- peak memory: the Python heap during one extraction (tracemalloc; pdfium's C heap is not
  counted) and the process's maximum resident size at the end (getrusage);
- for pdfplumber, the ratio to bare ``extract_tables`` on the same pages (target: within
  1.3). Two baselines: the library's default lines strategy (on a borderless PDF it finds
  no table, so it measures little more than parsing), and the same grid as the engine
  (explicit lines from the borderless layout, computed outside the timing): the library
  time the engine cannot avoid.

The library/own split is the share of time spent in our functions' own frames in a
cProfile run, applied to the best wall time. The bare and engine runs are interleaved, so
that load from other processes hits them alike (this machine is shared: compare the
ratios, not the absolute times, between runs).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import pstats
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract import RawDocument, read_document  # noqa: E402
from extract.pdf_layout import column_starts, find_layout  # noqa: E402
from extract.pdf_pdfplumber import (  # noqa: E402
    LINES_SETTINGS,
    choose_strategy,
    explicit_settings,
    page_words,
)
from normalize import normalize_document  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
DEFAULT_PDFS = (FIXTURES / "portomaggiore_ruled.pdf", FIXTURES / "portomaggiore_borderless.pdf")
ENGINES = ("pdfplumber", "camelot")
#: Our code, for the cProfile split: functions defined under these folders.
OWN_CODE = (str(ROOT / "extract"),)
AT = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
MIB = 1024 * 1024


def wall_time(function: Callable[[], object]) -> float:
    """The wall time (seconds) of one call."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def best_of(functions: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """The shortest wall time of each function over ``runs`` interleaved rounds."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            times[name].append(wall_time(function))
    return {name: min(values) for name, values in times.items()}


def engine_grids(path: Path) -> list[dict[str, Any] | None]:
    """Per page, the table settings the pdfplumber engine reads it with (None: no table)."""
    with pdfplumber.open(path) as pdf:
        if choose_strategy(pdf.pages) == "pdfplumber-lines":
            return [LINES_SETTINGS] * len(pdf.pages)
        grids: list[dict[str, Any] | None] = []
        carried: tuple[float, ...] = ()
        for page in pdf.pages:
            layout = find_layout(page_words(page), carried)
            grids.append(explicit_settings(layout) if layout else None)
            carried = column_starts(layout) if layout else carried
        return grids


def bare_extract_tables(path: Path, grids: Sequence[dict[str, Any] | None]) -> None:
    """pdfplumber alone: open the PDF, ``extract_tables`` on each page with its settings."""
    with pdfplumber.open(path) as pdf:
        for page, settings in zip(pdf.pages, grids, strict=True):
            if settings is not None:
                page.extract_tables(settings)


def own_share(function: Callable[[], object]) -> float:
    """The fraction of a profiled call's time spent in functions of our own code."""
    profile = cProfile.Profile()
    profile.runcall(function)
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in stats.values())
    own = sum(entry[2] for key, entry in stats.items() if key[0].startswith(OWN_CODE))
    return own / total if total else 0.0


def peak_heap(function: Callable[[], object]) -> float:
    """Peak Python heap (MiB, tracemalloc) during one call."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


def max_rss() -> float:
    """The process's maximum resident set size so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: Path, engine: str, runs: int) -> dict[str, Any]:
    """The figures of one engine on one PDF."""
    document: RawDocument = read_document(path, engine=engine)  # warm-up (imports, caches)
    timed: dict[str, Callable[[], object]] = {
        "total": lambda: read_document(path, engine=engine),
        "normalise": lambda: normalize_document(document, extracted_at=AT),
    }
    if engine == "pdfplumber":
        grids = engine_grids(path)
        default = [LINES_SETTINGS] * len(grids)
        timed["bare_default"] = lambda: bare_extract_tables(path, default)
        timed["bare_grid"] = lambda: bare_extract_tables(path, grids)
    figures: dict[str, Any] = best_of(timed, runs)
    figures["library"] = figures["total"] * (1 - own_share(timed["total"]))
    figures["heap"] = peak_heap(timed["total"])
    figures["rss"] = max_rss()
    figures["extractor"], figures["pages"] = document.extractor, document.page_count
    return figures


def report_line(path: Path, engine: str, figures: dict[str, Any]) -> str:
    """One printed line of figures."""
    total, library = figures["total"], figures["library"]
    line = (
        f"{path.name:32} {figures['extractor']:17} {figures['pages']:3d} pages "
        f"{figures['pages'] / total:6.2f} pages/s | extract {total:5.2f}s = "
        f"libraries {library:5.2f}s + ours {total - library:4.2f}s | "
        f"normalise {figures['normalise']:4.2f}s | peak heap {figures['heap']:5.1f} MiB, "
        f"max RSS {figures['rss']:5.0f} MiB"
    )
    if engine == "pdfplumber":
        line += (
            f" | ratio to bare extract_tables: {total / figures['bare_default']:.2f} "
            f"(default lines, {figures['bare_default']:.2f}s), "
            f"{total / figures['bare_grid']:.2f} (same grid, {figures['bare_grid']:.2f}s)"
        )
    return line


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, default=list(DEFAULT_PDFS))
    parser.add_argument("--runs", type=int, default=3, help="timed runs, best kept")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    args = parser.parse_args(argv)
    rows = []
    for path in args.pdfs:
        for engine in ENGINES:
            figures = measure(path, engine, args.runs)
            print(report_line(path, engine, figures), flush=True)
            rows.append({"pdf": path.name, "engine": engine, **figures})
    if args.json:
        print(json.dumps({"title": "PDF engines (in process)", "rows": rows}, default=str))


if __name__ == "__main__":
    main()
