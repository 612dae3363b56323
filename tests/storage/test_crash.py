"""Crashes at chosen write steps: plain readers right after the next run, nothing vanishes.

A bounded version of bench/bench_crash.py: each scenario (add, --force, edit, merge) killed at a
write step chosen by strace (the N-th rename, unlink or fsync) and after a delay.
"""

from __future__ import annotations

import importlib.util
import random
import shutil
import signal
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("crash_harness", HERE / "crash_harness.py")
assert spec is not None and spec.loader is not None
harness = importlib.util.module_from_spec(spec)
sys.modules["crash_harness"] = harness
spec.loader.exec_module(harness)

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory):
    return harness.make_scenarios(tmp_path_factory.mktemp("crash"), documents=4)


@pytest.mark.parametrize("scenario_name", ["add", "force", "edit", "merge"])
@pytest.mark.parametrize(
    ("how", "seed"),
    [("strace", 1), ("delay", 3)],
)
def test_killed_run_then_rerun_reads_as_the_uninterrupted_run(
    scenarios, tmp_path, scenario_name, how, seed
):
    if how == "strace" and not shutil.which("strace"):
        pytest.skip("strace is not installed (apt-get install strace)")
    scenario = next(s for s in scenarios if s.name == scenario_name)
    trial = harness.run_trial(scenario, tmp_path, how, random.Random(seed))
    assert trial.killed or how == "delay", trial  # a delay may outlast a quick run
    assert trial.vanished == 0, trial
    assert trial.differences == [], trial


def test_the_merge_scenario_starts_at_the_bound_and_merges(scenarios):
    scenario = next(s for s in scenarios if s.name == "merge")
    (group,) = {path.name for path in (scenario.start / "documents").iterdir()}
    start_files = sorted((scenario.start / "documents" / group).iterdir())
    assert len(start_files) == harness.MAX_SMALL_FILES
    (merged,) = (scenario.reference / "documents" / group).iterdir()
    assert merged.name == "part-00000005.parquet"  # the adding write's own file
