"""OCR'd objective codes checked against their siblings (normalize/ocr_codes.py), on small
synthetic sector tables whose cells are marked as read by OCR (a confidence set)."""

from __future__ import annotations

import pytest

from extract.model import RawCell, RawRow, RawTable
from normalize import ocr_codes
from normalize.ocr_codes import code_parts, kept_in_order, mentions_of, sibling_candidates
from normalize.sectors import read_sector
from normalize.settings import NormalizeSettings

HEADER = ["Missione", "Obiettivi strategici", "Obiettivi gestionali", "Peso"]


def sector_table(
    objectives: list[tuple[str, str, str]], ocr: bool = True, confidences: list[float] | None = None
) -> RawTable:
    """A sector table: header, then one row per (mission, strategic, objective cell), weight 4;
    every cell with an OCR confidence when ``ocr``."""
    confidences = confidences or [0.9] * len(objectives)
    texts = [HEADER] + [[m, s, o, "4"] for m, s, o in objectives]
    rows = []
    for line, cells in enumerate(texts, start=1):
        confidence = (confidences[line - 2] if line > 1 else 0.9) if ocr else None
        rows.append(
            RawRow(
                cells=tuple(
                    RawCell(text, column, 1, line, ocr_confidence=confidence)
                    for column, text in enumerate(cells)
                ),
                pages=(1,),
                line=line,
            )
        )
    return RawTable(heading="SETTORE PROVA (PRV)", rows=tuple(rows), index=0)


def read(table: RawTable):
    sector = read_sector(table, NormalizeSettings())
    return sector, [[mention.code for mention in row.codes] for row in sector.objectives]


FIN_END = [
    ("M 01 Servizi", "1.5 Recuperare", "1.5.2 RIDURRE"),
    ("M 01 Servizi", "1.5 Recuperare", "1.5.3 RISCUOTERE"),
    ("M09 Sviluppo", "9.2 Beni demaniali", "9.2.1.1 GESTIRE"),
    ("M09 Sviluppo", "9.3 Opere", "3.2.2 MANUTENERE"),
]


def test_fin_9_2_2_read_3_2_2_is_repaired_from_its_sibling() -> None:
    """The last FIN code, 9.2.2, read 3.2.2 (a 9 under a speck): out of order after 9.2.1.1;
    of the two (9.2.1.1 or 3.2.2), the one its mission cell (M09) disagrees with is the
    misread, and the only sibling-made code that fits is 9.2.2."""
    sector, codes = read(sector_table(FIN_END))
    assert codes == [["1.5.2"], ["1.5.3"], ["9.2.1.1"], ["9.2.2"]]
    (finding,) = [f for f in sector.findings if f.rule == "ocr_repair"]
    assert finding.objective_code == "9.2.2"
    assert finding.message == ("OCR read code 3.2.2 after 9.2.1.1, out of order; repaired to 9.2.2")
    assert finding.severity == "warning"


def test_sap_6_1_1_1_read_18_1_1_1_is_repaired_between_its_neighbours() -> None:
    """A multi-code cell: 18.1.1.1 before 6.1.2.1 in the same cell, after 5.2.2.2."""
    table = sector_table(
        [
            ("M 05 Tutela", "5.2 Biblioteca", "5.2.2.1 BIBLIOTECA\n5.2.2.2 ARCHIVIO"),
            ("M 06 Politiche", "6.1. Interventi", "18.1.1.1 SPORT\n6.1.2.1 GIOVANI\n6.1.3.1 X"),
            ("M 06 Politiche", "6.2 Diffondere", "6.2.1.2 DIFFONDERE"),
        ]
    )
    sector, codes = read(table)
    assert codes[1] == ["6.1.1.1", "6.1.2.1", "6.1.3.1"]
    assert [f.objective_code for f in sector.findings if f.rule == "ocr_repair"] == ["6.1.1.1"]


