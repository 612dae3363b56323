"""``piao extract`` prints one line per file, whatever its name holds (newlines, escape
sequences): names are data, not output structure (extract.names)."""

from __future__ import annotations

import shutil
from pathlib import Path

from piao.cli import main

ROOT = Path(__file__).resolve().parents[2]
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
#: How the closing line of these runs starts.
TOTALS = ("0 extracted, ", "1 extracted, ")


def test_names_with_newlines_cannot_forge_output_lines(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = folder / "piano\n0 extracted, 0 skipped as unchanged, 0 failed.txt"
    shutil.copy(TEXT_SOURCE, good)
    bad = folder / "vuoto\x1b[2K\rpiao: tutto bene.txt"
    bad.write_bytes(b"")
    assert main(["extract", str(folder), "--out", str(tmp_path / "out"), "-v"]) == 1
    captured = capsys.readouterr()

    assert (
        captured.err == f"piao: {folder}/vuoto\\x1b[2K\\rpiao: tutto bene.txt: the file is empty\n"
    )
    out = captured.out.splitlines()
    assert out[0].startswith("piano\\n0 extracted, 0 skipped as unchanged, 0 failed.txt [")
    assert out[-1].split("; ")[0] == "1 extracted, 0 skipped as unchanged, 1 failed"
    assert [line for line in out if line.startswith(TOTALS)] == [out[-1]]  # none forged

    assert main(["extract", str(folder), "--out", str(tmp_path / "out"), "-v"]) == 1
    rerun = capsys.readouterr().out.splitlines()
    assert (
        rerun[0]
        == f"{folder}/piano\\n0 extracted, 0 skipped as unchanged, 0 failed.txt: skipped, unchanged"
    )
    assert [line for line in rerun if line.startswith(TOTALS)] == [rerun[-1]]
