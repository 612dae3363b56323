"""PDF engines: speed, where the time goes, peak memory, ratio to bare pdfplumber.

Run: ``.venv/bin/python bench/bench_pdf.py [PDF ...] [--runs 3] [--engine pdfium ...]``
(default: the ruled and the borderless fixture, every engine; ``make bench`` runs it). For
each PDF it prints one line per engine (pdfium, pdfplumber, camelot) and one for bare
pdfplumber:

- pages/second of the extraction end to end (``read_document``), from the CPU time
  (user + sys of this process, best of ``--runs``): the machine is shared, and CPU time
  is what load from other processes disturbs least;
- the ratio of bare pdfplumber's CPU time to the engine's (``x3.0``: three times faster).
  Bare pdfplumber is a script that opens the PDF and calls ``page.extract_tables()`` on
  every page (its default lines strategy; on a borderless PDF it finds no table there, so
  it measures little more than pdfminer's parsing); a second baseline calls it with the
  grid the engine reads the page with (explicit lines from the borderless layout,
  computed outside the timing: the library work the pdfplumber engine cannot avoid);
- the split of that time between PDF parsing (pdfminer, or pypdfium2 and the engine's
  page model), the table libraries (pdfplumber's table code, camelot) and our own code
  (``extract/``: layout, stitching, provenance): each function's own time in a cProfile
  run, a library or built-in function counted with whoever called it, applied to the
  best CPU time; then the normaliser's time (``normalize_document``);
- peak memory: the Python heap during one extraction (tracemalloc; pdfium's C heap is not
  counted) and the peak resident size of a fresh process that imports what the engine
  needs and reads the PDF once (``VmHWM`` of the child, the C heap included; its
  ``ru_maxrss`` would carry this process's peak over the fork).

The engines and the baseline are interleaved run by run, so that load from other
processes hits them alike: compare the ratios, not the absolute times, between runs.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import pstats
import resource
import subprocess
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
ENGINES = ("pdfium", "pdfplumber", "camelot")
BARE = "bare pdfplumber"
#: Where a profiled function's own time goes, by the path of its file; the page-model
#: functions of the pdfium engine count as parsing.
PARSING_PATHS = ("/pdfminer/", "/pypdfium2", "/playa/")
LIBRARY_PATHS = ("/pdfplumber/", "/camelot/", "/cv2/", "/pandas/", "/numpy/")
OWN_PATH = str(ROOT / "extract")
PDFIUM_PAGE_MODEL = {
    "read_page_counted",
    "page_chars",
    "page_codes",
    "printing_order",
    "page_objects",
    "walk",
    "path_segments",
    "subpaths",
    "shape_object",
    "path_dict",
    "text_object_style",
    "char_advance",
    "font_name",
    "font_descents",
    "font_spec_name",
    "pdfium_descent",
    "exact",
    "handle",
    "object_matrix",
    "multiply",
    "apply",
}
PDFPLUMBER_PARSING = {"parse_objects", "process_object", "iter_layout_objects", "layout"}
AT = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
MIB = 1024 * 1024
#: A fresh process reading the PDF once, printing its maximum resident size (KiB).
RSS_CHILD = """
import sys
sys.path.insert(0, {root!r})
engine, path = sys.argv[1], sys.argv[2]
if engine == {bare!r}:
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
else:
    from extract import read_document
    read_document(path, engine=engine)
with open("/proc/self/status") as status:  # this process's own peak (ru_maxrss keeps
    print(next(line.split()[1] for line in status if line.startswith("VmHWM")))  # the parent's)
