"""piao extract runs with the objects of its start frozen and rarer young collections."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from piao import collector
from piao.cli import main
from piao.commands import extract as extract_command


def test_tune_collector_freezes_and_raises_the_young_threshold():
    before = gc.get_threshold()
    try:
        collector.tune_collector()
        assert gc.get_threshold() == (15_000, 10, 10)
        assert gc.get_freeze_count() > 0
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_tune_collector_freezes_once_per_process():
    before = gc.get_threshold()
    try:
        collector.tune_collector()
        frozen = gc.get_freeze_count()
        kept = [{"made": []} for _ in range(100)]  # tracked objects made after the first call
        collector.tune_collector()
        assert gc.get_freeze_count() == frozen
        assert len(kept) == 100
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


@pytest.mark.parametrize("hook", ["tune_collector", "freeze_at_exit"])
def test_extract_tunes_the_collector_once_and_freezes_at_exit(tmp_path, variant, monkeypatch, hook):
    calls = []
    monkeypatch.setattr(extract_command, hook, lambda: calls.append(True))
    (tmp_path / "d.txt").write_bytes(variant(1))
    assert main(["extract", str(tmp_path / "d.txt"), "--out", str(tmp_path / "out")]) == 0
    assert calls == [True]


def test_paused_stops_the_collector_inside_and_restarts_it_after():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_leaves_a_disabled_collector_disabled():
    gc.disable()
    try:
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_command_is_imported_with_the_collector_paused(monkeypatch, capsys):
    from piao import cli

    seen = []
    build = cli.build_parser

    def watched(argv):
        seen.append(gc.isenabled())
        return build(argv)

    monkeypatch.setattr(cli, "build_parser", watched)
    assert cli.main(["dictionary"]) == 0
    assert seen == [False]
    assert gc.isenabled()


def test_importing_freezes_what_the_block_made_before_the_collector_runs_again():
    gc.unfreeze()  # an earlier command's run in this process froze its imports
    try:
        with collector.importing():
            assert not gc.isenabled()
            made = [{"module": []} for _ in range(1_000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(made)
        assert gc.get_count()[0] < 100  # no young generation left to walk
    finally:
        gc.unfreeze()


def test_importing_freezes_once_per_process():
    gc.unfreeze()
    try:
        with collector.importing():
            pass
        frozen = gc.get_freeze_count()
        with collector.importing():
            kept = [{"made": []} for _ in range(100)]
        # a second freeze would add the 200 objects made in the block; a frozen object freed
        # by its reference count meanwhile leaves the count (it may only shrink)
        assert gc.get_freeze_count() <= frozen
        assert len(kept) == 100
    finally:
        gc.unfreeze()


def test_freeze_at_exit_registers_one_handler(monkeypatch):
    registered = []
    monkeypatch.setattr(collector, "_FREEZE_AT_EXIT", False)
    monkeypatch.setattr(collector.atexit, "register", registered.append)
    collector.freeze_at_exit()
    collector.freeze_at_exit()
    assert registered == [gc.freeze]


def test_the_exit_collection_is_skipped_and_the_exit_status_kept():
    """A cycle alive at exit, whose finaliser says when the collector frees it: the exit's
    passes free it without the handler, not with it; output and exit status stay whole."""
    import subprocess
    import sys

    script = (
        "import sys\nfrom piao import collector\n"
        "class Node:\n    def __del__(self):\n        print('collected', flush=True)\n"
        "node = Node()\nnode.self = node\ndel node\n"
        "if sys.argv[1] == 'freeze':\n    collector.freeze_at_exit()\n"
        "print('done', flush=True)\nsys.exit(3)\n"
    )
    runs = {
        how: subprocess.run([sys.executable, "-c", script, how], capture_output=True, text=True)
        for how in ("plain", "freeze")
    }
    assert (runs["plain"].returncode, runs["plain"].stdout) == (3, "done\ncollected\n")
    assert (runs["freeze"].returncode, runs["freeze"].stdout) == (3, "done\n")


def test_tune_collector_starts_the_young_and_middle_counts_afresh():
    before = gc.get_threshold()
    try:
        gc.set_threshold(100_000, 10, 10)  # no automatic collection inside the test
        for _ in range(3):
            gc.collect(0)  # three young collections counted towards a middle one
        kept = [[index] for index in range(650)]  # tracked objects made since
        assert gc.get_count()[0] >= 500
        assert gc.get_count()[1] >= 3
        collector.tune_collector()
        young, middle, _old = gc.get_count()
        assert (young < 50, middle) == (True, 0)
        assert len(kept) == 650
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_a_run_of_one_document_makes_young_collections_rarer_and_a_batch_does_not(
    tmp_path, monkeypatch
):
    """One document: young passes every ONE_DOCUMENT_YOUNG allocations (none in a 20-page
    PDF's run); two or more keep YOUNG (a batch's cyclic garbage is collected as before)."""
    thresholds = []
    monkeypatch.setattr(
        extract_command, "one_document", lambda: thresholds.append(collector.ONE_DOCUMENT_YOUNG)
    )
    before = gc.get_threshold()
    try:
        raw = Path(__file__).resolve().parents[2] / "data" / "raw"
        text = next(raw.glob("*.txt"))
        assert main(["extract", str(text), "--out", str(tmp_path / "one")]) == 0
        assert thresholds == [100_000]
        copies = tmp_path / "two"
        copies.mkdir()
        for number in (1, 2):
            (copies / f"copy{number}.txt").write_text(f"Copia {number}\n" + text.read_text())
        assert main(["extract", str(copies), "--out", str(tmp_path / "both")]) == 0
        assert thresholds == [100_000]
    finally:
        gc.set_threshold(*before)


def test_one_document_sets_the_young_threshold_only():
    before = gc.get_threshold()
    try:
        collector.one_document()
        assert gc.get_threshold() == (100_000, 10, 10)
    finally:
        gc.set_threshold(*before)
