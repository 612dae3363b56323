"""piao extract runs with the objects of its start frozen and rarer young collections."""

from __future__ import annotations

import gc

from piao import collector
from piao.cli import main
from piao.commands import extract as extract_command


def test_tune_collector_freezes_and_raises_the_young_threshold():
    before = gc.get_threshold()
    try:
        collector.tune_collector()
        assert gc.get_threshold() == (10_000, 10, 10)
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


def test_extract_runs_with_the_tuned_collector(tmp_path, variant, monkeypatch):
    calls = []
    monkeypatch.setattr(extract_command, "tune_collector", lambda: calls.append(True))
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
