"""A large text's tables read when asked for (``extract.text.LazyTables``: memory)
are the tables read at once, with the same notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract import read_document
from extract.text import LazyTables, read_text

ROOT = Path(__file__).resolve().parents[2]
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"


def test_lazy_tables_are_the_tables_read_at_once():
    data = TEXT_SOURCE.read_bytes()
    eager = read_text(data)
    lazy = read_text(data, lazy=True)
    assert isinstance(lazy[1], LazyTables)
    assert len(lazy[1]) == len(eager[1]) == 4
    assert list(lazy[1]) == list(eager[1])
    assert lazy[1][-1] == eager[1][-1] and lazy[1][1:3] == eager[1][1:3]
    assert (lazy[0], lazy[2], lazy[3]) == (eager[0], eager[2], eager[3])
    with pytest.raises(IndexError):
        lazy[1][4]


def test_lazy_document_keeps_lost_character_notes(tmp_path):
    path = tmp_path / "lost.txt"
    path.write_bytes(
        TEXT_SOURCE.read_bytes().replace("attività".encode(), "attivit\ufffd".encode(), 1)
    )
    eager = read_document(path)
    lazy = read_document(path, lazy=True)
    assert [n.rule for n in lazy.notes].count("lost_character") == 1
    assert lazy.notes == eager.notes
    assert tuple(lazy.tables) == eager.tables
