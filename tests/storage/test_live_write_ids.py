"""Which write holds a document's rows when a crash left it listed by two writes."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

from piao.cli import main
from storage.store import group_of, live_write_ids, part_name

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


def test_a_document_listed_by_two_writes_lives_in_the_later_one(tmp_path: Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["extract", str(RAW), "--out", str(tmp_path)]) == 0
    ((doc_id, first),) = live_write_ids(tmp_path).items()
    folder = tmp_path / "documents" / group_of(doc_id)
    for later in (first + 4, first + 2):  # a crash between a write's renames left both
        shutil.copy(folder / part_name(first), folder / part_name(later))
    assert live_write_ids(tmp_path) == {doc_id: first + 4}