"""


def cpu_time(function: Callable[[], object]) -> float:
    """The CPU time (user + sys, seconds) of this process during one call."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    function()
    after = resource.getrusage(resource.RUSAGE_SELF)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best_of(functions: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """The smallest CPU time of each function over ``runs`` interleaved rounds."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            times[name].append(cpu_time(function))
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


def bare_extract_tables(path: Path, grids: Sequence[dict[str, Any] | None] | None = None) -> None:
    """pdfplumber alone: open the PDF, ``extract_tables`` on each page (default settings,
    or the given settings per page)."""
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            if grids is None:
                page.extract_tables()
            elif grids[index] is not None:
                page.extract_tables(grids[index])


def category(key: tuple[str, int, str]) -> str | None:
    """Where a profiled function's own time goes: ``parsing``, ``library``, ``ours``, or
    None (the standard library and built-ins: counted with their caller)."""
    filename, _, name = key
    if any(part in filename for part in PARSING_PATHS):
        return "parsing"
    if filename.endswith("pdf_pdfium.py") and name in PDFIUM_PAGE_MODEL:
        return "parsing"
    if "/pdfplumber/" in filename and name in PDFPLUMBER_PARSING:
        return "parsing"
    if any(part in filename for part in LIBRARY_PATHS):
        return "library"
    if filename.startswith(OWN_PATH):
        return "ours"
    return None


def time_split(function: Callable[[], object]) -> dict[str, float]:
    """The shares of a profiled call's time in parsing, libraries and our code; a function
    of no category gives its own time to its callers' categories, in proportion."""
    profile = cProfile.Profile()
    profile.runcall(function)
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    shares = {"parsing": 0.0, "library": 0.0, "ours": 0.0}

    def owner(key: tuple[str, int, str], depth: int = 0) -> dict[str, float]:
        found = category(key)
        if found is not None:
            return {found: 1.0}
        callers = stats[key][4] if key in stats else {}
        total = sum(entry[2] for entry in callers.values())
        if depth > 3 or not total:
            return {"library": 1.0}
        weights: dict[str, float] = {}
        for caller, entry in callers.items():
            for name, weight in owner(caller, depth + 1).items():
                weights[name] = weights.get(name, 0.0) + weight * entry[2] / total
        return weights

    for key, entry in stats.items():
        for name, weight in owner(key).items():
            shares[name] += entry[2] * weight
    total = sum(shares.values()) or 1.0
    return {name: value / total for name, value in shares.items()}


def peak_heap(function: Callable[[], object]) -> float:
    """Peak Python heap (MiB, tracemalloc) during one call."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


def child_rss(engine: str, path: Path) -> float:
    """The maximum resident size (MiB) of a fresh process reading the PDF once."""
    code = RSS_CHILD.format(root=str(ROOT), bare=BARE)
    result = subprocess.run(
        [sys.executable, "-c", code, engine, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout.split()[-1]) / 1024


def measure(path: Path, engines: Sequence[str], runs: int) -> dict[str, dict[str, Any]]:
    """The figures of every engine and of bare pdfplumber on one PDF."""
    documents: dict[str, RawDocument] = {
        engine: read_document(path, engine=engine) for engine in engines
    }  # warm-up (imports, caches)
    grids = engine_grids(path)
    timed: dict[str, Callable[[], object]] = {
        BARE: lambda: bare_extract_tables(path),
        "bare same grid": lambda: bare_extract_tables(path, grids),
    }
    for engine in engines:
        timed[engine] = lambda engine=engine: read_document(path, engine=engine)
    best = best_of(timed, runs)
    figures: dict[str, dict[str, Any]] = {}
    for engine in engines:
        document = documents[engine]
        figures[engine] = {
            "cpu": best[engine],
            "split": time_split(timed[engine]),
            "normalise": cpu_time(
                lambda document=document: normalize_document(document, extracted_at=AT)
            ),
            "heap": peak_heap(timed[engine]),
            "rss": child_rss(engine, path),
            "extractor": document.extractor,
            "pages": document.page_count,
        }
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
    figures[BARE] = {
        "cpu": best[BARE],
        "grid": best["bare same grid"],
        "split": time_split(timed[BARE]),
        "heap": peak_heap(timed[BARE]),
        "rss": child_rss(BARE, path),
        "extractor": "extract_tables",
        "pages": pages,
    }
    return figures


def report_line(path: Path, engine: str, figures: dict[str, Any], bare: dict[str, Any]) -> str:
    """One printed line of figures."""
    cpu, split = figures["cpu"], figures["split"]
    line = (
        f"{path.name:32} {engine:16} {figures['extractor']:17} {figures['pages']:3d} pages "
        f"{figures['pages'] / cpu:6.2f} pages/s (CPU {cpu:5.2f}s"
    )
    if engine == BARE:
        line += f"; same grid as the engine {bare['grid']:5.2f}s)"
    else:
        line += (
            f", x{bare['cpu'] / cpu:4.2f} bare pdfplumber, x{bare['grid'] / cpu:4.2f} bare "
            "on the same grid)"
        )
    line += (
        f" | parsing {cpu * split['parsing']:5.2f}s + table libraries "
        f"{cpu * split['library']:5.2f}s + ours {cpu * split['ours']:4.2f}s"
    )
    if "normalise" in figures:
        line += f" | normalise {figures['normalise']:4.2f}s"
    line += (
        f" | peak heap {figures['heap']:5.1f} MiB, fresh-process max RSS {figures['rss']:5.0f} MiB"
    )
    return line


def json_rows(
    path: Path, engines: Sequence[str], figures: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """One row per engine for ``bench/bench_all.py``: CPU seconds (``total``), and bare
    pdfplumber's on the same pages (``bare_pdfplumber``) and on the engine's own grid
    (``bare_same_grid``), which the summary divides by."""
    bare = figures[BARE]
    return [
        {
            "pdf": path.name,
            "engine": engine,
            "pages": figures[engine]["pages"],
            "total": figures[engine]["cpu"],
            "normalise": figures[engine]["normalise"],
            "heap": figures[engine]["heap"],
            "rss": figures[engine]["rss"],
            "bare_pdfplumber": bare["cpu"],
            "bare_same_grid": bare["grid"],
        }
        for engine in engines
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, default=list(DEFAULT_PDFS))
    parser.add_argument("--runs", type=int, default=3, help="timed runs, best kept")
    parser.add_argument(
        "--engine", action="append", choices=ENGINES, help="only this engine (repeatable)"
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    args = parser.parse_args(argv)
    engines = args.engine or list(ENGINES)
    rows = []
    started = time.perf_counter()
    for path in args.pdfs:
        figures = measure(path, engines, args.runs)
        for engine in [*engines, BARE]:
            print(report_line(path, engine, figures[engine], figures[BARE]), flush=True)
        rows += json_rows(path, engines, figures)
    print(
        f"(CPU times, best of {args.runs} interleaved runs; {time.perf_counter() - started:.0f}s)"
    )
    if args.json:
        print(json.dumps({"title": "PDF engines (in process, CPU s)", "rows": rows}, default=str))


if __name__ == "__main__":
    main()
