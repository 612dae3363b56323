"""OCR of a scanned PDF: time per page and how much of the text's tables it recovers.

Run: ``.venv/bin/python bench/bench_ocr.py [--pages 2,3,4]`` (default: every page; ``make
bench`` runs it). It writes the scan of the ruled fixture (``tests/fixtures/make_scan.py``:
150 dpi, skew within ±0.6°, speckle, no text layer) to a temporary folder, reads it with
``read_document`` (``--ocr auto``: every page is OCR'd) and prints:

- seconds per page: CPU time (user+sys of this process, whose threads run Tesseract
  in-process, plus any child process), the figure that does not depend on the machine's
  load; half of it, since two pages are read at once on two cores; and the wall clock on
  this machine as loaded;
- objectives: how many of the text's objectives (of the sectors on the pages scanned, as
  the text's tables place them) come out with the right sector, code and weight (target
  ≥ 95 %), and how many objectives the OCR invented (target 0);
- deadlines: how many of the text's deadline dates (sector, objective, item, date) come out
  (target ≥ 90 %).

The machine is shared: wall time depends on the load; CPU time hardly does. ``--misses``
lists what was not read right.
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


def sectors_on(ruled_document, pages: list[int] | None) -> set[str]:
    """The sectors whose table has a page among ``pages`` of the ruled fixture (all sectors
    without ``pages``), as its text layer places them: what the scan should give, whatever
    OCR read."""
    return {
        r["sector_code"]
        for r in ruled_document.table("sectors")
        if pages is None or set(r["source_pages"]) & set(pages)
    }


def score(scan_document, text_document, sectors: set[str]) -> dict:
    """Objectives right (sector, code, weight), invented, deadlines found, against the text's
    tables of ``sectors`` (a sector only partly scanned counts whole: its objectives on the
    pages not scanned are misses)."""
    got, expected = objectives(scan_document), objectives(text_document)
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
    make_scan = load_make_scan()
    with tempfile.TemporaryDirectory() as folder:
        scan = make_scan.write_scan(Path(folder) / "scan.pdf", pages)
        start_wall, start_cpu = time.perf_counter(), cpu_seconds()
        raw = read_document(scan)
        wall, cpu = time.perf_counter() - start_wall, cpu_seconds() - start_cpu
    text = normalize.normalize_document(read_document(TEXT_SOURCE), extracted_at=AT)
    ruled = normalize.normalize_document(read_document(make_scan.RULED), extracted_at=AT)
    sectors = sectors_on(ruled, pages)
    scanned = normalize.normalize_document(raw, extracted_at=AT)
    result = score(scanned, text, sectors)
    count = raw.page_count
    print(f"scan of the ruled fixture: {count} pages, 150 dpi, skew ±0.6°, speckle")
    print(
        f"  OCR time: {cpu / count:.2f} s/page CPU (user+sys, Tesseract in-process included; "
        f"two pages read at once: about {cpu / count / 2:.2f} s/page on 2 idle cores), "
        f"{wall / count:.2f} s/page wall on this machine as loaded"
    )
    share = result["right"] / result["objectives"] if result["objectives"] else 0.0
    print(
        f"  objectives with right code and weight: {result['right']}/{result['objectives']} "
        f"({share:.1%}), invented: {result['invented']}"
    )
    found = result["deadlines_found"] / result["deadlines"] if result["deadlines"] else 0.0
    print(f"  deadlines found: {result['deadlines_found']}/{result['deadlines']} ({found:.1%})")
    checked = [
        f"{r['rule']} {r['sector_code']} {r['objective_code']}: {r['message']}"
        for r in scanned.table("quality")
        if r["rule"] in ("ocr_code_doubt", "ocr_repair") and r["severity"] != "info"
    ]
    print(f"  codes checked against their siblings: {len(checked)} repaired or doubted")
    if args.misses:
        for miss in result["misses"] + checked:
            print(f"    {miss}")
    if args.json:
        figures = {k: v for k, v in result.items() if k != "misses"}
        row = {"pages": count, "s_per_page": wall / count, "cpu_s_per_page": cpu / count}
        print(json.dumps({"title": "OCR (scanned ruled fixture)", "rows": [{**row, **figures}]}))


if __name__ == "__main__":
    main()
