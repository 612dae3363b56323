"""piao extract allocates Arrow memory from the C library's allocator (its batch peak)."""

from __future__ import annotations

import os
import subprocess
import sys

import pyarrow as pa

import schema
from piao import allocator, pipeline
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


def test_release_free_memory_says_whether_the_c_library_could_trim():
    released = allocator.release_free_memory()
    assert released is sys.platform.startswith("linux")


def test_a_batch_hands_back_freed_memory_after_each_write(tmp_path, variant, monkeypatch):
    calls = []
    monkeypatch.setattr(pipeline, "release_free_memory", lambda: calls.append(True))
    for number in range(3):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"d{number}.txt").write_bytes(variant(number + 1))
    argv = ["extract", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--workers", "1"]
    assert main(argv) == 0
    assert len(schema.read_table(schema.TABLES["documents"], tmp_path / "out")) == 3
    assert calls == [True]  # one write: the three documents, flushed together at the end


def test_choose_system_pool_sets_arrow_cpp_default_pool():
    environment: dict[str, str] = {}
    allocator.choose_system_pool(environment)
    assert environment == {"ARROW_DEFAULT_MEMORY_POOL": "system"}


def test_choose_system_pool_keeps_the_pool_the_user_chose():
    environment = {"ARROW_DEFAULT_MEMORY_POOL": "jemalloc"}
    allocator.choose_system_pool(environment)
    assert environment == {"ARROW_DEFAULT_MEMORY_POOL": "jemalloc"}


def test_piao_makes_the_parquet_writer_use_the_c_library(tmp_path):
    code = (
        "from piao.cli import main\n"
        "try:\n"
        "    main(['extract', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "import pyarrow as pa, pyarrow.parquet as pq\n"
        f"pq.write_table(pa.table({{'a': ['x' * 50] * 50_000}}), {str(tmp_path / 'a.parquet')!r})\n"
        "try:\n"
        "    taken = pa.mimalloc_memory_pool().max_memory()\n"
        "except NotImplementedError:\n"
        "    taken = 0\n"
        "print(pa.default_memory_pool().backend_name, taken)\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True
    )
    assert done.stdout.splitlines()[-1].split() == ["system", "0"]  # after the help
