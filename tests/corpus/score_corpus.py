"""Print, per corpus case, how well piao reads it: objectives, fields, items, deadlines,
baselines and targets.

Run from the repository root::

    .venv/bin/python tests/corpus/score_corpus.py [--engine pdfplumber] [--layout valdoria]
        [--rendering reportlab] [--misses] [--write-gaps]

One line per (layout, rendering, engine) with the ratios of ``score.py``; ``--misses``
also lists what differed; ``--write-gaps`` rewrites ``known_gaps.json`` (the cases
``test_corpus.py`` expects to fail) from the real state. The exit status is 0 whatever
the scores (it measures, it does not judge; ``test_corpus.py`` judges).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

import score  # noqa: E402  (the scorer beside this script, shared with test_corpus.py)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", action="append", help="only this engine (repeatable)")
    parser.add_argument("--layout", action="append", help="only this layout (repeatable)")
    parser.add_argument("--rendering", action="append", help="only this rendering (repeatable)")
    parser.add_argument("--misses", action="store_true", help="list what differed")
    parser.add_argument(
        "--write-gaps",
        action="store_true",
        help="rewrite known_gaps.json with the cases that fail now (all cases must be selected)",
    )
    args = parser.parse_args(argv)
    selected = [
        case
        for case in score.cases()
        if (not args.engine or case.engine in args.engine)
        and (not args.layout or case.layout in args.layout)
        and (not args.rendering or case.rendering in args.rendering)
    ]
    if args.write_gaps and (args.engine or args.layout or args.rendering):
        parser.error("--write-gaps needs every case: do not combine it with a filter")
    width = max((len(case.id) for case in selected), default=10)
    passed, gaps = 0, {}
    for case, result in score.iter_lines(selected):
        passed += result.passes
        if not result.passes:
            gaps[case.id] = score.gap_reason(result)
        mark = "PASS" if result.passes else "fail"
        print(f"{case.id:<{width}}  {mark}  {result.line()}", flush=True)
        for reason in result.reasons:
            print(f"    {reason}")
        if args.misses:
            for miss in result.misses:
                print(f"    {miss}")
    print(f"{passed}/{len(selected)} cases meet the corpus thresholds")
    if args.write_gaps:
        score.write_gaps(gaps)
        print(f"wrote {score.GAPS_PATH.relative_to(score.ROOT)} ({len(gaps)} known gaps)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
