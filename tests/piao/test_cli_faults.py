"""The smaller faults of the command line, each one clear line, never a
traceback: disk full, ``--out`` naming a file, Ctrl-C during start-up, a closed pipe,
out-of-range ``--threshold``, a symbolic link loop, ``dictionary --out`` in a missing folder.
"""

from __future__ import annotations

import errno
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import schema
from piao import cli

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"


def test_disk_full_names_the_folder_and_prints_the_totals(tmp_path, capsys, monkeypatch):
    def no_space(records, out_dir, **options):
        raise OSError(errno.ENOSPC, "Error writing bytes to file")  # as pyarrow raises it

    monkeypatch.setattr(schema, "replace_documents", no_space)
    out = tmp_path / "out"
    assert cli.main(["extract", str(RAW), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == (
        f"piao: {out}: cannot write the tables (No space left on device); "
        "the tables are as they were"
    )
    assert captured.out.splitlines()[-1].split("; ")[0] == (
        "0 extracted, 0 skipped as unchanged, 0 failed, stopped: the tables could not be written"
    )


def test_out_naming_a_file_is_one_clear_line(tmp_path, capsys):
    target = tmp_path / "tables.parquet"
    target.write_bytes(b"not a folder")
    assert cli.main(["extract", str(RAW), "--out", str(target)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"piao: {target}: --data must name a folder, and this is a file"
    )
    assert target.read_bytes() == b"not a folder"


def test_symbolic_link_loop_is_named(tmp_path, capsys):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    assert cli.main(["extract", str(loop), "--out", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err.splitlines()[0] == f"piao: {loop}: symbolic link loop"


def test_ctrl_c_during_start_up_is_one_line(capsys, monkeypatch):
    def interrupted(name):
        raise KeyboardInterrupt

    monkeypatch.setattr(importlib, "import_module", interrupted)
    assert cli.main(["extract", "x"]) == 130
    assert capsys.readouterr().err == "piao: interrupted; tables left as they were\n"


@pytest.mark.parametrize("value", ["500", "-1", "nan", "abc"])
@pytest.mark.parametrize(
    "command", [["diff", "a", "b"], ["lineage"], ["report"]], ids=["diff", "lineage", "report"]
)
def test_threshold_out_of_range_is_refused(command, value, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main([*command, "--threshold", value])
    assert caught.value.code == 2
    assert "argument --threshold:" in capsys.readouterr().err


def test_threshold_in_range_is_taken():
    parser = cli.build_parser(["diff"])
    assert parser.parse_args(["diff", "a", "b", "--threshold", "85.5"]).threshold == 85.5


def test_dictionary_out_in_a_missing_folder_creates_nothing(tmp_path, capsys):
    target = tmp_path / "nope" / "x.md"
    assert cli.main(["dictionary", "--out", str(target)]) == 1
    assert capsys.readouterr().err.strip() == f"piao: {target.parent}: no such folder"
    assert not target.parent.exists()


def test_dictionary_out_is_written_whole(tmp_path):
    target = tmp_path / "dictionary.md"
    assert cli.main(["dictionary", "--out", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == schema.data_dictionary_markdown()
    assert [p.name for p in tmp_path.iterdir()] == ["dictionary.md"]  # no temp file left


def test_closed_pipe_is_quiet_and_succeeds(tmp_path):
    """``piao dictionary | head -1``: the reader is gone before piao writes (it closes the
    pipe before piao has even started), so every write meets a closed pipe."""
    writer = subprocess.Popen(
        [sys.executable, "-m", "piao", "dictionary"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert writer.stdout is not None and writer.stderr is not None
    writer.stdout.close()
    assert writer.wait(timeout=60) == 0
    assert writer.stderr.read() == b""
