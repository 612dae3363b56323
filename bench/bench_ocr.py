"""OCR of a scanned PDF: time per page and how much of the text's tables it recovers.

Run: ``.venv/bin/python bench/bench_ocr.py [--pages 2,3,4]`` (default: every page; ``make
bench`` runs it). It writes the scan of the ruled fixture (``tests/fixtures/make_scan.py``:
150 dpi, skew within ±0.6°, speckle, no text layer) to a temporary folder, reads it with
``read_document`` (``--ocr auto``: every page is OCR'd) and prints:

- seconds per page, wall clock and CPU (ours plus Tesseract's), on this machine as loaded;
- objectives: how many of the text's objectives (of the sectors on the pages read) come out
  with the right sector, code and weight (target ≥ 95 %), and how many objectives the OCR
  invented (target 0);
- deadlines: how many of the text's deadline dates (sector, objective, item, date) come out
  (target ≥ 90 %).

The machine is shared: wall time depends on the load; CPU time does not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import normalize  # noqa: E402
from extract import read_document  # noqa: E402

TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
MAKE_SCAN = ROOT / "tests" / "fixtures" / "make_scan.py"
AT = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def load_make_scan():
    spec = importlib.util.spec_from_file_location("make_scan", MAKE_SCAN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def objectives(document) -> dict[tuple[str, str], int | None]:
    return {
        (r["sector_code"], r["objective_code"]): r["weight"] for r in document.table("objectives")
    }


def deadlines(document) -> set[tuple]:
    return {
        (r["sector_code"], r["objective_code"], r["item_code"], r["item"], r["date"])
        for r in document.table("dates")
        if r["field"] == "deadline"
    }


def score(scan_document, text_document) -> dict:
    """Objectives right (sector, code, weight), invented, deadlines found: of the sectors read."""
    got, expected = objectives(scan_document), objectives(text_document)
    sectors = {sector for sector, _ in got}
    expected = {key: weight for key, weight in expected.items() if key[0] in sectors}
    right = sum(1 for key, weight in got.items() if expected.get(key, -1) == weight)
    wanted = {d for d in deadlines(text_document) if d[0] in sectors}
    found = len(wanted & deadlines(scan_document))
    misses = [
        f"objective {key} weight {weight}: read {got.get(key, 'nothing')}"
        for key, weight in expected.items()
        if got.get(key, -1) != weight
    ]
    misses += [f"invented objective {key}" for key in set(got) - set(expected)]
    misses += [
        f"deadline not found {d}" for d in sorted(wanted - deadlines(scan_document), key=str)
    ]
    return {
        "misses": misses,
        "objectives": len(expected),
        "right": right,
        "invented": len(set(got) - set(expected)),
        "deadlines": len(wanted),
        "deadlines_found": found,
    }


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", help="pages of the ruled fixture to scan, e.g. 2,3,4")
    parser.add_argument("--misses", action="store_true", help="list what was not read right")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    args = parser.parse_args()
    pages = [int(page) for page in args.pages.split(",")] if args.pages else None
    with tempfile.TemporaryDirectory() as folder:
        scan = load_make_scan().write_scan(Path(folder) / "scan.pdf", pages)
        start_wall, start_cpu = time.perf_counter(), cpu_seconds()
        raw = read_document(scan)
        wall, cpu = time.perf_counter() - start_wall, cpu_seconds() - start_cpu
    text = normalize.normalize_document(read_document(TEXT_SOURCE), extracted_at=AT)
    result = score(normalize.normalize_document(raw, extracted_at=AT), text)
    count = raw.page_count
    print(f"scan of the ruled fixture: {count} pages, 150 dpi, skew ±0.6°, speckle")
    print(f"  OCR time: {wall / count:.2f} s/page wall, {cpu / count:.2f} s/page CPU")
    share = result["right"] / result["objectives"] if result["objectives"] else 0.0
    print(
        f"  objectives with right code and weight: {result['right']}/{result['objectives']} "
        f"({share:.1%}), invented: {result['invented']}"
    )
    found = result["deadlines_found"] / result["deadlines"] if result["deadlines"] else 0.0
    print(f"  deadlines found: {result['deadlines_found']}/{result['deadlines']} ({found:.1%})")
    if args.misses:
        for miss in result["misses"]:
            print(f"    {miss}")
    if args.json:
        figures = {k: v for k, v in result.items() if k != "misses"}
        row = {"pages": count, "s_per_page": wall / count, "cpu_s_per_page": cpu / count}
        print(json.dumps({"title": "OCR (scanned ruled fixture)", "rows": [{**row, **figures}]}))


if __name__ == "__main__":
    main()
