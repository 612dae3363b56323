"""Crash trials: ``piao extract`` killed at many moments, rerun, read by plain readers.

Each trial copies a starting folder (scenarios ``add``, ``force``, ``edit``: see
tests/storage/crash_harness.py), runs ``piao extract`` killed with SIGKILL at a write step
chosen by strace (the N-th rename, unlink or fsync) or after a random delay, checks that no
committed document left the committed view, reruns ``piao extract``, and compares what
pandas, a DuckDB glob and polars read from every table with the uninterrupted run. Prints
one line per trial and the totals; exits 1 when any trial differs.

    .venv/bin/python bench/bench_crash.py [--trials 30] [--seed 0] [--documents 4] [--json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
spec = importlib.util.spec_from_file_location(
    "crash_harness", ROOT / "tests" / "storage" / "crash_harness.py"
)
assert spec is not None and spec.loader is not None
harness = importlib.util.module_from_spec(spec)
sys.modules["crash_harness"] = harness
spec.loader.exec_module(harness)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--documents", type=int, default=4)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    bad = killed = vanished = 0
    with tempfile.TemporaryDirectory() as work:
        scenarios = harness.make_scenarios(Path(work), args.documents)
        for number in range(args.trials):
            scenario = scenarios[number % len(scenarios)]
            how = "strace" if number % 3 != 2 else "delay"
            trial = harness.run_trial(scenario, Path(work), how, rng)
            killed += trial.killed
            vanished += trial.vanished > 0
            bad += bool(trial.differences)
            verdict = "ok" if not trial.differences and not trial.vanished else "DIFFERS"
            print(
                f"{number + 1:3d} {trial.scenario:5s} {trial.how:18s} "
                f"killed={trial.killed!s:5s} vanished={trial.vanished} {verdict} "
                f"{'; '.join(trial.differences)}",
                flush=True,
            )
    print(
        f"{args.trials} trials, {killed} killed mid-run: {bad} with plain reads that differ "
        f"from the uninterrupted run, {vanished} where a committed document vanished"
    )
    if args.json:
        row = {"trials": args.trials, "killed": killed, "differ": bad, "vanished": vanished}
        print(json.dumps({"title": "crash trials: kill, rerun, plain reads", "rows": [row]}))
    return 1 if bad or vanished else 0


if __name__ == "__main__":
    sys.exit(main())
