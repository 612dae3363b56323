"""piao extract allocates Arrow memory from the C library's allocator (its batch peak)."""

from __future__ import annotations

import pyarrow as pa

from piao import allocator
from piao.cli import main
from piao.commands import extract as extract_command


def test_use_system_allocator_makes_it_the_default_pool():
    before = pa.default_memory_pool()
    try:
        allocator.use_system_allocator()
        assert pa.default_memory_pool().backend_name == "system"
    finally:
        pa.set_memory_pool(before)


def test_extract_runs_with_the_system_allocator(tmp_path, variant, monkeypatch):
    calls = []
    monkeypatch.setattr(extract_command, "use_system_allocator", lambda: calls.append(True))
    (tmp_path / "d.txt").write_bytes(variant(1))
    assert main(["extract", str(tmp_path / "d.txt"), "--out", str(tmp_path / "out")]) == 0
    assert calls == [True]
