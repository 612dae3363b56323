"""Unit tests of the PDF helpers and the stitcher, on hand-made rows."""

from __future__ import annotations

from extract.model import RawCell, RawRow
from extract.pdf import join_lines, page_ranges
from extract.stitch import PageTable, is_continuation, stitch

HEADER = ["Missione", "Indirizzi", "Linee", "Obiettivi", "Indicatore", "Valore", "Tempi",
          "Assessore", "Settore", "priorità/peso", "Ponderazione"]  # fmt: skip


def row(texts: list[str], page: int) -> RawRow:
    cells = tuple(RawCell(text=t, column=i, page=page) for i, t in enumerate(texts))
    return RawRow(cells=cells, pages=(page,))


def padded(**cells: str) -> list[str]:
    texts = [""] * 11
    for key, value in cells.items():
        texts[int(key[1:])] = value
    return texts


def test_join_lines_reads_like_a_reader() -> None:
    assert join_lines(["a) Raccolta e", "analisi  dei", "", "report"]) == (
        "a) Raccolta e analisi dei report"
    )
    assert join_lines(["ammini\u00ad", "strativo"]) == "amministrativo"
    assert join_lines(["formazione-", "iniziative"]) == "formazione- iniziative"


def test_page_ranges() -> None:
    assert page_ranges([5, 1, 2, 3]) == "1-3, 5"
    assert page_ranges([4]) == "4"


def test_continuation_has_no_key_cells() -> None:
    assert is_continuation(row(padded(c3="lavoro - attraverso", c8="servizio"), 3))
    assert not is_continuation(row(padded(c3="1.1.3 Realizzazione", c9="4"), 3))
    assert not is_continuation(row(padded(c0="9.3.2.6 OPERE", c3="2023-2024"), 3))
    assert not is_continuation(row(padded(c1="5.2 Biblioteca e attività culturali"), 3))
    assert not is_continuation(row([""] * 11, 3))


def test_row_broken_over_three_pages_is_rejoined_once_per_break() -> None:
    first = row(padded(c0="M 01", c3="1.1.1 ANTI", c4="a) uno", c9="5", c10="26%"), 1)
    data = [row(padded(c0="M 02", c3="2.1.1 X", c4="b", c9="3", c10="10%"), 1)]
    fragments = [
        PageTable(1, "OBIETTIVI GESTIONALI ASSEGNATI AL SETTORE FINANZE (FIN)",
                  (row(HEADER, 1), *data, first)),
        PageTable(2, "", (row(HEADER, 2), row(padded(c4="due"), 2))),
        PageTable(3, "", (row(HEADER, 3), row(padded(c4="tre", c8="Dirigente"), 3),
                          row(padded(c0="totale", c9="8", c10="100%"), 3))),
    ]  # fmt: skip
    (table,), notes = stitch(fragments)
    joined = table.rows[2]
    assert joined.pages == (1, 2, 3)
    assert joined.texts[4] == "a) uno due tre" and joined.texts[8] == "Dirigente"
    assert [r.texts[0] for r in table.rows] == ["Missione", "M 02", "M 01", "Missione",
                                                "Missione", "totale"]  # fmt: skip
    assert [(n.rule, n.page) for n in notes] == [
        ("row_rejoined_across_pages", 1),
        ("row_rejoined_across_pages", 2),
    ]
    assert "1.1.1 ANTI" in notes[0].message


def test_new_heading_starts_new_table() -> None:
    body = row(padded(c0="M 01", c3="1.1.1 A", c4="x", c9="1", c10="1%"), 1)
    fragments = [
        PageTable(1, "SETTORE A (A)", (row(HEADER, 1), body)),
        PageTable(2, "SETTORE B (B)", (row(HEADER, 2), body)),
    ]
    tables, notes = stitch(fragments)
    assert [t.heading for t in tables] == ["SETTORE A (A)", "SETTORE B (B)"]
    assert notes == []