def test_tec_9_3_2_6_read_13_3_2_6_is_repaired() -> None:
    rows = [("M09", "9.2 Beni", f"9.3.2.{n} LAVORI") for n in (4, 5)]
    rows += [("M09", "9.2 Beni", "13.3.2.6 LAVORI"), ("M09", "9.2 Beni", "9.3.2.7 LAVORI")]
    _, codes = read(sector_table(rows))
    assert [c[0] for c in codes] == ["9.3.2.4", "9.3.2.5", "9.3.2.6", "9.3.2.7"]


def test_out_of_order_code_with_two_fitting_siblings_is_a_doubt_kept_as_read() -> None:
    """7.1.1 between 1.1.1 and 3.1.1: a part taken from a neighbour gives 1.1.1 or 3.1.1,
    both already used; nothing fits, so the code stays as read and is a doubt."""
    rows = [
        ("M 01", "1.1 A", "1.1.1 A"),
        ("M 01", "1.1 A", "7.1.1 B"),
        ("M 03", "3.1 C", "3.1.1 C"),
    ]
    sector, codes = read(sector_table(rows))
    assert [c[0] for c in codes] == ["1.1.1", "7.1.1", "3.1.1"]
    (doubt,) = [f for f in sector.findings if f.rule == "ocr_code_doubt"]
    assert doubt.objective_code == "7.1.1"
    assert "kept as read (sibling codes that would fit: none)" in doubt.message


def test_codes_in_order_are_left_alone() -> None:
    rows = [("M 01", "1.1 A", f"1.1.{n} X") for n in (1, 2, 3)]
    sector, codes = read(sector_table(rows))
    assert codes == [["1.1.1"], ["1.1.2"], ["1.1.3"]]
    assert not [f for f in sector.findings if f.rule.startswith("ocr_")]


def test_codes_of_a_text_layer_are_never_touched() -> None:
    """The same misread, but the cells come from a text layer (no OCR): no repair, no doubt."""
    sector, codes = read(sector_table(FIN_END, ocr=False))
    assert codes[-1] == ["3.2.2"]
    assert not [f for f in sector.findings if f.rule.startswith("ocr_")]


def test_a_sector_without_ocr_codes_makes_no_ordering_pass(monkeypatch) -> None:
    """Only a code read by OCR is ever repaired or doubted: a text layer's sector is not
    ordered at all (the pass is quadratic in the sector's codes)."""

    def no_ordering(mentions):
        raise AssertionError("ordered a sector without OCR'd codes")

    monkeypatch.setattr(ocr_codes, "kept_in_order", no_ordering)
    _, codes = read(sector_table(FIN_END, ocr=False))
    assert codes == [["1.5.2"], ["1.5.3"], ["9.2.1.1"], ["3.2.2"]]


@pytest.mark.parametrize(
    ("code", "before", "after", "expected"),
    [
        ("3.2.2", "9.2.1.1", None, {"9.2.2"}),
        ("18.1.1.1", "5.2.2.2", "6.1.2.1", {"6.1.1.1"}),
        ("13.3.2.6", "9.3.2.5", "9.3.2.7", {"9.3.2.6"}),
        ("7.1.1", "1.1.1", "3.1.1", set()),
    ],
)
def test_sibling_candidates(code, before, after, expected) -> None:
    used = {code_parts(c) for c in ("1.1.1", "3.1.1", "9.2.1.1", "5.2.2.2", "6.1.2.1")}
    found = sibling_candidates(
        code_parts(code), code_parts(before), code_parts(after) if after else None, used
    )
    assert {".".join(map(str, parts)) for parts in found} == expected


def test_longest_ordered_run_keeps_the_codes_that_agree() -> None:
    """In 1.1.1, 9.9.9, 1.1.2, 1.1.3 the one code that breaks the order is 9.9.9."""
    rows = [("", "", f"{code} X") for code in ("1.1.1", "9.9.9", "1.1.2", "1.1.3")]
    sector = read_sector(sector_table(rows, ocr=False), NormalizeSettings())
    assert kept_in_order(mentions_of(sector)) == {0, 2, 3}
